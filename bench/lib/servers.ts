import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ContactLogCreate } from '../../common/schemas/contact-logs.js';
import { ctx, dataEnvelope } from '../../server/platform/http.js';
import { authorize } from '../../server/platform/policy.js';
import type { AuditLog } from '../../server/platform/audit/audit-log.js';
import type { CryptoProvider } from '../../server/platform/crypto/crypto-provider.js';
import { dialectOf } from '../../server/platform/db/database.js';

/**
 * The two baselines of the write scenario, on a bare Fastify instance (no plugins, no hooks):
 * - GET /ping: what the framework alone answers on this machine (the ceiling);
 * - POST /min/families/:id/contact-logs: the minimal durable write — one contact_logs insert and one
 *   HMAC-SM3 hash-chained audit row in one transaction, on the same database with the same durability
 *   as the product (SQLite WAL + synchronous=FULL; PostgreSQL with its defaults, pool of 10), its audit row
 *   chained the way the product chains (AuditLog): on SQLite inside the transaction, into bench_min_audit
 *   (same shape as audit_events) on its own connection, so the product's chain stays intact; on PostgreSQL
 *   unsealed into audit_events and sealed after the commit by the product's own sealer.
 */
export interface MinimalBody {
  contactId: string;
  mode: string;
  occurredAt: string;
  health?: string;
  mentalState?: string;
  notes?: string;
}

const AUDIT_COLUMNS = [
  'seq',
  'occurred_at',
  'actor_id',
  'actor_username',
  'actor_role',
  'actor_region_code',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'ip',
  'request_id',
  'changes',
  'prev_hash',
  'hash',
];
const LOG_COLUMNS = [
  'id',
  'family_id',
  'contact_id',
  'mode',
  'direction',
  'occurred_at',
  'month',
  'health',
  'mental_state',
  'notes',
  'is_on_behalf',
  'created_by',
  'created_at',
  'updated_at',
  'version',
];
export const MIN_CREATED_BY = 'bench-min';
const GENESIS = '0'.repeat(64);

function chinaMonth(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7);
}

function logValues(familyId: string, b: MinimalBody): unknown[] {
  const now = new Date().toISOString();
  const at = new Date(b.occurredAt).toISOString();
  return [
    randomUUID(),
    familyId,
    b.contactId,
    b.mode,
    'outreach',
    at,
    chinaMonth(at),
    b.health ?? null,
    b.mentalState ?? null,
    b.notes ?? null,
    1,
    MIN_CREATED_BY,
    now,
    now,
    1,
  ];
}

function auditFields(familyId: string, logId: string, seq = 0, prevHash = GENESIS) {
  return [
    seq,
    new Date().toISOString(),
    'bench',
    'bench',
    'township_staff',
    null,
    'contactLog.create',
    'family',
    familyId,
    'success',
    '127.0.0.1',
    randomUUID(),
    JSON.stringify({ logId }),
    prevHash,
  ];
}

function auditRow(crypto: CryptoProvider, seq: number, prevHash: string, familyId: string, logId: string) {
  const fields = auditFields(familyId, logId, seq, prevHash);
  return [...fields, crypto.mac(JSON.stringify(fields))];
}

export function bareServer(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/ping', async () => ({ status: 'ok' }));
  return app;
}

export async function minimalDurableServer(
  url: string,
  crypto: CryptoProvider,
  sealer?: Pick<AuditLog, 'sealSoon'>,
): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  const path = '/min/families/:id/contact-logs';
  const placeholders = (n: number, pgStyle: boolean) =>
    Array.from({ length: n }, (_, i) => (pgStyle ? `$${i + 1}` : '?')).join(',');
  const insertLog = (pgStyle: boolean) =>
    `insert into contact_logs (${LOG_COLUMNS.join(',')}) values (${placeholders(LOG_COLUMNS.length, pgStyle)})`;
  const insertAudit = (pgStyle: boolean) =>
    `insert into bench_min_audit (${AUDIT_COLUMNS.join(',')}) values (${placeholders(AUDIT_COLUMNS.length, pgStyle)})`;

  if (dialectOf(url) === 'sqlite') {
    const sqlite = new SqliteDatabase(url.replace(/^sqlite:/, ''), { fileMustExist: true });
    // The same pragmas as openDatabase.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.exec(`create table if not exists bench_min_audit (
      seq integer primary key, occurred_at text not null, actor_id text, actor_username text, actor_role text,
      actor_region_code text, action text not null, target_type text, target_id text, outcome text not null,
      ip text, request_id text, changes text, prev_hash text not null, hash text not null)`);
    sqlite.exec('create index if not exists bench_min_audit_occurred_at_idx on bench_min_audit (occurred_at)');
    sqlite.exec('create index if not exists bench_min_audit_action_idx on bench_min_audit (action)');
    const log = sqlite.prepare(insertLog(false));
    const last = sqlite.prepare('select seq, hash from bench_min_audit order by seq desc limit 1');
    const audit = sqlite.prepare(insertAudit(false));
    const write = sqlite.transaction((familyId: string, body: MinimalBody) => {
      const values = logValues(familyId, body);
      log.run(values);
      const prev = last.get() as { seq: number; hash: string } | undefined;
      audit.run(auditRow(crypto, (prev?.seq ?? 0) + 1, prev?.hash ?? GENESIS, familyId, String(values[0])));
      return values[0];
    });
    app.post<{ Params: { id: string }; Body: MinimalBody }>(path, async (req, reply) =>
      reply.code(201).send({ data: { id: write(req.params.id, req.body) } }),
    );
    return {
      app,
      close: async () => {
        await app.close();
        sqlite.close();
      },
    };
  }

  // PostgreSQL: the audit row the way the product writes it (AuditLog.record): into audit_events, numbered by
  // the sequence, unsealed, in the same transaction; after the commit the product's sealer is nudged and
  // chains it, exactly as after a product write. (So these rows join the real chain, sealed and verifiable.)
  if (!sealer) throw new Error('The PostgreSQL minimal route needs the product sealer');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const insertUnsealed = `insert into audit_events (${AUDIT_COLUMNS.slice(0, -2).join(',')}) values (nextval('audit_events_seq'),${placeholders(AUDIT_COLUMNS.length - 3, true)})`;
  app.post<{ Params: { id: string }; Body: MinimalBody }>(path, async (req, reply) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const values = logValues(req.params.id, req.body);
      await client.query(insertLog(true), values);
      await client.query(insertUnsealed, auditFields(req.params.id, String(values[0])).slice(1, -1));
      await client.query('commit');
      sealer.sealSoon();
      return reply.code(201).send({ data: { id: values[0] } });
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });
  return {
    app,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

/** Removes what the write scenarios added to the cached database (the audit chain itself is append-only). */
export async function minimalAuditReset(url: string): Promise<void> {
  if (dialectOf(url) === 'sqlite') {
    const sqlite = new SqliteDatabase(url.replace(/^sqlite:/, ''), { fileMustExist: true });
    sqlite.exec('drop table if exists bench_min_audit');
    sqlite.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Tables of earlier versions of this bench (its PostgreSQL audit rows now join the product's chain).
  await client.query('drop table if exists bench_min_audit');
  await client.query('drop table if exists bench_min_audit_unchained');
  await client.query('drop sequence if exists bench_min_audit_seq');
  await client.end();
}

/**
 * The disk's floor for one-commit-per-request designs: sequential single-row commits per second with
 * the product's durability, on the same filesystem (SQLite) or server (PostgreSQL), from one client.
 */
export async function sequentialCommitsPerSecond(url: string, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let commits = 0;
  if (dialectOf(url) === 'sqlite') {
    const file = `${url.replace(/^sqlite:/, '')}.commit-probe`;
    const sqlite = new SqliteDatabase(file);
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = FULL');
      sqlite.exec('create table if not exists probe (id integer primary key, v text)');
      const insert = sqlite.prepare('insert into probe (v) values (?)');
      const started = performance.now();
      while (performance.now() < until) {
        insert.run('x'.repeat(200));
        commits += 1;
      }
      return commits / ((performance.now() - started) / 1000);
    } finally {
      sqlite.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table if not exists bench_commit_probe (id serial primary key, v text)');
    const started = performance.now();
    while (performance.now() < until) {
      await client.query('insert into bench_commit_probe (v) values ($1)', ['x'.repeat(200)]);
      commits += 1;
    }
    return commits / ((performance.now() - started) / 1000);
  } finally {
    await client.query('drop table if exists bench_commit_probe');
    await client.end();
  }
}

export const NOOP_PATH = '/api/v1/bench/families/:id/noop';

/**
 * The fixed cost of an authenticated request (issue 19 item 5), registered by the bench harness itself on the
 * real app before it is ready — never part of buildApp, so no production server has it. It goes through
 * everything every private route goes through (session lookup, CSRF, the input guards, Zod validation of the
 * contact-log body, the policy and scope check on the actor's own region, the response schema's serialiser,
 * the security headers, the request log) and does no work of its own.
 */
export function registerAuthenticatedNoop(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    NOOP_PATH,
    {
      schema: {
        hide: true,
        params: z.object({ id: z.string().max(64) }),
        body: ContactLogCreate,
        response: {
          201: dataEnvelope(
            z.object({ familyId: z.string(), contactId: z.string(), mode: z.string(), occurredAt: z.string() }),
          ),
        },
      },
    },
    async (req, reply) => {
      const { actor } = ctx(req);
      authorize(actor, 'contactLog.write', actor.regionCode);
      const { contactId, mode, occurredAt } = req.body;
      return reply.code(201).send({ data: { familyId: req.params.id, contactId, mode, occurredAt } });
    },
  );
}
