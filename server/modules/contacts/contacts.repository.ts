import { sql } from 'kysely';
import type { CoverageGapKind, Post } from '../../../common/labels.js';
import type { Executor } from '../../platform/db/database.js';
import type { AssignmentTable, ContactTable } from '../../platform/db/schema.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

export interface ContactFilters {
  range: RegionRange;
  post?: Post;
  q?: string;
  isActive?: boolean;
}

function scoped(db: Executor, f: ContactFilters) {
  let q = db.selectFrom('contacts as c').where(inRange('c.region_code', f.range));
  if (f.post) q = q.where('c.post', '=', f.post);
  if (f.isActive !== undefined) q = q.where('c.is_active', '=', f.isActive ? 1 : 0);
  if (f.q) q = q.where('c.name', 'like', `%${f.q.replace(/[%_]/g, '')}%`);
  return q;
}

/**
 * A contact's families — the one definition every count uses (the contact registry, 走访督导's contact
 * table and its rates): the contact's current assignments to archives 在册. A paused or exited archive's
 * assignments are suspended or ended with it (families.service changeStatus), and even an assignment
 * left open by older data is not counted.
 */
export function familiesOfContact(contactIdColumn: string) {
  return sql<number>`(select count(*) from assignments a inner join families f on f.id = a.family_id
    where a.contact_id = ${sql.ref(contactIdColumn)} and a.ended_at is null and f.status = 'active')`;
}

const activeFamilyCount = familiesOfContact('c.id');

export async function listContacts(db: Executor, f: ContactFilters, page: { page: number; pageSize: number }) {
  const total = await scoped(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await scoped(db, f)
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .selectAll('c')
    .select(['r.name as region_name', activeFamilyCount.as('family_count')])
    .orderBy('c.region_code')
    .orderBy('c.name')
    .$call(paginate(page))
    .execute();
  return { rows, total: Number(total.n) };
}

export function findContact(db: Executor, id: string) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .selectAll('c')
    .select(['r.name as region_name', activeFamilyCount.as('family_count')])
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type ContactRow = NonNullable<Awaited<ReturnType<typeof findContact>>>;

export function contactsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'post'])
    .where('user_id', '=', userId)
    .where('is_active', '=', 1)
    .execute();
}

export async function insertContact(db: Executor, row: ContactTable): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

export async function updateContact(
  db: Executor,
  id: string,
  version: number,
  set: Partial<ContactTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('contacts')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function activeAssignments(db: Executor, familyIds: string[]) {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select([
      'a.id',
      'a.family_id',
      'a.contact_id',
      'a.post',
      'a.started_at',
      'c.name',
      'c.phone_mask',
      'c.user_id',
      'c.organization',
      'c.title',
    ])
    .where('a.family_id', 'in', familyIds)
    .where('a.ended_at', 'is', null)
    .orderBy('a.post')
    .execute();
}

export function assignmentHistory(db: Executor, familyId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.id', 'a.contact_id', 'a.post', 'a.started_at', 'a.ended_at', 'a.end_reason', 'c.name'])
    .where('a.family_id', '=', familyId)
    .orderBy('a.started_at', 'desc')
    .orderBy('a.created_at', 'desc')
    .execute();
}

export function activeAssignmentsOfContact(db: Executor, contactId: string) {
  return db
    .selectFrom('assignments')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Closes one active assignment; false when it was already closed (someone else moved first). */
export async function endAssignment(
  db: Executor,
  id: string,
  endedAt: string,
  reason: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('assignments')
    .set({ ended_at: endedAt, end_reason: reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends every current assignment of a family (its exit or pause); answers what it ended. */
export async function endAssignmentsOfFamily(db: Executor, familyId: string, endedAt: string, reason: string) {
  const open = await db
    .selectFrom('assignments')
    .select(['id', 'contact_id', 'post'])
    .where('family_id', '=', familyId)
    .where('ended_at', 'is', null)
    .execute();
  if (open.length)
    await db
      .updateTable('assignments')
      .set({ ended_at: endedAt, end_reason: reason })
      .where(
        'id',
        'in',
        open.map((a) => a.id),
      )
      .where('ended_at', 'is', null)
      .execute();
  return open;
}

/** The assignments a family's last pause suspended (ended together, with the pause's reason prefix). */
export async function lastSuspendedAssignments(db: Executor, familyId: string, reasonPrefix: string) {
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['a.contact_id', 'a.post', 'a.ended_at', 'a.created_at', 'c.is_active', 'c.region_code'])
    .where('a.family_id', '=', familyId)
    .where('a.end_reason', 'like', `${reasonPrefix}%`)
    .orderBy('a.ended_at', 'desc')
    .execute();
  const last = rows[0]?.ended_at;
  return rows.filter((r) => r.ended_at === last);
}

export async function insertAssignment(db: Executor, row: AssignmentTable): Promise<void> {
  await db.insertInto('assignments').values(row).execute();
}

/**
 * Coverage of active families by child region: both posts, gaps, special-difficulty families without a county
 * leader. One left join per post: `assignments_one_active_post` (unique on family and post among active
 * assignments) makes each match at most one row, so it is the `EXISTS` per family and post it replaces — and
 * PostgreSQL hash-joins the province's active assignments once per post (2.3 s → 0.57 s at 100k families)
 * where the `EXISTS` were hashed subplans re-run for every use in the sums; SQLite probes
 * `assignments_family_post_idx` per family as before.
 */
export async function coverageByPrefix(db: Executor, range: RegionRange, digits: number) {
  const key = sql<string>`substr(f.region_code, 1, ${sql.lit(digits)})`;
  const has = (alias: 't' | 'v' | 'l') => sql<boolean>`${sql.ref(`${alias}.family_id`)} is not null`;
  const rows = await db
    .selectFrom('families as f')
    .leftJoin('assignments as t', (j) =>
      j.onRef('t.family_id', '=', 'f.id').on('t.post', '=', 'township_cadre').on('t.ended_at', 'is', null),
    )
    .leftJoin('assignments as v', (j) =>
      j.onRef('v.family_id', '=', 'f.id').on('v.post', '=', 'village_cadre').on('v.ended_at', 'is', null),
    )
    .leftJoin('assignments as l', (j) =>
      j.onRef('l.family_id', '=', 'f.id').on('l.post', '=', 'county_leader').on('l.ended_at', 'is', null),
    )
    .where(inRange('f.region_code', range))
    .where('f.status', '=', 'active')
    .select([
      key.as('prefix'),
      (eb) => eb.fn.countAll<number>().as('families'),
      sql<number>`sum(case when ${has('t')} and ${has('v')} then 1 else 0 end)`.as('both_posts'),
      sql<number>`sum(case when ${has('t')} then 0 else 1 end)`.as('missing_township'),
      sql<number>`sum(case when ${has('v')} then 0 else 1 end)`.as('missing_village'),
      sql<number>`sum(case when f.is_special_difficulty = 1 and ${sql.ref('l.family_id')} is null then 1 else 0 end)`.as(
        'sd_without_leader',
      ),
      sql<number>`sum(f.is_special_difficulty)`.as('special_difficulty'),
    ])
    .groupBy(key)
    .execute();
  return rows;
}

export async function familiesWithGap(
  db: Executor,
  range: RegionRange,
  kind: CoverageGapKind,
  page: { page: number; pageSize: number },
) {
  const post =
    kind === 'missing_township' ? 'township_cadre' : kind === 'missing_village' ? 'village_cadre' : 'county_leader';
  let q = db
    .selectFrom('families as f')
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .where(inRange('f.region_code', range))
    .where('f.status', '=', 'active')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('assignments as a')
            .select('a.id')
            .whereRef('a.family_id', '=', 'f.id')
            .where('a.post', '=', post)
            .where('a.ended_at', 'is', null),
        ),
      ),
    );
  if (kind === 'special_without_leader') q = q.where('f.is_special_difficulty', '=', 1);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'f.id',
      'f.archive_no',
      'f.region_code',
      'r.name as region_name',
      'f.family_type',
      'f.is_special_difficulty',
    ])
    .orderBy('f.archive_no')
    .$call(paginate(page))
    .execute();
  return { rows, total: Number(total.n) };
}

/** The village's families still in work (not exited), in archive order: the bulk 双岗 page and the batch cards. */
export function familiesOfVillage(db: Executor, village: string) {
  return db
    .selectFrom('families')
    .select(['id', 'archive_no', 'status', 'version', 'region_code', 'address'])
    .where('region_code', '=', village)
    .where('status', '<>', 'exited')
    .orderBy('archive_no')
    .limit(2000)
    .execute();
}

export function familiesByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('families')
    .select(['id', 'archive_no', 'status', 'version', 'region_code', 'address'])
    .where('id', 'in', ids)
    .execute();
}

/**
 * The current 双岗 contacts (township and village cadre) of these families with the phone's mask, by family and
 * post: the overdue list shows whom to call; the festival list names them only.
 */
export function dualPostContacts(db: Executor, familyIds: string[]) {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as ct', 'ct.id', 'a.contact_id')
    .select(['a.family_id', 'a.post', 'ct.id', 'ct.name', 'ct.phone_mask'])
    .where('a.family_id', 'in', familyIds)
    .where('a.ended_at', 'is', null)
    .where('a.post', 'in', ['township_cadre', 'village_cadre'])
    .orderBy('a.family_id')
    .orderBy('a.post')
    .execute();
}

/** Every active assignment of these families with the contact's sealed phone, for printed cards. */
export function cardContacts(db: Executor, familyIds: string[]) {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as ct', 'ct.id', 'a.contact_id')
    .select(['a.family_id', 'ct.id', 'ct.name', 'ct.post', 'ct.phone_enc', 'ct.organization', 'ct.title'])
    .where('a.family_id', 'in', familyIds)
    .where('a.ended_at', 'is', null)
    .orderBy('a.family_id')
    .orderBy('a.post', 'desc')
    .execute();
}

/** The active contacts of one family with their sealed phones: its 联系卡. */
export function familyCardContacts(db: Executor, familyId: string) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('contacts as ct', 'ct.id', 'a.contact_id')
    .select(['ct.id', 'ct.name', 'ct.post', 'ct.phone_enc', 'ct.organization', 'ct.title'])
    .where('a.family_id', '=', familyId)
    .where('a.ended_at', 'is', null)
    .orderBy('a.post', 'desc')
    .execute();
}

/** The account a contact would be linked to: its region and role decide whether it may be. */
export function userForLink(db: Executor, userId: string) {
  return db.selectFrom('users').select(['id', 'region_code', 'role']).where('id', '=', userId).executeTakeFirst();
}

/** The families' regions: whether a successor's region covers every family handed over. */
export function familyRegions(db: Executor, familyIds: string[]) {
  return db
    .selectFrom('families')
    .select(['id', 'region_code'])
    .where('id', 'in', familyIds.length ? familyIds : [''])
    .execute();
}
