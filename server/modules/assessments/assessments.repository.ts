import type { Executor } from '../../platform/db/database.js';
import type { AssessmentSchemeTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';

/** 考核: the only SQL of the assessment (its figures come from the indicator and survey services). */

export function findScheme(db: Executor, id: string) {
  return db
    .selectFrom('assessment_schemes as s')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .selectAll('s')
    .select('r.name as region_name')
    .where('s.id', '=', id)
    .executeTakeFirst();
}
export type SchemeRow = NonNullable<Awaited<ReturnType<typeof findScheme>>>;

/** Schemes run inside the range, and published schemes of the given ancestor regions. */
export function listSchemes(db: Executor, range: RegionRange, ancestors: string[], year?: number) {
  let q = db
    .selectFrom('assessment_schemes as s')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .selectAll('s')
    .select('r.name as region_name')
    .where((eb) =>
      eb.or([
        eb.and([eb('s.region_code', '>=', range.from), eb('s.region_code', '<=', range.to)]),
        ...(ancestors.length ? [eb.and([eb('s.region_code', 'in', ancestors), eb('s.status', '=', 'published')])] : []),
      ]),
    );
  if (year !== undefined) q = q.where('s.year', '=', year);
  return q.orderBy('s.year', 'desc').orderBy('s.region_code').orderBy('s.created_at', 'desc').execute();
}

export async function insertScheme(db: Executor, row: AssessmentSchemeTable): Promise<void> {
  await db.insertInto('assessment_schemes').values(row).execute();
}

/** A guarded write: only a draft at the expected version changes; false when it did not. */
export async function updateDraft(
  db: Executor,
  id: string,
  version: number,
  set: Partial<Omit<AssessmentSchemeTable, 'id' | 'version'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('assessment_schemes')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The units a scheme assesses: the cities and counties of a province, or the counties of a city. */
export function unitsOf(db: Executor, range: RegionRange, levels: string[]) {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', '>=', range.from)
    .where('code', '<=', range.to)
    .where('level', 'in', levels)
    .orderBy('code')
    .execute();
}

export function findSurvey(db: Executor, id: string) {
  return db.selectFrom('sample_surveys').select(['id', 'year', 'region_code']).where('id', '=', id).executeTakeFirst();
}
