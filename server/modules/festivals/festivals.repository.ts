import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { FestivalCampaignTable, FestivalCareTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

import type { CareStatus } from '../../../common/labels.js';

/**
 * Active families of the range with their care row in the campaign, if any. Coverage and the family
 * list both start here, so the list of a status always has as many rows as coverage counts.
 */
function activeFamiliesWithCare(db: Executor, range: RegionRange, campaignId: string) {
  return db
    .selectFrom('families as f')
    .leftJoin('festival_care as fc', (j) => j.onRef('fc.family_id', '=', 'f.id').on('fc.campaign_id', '=', campaignId))
    .where(inRange('f.region_code', range))
    .where('f.status', '=', 'active');
}

/** Active, cared and declined families per region prefix of `digits` digits. */
export function coverageByPrefix(db: Executor, range: RegionRange, campaignId: string, digits: number) {
  const key = sql<string>`substr(f.region_code, 1, ${sql.lit(digits)})`;
  return activeFamiliesWithCare(db, range, campaignId)
    .select([
      key.as('prefix'),
      (eb) => eb.fn.countAll<number>().as('families'),
      sql<number>`sum(case when fc.id is not null and fc.manner <> 'declined' then 1 else 0 end)`.as('cared'),
      sql<number>`sum(case when fc.manner = 'declined' then 1 else 0 end)`.as('declined'),
    ])
    .groupBy(key)
    .execute();
}

/** One page of the active families of the range in one care status, by archive number. */
export async function familiesByStatus(
  db: Executor,
  range: RegionRange,
  campaignId: string,
  status: CareStatus,
  page: { page: number; pageSize: number },
) {
  const all = activeFamiliesWithCare(db, range, campaignId);
  const base =
    status === 'not_cared'
      ? all.where('fc.id', 'is', null)
      : status === 'declined'
        ? all.where('fc.manner', '=', 'declined')
        : all.where('fc.id', 'is not', null).where('fc.manner', '<>', 'declined');
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .select([
      'f.id',
      'f.archive_no',
      'f.region_code',
      'r.name as region_name',
      'f.family_type',
      'fc.manner',
      'fc.cared_on',
    ])
    .orderBy('f.archive_no')
    .$call(paginate(page))
    .execute();
  return { rows, total: Number(total.n) };
}

/** Every festival's care of one family, newest first. */
export function careOfFamily(db: Executor, familyId: string) {
  return db
    .selectFrom('festival_care as fc')
    .innerJoin('festival_campaigns as c', 'c.id', 'fc.campaign_id')
    .select(['c.year', 'c.festival', 'fc.manner', 'fc.cared_on', 'fc.outside_window_reason'])
    .where('fc.family_id', '=', familyId)
    .orderBy('c.year', 'desc')
    .orderBy('c.festival_date', 'desc')
    .execute();
}

function campaignQuery(db: Executor, year: number, festival: string) {
  return db.selectFrom('festival_campaigns').selectAll().where('year', '=', year).where('festival', '=', festival);
}

/** The campaign of a festival and year, if it was opened. */
export function findCampaign(db: Executor, year: number, festival: string) {
  return campaignQuery(db, year, festival).executeTakeFirst();
}

/** The campaign of a festival and year, which must exist. */
export function getCampaign(db: Executor, year: number, festival: string) {
  return campaignQuery(db, year, festival).executeTakeFirstOrThrow();
}

/** Opens a campaign unless one of the same year and festival exists already. */
export async function insertCampaignIfAbsent(db: Executor, row: FestivalCampaignTable): Promise<void> {
  await db
    .insertInto('festival_campaigns')
    .values(row)
    .onConflict((oc) => oc.columns(['year', 'festival']).doNothing())
    .execute();
}

export async function insertCare(db: Executor, row: FestivalCareTable): Promise<void> {
  await db.insertInto('festival_care').values(row).execute();
}

/** Active families these contacts currently look after with no care yet in the campaign, by archive number. */
export function uncaredFamiliesOfContacts(db: Executor, campaignId: string, contactIds: string[]) {
  return db
    .selectFrom('families as f')
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .select(['f.id', 'f.archive_no', 'r.name as region_name'])
    .where('f.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('assignments as a')
          .select('a.id')
          .whereRef('a.family_id', '=', 'f.id')
          .where('a.ended_at', 'is', null)
          .where('a.contact_id', 'in', contactIds),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('festival_care as fc')
            .select('fc.id')
            .whereRef('fc.family_id', '=', 'f.id')
            .where('fc.campaign_id', '=', campaignId),
        ),
      ),
    )
    .orderBy('f.archive_no')
    .execute();
}
