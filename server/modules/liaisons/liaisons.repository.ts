import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type {
  LiaisonProgrammeTable,
  LiaisonReportTable,
  LiaisonSubsidyTable,
  LiaisonTable,
} from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

function liaisonQuery(db: Executor) {
  return db
    .selectFrom('liaisons as l')
    .innerJoin('regions as r', 'r.code', 'l.region_code')
    .leftJoin('families as f', 'f.id', 'l.family_id')
    .leftJoin('family_members as m', 'm.id', 'l.member_id')
    .selectAll('l')
    .select(['r.name as region_name', 'f.archive_no', 'm.phone_mask as member_phone_mask'])
    .select((eb) => [
      eb
        .selectFrom('liaison_reports as lr')
        .whereRef('lr.liaison_id', '=', 'l.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('report_count'),
      eb
        .selectFrom('liaison_subsidies as ls')
        .whereRef('ls.liaison_id', '=', 'l.id')
        .select(sql<number>`coalesce(sum(ls.amount_cents), 0)`.as('s'))
        .as('subsidy_cents'),
    ]);
}
export type LiaisonRow = NonNullable<Awaited<ReturnType<typeof findLiaison>>>;

export function findLiaison(db: Executor, id: string) {
  return liaisonQuery(db).where('l.id', '=', id).executeTakeFirst();
}

export async function listLiaisons(
  db: Executor,
  f: { range: RegionRange; status?: string; q?: string },
  page: { page: number; pageSize: number },
) {
  let q = liaisonQuery(db).where(inRange('l.region_code', f.range));
  if (f.status) q = q.where('l.status', '=', f.status);
  if (f.q) q = q.where(sql<boolean>`lower(l.name) like lower(${`%${f.q}%`})`);
  const [rows, count] = await Promise.all([
    q.orderBy('l.region_code').orderBy('l.status').orderBy('l.name').orderBy('l.id').$call(paginate(page)).execute(),
    db
      .selectFrom(q.clearSelect().select('l.id').as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertLiaison(db: Executor, row: LiaisonTable): Promise<void> {
  await db.insertInto('liaisons').values(row).execute();
}

export async function updateLiaison(db: Executor, id: string, version: number, set: Partial<LiaisonTable>) {
  const r = await db
    .updateTable('liaisons')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The member of a family with that name (a liaison drawn from the family). */
export function memberByName(db: Executor, familyId: string, name: string) {
  return db
    .selectFrom('family_members')
    .select(['id', 'name', 'phone_mask', 'is_deceased'])
    .where('family_id', '=', familyId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Active liaisons per township of a subtree. */
export async function activeByTownship(db: Executor, range: RegionRange) {
  const rows = await db
    .selectFrom('liaisons')
    .select(['region_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRange('region_code', range))
    .where('status', '=', 'active')
    .groupBy('region_code')
    .execute();
  return rows.map((r) => ({ regionCode: r.region_code, n: Number(r.n) }));
}

export function programmesInRange(db: Executor, range: RegionRange): Promise<LiaisonProgrammeTable[]> {
  return db.selectFrom('liaison_programmes').selectAll().where(inRange('county_code', range)).execute();
}

export function findProgramme(db: Executor, countyCode: string) {
  return db.selectFrom('liaison_programmes').selectAll().where('county_code', '=', countyCode).executeTakeFirst();
}

export async function insertProgramme(db: Executor, row: LiaisonProgrammeTable): Promise<void> {
  await db.insertInto('liaison_programmes').values(row).execute();
}

export async function updateProgramme(
  db: Executor,
  countyCode: string,
  version: number,
  set: Pick<LiaisonProgrammeTable, 'is_running' | 'updated_at' | 'updated_by'>,
) {
  const r = await db
    .updateTable('liaison_programmes')
    .set({ ...set, version: version + 1 })
    .where('county_code', '=', countyCode)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertReport(db: Executor, row: LiaisonReportTable): Promise<void> {
  await db.insertInto('liaison_reports').values(row).execute();
}

export function reportsOf(db: Executor, liaisonId: string) {
  return db
    .selectFrom('liaison_reports as lr')
    .leftJoin('families as f', 'f.id', 'lr.family_id')
    .selectAll('lr')
    .select('f.archive_no')
    .where('lr.liaison_id', '=', liaisonId)
    .orderBy('lr.reported_on', 'desc')
    .orderBy('lr.created_at', 'desc')
    .limit(500)
    .execute();
}

export async function insertSubsidy(db: Executor, row: LiaisonSubsidyTable): Promise<void> {
  await db.insertInto('liaison_subsidies').values(row).execute();
}

function subsidyQuery(db: Executor) {
  return db
    .selectFrom('liaison_subsidies as s')
    .innerJoin('liaisons as l', 'l.id', 's.liaison_id')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .innerJoin('regions as p', 'p.code', 's.payer_region_code')
    .leftJoin('family_members as m', 'm.id', 'l.member_id')
    .selectAll('s')
    .select([
      'l.name as liaison_name',
      'r.name as region_name',
      'p.name as payer_name',
      sql<string | null>`coalesce(m.phone_mask, l.phone_mask)`.as('phone_mask'),
    ]);
}
export type SubsidyRow = Awaited<ReturnType<typeof subsidiesOf>>[number];

export function subsidiesOf(db: Executor, liaisonId: string) {
  return subsidyQuery(db)
    .where('s.liaison_id', '=', liaisonId)
    .orderBy('s.period', 'desc')
    .orderBy('s.paid_on', 'desc')
    .limit(500)
    .execute();
}

/** The year's payments in a subtree for the finance office, in keyset batches. */
export function subsidiesInRange(db: Executor, range: RegionRange, year: number, after: string, limit: number) {
  return subsidyQuery(db)
    .where(inRange('s.region_code', range))
    .where('s.year', '=', year)
    .where('s.id', '>', after)
    .orderBy('s.id')
    .limit(limit)
    .execute();
}

export async function countSubsidiesInRange(db: Executor, range: RegionRange, year: number): Promise<number> {
  const row = await db
    .selectFrom('liaison_subsidies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .where('year', '=', year)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Subsidy fen per township and kind in a year (the region's totals sum these). */
export async function subsidyCentsByTownship(db: Executor, range: RegionRange, year: number) {
  const rows = await db
    .selectFrom('liaison_subsidies')
    .select(['region_code', 'kind', (eb) => eb.fn.sum<number>('amount_cents').as('cents')])
    .where(inRange('region_code', range))
    .where('year', '=', year)
    .groupBy(['region_code', 'kind'])
    .execute();
  return rows.map((r) => ({ regionCode: r.region_code, kind: r.kind, cents: Number(r.cents) }));
}

export async function subsidyCentsByPayerLevel(db: Executor, range: RegionRange, year: number) {
  const rows = await db
    .selectFrom('liaison_subsidies')
    .select(['payer_level', (eb) => eb.fn.sum<number>('amount_cents').as('cents')])
    .where(inRange('region_code', range))
    .where('year', '=', year)
    .groupBy('payer_level')
    .execute();
  return rows.map((r) => ({ payerLevel: r.payer_level, cents: Number(r.cents) }));
}

export async function subsidyCentsByYear(db: Executor, range: RegionRange) {
  const rows = await db
    .selectFrom('liaison_subsidies')
    .select(['year', (eb) => eb.fn.sum<number>('amount_cents').as('cents')])
    .where(inRange('region_code', range))
    .groupBy('year')
    .orderBy('year')
    .execute();
  return rows.map((r) => ({ year: Number(r.year), cents: Number(r.cents) }));
}
