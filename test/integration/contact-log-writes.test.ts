/**
 * The contact-log write path after its speed work (DESIGN.md §7): the family-month facts are counted in
 * incrementally yet stay exactly what a recount gives; the POST answers with the log as stored; SQLite
 * statements are prepared once; and the audit chain — sealed after the commit on PostgreSQL — covers every
 * write, also when writes commit concurrently and out of order.
 */
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countNewLog,
  rebuildMonths,
  refreshFamilyMonth,
  countyMonthsDrift,
  type FactFamily,
} from '../../server/modules/compliance/family-months.repository.js';
import { cacheStatements } from '../../server/platform/db/database.js';
import { buildAssignedFamily, buildContact, buildRegionTree, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { TEST_DIALECT } from '../support/test-db.js';

let t: TestApp;
let tree: RegionTree;
let township: Session;
let villageContact: string;
let townshipContact: string;

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(t.clock.now().getTime() - ms).toISOString();

async function newFamily(overrides: Record<string, unknown> = {}) {
  const { family } = await buildAssignedFamily(
    township,
    tree.village,
    { townshipContactId: townshipContact, villageContactId: villageContact },
    overrides,
  );
  return family.id;
}

function log(familyId: string, body: Record<string, unknown>) {
  return township.post(`/api/v1/families/${familyId}/contact-logs`, { contactId: villageContact, ...body });
}

async function factRows(familyIds: string[]) {
  const rows = await t.db
    .selectFrom('family_months')
    .selectAll()
    .where('family_id', 'in', familyIds)
    .orderBy('family_id')
    .orderBy('month')
    .execute();
  return rows.map((r) => ({
    ...r,
    home_visits: Number(r.home_visits),
    phone_contacts: Number(r.phone_contacts),
    contacts: Number(r.contacts),
  }));
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  townshipContact = (await buildContact(township, 'township_cadre', tree.township)).id;
  villageContact = (await buildContact(township, 'village_cadre', tree.village)).id;
});
afterAll(() => t.close());

describe('family-month facts counted in per log', () => {
  it('equal a recount and rebuildMonths after logs in any order, both modes, two months, a moved log', async () => {
    const families = [await newFamily(), await newFamily(), await newFamily()];
    // Out of order on purpose: a later visit first, then earlier ones, so last_contact_at must keep the max.
    const plan: Array<[number, string, number]> = [
      [0, 'home_visit', 2 * HOUR],
      [0, 'phone', 30 * HOUR],
      [0, 'phone', 1 * HOUR],
      [0, 'home_visit', 40 * 24 * HOUR],
      [1, 'phone', 35 * 24 * HOUR],
      [1, 'phone', 36 * 24 * HOUR],
      [1, 'home_visit', 3 * HOUR],
      [2, 'home_visit', 5 * HOUR],
    ];
    const ids: string[] = [];
    for (const [f, mode, back] of plan) {
      const res = await log(families[f], { mode, occurredAt: ago(back) });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().data.id);
    }
    // Six concurrent logs of one family: each must count (an upsert, not a read-then-write).
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        log(families[2], { mode: i % 2 ? 'phone' : 'home_visit', occurredAt: ago(i * HOUR) }),
      ),
    );
    expect(burst.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    // A correction moving family 1's current-month visit back a month (the edit path still recounts).
    const moved = await township.patch(`/api/v1/contact-logs/${ids[6]}`, {
      version: 1,
      occurredAt: ago(38 * 24 * HOUR),
    });
    expect(moved.statusCode, moved.body).toBe(200);

    const incremental = await factRows(families);
    expect(incremental.length).toBeGreaterThanOrEqual(5);
    const f2 = incremental.find((r) => r.family_id === families[2] && r.month === '2026-11');
    expect(f2).toMatchObject({ contacts: 7, home_visits: 4, phone_contacts: 3, last_contact_at: ago(0) });

    // The recount, row by row, from the logs.
    const rows = await t.db
      .selectFrom('families')
      .select(['id', 'region_code', 'status', 'status_date'])
      .where('id', 'in', families)
      .execute();
    for (const r of incremental)
      await refreshFamilyMonth(t.db, rows.find((f) => f.id === r.family_id) as FactFamily, r.month);
    expect(await factRows(families)).toEqual(incremental);
    // And the bulk rebuild of both months (which also adds empty rows for months a family had no log in).
    await rebuildMonths(t.db, ['2026-10', '2026-11']);
    const rebuilt = await factRows(families);
    const key = (r: { family_id: string; month: string }) => `${r.family_id} ${r.month}`;
    const counted = new Set(incremental.map(key));
    expect(rebuilt.filter((r) => counted.has(key(r)))).toEqual(incremental);
    expect(rebuilt.filter((r) => !counted.has(key(r))).every((r) => r.contacts === 0)).toBe(true);
    // The county sums (0032) followed every one of those writes.
    expect(await countyMonthsDrift(t.db)).toEqual([]);
  });
});

describe('family-month facts under concurrent transactions', () => {
  it.runIf(TEST_DIALECT === 'postgres')(
    'PostgreSQL: a recount (a correction) racing a new log counted in keeps both',
    async () => {
      const familyId = await newFamily();
      const first = await log(familyId, { mode: 'phone', occurredAt: ago(2 * HOUR) });
      expect(first.statusCode).toBe(201);
      const family = (await t.db
        .selectFrom('families')
        .select(['id', 'region_code', 'status', 'status_date'])
        .where('id', '=', familyId)
        .executeTakeFirstOrThrow()) as FactFamily;
      const month = '2026-11';
      const stored = await t.db
        .selectFrom('contact_logs')
        .selectAll()
        .where('id', '=', first.json().data.id)
        .executeTakeFirstOrThrow();
      // A: a new log counted in, its transaction held open; B: a recount of the same family-month meanwhile.
      let commitA!: () => void;
      const held = new Promise<void>((resolve) => (commitA = resolve));
      let counted!: () => void;
      const countedYet = new Promise<void>((resolve) => (counted = resolve));
      const a = t.db.transaction().execute(async (trx) => {
        const row = { ...stored, id: crypto.randomUUID(), occurred_at: ago(HOUR), mode: 'home_visit' };
        await trx.insertInto('contact_logs').values(row).execute();
        await countNewLog(trx, family, month, row);
        counted();
        await held;
      });
      await countedYet;
      const b = t.db.transaction().execute((trx) => refreshFamilyMonth(trx, family, month));
      await new Promise((r) => setTimeout(r, 300));
      commitA();
      await Promise.all([a, b]);
      const [row] = await factRows([familyId]);
      expect(row).toMatchObject({ contacts: 2, home_visits: 1, last_contact_at: ago(HOUR) });
      expect(await countyMonthsDrift(t.db)).toEqual([]);
    },
  );

  it("counts concurrent first visits of many families of one county in the county's sums", async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => newFamily()));
    const sums = () =>
      t.db
        .selectFrom('county_months')
        .select([
          sql<number>`sum(families)`.as('families'),
          sql<number>`sum(visited)`.as('visited'),
          sql<number>`sum(phone_contacts)`.as('phone_contacts'),
        ])
        .where('month', '=', '2026-11')
        .where('county_code', '=', tree.county)
        .executeTakeFirstOrThrow()
        .then((r) => ({
          families: Number(r.families),
          visited: Number(r.visited),
          phone_contacts: Number(r.phone_contacts),
        }));
    const before = await sums();
    const results = await Promise.all(
      ids.flatMap((id, i) => [
        log(id, { mode: 'home_visit', occurredAt: ago(HOUR + i * 60_000) }),
        log(id, { mode: 'phone', occurredAt: ago(2 * HOUR + i * 60_000) }),
      ]),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(24).fill(201));
    expect(await sums()).toEqual({
      families: before.families,
      visited: before.visited + 12,
      phone_contacts: before.phone_contacts + 12,
    });
    expect(await countyMonthsDrift(t.db)).toEqual([]);
  });
});

describe('POST /families/:id/contact-logs', () => {
  it('answers with the log exactly as a later read returns it', async () => {
    const familyId = await newFamily();
    const res = await log(familyId, {
      mode: 'home_visit',
      occurredAt: ago(HOUR),
      health: '血压平稳',
      mentalState: 'stable',
      problemsCoordinated: ['medical', 'elderly_care'],
      notes: '送去慰问品',
    });
    expect(res.statusCode, res.body).toBe(201);
    const listed = (await township.get(`/api/v1/families/${familyId}/contact-logs`)).json().data;
    expect(listed).toHaveLength(1);
    expect(res.json().data).toEqual(listed[0]);
    expect(listed[0]).toMatchObject({ contactId: villageContact, isOnBehalf: true, revisions: 0, version: 1 });
  });

  it('still answers an open major event with a home visit (the cheap check lets the hooks run)', async () => {
    const familyId = await newFamily();
    const event = await township.post(`/api/v1/families/${familyId}/events`, {
      kind: 'serious_illness',
      occurredAt: ago(5 * HOUR),
      description: '住院',
    });
    expect(event.statusCode, event.body).toBe(201);
    const phone = await log(familyId, { mode: 'phone', occurredAt: ago(4 * HOUR) });
    expect(phone.statusCode).toBe(201);
    expect(
      (
        await t.db
          .selectFrom('major_events')
          .select('status')
          .where('family_id', '=', familyId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('open');
    const visit = await log(familyId, { mode: 'home_visit', occurredAt: ago(3 * HOUR) });
    expect(visit.statusCode).toBe(201);
    const stored = await t.db
      .selectFrom('major_events')
      .select(['status', 'response_log_id'])
      .where('family_id', '=', familyId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'responded', response_log_id: visit.json().data.id });
  });
});

describe('the SQLite statement cache', () => {
  it('hands back the prepared statement for a known SQL text and evicts the least recently used', () => {
    const sqlite = new SqliteDatabase(':memory:');
    try {
      cacheStatements(sqlite, 2);
      const a = sqlite.prepare('select 1 as n');
      expect(sqlite.prepare('select 1 as n')).toBe(a);
      const b = sqlite.prepare('select 2 as n');
      expect(sqlite.prepare('select 1 as n')).toBe(a); // a is now the most recent
      sqlite.prepare('select 3 as n'); // evicts b
      expect(sqlite.prepare('select 2 as n')).not.toBe(b);
      expect(sqlite.prepare('select 1 as n')).not.toBe(a); // evicted by "select 2" coming back
      expect(sqlite.prepare('select 3 as n').get()).toEqual({ n: 3 });
    } finally {
      sqlite.close();
    }
  });
});

describe('the audit chain under concurrent writes', () => {
  async function chainRows() {
    return t.db.selectFrom('audit_events').select(['seq', 'chain_seq', 'hash']).orderBy('chain_seq').execute();
  }

  it('covers every write: 20 concurrent logs, then every row sealed, positions 1…n, verify ok', async () => {
    const familyId = await newFamily();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => log(familyId, { mode: 'phone', occurredAt: ago(i * 60_000) })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const audit = t.app.platform.audit;
    const verified = await audit.verify(t.db);
    const rows = await chainRows();
    expect(verified).toEqual({ ok: true, checked: rows.length, brokenAt: null });
    expect(rows.map((r) => r.chain_seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.every((r) => r.hash !== null)).toBe(true);
    const logged = await t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'contactLog.create')
      .where('target_id', '=', familyId)
      .execute();
    expect(logged).toHaveLength(20);
  });

  it.runIf(TEST_DIALECT === 'postgres')(
    'PostgreSQL: a write that commits after a later one is chained after it; the sealer runs on its own',
    async () => {
      const audit = t.app.platform.audit;
      const stop = audit.startSealing(t.db);
      try {
        // A transaction that takes its audit number first but commits last.
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let recorded!: () => void;
        const recordedYet = new Promise<void>((resolve) => (recorded = resolve));
        const slow = t.db.transaction().execute(async (trx) => {
          await audit.record(trx, { username: 'slow' }, { action: 'auth.logout' });
          recorded();
          await held;
        });
        await recordedYet;
        const fastFamily = await newFamily();
        const fast = await log(fastFamily, { mode: 'phone', occurredAt: ago(HOUR) });
        expect(fast.statusCode).toBe(201);
        // No verify call: the background sealer alone seals the fast row while the slow one is still open …
        const sealedWithin = async (ms: number) => {
          const deadline = Date.now() + ms;
          for (;;) {
            const left = await t.db.selectFrom('audit_events').select('seq').where('hash', 'is', null).execute();
            if (left.length === 0 || Date.now() > deadline) return left.length;
            await new Promise((r) => setTimeout(r, 20));
          }
        };
        const fastSealed = async () =>
          (
            await t.db
              .selectFrom('audit_events')
              .select('hash')
              .where('action', '=', 'contactLog.create')
              .where('target_id', '=', fastFamily)
              .executeTakeFirstOrThrow()
          ).hash !== null;
        const deadline = Date.now() + 5_000;
        while (!(await fastSealed()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(await fastSealed()).toBe(true);
        release();
        await slow;
        // … and the slow one after its commit.
        expect(await sealedWithin(5_000)).toBe(0);
        const slowRow = await t.db
          .selectFrom('audit_events')
          .select(['seq', 'chain_seq'])
          .where('actor_username', '=', 'slow')
          .executeTakeFirstOrThrow();
        const fastRow = await t.db
          .selectFrom('audit_events')
          .select(['seq', 'chain_seq'])
          .where('action', '=', 'contactLog.create')
          .where('target_id', '=', fastFamily)
          .executeTakeFirstOrThrow();
        // Numbered after the slow row, but committed and sealed before it: chained before it.
        expect(fastRow.seq).toBeGreaterThan(slowRow.seq);
        expect(fastRow.chain_seq).toBeLessThan(slowRow.chain_seq!);
        expect(await audit.verify(t.db)).toMatchObject({ ok: true, brokenAt: null });
      } finally {
        stop();
      }
    },
  );

  it.runIf(TEST_DIALECT === 'postgres')(
    'PostgreSQL: the trigger lets sealing fill in the chain fields once and refuses any other change',
    async () => {
      const audit = t.app.platform.audit;
      await t.db.transaction().execute((trx) => audit.record(trx, { username: 'guarded' }, { action: 'auth.logout' }));
      const row = await t.db
        .selectFrom('audit_events')
        .select(['seq', 'hash'])
        .where('actor_username', '=', 'guarded')
        .executeTakeFirstOrThrow();
      // Unsealed or not, the content cannot change and the row cannot go.
      await expect(
        sql`update audit_events set outcome = 'failure' where seq = ${row.seq}`.execute(t.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_events where seq = ${row.seq}`.execute(t.db)).rejects.toThrow(/append-only/);
      await audit.seal(t.db);
      const sealed = await t.db
        .selectFrom('audit_events')
        .select(['hash', 'chain_seq'])
        .where('seq', '=', row.seq)
        .executeTakeFirstOrThrow();
      expect(sealed.hash).toMatch(/^[0-9a-f]{64}$/);
      // Once sealed, not even the chain fields can be set again.
      await expect(
        sql`update audit_events set hash = null, prev_hash = null, chain_seq = null where seq = ${row.seq}`.execute(
          t.db,
        ),
      ).rejects.toThrow(/append-only/);
      expect(await audit.verify(t.db)).toMatchObject({ ok: true });
    },
  );

  it.runIf(TEST_DIALECT === 'sqlite')('SQLite: every row is chained as it is written (chain_seq = seq)', async () => {
    const rows = await t.db.selectFrom('audit_events').select(['seq', 'chain_seq', 'hash']).execute();
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.every((r) => r.chain_seq === r.seq && r.hash !== null)).toBe(true);
  });
});
