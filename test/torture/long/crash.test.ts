/**
 * Crash durability (security-checklist §6.1): the real server under a burst of contact-log writes (and, in
 * every round, a family import commit) is killed with SIGKILL at a random moment, 10 times. After each kill
 * the database is opened as the restarted server would find it:
 *   - SQLite `PRAGMA integrity_check` = ok and no foreign-key violation;
 *   - every acknowledged (2xx) log is there with its text, every acknowledged correction too;
 *   - every log has its audit row, every family-month fact row matches its logs, the audit chain verifies;
 *   - the import is all or nothing: none of its families, or all of them with the job marked done.
 * Loopback only; bounded to 10 rounds of a few seconds each. Runs under `npm run torture`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../server/platform/audit/audit-log.js';
import { systemClock } from '../../../server/platform/clock.js';
import { openDatabase, type DatabaseHandle } from '../../../server/platform/db/database.js';
import { testCrypto } from '../../support/test-app.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../../support/test-db.js';
import { multipartBody, rosterCsv, rosterRow } from '../../support/uploads.js';
import { consistencyProblems, LONG_TIER } from '../support/harness.js';
import { HttpSession, prepareWorld, startServer, type PreparedWorld } from '../support/server-process.js';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 10);
const WORKERS = 8;
const IMPORT_ROWS = 400;
/** The import starts after this much burst, so each round has logs in flight before the commit. */
const IMPORT_AFTER_MS = 1_000;

let testDb: TestDatabase;
let dataDir: string;
let world: PreparedWorld;
let hasImports = false;
/** Upload → first imported family, and → job finished, in ms (measured once, unkilled). */
let commitWindow: { from: number; to: number } | null = null;

interface Acked {
  id: string;
  notes: string;
  version: number;
}
const acked = new Map<string, Acked>();
const report: string[] = [];

async function withDb<T>(fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const h = openDatabase(testDb.url);
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

function uploadImport(session: HttpSession, csv: string) {
  const { payload, contentType } = multipartBody(
    { mode: 'commit' },
    { name: '导入.csv', content: Buffer.from(csv, 'utf8') },
  );
  return fetch(`${session.base}/api/v1/family-imports`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': contentType },
    body: new Uint8Array(payload),
  });
}

function importFile(round: number): { csv: string; ids: string[] } {
  const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => rosterRow(world.tree.village, round * 10_000 + i));
  return { csv: rosterCsv(rows), ids: rows.map((r) => r['母亲身份证号']) };
}

/** Families of the file, by the blind index of the mother's ID number (as the importer checks duplicates). */
async function importedCount(h: DatabaseHandle, ids: string[]): Promise<number> {
  const crypto = testCrypto();
  const idx = ids.map((id) => crypto.blindIndex('id_number', id));
  let n = 0;
  for (let i = 0; i < idx.length; i += 500) {
    const r = await h.db
      .selectFrom('family_members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('id_number_idx', 'in', idx.slice(i, i + 500))
      .executeTakeFirstOrThrow();
    n += Number(r.n);
  }
  return n;
}

/** WORKERS clients writing contact logs (and correcting their own, 1 in 5) until stopped. */
function burst(sessions: HttpSession[], tag: string) {
  let stop = false;
  let sent = 0;
  let unacked = 0;
  const workers = Array.from({ length: WORKERS }, async (_, w) => {
    const session = sessions[w % sessions.length];
    const mine: Acked[] = [];
    for (let seq = 0; !stop; seq += 1) {
      const familyId = world.families[Math.floor(Math.random() * world.families.length)];
      const edit = mine.length > 0 && Math.random() < 0.2;
      let status = 0;
      let body = '';
      try {
        sent += 1;
        if (edit) {
          const target = mine[Math.floor(Math.random() * mine.length)];
          const notes = `${tag}-w${w}-edit${seq}`;
          const res = await session.request('PATCH', `/api/v1/contact-logs/${target.id}`, {
            version: target.version,
            notes,
          });
          ({ status, body } = res);
          if (res.status === 200) {
            target.version = res.json<{ data: { version: number } }>().data.version;
            target.notes = notes;
            acked.set(target.id, { ...target });
          }
        } else {
          const notes = `${tag}-w${w}-${seq}`;
          const res = await session.request('POST', `/api/v1/families/${familyId}/contact-logs`, {
            contactId: world.contacts.township,
            mode: seq % 3 ? 'phone' : 'home_visit',
            occurredAt: new Date(Date.now() - 60_000).toISOString(),
            notes,
          });
          ({ status, body } = res);
          if (res.status === 201) {
            const log = { id: res.json<{ data: { id: string } }>().data.id, notes, version: 1 };
            mine.push(log);
            acked.set(log.id, { ...log });
          }
        }
      } catch {
        unacked += 1; // the connection died with the server: not acknowledged
        return;
      }
      if (status >= 500) throw new Error(`${edit ? 'PATCH' : 'POST'} answered ${status}: ${body}`);
    }
  });
  return {
    async stop() {
      stop = true;
      await Promise.all(workers);
      return { sent, unacked };
    },
  };
}

beforeAll(async () => {
  if (!LONG_TIER) return;
  testDb = await createTestDatabase();
  dataDir =
    TEST_DIALECT === 'sqlite'
      ? path.dirname(testDb.url.replace(/^sqlite:/, ''))
      : fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-crash-'));
  world = await prepareWorld(testDb.url, 30);
}, 120_000);
afterAll(async () => {
  if (LONG_TIER) await testDb.drop();
});

describe.skipIf(!LONG_TIER)('kill -9 during writes', () => {
  it('measures one import commit under the same load, without a kill (to aim the kills)', async ({ annotate }) => {
    const server = await startServer({ databaseUrl: testDb.url, dataDir });
    try {
      const spec = (await (await fetch(`${server.base}/api/v1/openapi.json`)).json()) as { paths: object };
      hasImports = '/api/v1/family-imports' in spec.paths;
      if (!hasImports) {
        await annotate('no /api/v1/family-imports: import kills skipped');
        return;
      }
      const sessions = await Promise.all([
        HttpSession.login(server.base, world.township),
        HttpSession.login(server.base, world.village),
      ]);
      const load = burst(sessions, 'calibration');
      await new Promise((r) => setTimeout(r, IMPORT_AFTER_MS));
      const file = importFile(0);
      const t0 = Date.now();
      const res = await uploadImport(sessions[0], file.csv);
      expect(res.status, await res.clone().text()).toBe(202);
      const job = ((await res.json()) as { data: { id: string } }).data;
      let status = '';
      while (status !== 'done' && status !== 'failed') {
        await new Promise((r) => setTimeout(r, 20));
        status = (await sessions[0].request('GET', `/api/v1/family-imports/${job.id}`)).json<{
          data: { status: string };
        }>().data.status;
      }
      await load.stop();
      expect(status).toBe('done');
      await withDb(async (h) => {
        expect(await importedCount(h, file.ids)).toBe(IMPORT_ROWS);
        const j = await h.db
          .selectFrom('family_imports')
          .select(['created_at', 'finished_at'])
          .where('id', '=', job.id)
          .executeTakeFirstOrThrow();
        const first = await h.db
          .selectFrom('families')
          .select((eb) => eb.fn.min('created_at').as('at'))
          .where('created_at', '>', j.created_at)
          .executeTakeFirstOrThrow();
        const offset = (at: string | null) => (at ? Date.parse(at) - Date.parse(j.created_at) : 0);
        // Upload answered → job row created ≈ t0 (+ a few ms); the commit runs from the first family to the finish.
        commitWindow = { from: offset(first.at as string | null), to: offset(j.finished_at) };
      });
      await annotate(
        `import of ${IMPORT_ROWS} rows under load: commit from ${commitWindow!.from} ms to ${commitWindow!.to} ms after upload (total ${Date.now() - t0} ms)`,
      );
      console.log(`calibration: commit window ${JSON.stringify(commitWindow)}`);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i: every acknowledged write survives, nothing half-written',
    async (round) => {
      const server = await startServer({ databaseUrl: testDb.url, dataDir });
      const sessions = await Promise.all([
        HttpSession.login(server.base, world.township),
        HttpSession.login(server.base, world.village),
      ]);
      const file = hasImports ? importFile(round) : null;
      const ackedBefore = acked.size;
      const load = burst(sessions, `r${round}`);
      if (file) await new Promise((r) => setTimeout(r, IMPORT_AFTER_MS));
      // Kill at a random moment: inside the import's commit window when there is an import.
      let importJob: string | null = null;
      const t0 = Date.now();
      if (file) {
        const res = await uploadImport(sessions[0], file.csv);
        expect(res.status).toBe(202);
        importJob = ((await res.json()) as { data: { id: string } }).data.id;
      }
      // Spread the kills over the commit and a little before and after it.
      const window = commitWindow ?? { from: 200, to: 1500 };
      const span = window.to - window.from;
      const killAt = window.from - 0.2 * span + Math.random() * 1.7 * span;
      await new Promise((r) => setTimeout(r, Math.max(0, killAt - (Date.now() - t0))));
      await server.kill9();
      const { sent, unacked } = await load.stop();
      expect(server.output()).not.toMatch(/unhandled error|FATAL/);

      await withDb(async (h) => {
        if (h.dialect === 'sqlite') {
          const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(h.db);
          expect(integrity.rows.map((r) => r.integrity_check)).toEqual(['ok']);
          const fk = await sql`pragma foreign_key_check`.execute(h.db);
          expect(fk.rows).toEqual([]);
        }
        const ids = [...acked.keys()];
        const found = new Map<string, { notes: string | null; version: number }>();
        for (let i = 0; i < ids.length; i += 500) {
          const rows = await h.db
            .selectFrom('contact_logs')
            .select(['id', 'notes', 'version'])
            .where('id', 'in', ids.slice(i, i + 500))
            .execute();
          for (const r of rows) found.set(r.id, r);
        }
        const lost = ids.filter((id) => !found.has(id));
        expect(lost, `acknowledged logs missing after kill -9`).toEqual([]);
        for (const a of acked.values()) {
          const row = found.get(a.id)!;
          // A later, unacknowledged correction may have committed too; an acknowledged one never goes missing.
          expect(row.version).toBeGreaterThanOrEqual(a.version);
          if (row.version === a.version) expect(row.notes).toBe(a.notes);
        }
        expect(await consistencyProblems(h.db, { withAudit: true })).toEqual([]);
        const chain = await new AuditLog(testCrypto(), h.dialect, systemClock).verify(h.db);
        expect(chain).toMatchObject({ ok: true, brokenAt: null });

        let importOutcome = 'no import';
        if (file && importJob) {
          const n = await importedCount(h, file.ids);
          const job = await h.db
            .selectFrom('family_imports')
            .select(['status', 'accepted'])
            .where('id', '=', importJob)
            .executeTakeFirst();
          expect([0, IMPORT_ROWS], `import half-written: ${n} of ${IMPORT_ROWS}`).toContain(n);
          if (n === IMPORT_ROWS) expect(job).toMatchObject({ status: 'done', accepted: IMPORT_ROWS });
          else expect(job?.status).not.toBe('done');
          importOutcome = n === IMPORT_ROWS ? 'import complete' : `import absent (job ${job?.status ?? 'not stored'})`;
        }
        report.push(
          `round ${round}: killed ${Math.round(killAt)} ms after the upload; ${sent} writes sent, ` +
            `${acked.size - ackedBefore} new logs acknowledged (all ${acked.size} so far present), ` +
            `${unacked} cut off by the kill; ${importOutcome}`,
        );
      });
    },
    120_000,
  );

  it('prints the rounds', ({ annotate }) => {
    for (const line of report) console.log(line);
    void annotate(report.join('\n'));
    expect(report).toHaveLength(ROUNDS);
  });
});
