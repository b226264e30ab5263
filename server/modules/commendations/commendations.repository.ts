import { ACCOUNTABILITY_PETITION_LEVELS } from '../../../common/labels.js';
import type { Executor } from '../../platform/db/database.js';
import type { CommendationListTable, CommendationNomineeTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange } from '../../platform/db/query-helpers.js';

/** Major events this year of each contact's current families, and how many were answered in time. */
export function eventResponsesByContact(db: Executor, range: RegionRange, fromIso: string, toIso: string) {
  return db
    .selectFrom('major_events as e')
    .innerJoin('assignments as a', (j) => j.onRef('a.family_id', '=', 'e.family_id').on('a.ended_at', 'is', null))
    .select([
      'a.contact_id',
      (eb) => eb.fn.countAll<number>().as('events'),
      (eb) =>
        eb.fn
          .sum<number>(
            eb
              .case()
              .when('e.responded_at', 'is not', null)
              .then(eb.case().when(eb.ref('e.responded_at'), '<=', eb.ref('e.response_due_at')).then(1).else(0).end())
              .else(0)
              .end(),
          )
          .as('on_time'),
    ])
    .where(inRange('e.region_code', range))
    .where('e.occurred_at', '>=', fromIso)
    .where('e.occurred_at', '<', toIso)
    .groupBy('a.contact_id')
    .execute();
}

/** Province-level-or-higher petition events this year among each contact's current families. */
export function provincePetitionsByContact(db: Executor, range: RegionRange, year: number) {
  return db
    .selectFrom('petition_events as p')
    .innerJoin('assignments as a', (j) => j.onRef('a.family_id', '=', 'p.family_id').on('a.ended_at', 'is', null))
    .select(['a.contact_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRange('p.region_code', range))
    .where('p.level', 'in', [...ACCOUNTABILITY_PETITION_LEVELS])
    .where('p.occurred_on', '>=', `${year}-01-01`)
    .where('p.occurred_on', '<=', `${year}-12-31`)
    .groupBy('a.contact_id')
    .execute();
}

export function trainingsByContact(db: Executor, range: RegionRange, year: number) {
  return db
    .selectFrom('training_attendance as t')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select(['t.contact_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRange('c.region_code', range))
    .where('t.year', '=', year)
    .groupBy('t.contact_id')
    .execute();
}

/** This year's survey answers of families in the range, with the families' current contacts. */
export function surveyAnswersByContact(db: Executor, range: RegionRange, year: number) {
  return db
    .selectFrom('sample_survey_responses as r')
    .innerJoin('sample_surveys as s', 's.id', 'r.survey_id')
    .innerJoin('assignments as a', (j) => j.onRef('a.family_id', '=', 'r.family_id').on('a.ended_at', 'is', null))
    .select(['a.contact_id', 'r.answers'])
    .where('s.year', '=', year)
    .where(inRange('r.region_code', range))
    .execute();
}

export function findList(db: Executor, regionCode: string, year: number) {
  return db
    .selectFrom('commendation_lists as l')
    .innerJoin('regions as r', 'r.code', 'l.region_code')
    .selectAll('l')
    .select('r.name as region_name')
    .where('l.region_code', '=', regionCode)
    .where('l.year', '=', year)
    .executeTakeFirst();
}
export type ListRow = NonNullable<Awaited<ReturnType<typeof findList>>>;

export function findListById(db: Executor, id: string) {
  return db
    .selectFrom('commendation_lists as l')
    .innerJoin('regions as r', 'r.code', 'l.region_code')
    .selectAll('l')
    .select('r.name as region_name')
    .where('l.id', '=', id)
    .executeTakeFirst();
}

export function nomineesOf(db: Executor, listId: string) {
  return db
    .selectFrom('commendation_nominees as n')
    .innerJoin('regions as r', 'r.code', 'n.region_code')
    .selectAll('n')
    .select('r.name as region_name')
    .where('n.list_id', '=', listId)
    .orderBy('n.score', 'desc')
    .orderBy('n.name')
    .execute();
}

export async function insertList(db: Executor, row: CommendationListTable): Promise<void> {
  await db.insertInto('commendation_lists').values(row).execute();
}

export async function insertNominee(db: Executor, row: CommendationNomineeTable): Promise<void> {
  await db.insertInto('commendation_nominees').values(row).execute();
}

export async function deleteNominee(db: Executor, listId: string, contactId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('commendation_nominees')
    .where('list_id', '=', listId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function transition(
  db: Executor,
  id: string,
  version: number,
  from: string,
  set: Partial<CommendationListTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('commendation_lists')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function bumpVersion(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('commendation_lists')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}
