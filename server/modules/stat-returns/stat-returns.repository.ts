import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { StatReturnEventTable, StatReturnTable } from '../../platform/db/schema.js';
import { subtreeRange } from '../../platform/scope.js';
import { isProvinceDirectGroup } from './chain.js';
import { inRange } from '../../platform/db/query-helpers.js';

export type StatReturnRow = StatReturnTable;

export function findById(db: Executor, id: string) {
  return db.selectFrom('stat_returns').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByKey(db: Executor, template: string, period: string, regionCode: string) {
  return db
    .selectFrom('stat_returns')
    .selectAll()
    .where('template', '=', template)
    .where('period', '=', period)
    .where('region_code', '=', regionCode)
    .executeTakeFirst();
}

/** Returns of the given regions (a region's own and its reporting children's), newest period first. */
export function listForRegions(db: Executor, codes: string[], filter: { template?: string; period?: string }) {
  let q = db
    .selectFrom('stat_returns as s')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .selectAll('s')
    .select('r.name as region_name')
    .where('s.region_code', 'in', codes.length ? codes : [''])
    .orderBy('s.period', 'desc')
    .orderBy('s.template')
    .orderBy('s.region_code');
  if (filter.template) q = q.where('s.template', '=', filter.template);
  if (filter.period) q = q.where('s.period', '=', filter.period);
  return q.execute();
}

export function returnsOf(db: Executor, template: string, period: string, codes: string[]) {
  return db
    .selectFrom('stat_returns')
    .selectAll()
    .where('template', '=', template)
    .where('period', '=', period)
    .where('region_code', 'in', codes.length ? codes : [''])
    .execute();
}

export async function insertReturn(db: Executor, row: StatReturnRow): Promise<void> {
  await db.insertInto('stat_returns').values(row).execute();
}

/** Optimistic update: false when the version moved on (nothing written). */
export async function updateReturn(
  db: Executor,
  id: string,
  version: number,
  set: Partial<StatReturnRow>,
): Promise<boolean> {
  const r = await db
    .updateTable('stat_returns')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertEvent(db: Executor, row: StatReturnEventTable): Promise<void> {
  await db.insertInto('stat_return_events').values(row).execute();
}

export function listEvents(db: Executor, returnId: string) {
  return db.selectFrom('stat_return_events').selectAll().where('return_id', '=', returnId).orderBy('seq').execute();
}

export function region(db: Executor, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

/**
 * The regions that report to `code`: its children, except that a province's province-direct group
 * (`xx90`) does not report itself — its county-level units do, straight to the province.
 */
export async function reportingChildren(db: Executor, code: string) {
  const children = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute();
  const groups = children.filter((c) => isProvinceDirectGroup(c.code));
  if (!groups.length) return children;
  const units = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where(
      'parent_code',
      'in',
      groups.map((g) => g.code),
    )
    .orderBy('code')
    .execute();
  return [...children.filter((c) => !isProvinceDirectGroup(c.code)), ...units];
}

/**
 * Which of the child regions held at least one family during the period (entered by its end, not gone
 * before its start): the expected reporters. Grouped by the 6- or 9-digit prefix of the children.
 */
export async function childrenWithFamilies(
  db: Executor,
  parentCode: string,
  digits: number,
  from: string,
  to: string,
): Promise<Set<string>> {
  const range = subtreeRange(parentCode);
  const key = sql<string>`substr(region_code, 1, ${sql.lit(digits)})`;
  const rows = await db
    .selectFrom('families')
    .select(key.as('prefix'))
    .where(inRange('region_code', range))
    .where('entered_at', '<=', to)
    .where((eb) => eb.or([eb('status', '=', 'active'), eb('status_date', '>=', from)]))
    .groupBy(key)
    .execute();
  return new Set(rows.map((r) => r.prefix));
}

/** Returns in the states given whose region lies in one of the ranges (todos: awaiting review). */
export function returnsInStatus(db: Executor, status: string, regionCodes: string[]) {
  return db
    .selectFrom('stat_returns as s')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .select(['s.id', 's.template', 's.period', 's.region_code', 's.submitted_at', 's.due_at', 'r.name as region_name'])
    .where('s.status', '=', status)
    .where('s.region_code', 'in', regionCodes.length ? regionCodes : [''])
    .orderBy('s.submitted_at')
    .execute();
}

/** Active accounts of the submitting roles (the deadline reminders look up what each one's office owes). */
export function submitterAccounts(db: Executor, roles: string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'region_code'])
    .where('role', 'in', roles)
    .where('is_disabled', '=', 0)
    .orderBy('region_code')
    .execute();
}
