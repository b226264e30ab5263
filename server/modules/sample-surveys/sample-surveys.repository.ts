import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type {
  SampleSurveyFamilyTable,
  SampleSurveyFrameTable,
  SampleSurveyStratumTable,
  SampleSurveyTable,
  SurveyDiscrepancyTable,
} from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

const BATCH = 1000;

/**
 * The frame: families of the range that were active on the frame date — entered on or before it, and
 * either active now or with a status change (pause, exit) dated after it.
 */
export function frameFamilies(db: Executor, range: RegionRange, frameDate: string) {
  return db
    .selectFrom('families')
    .select(['id', 'region_code', 'family_type'])
    .where(inRange('region_code', range))
    .where('entered_at', '<=', frameDate)
    .where((eb) => eb.or([eb('status', '=', 'active'), eb('status_date', '>', frameDate)]))
    .execute();
}

/**
 * Freezes the frame in the database itself: the same families as `frameFamilies`, inserted in one
 * INSERT … SELECT (no 100k ids through the driver and back), then read back in id order — so the draw
 * runs on exactly what was stored.
 */
export async function freezeFrame(db: Executor, surveyId: string, range: RegionRange, frameDate: string) {
  await db
    .insertInto('sample_survey_frame')
    .columns(['survey_id', 'family_id', 'region_code', 'county_code', 'family_type'])
    .expression(
      db
        .selectFrom('families')
        .select([
          sql<string>`cast(${surveyId} as text)`.as('survey_id'),
          'id',
          'region_code',
          sql<string>`substr(region_code, 1, 6) || '000000'`.as('county_code'),
          'family_type',
        ])
        .where(inRange('region_code', range))
        .where('entered_at', '<=', frameDate)
        .where((eb) => eb.or([eb('status', '=', 'active'), eb('status_date', '>', frameDate)]))
        .orderBy('id'),
    )
    .execute();
  return db
    .selectFrom('sample_survey_frame')
    .select(['family_id', 'region_code', 'county_code', 'family_type'])
    .where('survey_id', '=', surveyId)
    .orderBy('family_id')
    .execute();
}

export async function completeSurvey(
  db: Executor,
  id: string,
  set: Pick<SampleSurveyTable, 'frame_size' | 'sample_size' | 'frame_digest'>,
) {
  await db.updateTable('sample_surveys').set(set).where('id', '=', id).execute();
}

export async function insertSurvey(db: Executor, row: SampleSurveyTable) {
  await db.insertInto('sample_surveys').values(row).execute();
}

export async function insertFrame(db: Executor, rows: SampleSurveyFrameTable[]) {
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('sample_survey_frame')
      .values(rows.slice(i, i + BATCH))
      .execute();
}

export async function insertStrata(db: Executor, rows: SampleSurveyStratumTable[]) {
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('sample_survey_strata')
      .values(rows.slice(i, i + BATCH))
      .execute();
}

export async function insertSampleFamilies(db: Executor, rows: SampleSurveyFamilyTable[]) {
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('sample_survey_families')
      .values(rows.slice(i, i + BATCH))
      .execute();
}

export function findSurvey(db: Executor, id: string) {
  return db.selectFrom('sample_surveys').selectAll().where('id', '=', id).executeTakeFirst();
}
export type SurveyRow = NonNullable<Awaited<ReturnType<typeof findSurvey>>>;

/** Surveys whose region contains the range or lies inside it (a city sees the province's survey). */
export function listSurveys(db: Executor, range: RegionRange, ancestors: string[], year?: number) {
  let q = db
    .selectFrom('sample_surveys as s')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .selectAll('s')
    .select('r.name as region_name')
    .where((eb) =>
      eb.or([inRange('s.region_code', range), ...(ancestors.length ? [eb('s.region_code', 'in', ancestors)] : [])]),
    );
  if (year) q = q.where('s.year', '=', year);
  return q.orderBy('s.year', 'desc').orderBy('s.created_at', 'desc').limit(200).execute();
}

export function frameOf(db: Executor, surveyId: string) {
  return db
    .selectFrom('sample_survey_frame')
    .select(['family_id', 'region_code', 'county_code', 'family_type'])
    .where('survey_id', '=', surveyId)
    .execute();
}

export function stratumFrameIds(db: Executor, surveyId: string, countyCode: string, familyType: string) {
  return db
    .selectFrom('sample_survey_frame')
    .select(['family_id', 'region_code'])
    .where('survey_id', '=', surveyId)
    .where('county_code', '=', countyCode)
    .where('family_type', '=', familyType)
    .execute();
}

export function strataOf(db: Executor, surveyId: string) {
  return db
    .selectFrom('sample_survey_strata as s')
    .leftJoin('regions as r', 'r.code', 's.county_code')
    .selectAll('s')
    .select('r.name as region_name')
    .where('s.survey_id', '=', surveyId)
    .orderBy('s.county_code')
    .orderBy('s.family_type')
    .execute();
}

export function findStratum(db: Executor, surveyId: string, countyCode: string, familyType: string) {
  return db
    .selectFrom('sample_survey_strata')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .where('county_code', '=', countyCode)
    .where('family_type', '=', familyType)
    .executeTakeFirst();
}

export async function bumpReserves(
  db: Executor,
  surveyId: string,
  countyCode: string,
  familyType: string,
  used: number,
) {
  const r = await db
    .updateTable('sample_survey_strata')
    .set({ reserves_used: used + 1 })
    .where('survey_id', '=', surveyId)
    .where('county_code', '=', countyCode)
    .where('family_type', '=', familyType)
    .where('reserves_used', '=', used)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sampled families in draw order (the reproduction compares them with a fresh draw). */
export function sampledIds(db: Executor, surveyId: string) {
  return db
    .selectFrom('sample_survey_families')
    .select(['family_id', 'county_code', 'family_type', 'draw_rank', 'replaces_family_id'])
    .where('survey_id', '=', surveyId)
    .orderBy('county_code')
    .orderBy('family_type')
    .orderBy('draw_rank')
    .execute();
}

/** Per child-region prefix: sampled families by status, replacements and assignments. */
export async function progressByPrefix(db: Executor, surveyId: string, range: RegionRange, digits: number) {
  const prefix = sql<string>`substr(region_code, 1, ${sql.lit(digits)})`;
  const rows = await db
    .selectFrom('sample_survey_families')
    .where('survey_id', '=', surveyId)
    .where(inRange('region_code', range))
    .select([
      prefix.as('prefix'),
      'status',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when replaces_family_id is not null then 1 else 0 end)`.as('replacements'),
      sql<number>`sum(case when surveyor_id is not null then 1 else 0 end)`.as('assigned'),
    ])
    .groupBy([prefix, 'status'])
    .execute();
  return rows.map((r) => ({
    prefix: r.prefix,
    status: r.status,
    n: Number(r.n),
    replacements: Number(r.replacements ?? 0),
    assigned: Number(r.assigned ?? 0),
  }));
}

export function regionsByCodes(db: Executor, codes: string[]) {
  if (!codes.length) return Promise.resolve([]);
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', 'in', codes).execute();
}

export function childRegions(db: Executor, code: string) {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute();
}

export function findRegion(db: Executor, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

const firstPhoneMask = sql<
  string | null
>`(select m.phone_mask from family_members m where m.family_id = sf.family_id and m.phone_mask is not null order by m.position limit 1)`;

export async function surveyFamilies(
  db: Executor,
  surveyId: string,
  f: { range: RegionRange; status?: string; surveyorId?: string },
  page: { page: number; pageSize: number },
) {
  let q = db
    .selectFrom('sample_survey_families as sf')
    .innerJoin('families as f', 'f.id', 'sf.family_id')
    .innerJoin('regions as r', 'r.code', 'sf.region_code')
    .leftJoin('users as u', 'u.id', 'sf.surveyor_id')
    .where('sf.survey_id', '=', surveyId)
    .where(inRange('sf.region_code', f.range));
  if (f.status) q = q.where('sf.status', '=', f.status);
  if (f.surveyorId) q = q.where('sf.surveyor_id', '=', f.surveyorId);
  const [rows, count] = await Promise.all([
    q
      .selectAll('sf')
      .select([
        'f.archive_no',
        'r.name as region_name',
        'u.display_name as surveyor_name',
        firstPhoneMask.as('phone_mask'),
      ])
      .orderBy('sf.region_code')
      .orderBy('sf.family_type')
      .orderBy('sf.draw_rank')
      .$call(paginate(page))
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
export type SurveyFamilyRow = Awaited<ReturnType<typeof surveyFamilies>>['rows'][number];

export function findSurveyFamily(db: Executor, surveyId: string, familyId: string) {
  return db
    .selectFrom('sample_survey_families as sf')
    .innerJoin('families as f', 'f.id', 'sf.family_id')
    .innerJoin('regions as r', 'r.code', 'sf.region_code')
    .leftJoin('users as u', 'u.id', 'sf.surveyor_id')
    .selectAll('sf')
    .select([
      'f.archive_no',
      'r.name as region_name',
      'u.display_name as surveyor_name',
      firstPhoneMask.as('phone_mask'),
    ])
    .where('sf.survey_id', '=', surveyId)
    .where('sf.family_id', '=', familyId)
    .executeTakeFirst();
}

export async function updateSurveyFamily(
  db: Executor,
  surveyId: string,
  familyId: string,
  version: number,
  set: Partial<Pick<SampleSurveyFamilyTable, 'status' | 'attempts' | 'surveyor_id' | 'assigned_at' | 'finished_at'>>,
) {
  const r = await db
    .updateTable('sample_survey_families')
    .set({ ...set, version: version + 1 })
    .where('survey_id', '=', surveyId)
    .where('family_id', '=', familyId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Assigns the not-yet-finished families among `familyIds` (or all of a range) to a surveyor. */
export async function assign(
  db: Executor,
  surveyId: string,
  f: { familyIds?: string[]; range: RegionRange },
  surveyorId: string,
  at: string,
) {
  let q = db
    .updateTable('sample_survey_families')
    .set((eb) => ({ surveyor_id: surveyorId, assigned_at: at, version: eb('version', '+', 1) }))
    .where('survey_id', '=', surveyId)
    .where('status', '=', 'pending')
    .where(inRange('region_code', f.range));
  if (f.familyIds) q = q.where('family_id', 'in', f.familyIds);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function membersOf(db: Executor, familyId: string) {
  return db
    .selectFrom('family_members')
    .select(['id', 'relation', 'name', 'phone_mask', 'phone_enc', 'is_deceased'])
    .where('family_id', '=', familyId)
    .orderBy('position')
    .execute();
}

export function activeContactsOf(db: Executor, familyId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['c.name', 'a.post'])
    .where('a.family_id', '=', familyId)
    .where('a.ended_at', 'is', null)
    .orderBy('a.post')
    .execute();
}

export function attemptsOf(db: Executor, surveyId: string, familyId: string) {
  return db
    .selectFrom('sample_survey_attempts')
    .select(['mode', 'outcome', 'attempted_at'])
    .where('survey_id', '=', surveyId)
    .where('family_id', '=', familyId)
    .orderBy('attempted_at')
    .execute();
}

export async function insertAttempt(
  db: Executor,
  row: {
    id: string;
    survey_id: string;
    family_id: string;
    mode: string;
    outcome: string;
    attempted_at: string;
    surveyor_id: string;
  },
) {
  await db.insertInto('sample_survey_attempts').values(row).execute();
}

export async function insertResponse(
  db: Executor,
  row: {
    id: string;
    survey_id: string;
    family_id: string;
    region_code: string;
    mode: string;
    answers: string;
    recorded_by: string;
    recorded_at: string;
  },
) {
  await db.insertInto('sample_survey_responses').values(row).execute();
}

export function responseOf(db: Executor, surveyId: string, familyId: string) {
  return db
    .selectFrom('sample_survey_responses')
    .select(['mode', 'answers', 'recorded_at'])
    .where('survey_id', '=', surveyId)
    .where('family_id', '=', familyId)
    .executeTakeFirst();
}

export async function insertDiscrepancies(db: Executor, rows: SurveyDiscrepancyTable[]) {
  if (rows.length) await db.insertInto('survey_discrepancies').values(rows).execute();
}

export function discrepanciesOfFamily(db: Executor, surveyId: string, familyId: string) {
  return db
    .selectFrom('survey_discrepancies')
    .select(['code', 'message'])
    .where('survey_id', '=', surveyId)
    .where('family_id', '=', familyId)
    .orderBy('code')
    .execute();
}

function discrepancyQuery(db: Executor) {
  return db
    .selectFrom('survey_discrepancies as d')
    .innerJoin('sample_surveys as s', 's.id', 'd.survey_id')
    .innerJoin('families as f', 'f.id', 'd.family_id')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .selectAll('d')
    .select(['s.year as survey_year', 'f.archive_no', 'r.name as region_name']);
}
export type DiscrepancyRow = NonNullable<Awaited<ReturnType<typeof findDiscrepancy>>>;

export function findDiscrepancy(db: Executor, id: string) {
  return discrepancyQuery(db).where('d.id', '=', id).executeTakeFirst();
}

export async function listDiscrepancies(
  db: Executor,
  f: { range: RegionRange; status?: string; surveyId?: string },
  page: { page: number; pageSize: number },
) {
  let q = discrepancyQuery(db).where(inRange('d.region_code', f.range));
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.surveyId) q = q.where('d.survey_id', '=', f.surveyId);
  const [rows, count] = await Promise.all([
    q.orderBy('d.status', 'desc').orderBy('d.created_at', 'desc').orderBy('d.id').$call(paginate(page)).execute(),
    db
      .selectFrom(q.clearSelect().select('d.id').as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function countOpenDiscrepancies(db: Executor, range: RegionRange) {
  const r = await db
    .selectFrom('survey_discrepancies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(inRange('region_code', range))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function explainDiscrepancy(
  db: Executor,
  id: string,
  version: number,
  set: { explanation: string; explained_by: string; explained_at: string },
) {
  const r = await db
    .updateTable('survey_discrepancies')
    .set({ ...set, status: 'explained', version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The records the answers are compared with (docs/sample-survey.md lists the rules). */
export async function recordsOf(db: Executor, familyId: string, since: string, until: string) {
  const [visits, allVisits, festival, needs] = await Promise.all([
    db
      .selectFrom('contact_logs')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('occurred_at').as('last')])
      .where('family_id', '=', familyId)
      .where('mode', '=', 'home_visit')
      .where('occurred_at', '>=', since)
      .where('occurred_at', '<=', until)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contact_logs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('family_id', '=', familyId)
      .where('mode', '=', 'home_visit')
      .where('occurred_at', '<=', until)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('festival_campaigns as c')
      .leftJoin('festival_care as fc', (j) => j.onRef('fc.campaign_id', '=', 'c.id').on('fc.family_id', '=', familyId))
      .select(['c.year', 'c.festival', 'c.festival_date', 'fc.manner', 'fc.cared_on'])
      .where('c.festival_date', '<=', until.slice(0, 10))
      .orderBy('c.festival_date', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('needs')
      .select(['status'])
      .where('family_id', '=', familyId)
      .where('created_at', '<=', until)
      .execute(),
  ]);
  return {
    homeVisits: Number(visits.n),
    lastHomeVisitAt: (visits.last as string | null) ?? null,
    homeVisitsEver: Number(allVisits.n),
    festival: festival ?? null,
    needStatuses: needs.map((n) => n.status),
  };
}

/** Respondents' answers with their stratum, for the estimates. */
export function respondents(db: Executor, surveyId: string, range: RegionRange) {
  return db
    .selectFrom('sample_survey_responses as sr')
    .innerJoin('sample_survey_families as sf', (j) =>
      j.onRef('sf.survey_id', '=', 'sr.survey_id').onRef('sf.family_id', '=', 'sr.family_id'),
    )
    .select(['sf.county_code', 'sf.family_type', 'sr.answers'])
    .where('sr.survey_id', '=', surveyId)
    .where(inRange('sf.county_code', range))
    .execute();
}

/** Sampled families per stratum (released: the sample and the reserves used), for the response rate. */
export async function releasedByStratum(db: Executor, surveyId: string) {
  const rows = await db
    .selectFrom('sample_survey_families')
    .select(['county_code', 'family_type', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('survey_id', '=', surveyId)
    .groupBy(['county_code', 'family_type', 'status'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Accounts that may survey: province staff of the survey's province, city staff of its cities. */
export function surveyorCandidates(db: Executor, range: RegionRange) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'region_code'])
    .where('role', 'in', ['province_staff', 'prefecture_staff'])
    .where(inRange('region_code', range))
    .where('is_disabled', '=', 0)
    .orderBy('region_code')
    .orderBy('display_name')
    .limit(500)
    .execute();
}

export function findUser(db: Executor, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'region_code', 'is_disabled', 'display_name'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function pendingForSurveyor(db: Executor, surveyorId: string) {
  const rows = await db
    .selectFrom('sample_survey_families as sf')
    .innerJoin('sample_surveys as s', 's.id', 'sf.survey_id')
    .select(['sf.survey_id', 's.year', (eb) => eb.fn.countAll<number>().as('n')])
    .where('sf.surveyor_id', '=', surveyorId)
    .where('sf.status', '=', 'pending')
    .groupBy(['sf.survey_id', 's.year'])
    .execute();
  return rows.map((r) => ({ surveyId: r.survey_id, year: r.year, n: Number(r.n) }));
}

/** Respondents in the range, and those whose answers disagreed with the records (at least one discrepancy). */
export async function discrepancyCounts(db: Executor, surveyId: string, range: RegionRange) {
  const row = await db
    .selectFrom('sample_survey_responses as sr')
    .innerJoin('sample_survey_families as sf', (j) =>
      j.onRef('sf.survey_id', '=', 'sr.survey_id').onRef('sf.family_id', '=', 'sr.family_id'),
    )
    .select((eb) => [
      eb.fn.countAll<number>().as('respondents'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(
              eb.exists(
                eb
                  .selectFrom('survey_discrepancies as d')
                  .select('d.id')
                  .whereRef('d.survey_id', '=', 'sr.survey_id')
                  .whereRef('d.family_id', '=', 'sr.family_id'),
              ),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('flagged'),
    ])
    .where('sr.survey_id', '=', surveyId)
    .where(inRange('sf.county_code', range))
    .executeTakeFirst();
  return { respondents: Number(row?.respondents ?? 0), flagged: Number(row?.flagged ?? 0) };
}
