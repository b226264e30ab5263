import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import client from 'prom-client';
import { knownMigrations } from './db/migrate.js';
import type { DatabaseHandle } from './db/database.js';
import type { Platform } from './context.js';
import { AppError } from './errors.js';

/**
 * Prometheus metrics (prom-client), issue 18 part 6. Labels are route patterns (`/api/v1/families/:id`, never a
 * URL with its ids), methods, status codes, error codes and job names: no personal data can reach a label.
 *
 * - `guanhuai_http_request_duration_seconds{method,route,status_code}`: latency histogram; its `_count` is the
 *   request rate.
 * - `guanhuai_http_errors_total{code}`: responses ≥ 400 by error code (`NOT_FOUND`, `VALIDATION`, …).
 * - `guanhuai_db_pool_connections{state}`: PostgreSQL pool use (total, idle, waiting); SQLite: one connection.
 * - `guanhuai_job_runs_total{job,outcome}`: the scheduler's runs (`ok`, `failed`, `skipped` when another
 *   instance held the job).
 * - `guanhuai_audit_unsealed_rows`, `guanhuai_audit_sealing_lag_seconds`: audit rows not chained yet, and the
 *   age of the oldest (PostgreSQL; 0 on SQLite, which chains as it writes).
 * - `guanhuai_backup_age_seconds`, `guanhuai_drill_age_seconds`: since the last successful backup / drill
 *   (-1: never).
 *
 * Served by GET /metrics on the main port with `Authorization: Bearer <METRICS_TOKEN>` (401 without it), and
 * on METRICS_PORT bound to 127.0.0.1 when set. With neither, the main port answers 404.
 */
export interface Metrics {
  registry: client.Registry;
  enabled: boolean;
}

/** Job outcomes, counted process-wide by jobs.ts and read by each app's registry at scrape time. */
const jobCounts = new Map<string, number>();
export function countJob(job: string, outcome: 'ok' | 'failed' | 'skipped'): void {
  const key = `${job}\u0000${outcome}`;
  jobCounts.set(key, (jobCounts.get(key) ?? 0) + 1);
}

declare module 'fastify' {
  interface FastifyRequest {
    metricsErrorCode?: string;
  }
}

export function installMetrics(app: FastifyInstance, platform: Platform, database: DatabaseHandle): Metrics {
  const { config } = platform;
  const enabled = Boolean(config.metrics.token) || config.metrics.port !== null;
  const registry = new client.Registry();
  const metrics: Metrics = { registry, enabled };
  if (!enabled) {
    // Not served on the main port: an explicit 404 (else the web app's catch-all would answer with a page).
    app.get('/metrics', { config: { isPublic: true }, schema: { hide: true } }, async (req, reply) =>
      reply.code(404).send({ error: { code: 'NOT_FOUND', message: '未找到', details: [], requestId: req.id } }),
    );
    return metrics;
  }
  client.collectDefaultMetrics({ register: registry, prefix: 'guanhuai_' });
  const duration = new client.Histogram({
    name: 'guanhuai_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new client.Counter({
    name: 'guanhuai_http_errors_total',
    help: 'Responses with status >= 400 by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  new client.Gauge({
    name: 'guanhuai_db_pool_connections',
    help: 'Database connections by state (PostgreSQL pool; SQLite has one)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = database.pool;
      this.set({ state: 'total' }, pool ? pool.totalCount : 1);
      this.set({ state: 'idle' }, pool ? pool.idleCount : 0);
      this.set({ state: 'waiting' }, pool ? pool.waitingCount : 0);
    },
  });
  new client.Counter({
    name: 'guanhuai_job_runs_total',
    help: 'Scheduler job runs by outcome',
    labelNames: ['job', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, n] of jobCounts) {
        const [job, outcome] = key.split('\u0000');
        this.inc({ job, outcome }, n);
      }
    },
  });
  const unsealed = new client.Gauge({
    name: 'guanhuai_audit_unsealed_rows',
    help: 'Audit rows written but not chained yet (PostgreSQL)',
    registers: [registry],
  });
  new client.Gauge({
    name: 'guanhuai_audit_sealing_lag_seconds',
    help: 'Age of the oldest audit row not chained yet',
    registers: [registry],
    async collect() {
      if (platform.dialect !== 'postgres') {
        unsealed.set(0);
        this.set(0);
        return;
      }
      const row = await platform.db
        .selectFrom('audit_events')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('occurred_at').as('oldest')])
        .where('hash', 'is', null)
        .executeTakeFirst();
      unsealed.set(Number(row?.n ?? 0));
      this.set(row?.oldest ? Math.max(0, (Date.now() - Date.parse(String(row.oldest))) / 1000) : 0);
    },
  });
  const age = (kind: 'backup' | 'drill') =>
    async function (this: client.Gauge) {
      const row = await platform.db
        .selectFrom('backup_runs')
        .select('finished_at')
        .where('kind', '=', kind)
        .where('verdict', '=', 'ok')
        .orderBy('finished_at', 'desc')
        .limit(1)
        .executeTakeFirst()
        .catch(() => undefined);
      this.set(row ? (platform.clock.now().getTime() - Date.parse(row.finished_at)) / 1000 : -1);
    };
  new client.Gauge({
    name: 'guanhuai_backup_age_seconds',
    help: 'Seconds since the last successful backup (-1: never)',
    registers: [registry],
    collect: age('backup'),
  });
  new client.Gauge({
    name: 'guanhuai_drill_age_seconds',
    help: 'Seconds since the last successful restore drill (-1: never)',
    registers: [registry],
    collect: age('drill'),
  });

  app.addHook('onError', async (req, _reply, err: FastifyError) => {
    req.metricsErrorCode =
      err instanceof AppError
        ? err.code
        : hasZodFastifySchemaValidationErrors(err)
          ? 'VALIDATION'
          : (err.statusCode ?? 500) < 500
            ? 'BAD_REQUEST'
            : 'INTERNAL';
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const status = reply.statusCode;
    duration.observe({ method: req.method, route, status_code: String(status) }, reply.elapsedTime / 1000);
    if (status >= 400) errors.inc({ code: req.metricsErrorCode ?? (status === 404 ? 'NOT_FOUND' : String(status)) });
  });

  const token = config.metrics.token;
  app.get('/metrics', { config: { isPublic: true }, schema: { hide: true } }, async (req, reply) => {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!token || !sameSecret(given, token))
      return reply
        .code(token ? 401 : 404)
        .header('www-authenticate', 'Bearer')
        .send({
          error: {
            code: token ? 'UNAUTHENTICATED' : 'NOT_FOUND',
            message: token ? '需要 METRICS_TOKEN' : '未找到',
            details: [],
            requestId: req.id,
          },
        });
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return metrics;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** METRICS_PORT: the same registry on its own port, bound to 127.0.0.1 only (no token there). */
export function startMetricsServer(metrics: Metrics, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** GET /api/v1/health/ready: the database answers and every migration of this build is applied. */
export async function readiness(platform: Platform): Promise<{ database: boolean; pending: string[] }> {
  try {
    await sql`select 1`.execute(platform.db);
  } catch {
    return { database: false, pending: [] };
  }
  const applied = await sql<{ name: string }>`select name from kysely_migration`
    .execute(platform.db)
    .then((r) => new Set(r.rows.map((x) => x.name)))
    .catch(() => new Set<string>());
  return { database: true, pending: knownMigrations(platform.dialect).filter((m) => !applied.has(m)) };
}
