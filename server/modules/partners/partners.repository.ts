import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { PairingActivityTable, PairingTable, PartnerOrganizationTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

function organizationQuery(db: Executor) {
  return db
    .selectFrom('partner_organizations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .selectAll('o')
    .select('r.name as region_name')
    .select((eb) =>
      eb
        .selectFrom('pairings as p')
        .whereRef('p.organization_id', '=', 'o.id')
        .where('p.ended_on', 'is', null)
        .select(eb.fn.countAll<number>().as('n'))
        .as('active_pairings'),
    );
}
export type OrganizationRow = NonNullable<Awaited<ReturnType<typeof findOrganization>>>;

export function findOrganization(db: Executor, id: string) {
  return organizationQuery(db).where('o.id', '=', id).executeTakeFirst();
}

export async function listOrganizations(
  db: Executor,
  f: { range: RegionRange; ancestors: string[]; kind?: string; q?: string },
  page: { page: number; pageSize: number },
) {
  let q = organizationQuery(db).where((eb) =>
    eb.or([inRange('o.region_code', f.range), ...(f.ancestors.length ? [eb('o.region_code', 'in', f.ancestors)] : [])]),
  );
  if (f.kind) q = q.where('o.kind', '=', f.kind);
  if (f.q) q = q.where(sql<boolean>`lower(o.name) like lower(${`%${f.q}%`})`);
  const [rows, count] = await Promise.all([
    q.orderBy('o.region_code').orderBy('o.name').orderBy('o.id').$call(paginate(page)).execute(),
    db
      .selectFrom(q.clearSelect().select('o.id').as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertOrganization(db: Executor, row: PartnerOrganizationTable): Promise<void> {
  await db.insertInto('partner_organizations').values(row).execute();
}

function pairingQuery(db: Executor) {
  return db
    .selectFrom('pairings as p')
    .innerJoin('families as f', 'f.id', 'p.family_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('partner_organizations as o', 'o.id', 'p.organization_id')
    .selectAll('p')
    .select(['f.archive_no', 'r.name as region_name', 'o.name as organization_name'])
    .select((eb) => [
      eb
        .selectFrom('pairing_activities as a')
        .whereRef('a.pairing_id', '=', 'p.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('activity_count'),
      eb
        .selectFrom('pairing_activities as a')
        .whereRef('a.pairing_id', '=', 'p.id')
        .select((sb) => sb.fn.max('a.occurred_on').as('d'))
        .as('last_activity_on'),
    ]);
}
export type PairingRow = NonNullable<Awaited<ReturnType<typeof findPairing>>>;

export function findPairing(db: Executor, id: string) {
  return pairingQuery(db).where('p.id', '=', id).executeTakeFirst();
}

export function pairingsOfFamily(db: Executor, familyId: string) {
  return pairingQuery(db)
    .where('p.family_id', '=', familyId)
    .orderBy('p.ended_on', 'desc')
    .orderBy('p.started_on', 'desc')
    .execute();
}

export async function listPairings(
  db: Executor,
  f: { range: RegionRange; kind?: string; organizationId?: string; isActive?: boolean },
  page: { page: number; pageSize: number },
) {
  let q = pairingQuery(db).where(inRange('p.region_code', f.range));
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  if (f.organizationId) q = q.where('p.organization_id', '=', f.organizationId);
  if (f.isActive !== undefined) q = q.where('p.ended_on', f.isActive ? 'is' : 'is not', null);
  const [rows, count] = await Promise.all([
    q.orderBy('p.started_on', 'desc').orderBy('p.id').$call(paginate(page)).execute(),
    db
      .selectFrom(q.clearSelect().select('p.id').as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertPairing(db: Executor, row: PairingTable): Promise<void> {
  await db.insertInto('pairings').values(row).execute();
}

export async function endPairing(db: Executor, id: string, version: number, endedOn: string, reason: string) {
  const r = await db
    .updateTable('pairings')
    .set({ ended_on: endedOn, end_reason: reason, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('ended_on', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertActivity(db: Executor, row: PairingActivityTable): Promise<void> {
  await db.insertInto('pairing_activities').values(row).execute();
}

export function activitiesOf(db: Executor, pairingIds: string[]) {
  if (!pairingIds.length) return Promise.resolve([]);
  return db
    .selectFrom('pairing_activities')
    .selectAll()
    .where('pairing_id', 'in', pairingIds)
    .orderBy('occurred_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Active families and those with an active pairing, per child-region prefix of `digits` digits. */
export async function pairedByPrefix(db: Executor, range: RegionRange, digits: number) {
  const rows = await db
    .selectFrom('families as f')
    .where(inRange('f.region_code', range))
    .where('f.status', '=', 'active')
    .select([
      sql<string>`substr(f.region_code, 1, ${sql.lit(digits)})`.as('prefix'),
      (eb) => eb.fn.countAll<number>().as('families'),
      sql<number>`sum(case when exists (select 1 from pairings p where p.family_id = f.id and p.ended_on is null) then 1 else 0 end)`.as(
        'paired',
      ),
    ])
    .groupBy(sql`substr(f.region_code, 1, ${sql.lit(digits)})`)
    .execute();
  return rows.map((r) => ({ prefix: r.prefix, families: Number(r.families), paired: Number(r.paired) }));
}

/** The indicator partner_pairings: active pairings of active families in a subtree. */
export async function countActivePairings(db: Executor, range: RegionRange): Promise<number> {
  const row = await db
    .selectFrom('pairings as p')
    .innerJoin('families as f', 'f.id', 'p.family_id')
    .where(inRange('p.region_code', range))
    .where('p.ended_on', 'is', null)
    .where('f.status', '=', 'active')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
