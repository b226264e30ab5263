/**
 * Load (security-checklist §6.4): 50 concurrent clients for 60 s against the real server on loopback, each
 * looping over a mix of reads (lists, search, one archive, dashboards, overdue list, todos) and writes
 * (contact logs, archive edits with the version just read, new archives) — 4 writes in 13 requests.
 * Proves: no 5xx and no connection error under contention (SQLite: one writer, readers waiting), the
 * database still consistent and the audit chain intact afterwards. Reports p50/p99 overall and per kind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type RawRequest, type RequestSpec, type Result } from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../server/platform/audit/audit-log.js';
import { systemClock } from '../../../server/platform/clock.js';
import { openDatabase } from '../../../server/platform/db/database.js';
import { buildUser } from '../../support/factories.js';
import { testCrypto } from '../../support/test-app.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../../support/test-db.js';
import { consistencyProblems, LONG_TIER, percentile } from '../support/harness.js';
import { HttpSession, prepareWorld, startServer, uniqueFamily, type PreparedWorld } from '../support/server-process.js';

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const FAMILIES = 200;

let testDb: TestDatabase;
let dataDir: string;
let world: PreparedWorld;

beforeAll(async () => {
  if (!LONG_TIER) return;
  testDb = await createTestDatabase();
  dataDir =
    TEST_DIALECT === 'sqlite'
      ? path.dirname(testDb.url.replace(/^sqlite:/, ''))
      : fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-load-'));
  world = await prepareWorld(testDb.url, FAMILIES);
}, 300_000);
afterAll(async () => {
  if (LONG_TIER) await testDb.drop();
});

type Kind =
  | 'GET /families'
  | 'POST /families/search'
  | 'GET /families/{id}'
  | 'POST contact-logs'
  | 'GET /compliance/monthly'
  | 'PATCH /families/{id}'
  | 'GET /coverage'
  | 'GET /compliance/overdue'
  | 'GET /todos'
  | 'GET /families/stats'
  | 'POST /families'
  | 'GET /contacts'
  | 'GET /families/{id}/contact-logs';

describe.skipIf(!LONG_TIER)(`load: ${CONNECTIONS} clients for ${SECONDS} s, mixed reads and writes`, () => {
  it('no 5xx, no connection error; consistent afterwards; p99 reported', async ({ annotate }) => {
    const server = await startServer({ databaseUrl: testDb.url, dataDir });
    let result: Result;
    const times = new Map<Kind, number[]>();
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    try {
      // Five accounts of the township: connections share them like colleagues in one office.
      const sessions: HttpSession[] = [];
      const users = [world.township];
      const database = openDatabase(testDb.url);
      try {
        for (let i = 0; i < 4; i += 1) users.push(await buildUser(database.db, 'township_staff', world.tree.township));
      } finally {
        await database.close();
      }
      for (const u of users) sessions.push(await HttpSession.login(server.base, u));
      const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
      const villages = [world.tree.village, world.tree.siblingVillage];

      const step = (
        kind: Kind,
        build: (ctx: Record<string, unknown>) => { method: string; path: string; body?: unknown },
      ): RequestSpec => ({
        setupRequest: (req: RawRequest, ctx: Record<string, unknown>): RawRequest => {
          ctx.session ??= pick(sessions);
          const s = ctx.session as HttpSession;
          const r = build(ctx);
          ctx.t0 = performance.now();
          return {
            ...req,
            method: r.method,
            path: r.path,
            headers: s.headers(r.body !== undefined),
            body: r.body === undefined ? undefined : JSON.stringify(r.body),
          };
        },
        onResponse: (status: number, body: string, ctx: Record<string, unknown>) => {
          const list = times.get(kind) ?? [];
          list.push(performance.now() - (ctx.t0 as number));
          times.set(kind, list);
          const key = `${kind} ${status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (status >= 500 && failures.length < 20) failures.push(`${kind} ${status} ${body.slice(0, 200)}`);
          if (kind === 'GET /families/{id}' && status === 200) {
            const data = (JSON.parse(body) as { data: { id: string; version: number } }).data;
            ctx.family = { id: data.id, version: data.version };
          }
        },
      });

      result = await autocannon({
        url: server.base,
        connections: CONNECTIONS,
        duration: SECONDS,
        timeout: 30,
        requests: [
          step('GET /families', () => ({
            method: 'GET',
            path: `/api/v1/families?page=${1 + Math.floor(Math.random() * 10)}&pageSize=20`,
          })),
          step('POST /families/search', () => ({
            method: 'POST',
            path: '/api/v1/families/search',
            body: { q: pick(['张', '李', 'TS', '张秀']), pageSize: 20 },
          })),
          step('GET /families/{id}', () => ({ method: 'GET', path: `/api/v1/families/${pick(world.families)}` })),
          step('POST contact-logs', () => ({
            method: 'POST',
            path: `/api/v1/families/${pick(world.families)}/contact-logs`,
            body: {
              contactId: world.contacts.township,
              mode: pick(['home_visit', 'phone', 'online']),
              occurredAt: new Date(Date.now() - 60_000).toISOString(),
              health: '良好',
              demands: '无',
            },
          })),
          step('GET /compliance/monthly', () => ({ method: 'GET', path: '/api/v1/compliance/monthly' })),
          step('PATCH /families/{id}', (ctx) => {
            const f = (ctx.family as { id: string; version: number } | undefined) ?? {
              id: world.families[0],
              version: 1,
            };
            return {
              method: 'PATCH',
              path: `/api/v1/families/${f.id}`,
              body: { version: f.version, currentAddress: `现居 ${Math.floor(Math.random() * 1e6)}` },
            };
          }),
          step('GET /coverage', () => ({ method: 'GET', path: '/api/v1/coverage' })),
          step('GET /compliance/overdue', () => ({ method: 'GET', path: '/api/v1/compliance/overdue?pageSize=50' })),
          step('GET /todos', () => ({ method: 'GET', path: '/api/v1/todos' })),
          step('GET /families/stats', () => ({ method: 'GET', path: '/api/v1/families/stats' })),
          step('POST /families', () => ({
            method: 'POST',
            path: '/api/v1/families',
            body: uniqueFamily(pick(villages)),
          })),
          step('GET /contacts', () => ({ method: 'GET', path: '/api/v1/contacts?pageSize=50' })),
          step('GET /families/{id}/contact-logs', () => ({
            method: 'GET',
            path: `/api/v1/families/${pick(world.families)}/contact-logs`,
          })),
        ],
      });
      expect((await fetch(`${server.base}/api/v1/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }

    const rows = [...times.entries()].map(([kind, ms]) => {
      const sorted = ms.sort((a, b) => a - b);
      return `  ${kind.padEnd(34)} n=${String(sorted.length).padStart(6)}  p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(sorted, 99).toFixed(1).padStart(7)} ms`;
    });
    const codes = Object.entries(result.statusCodeStats)
      .map(([code, s]) => `${code}×${s.count}`)
      .join(' ');
    const summary =
      `${TEST_DIALECT}, ${CONNECTIONS} connections, ${result.duration} s, ${os.cpus().length} CPUs: ` +
      `${result.requests.total} requests (${result.requests.average.toFixed(0)} req/s), ` +
      `latency p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms, ` +
      `max ${result.latency.max} ms; status ${codes}; errors ${result.errors}, timeouts ${result.timeouts}`;
    console.log(`${summary}\n${rows.join('\n')}`);
    await annotate(`${summary}\n${rows.join('\n')}`);
    const non2xxByKind = [...statuses.entries()].filter(([k]) => !/ 2\d\d$/.test(k)).map(([k, n]) => `${k}×${n}`);
    console.log(`non-2xx by kind: ${non2xxByKind.join(', ') || 'none'}`);

    expect(failures).toEqual([]);
    expect(Object.keys(result.statusCodeStats).filter((c) => Number(c) >= 500)).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    // Only optimistic-lock conflicts may be refused: everything sent is valid.
    expect(non2xxByKind.filter((k) => !k.startsWith('PATCH /families/{id} 409'))).toEqual([]);

    const h = openDatabase(testDb.url);
    try {
      expect(await consistencyProblems(h.db, { withAudit: true })).toEqual([]);
      expect(await new AuditLog(testCrypto(), h.dialect, systemClock).verify(h.db)).toMatchObject({ ok: true });
    } finally {
      await h.close();
    }
  });
});
