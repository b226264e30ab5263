import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { TrainingTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

function trainingQuery(db: Executor) {
  return db
    .selectFrom('trainings as t')
    .innerJoin('regions as r', 'r.code', 't.region_code')
    .selectAll('t')
    .select('r.name as region_name')
    .select((eb) =>
      eb
        .selectFrom('training_attendance as a')
        .whereRef('a.training_id', '=', 't.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('attendee_count'),
    );
}
export type TrainingRow = NonNullable<Awaited<ReturnType<typeof findTraining>>>;

export function findTraining(db: Executor, id: string) {
  return trainingQuery(db).where('t.id', '=', id).executeTakeFirst();
}

export async function listTrainings(
  db: Executor,
  f: { range: RegionRange; year?: number },
  page: { page: number; pageSize: number },
) {
  let q = trainingQuery(db).where(inRange('t.region_code', f.range));
  if (f.year) q = q.where('t.year', '=', f.year);
  const [rows, count] = await Promise.all([
    q.orderBy('t.held_on', 'desc').orderBy('t.id').$call(paginate(page)).execute(),
    db
      .selectFrom(q.clearSelect().select('t.id').as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertTraining(db: Executor, row: TrainingTable): Promise<void> {
  await db.insertInto('trainings').values(row).execute();
}

export async function bumpTraining(db: Executor, id: string, version: number): Promise<boolean> {
  const r = await db
    .updateTable('trainings')
    .set({ version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function attendeesOf(db: Executor, trainingId: string) {
  return db
    .selectFrom('training_attendance as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .select(['c.id', 'c.name', 'c.post', 'c.region_code', 'r.name as region_name'])
    .where('a.training_id', '=', trainingId)
    .orderBy('c.region_code')
    .orderBy('c.name')
    .execute();
}

export async function addAttendees(db: Executor, trainingId: string, year: number, contactIds: string[], at: string) {
  for (let i = 0; i < contactIds.length; i += 500)
    await db
      .insertInto('training_attendance')
      .values(
        contactIds.slice(i, i + 500).map((id) => ({ training_id: trainingId, contact_id: id, year, created_at: at })),
      )
      .execute();
}

export async function removeAttendees(db: Executor, trainingId: string, contactIds: string[]) {
  for (let i = 0; i < contactIds.length; i += 500)
    await db
      .deleteFrom('training_attendance')
      .where('training_id', '=', trainingId)
      .where('contact_id', 'in', contactIds.slice(i, i + 500))
      .execute();
}

/** Contacts by id with their region and state (for checking attendees). */
export function contactsByIds(db: Executor, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('contacts').select(['id', 'name', 'region_code', 'is_active']).where('id', 'in', ids).execute();
}

/** Active contacts of a subtree with that phone (blind index): a sign-in sheet row's candidates. */
export function contactsByPhoneIndex(db: Executor, range: RegionRange, phoneIdx: string[]) {
  if (!phoneIdx.length) return Promise.resolve([]);
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'region_code', 'phone_idx'])
    .where(inRange('region_code', range))
    .where('is_active', '=', 1)
    .where('phone_idx', 'in', phoneIdx)
    .execute();
}

const trained = (year: number) =>
  sql<number>`case when exists (select 1 from training_attendance a where a.contact_id = c.id and a.year = ${year}) then 1 else 0 end`;

/** Active contacts and those trained in the year, per child-region prefix. */
export async function trainedByPrefix(db: Executor, range: RegionRange, year: number, digits: number) {
  const rows = await db
    .selectFrom('contacts as c')
    .where(inRange('c.region_code', range))
    .where('c.is_active', '=', 1)
    .select([
      sql<string>`substr(c.region_code, 1, ${sql.lit(digits)})`.as('prefix'),
      (eb) => eb.fn.countAll<number>().as('contacts'),
      sql<number>`sum(${trained(year)})`.as('trained'),
    ])
    .groupBy(sql`substr(c.region_code, 1, ${sql.lit(digits)})`)
    .execute();
  return rows.map((r) => ({ prefix: r.prefix, contacts: Number(r.contacts), trained: Number(r.trained ?? 0) }));
}

function untrainedQuery(db: Executor, range: RegionRange, year: number) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .where(inRange('c.region_code', range))
    .where('c.is_active', '=', 1)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('training_attendance as a')
            .select('a.contact_id')
            .whereRef('a.contact_id', '=', 'c.id')
            .where('a.year', '=', year),
        ),
      ),
    );
}

export async function untrained(
  db: Executor,
  range: RegionRange,
  year: number,
  page: { page: number; pageSize: number },
) {
  const q = untrainedQuery(db, range, year);
  const [rows, count] = await Promise.all([
    q
      .select(['c.id', 'c.name', 'c.post', 'c.region_code', 'r.name as region_name'])
      .orderBy('c.region_code')
      .orderBy('c.name')
      .orderBy('c.id')
      .$call(paginate(page))
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Sessions of the year organised by each region of a subtree. */
export async function sessionsByRegion(db: Executor, range: RegionRange, year: number) {
  const rows = await db
    .selectFrom('trainings')
    .select(['region_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRange('region_code', range))
    .where('year', '=', year)
    .groupBy('region_code')
    .execute();
  return rows.map((r) => ({ regionCode: r.region_code, n: Number(r.n) }));
}

/** The sessions a contact attended, newest first (the per-contact side of the yearly coverage). */
export function trainingsOfContact(db: Executor, contactId: string) {
  return trainingQuery(db)
    .innerJoin('training_attendance as ta', 'ta.training_id', 't.id')
    .where('ta.contact_id', '=', contactId)
    .orderBy('t.held_on', 'desc')
    .limit(200)
    .execute();
}

export function findContactRegion(db: Executor, contactId: string) {
  return db.selectFrom('contacts').select(['id', 'region_code']).where('id', '=', contactId).executeTakeFirst();
}
