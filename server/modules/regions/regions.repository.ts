import type { Executor } from '../../platform/db/database.js';
import type { RegionRow } from '../../platform/regions/region-data.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

export interface RegionRecord {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  child_count: number;
}

function withChildCount(db: Executor) {
  return db
    .selectFrom('regions as r')
    .select(['r.code', 'r.name', 'r.level', 'r.parent_code'])
    .select((eb) =>
      eb
        .selectFrom('regions as c')
        .whereRef('c.parent_code', '=', 'r.code')
        .select(eb.fn.countAll<number>().as('n'))
        .as('child_count'),
    );
}

export async function findRegion(db: Executor, code: string): Promise<RegionRecord | undefined> {
  const row = await withChildCount(db).where('r.code', '=', code).executeTakeFirst();
  return row && { ...row, child_count: Number(row.child_count) };
}

export async function listChildren(db: Executor, code: string): Promise<RegionRecord[]> {
  const rows = await withChildCount(db).where('r.parent_code', '=', code).orderBy('r.code').execute();
  return rows.map((r) => ({ ...r, child_count: Number(r.child_count) }));
}

/** Regions of the code range (a subtree) whose name contains `text`, by code, at most `limit`. */
export async function searchByName(
  db: Executor,
  range: { from: string; to: string },
  text: string,
  limit: number,
): Promise<RegionRecord[]> {
  const rows = await withChildCount(db)
    .where(inRange('r.code', range))
    .where('r.name', 'like', `%${text.replace(/[%_\\]/g, '')}%`)
    .orderBy('r.code')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, child_count: Number(r.child_count) }));
}

/** Names of the given codes (a search result's ancestors). */
export async function namesOf(db: Executor, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function countRegions(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts rows that are not there yet, parents first, in batches (one region tree is ~28k rows). */
export async function insertRegions(db: Executor, rows: RegionRow[]): Promise<number> {
  const existing = new Set((await db.selectFrom('regions').select('code').execute()).map((r) => r.code));
  const fresh = rows.filter((r) => !existing.has(r.code));
  for (let i = 0; i < fresh.length; i += 500) {
    await db
      .insertInto('regions')
      .values(
        fresh.slice(i, i + 500).map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode })),
      )
      .execute();
  }
  return fresh.length;
}

/** A region's code and name (the roll-ups' heading). */
export function regionNameRow(db: Executor, code: string) {
  return db.selectFrom('regions').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
}

/** One region's own row (no child count). */
export function regionRow(db: Executor, code: string) {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** The regions directly below `code`, by code. */
export function childRows(db: Executor, code: string) {
  return db.selectFrom('regions').select(['code', 'name']).where('parent_code', '=', code).orderBy('code').execute();
}

/** A region's code, name and level (the people modules' look-ups: liaisons, staffing, partners, trainings, medical services). */
export interface RegionBrief {
  code: string;
  name: string;
  level: string;
}

export function briefRow(db: Executor, code: string): Promise<RegionBrief | undefined> {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

export function childBriefRows(db: Executor, code: string): Promise<RegionBrief[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute();
}

/** Every region of the given levels in a subtree, in code order. */
export function briefRowsInRange(db: Executor, range: RegionRange, levels: string[]): Promise<RegionBrief[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where(inRange('code', range))
    .where('level', 'in', levels)
    .orderBy('code')
    .execute();
}

export function nameRows(db: Executor, codes: string[]): Promise<Array<{ code: string; name: string }>> {
  if (!codes.length) return Promise.resolve([]);
  return db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute();
}
