import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
import type {
  Database,
  DuplicateArchiveTable,
  FamilyAssistanceTable,
  FamilyChildTable,
  FamilyHistoryTable,
  FamilyIdClaimTable,
  FamilyMemberTable,
  FamilyNameGramTable,
  FamilyTable,
} from '../../platform/db/schema.js';
import { gramRows, queryGrams } from '../../../common/name-grams.js';
import type { RegionRange } from '../../platform/scope.js';
import type { AssistanceRate } from './special-assistance.js';
import { inRange, paginate } from '../../platform/db/query-helpers.js';

export interface FamilyFilters {
  range: RegionRange;
  familyType?: string;
  status?: string;
  isSpecialDifficulty?: boolean;
  /** true: eligible for 特别扶助 on `today`; false: not. */
  isEligible?: boolean;
  today: string;
  /** How q was understood by the service: a blind index, an archive number prefix or a name prefix. */
  idNumberIdx?: string;
  /** The blind index of an ID number's last 6 characters. */
  idNumberTailIdx?: string;
  phoneIdx?: string;
  archiveNoPrefix?: string;
  /** Any part of a parent's name (`common/name-grams.ts`). */
  nameContains?: string;
  /** A contact's own families: those with an active assignment to a contact linked to this user. */
  assignedUserId?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a correlated subquery builder for any outer alias `f`
function assignedTo(from: any, userId: string) {
  return from
    .innerJoin('contacts as ac', 'ac.id', 'a.contact_id')
    .select('a.id')
    .whereRef('a.family_id', '=', 'f.id')
    .where('a.ended_at', 'is', null)
    .where('ac.user_id', '=', userId);
}

export async function isAssignedToUser(db: Executor, familyId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select('a.id')
    .where('a.family_id', '=', familyId)
    .where('a.ended_at', 'is', null)
    .where('c.user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

function filtered(db: Executor, f: FamilyFilters) {
  let q = db.selectFrom('families as f').where(inRange('f.region_code', f.range));
  if (f.assignedUserId) {
    const userId = f.assignedUserId;
    q = q.where((eb) => eb.exists(assignedTo(eb.selectFrom('assignments as a'), userId)));
  }
  if (f.familyType) q = q.where('f.family_type', '=', f.familyType);
  if (f.status) q = q.where('f.status', '=', f.status);
  if (f.isSpecialDifficulty !== undefined) q = q.where('f.is_special_difficulty', '=', f.isSpecialDifficulty ? 1 : 0);
  if (f.isEligible === true) q = q.where('f.eligible_from', '<=', f.today);
  if (f.isEligible === false)
    q = q.where((eb) => eb.or([eb('f.eligible_from', 'is', null), eb('f.eligible_from', '>', f.today)]));
  if (f.archiveNoPrefix)
    q = q.where('f.archive_no', '>=', f.archiveNoPrefix).where('f.archive_no', '<', `${f.archiveNoPrefix}~`);
  // A blind index matches a handful of members anywhere: find them first (IN), then their families.
  // A correlated EXISTS would probe once per family of the range — 0.4 s on SQLite at 100k families.
  if (f.idNumberIdx) {
    const idx = f.idNumberIdx;
    q = q.where('f.id', 'in', (eb) =>
      eb.selectFrom('family_members as m').select('m.family_id').where('m.id_number_idx', '=', idx),
    );
  }
  if (f.phoneIdx) {
    const idx = f.phoneIdx;
    q = q.where('f.id', 'in', (eb) =>
      eb.selectFrom('family_members as m').select('m.family_id').where('m.phone_idx', '=', idx),
    );
  }
  if (f.idNumberTailIdx) {
    const idx = f.idNumberTailIdx;
    q = q.where('f.id', 'in', (eb) =>
      eb.selectFrom('family_members as m').select('m.family_id').where('m.id_number_tail_idx', '=', idx),
    );
  }
  if (f.nameContains) {
    // Each gram is one range of the (gram, region_code, family_id) key: the scope is inside the index,
    // so a township and the province cost alike. One or two characters are one gram and exact; a longer
    // query needs all its pairs, then the name itself (the pairs may sit in two different names).
    const grams = queryGrams(f.nameContains);
    for (const gram of grams)
      q = q.where('f.id', 'in', (eb) =>
        eb
          .selectFrom('family_name_grams as g')
          .select('g.family_id')
          .where('g.gram', '=', gram)
          .where(inRange('g.region_code', f.range)),
      );
    if (Array.from(f.nameContains).length > 2) {
      const pattern = `%${f.nameContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('family_members as m')
            .select('m.id')
            .whereRef('m.family_id', '=', 'f.id')
            .where(sql<boolean>`lower(m.name) like ${pattern} escape '\\'`),
        ),
      );
    }
  }
  return q;
}

/** A search by one name gram and nothing else: counted and paged from the gram index alone. */
function singleGram(f: FamilyFilters): string | null {
  const grams = f.nameContains ? queryGrams(f.nameContains) : [];
  const others =
    f.assignedUserId ||
    f.familyType ||
    f.status ||
    f.isSpecialDifficulty !== undefined ||
    f.isEligible !== undefined ||
    f.archiveNoPrefix ||
    f.idNumberIdx ||
    f.idNumberTailIdx ||
    f.phoneIdx;
  return grams.length === 1 && !others ? grams[0] : null;
}

export async function listFamilies(db: Executor, f: FamilyFilters, page: { page: number; pageSize: number }) {
  const gram = singleGram(f);
  if (gram !== null) {
    // A common given name matches thousands of archives province-wide: reading each to count and order
    // them cost ≈ 50 ms at 100k families; the (gram, region_code, archive_no) key answers both.
    const grams = db
      .selectFrom('family_name_grams as g')
      .where('g.gram', '=', gram)
      .where(inRange('g.region_code', f.range));
    const total = await grams.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // The page is cut from the index first; only its 20 archives are then read (a join first reads them all).
    const pageIds = grams.select('g.family_id').orderBy('g.archive_no').$call(paginate(page));
    const rows = await db
      .selectFrom('families as f')
      .innerJoin('regions as r', 'r.code', 'f.region_code')
      .selectAll('f')
      .select('r.name as region_name')
      .where('f.id', 'in', pageIds)
      .orderBy('f.archive_no')
      .execute();
    return { rows, total: Number(total.n) };
  }
  const q = filtered(db, f);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .selectAll('f')
    .select('r.name as region_name')
    .orderBy('f.archive_no')
    .$call(paginate(page))
    .execute();
  return { rows, total: Number(total.n) };
}

/** For exports: every matching family, in archive-number order, a bounded batch at a time. */
export async function listFamilyBatch(db: Executor, f: FamilyFilters, afterArchiveNo: string, limit: number) {
  return filtered(db, f)
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .selectAll('f')
    .select('r.name as region_name')
    .where('f.archive_no', '>', afterArchiveNo)
    .orderBy('f.archive_no')
    .limit(limit)
    .execute();
}

// Every family route locates its family first: prepared (compiled once).
const findFamilyQuery = prepared((db, p: { id: string }) =>
  db
    .selectFrom('families as f')
    .innerJoin('regions as r', 'r.code', 'f.region_code')
    .selectAll('f')
    .select('r.name as region_name')
    .where('f.id', '=', p.id),
);

export async function findFamily(db: Executor, id: string) {
  return (await findFamilyQuery(db, { id })).rows[0];
}
export type FamilyRow = NonNullable<Awaited<ReturnType<typeof findFamily>>>;

export function membersOf(db: Executor, familyIds: string[]): Promise<FamilyMemberTable[]> {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('family_members')
    .selectAll()
    .where('family_id', 'in', familyIds)
    .orderBy('family_id')
    .orderBy('position')
    .execute();
}

export function childrenOf(db: Executor, familyIds: string[]): Promise<FamilyChildTable[]> {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('family_children').selectAll().where('family_id', 'in', familyIds).execute();
}

export function assistanceOf(db: Executor, familyId: string): Promise<FamilyAssistanceTable[]> {
  return db
    .selectFrom('family_assistance')
    .selectAll()
    .where('family_id', '=', familyId)
    .orderBy('period_from', 'desc')
    .execute();
}

export function historyOf(db: Executor, familyId: string, limit = 200): Promise<FamilyHistoryTable[]> {
  return db
    .selectFrom('family_history')
    .selectAll()
    .where('family_id', '=', familyId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function loadRates(db: Executor): Promise<AssistanceRate[]> {
  const rows = await db.selectFrom('assistance_rates').selectAll().execute();
  return rows.map((r) => ({
    effectiveFrom: r.effective_from,
    familyType: r.family_type as AssistanceRate['familyType'],
    amount: r.amount,
    regionCode: r.region_code,
    label: r.label,
  }));
}

/** Regions by code with their level and name (the villages a batch of new archives names). */
export function regionsByCode(db: Executor, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('regions').select(['code', 'level', 'name']).where('code', 'in', codes).execute();
}

/**
 * Parents already in an archive, by blind index of their ID number, anywhere (archives are one per
 * household), with the archive they are in. Asked in slices so any number of indexes fits one parameter list.
 */
export async function familiesWithIdNumbers(
  db: Executor,
  idNumberIdxs: string[],
): Promise<
  Array<{ id_number_idx: string; family_id: string; region_code: string; archive_no: string; status: string }>
> {
  const out = [];
  for (let i = 0; i < idNumberIdxs.length; i += 1_000) {
    out.push(
      ...(await db
        .selectFrom('family_members as m')
        .innerJoin('families as f', 'f.id', 'm.family_id')
        .select(['m.id_number_idx', 'm.family_id', 'f.region_code', 'f.archive_no', 'f.status'])
        .where('m.id_number_idx', 'in', idNumberIdxs.slice(i, i + 1_000))
        .execute()),
    );
  }
  return out;
}

/**
 * Reserves `count` archive serials in each village in one statement and returns each village's last
 * reserved serial (the reserved ones are the `count` up to it). The upsert takes the row lock, so concurrent
 * creations in one village queue behind each other on PostgreSQL; villages are locked in code order, so
 * two batches cannot deadlock. archive_no is unique besides.
 */
export async function reserveArchiveSerials(db: Executor, counts: Map<string, number>): Promise<Map<string, number>> {
  if (counts.size === 0) return new Map();
  const rows = await db
    .insertInto('archive_serials')
    .values(
      [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([village_code, n]) => ({ village_code, last_serial: n })),
    )
    .onConflict((oc) =>
      oc.column('village_code').doUpdateSet({ last_serial: sql`archive_serials.last_serial + excluded.last_serial` }),
    )
    .returning(['village_code', 'last_serial'])
    .execute();
  return new Map(rows.map((r) => [r.village_code, r.last_serial]));
}

/** The next serial of a village's archive numbers (one statement; see `reserveArchiveSerials`). */
export async function nextArchiveSerial(db: Executor, villageCode: string): Promise<number> {
  return (await reserveArchiveSerials(db, new Map([[villageCode, 1]]))).get(villageCode)!;
}

/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/**
 * Claims a parent ID number for an archive. The primary key refuses a second claim: of two concurrent
 * creations with the same parent, the later one fails here (and the service retries, to answer normally).
 */
export async function insertClaims(db: Executor, claims: FamilyIdClaimTable[]): Promise<void> {
  for (let i = 0; i < claims.length; i += 5_000)
    await db
      .insertInto('family_id_claims')
      .values(claims.slice(i, i + 5_000))
      .execute();
}

export async function releaseMemberClaim(db: Executor, memberId: string): Promise<void> {
  await db.deleteFrom('family_id_claims').where('member_id', '=', memberId).execute();
}

export async function releaseFamilyClaims(db: Executor, familyId: string, idNumberIdxs: string[]): Promise<void> {
  if (idNumberIdxs.length === 0) return;
  await db
    .deleteFrom('family_id_claims')
    .where('family_id', '=', familyId)
    .where('id_number_idx', 'in', idNumberIdxs)
    .execute();
}

export async function insertDuplicates(db: Executor, rows: DuplicateArchiveTable[]): Promise<void> {
  if (rows.length) await db.insertInto('duplicate_archives').values(rows).execute();
}

/** Multi-row INSERTs, as many rows per statement as the parameter limit allows: one round trip each. */
async function insertRows<T extends 'families' | 'family_members' | 'family_children' | 'family_history'>(
  db: Executor,
  table: T,
  rows: Array<Insertable<Database[T]>>,
): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]).length));
  for (let i = 0; i < rows.length; i += perStatement) {
    // `as never`: Kysely cannot relate values() to a table chosen by a type parameter; the signature checks the rows.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perStatement) as never)
      .execute();
  }
}

/** New archives with their members and children: one statement per table (per parameter-limit slice). */
export async function insertFamilies(
  db: Executor,
  families: FamilyTable[],
  members: FamilyMemberTable[],
  children: FamilyChildTable[],
): Promise<void> {
  await insertRows(db, 'families', families);
  await insertRows(db, 'family_members', members);
  await insertRows(db, 'family_children', children);
  await insertGrams(db, gramRows(families, members));
}

/** Rewrites the name-search grams of these families from their stored members and region. */
export async function reindexNames(db: Executor, familyIds: string[]): Promise<void> {
  if (familyIds.length === 0) return;
  await db.deleteFrom('family_name_grams').where('family_id', 'in', familyIds).execute();
  const [families, members] = await Promise.all([
    db.selectFrom('families').select(['id', 'region_code', 'archive_no']).where('id', 'in', familyIds).execute(),
    db.selectFrom('family_members').select(['family_id', 'name']).where('family_id', 'in', familyIds).execute(),
  ]);
  await insertGrams(db, gramRows(families, members));
}

async function insertGrams(db: Executor, rows: FamilyNameGramTable[]): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMETERS / 4);
  for (let i = 0; i < rows.length; i += perStatement)
    await db
      .insertInto('family_name_grams')
      .values(rows.slice(i, i + perStatement))
      .execute();
}

/** Members written before 0019 (or by an older seed) without the ID number tail index, a batch at a time. */
export async function membersWithoutTail(db: Executor, limit: number) {
  return db
    .selectFrom('family_members')
    .select(['id', 'id_number_enc'])
    .where('id_number_tail_idx', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function setMemberTail(db: Executor, id: string, tailIdx: string): Promise<void> {
  await db.updateTable('family_members').set({ id_number_tail_idx: tailIdx }).where('id', '=', id).execute();
}

export async function insertFamily(
  db: Executor,
  family: FamilyTable,
  members: FamilyMemberTable[],
  child: FamilyChildTable,
): Promise<void> {
  await insertFamilies(db, [family], members, [child]);
}

export async function updateFamilyRow(
  db: Executor,
  id: string,
  version: number,
  set: Partial<FamilyTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('families')
    .set({ ...set, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchFamily(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('families')
    .set({ updated_at: at, version: sql`version + 1` })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateMember(db: Executor, id: string, set: Partial<FamilyMemberTable>): Promise<void> {
  await db.updateTable('family_members').set(set).where('id', '=', id).execute();
}

export async function insertMember(db: Executor, row: FamilyMemberTable): Promise<void> {
  await db.insertInto('family_members').values(row).execute();
}

export async function updateChild(db: Executor, familyId: string, set: Partial<FamilyChildTable>): Promise<void> {
  await db.updateTable('family_children').set(set).where('family_id', '=', familyId).execute();
}

export async function insertAssistance(db: Executor, row: FamilyAssistanceTable): Promise<void> {
  await db.insertInto('family_assistance').values(row).execute();
}

export async function insertHistory(db: Executor, ...rows: FamilyHistoryTable[]): Promise<void> {
  await insertRows(db, 'family_history', rows);
}

/** Counts per child region of `parent` (whose children have `childDigits` significant digits). */
export async function countByChildRegion(db: Executor, range: RegionRange, childDigits: number, today: string) {
  const key = sql<string>`substr(f.region_code, 1, ${sql.lit(childDigits)})`;
  return db
    .selectFrom('families as f')
    .where(inRange('f.region_code', range))
    .select([
      key.as('prefix'),
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`sum(case when f.family_type = 'bereaved' then 1 else 0 end)`.as('bereaved'),
      sql<number>`sum(case when f.family_type = 'disabled' then 1 else 0 end)`.as('disabled'),
      sql<number>`sum(case when f.status = 'active' then 1 else 0 end)`.as('active'),
      sql<number>`sum(case when f.status = 'paused' then 1 else 0 end)`.as('paused'),
      sql<number>`sum(case when f.status = 'exited' then 1 else 0 end)`.as('exited'),
      sql<number>`sum(case when f.is_special_difficulty = 1 then 1 else 0 end)`.as('special_difficulty'),
      sql<number>`sum(case when f.eligible_from <= ${today} and f.status <> 'exited' then 1 else 0 end)`.as('eligible'),
    ])
    .groupBy(key)
    .execute();
}

/**
 * The parents' names of these families, by family and then as the archive lists them (father, mother): the one
 * read behind every list that names a family by its parents (the overdue list, the festival list, 联系卡).
 */
export function parentNames(db: Executor, familyIds: string[]) {
  if (familyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('family_members')
    .select(['family_id', 'name'])
    .where('family_id', 'in', familyIds)
    .orderBy('family_id')
    .orderBy('position')
    .execute();
}
