/**
 * Shared checks of the torture tests: the error envelope, row counts, the consistency of an archive's
 * rows, and prototype pollution. Used by the quick tier (`test/torture/*.test.ts`) and the long tier.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { countyMonthsDrift } from '../../../server/modules/compliance/family-months.repository.js';
import type { Db } from '../../../server/platform/db/database.js';
import type { Session } from '../../support/test-app.js';

/** `npm run torture` sets this (vitest.torture.config.ts); the long tier is skipped without it. */
export const LONG_TIER = process.env.GUANHUAI_TORTURE === 'long';

/** Tables a refused write must leave untouched (audit_events, sessions and family_months may move legitimately). */
export const WRITE_TABLES = [
  'families',
  'family_members',
  'family_children',
  'family_assistance',
  'family_history',
  'archive_serials',
  'contacts',
  'assignments',
  'contact_logs',
  'contact_log_revisions',
  'users',
] as const;
export type WriteTable = (typeof WRITE_TABLES)[number];

export async function rowCounts(db: Db): Promise<Record<WriteTable, number>> {
  const selects = WRITE_TABLES.map((t) => `(select count(*) from ${t}) as ${t}`).join(', ');
  const { rows } = await sql<Record<WriteTable, number | string>>`${sql.raw(`select ${selects}`)}`.execute(db);
  return Object.fromEntries(WRITE_TABLES.map((t) => [t, Number(rows[0][t])])) as Record<WriteTable, number>;
}

/** The archive and its facts hang together: each returned line names one kind of broken row and how many. */
export async function consistencyProblems(db: Db, opts: { withAudit?: boolean } = {}): Promise<string[]> {
  const checks: Array<[string, string]> = [
    [
      'families without a member',
      `select count(*) from families f where not exists (select 1 from family_members m where m.family_id = f.id)`,
    ],
    [
      'families without exactly one child row',
      `select count(*) from families f where (select count(*) from family_children c where c.family_id = f.id) <> 1`,
    ],
    [
      'members without a family',
      `select count(*) from family_members m where not exists (select 1 from families f where f.id = m.family_id)`,
    ],
    [
      'child rows without a family',
      `select count(*) from family_children c where not exists (select 1 from families f where f.id = c.family_id)`,
    ],
    [
      'contact logs without a family or contact',
      `select count(*) from contact_logs l where not exists (select 1 from families f where f.id = l.family_id)
         or not exists (select 1 from contacts c where c.id = l.contact_id)`,
    ],
    [
      'families with more than one active township or village post',
      `select count(*) from (select family_id, post from assignments where ended_at is null
         and post in ('township_cadre', 'village_cadre') group by family_id, post having count(*) > 1) x`,
    ],
    [
      'family_months rows that disagree with the logs',
      `select count(*) from (
         select l.family_id, l.month, count(*) as c, sum(case when l.mode = 'home_visit' then 1 else 0 end) as hv
         from contact_logs l group by l.family_id, l.month) x
       left join family_months fm on fm.family_id = x.family_id and fm.month = x.month
       where fm.family_id is null or fm.contacts <> x.c or fm.home_visits <> x.hv`,
    ],
    [
      'family_months rows counting logs that do not exist',
      `select count(*) from family_months fm where fm.contacts > 0 and not exists
         (select 1 from contact_logs l where l.family_id = fm.family_id and l.month = fm.month)`,
    ],
  ];
  // Quadratic in logs × audit rows: for the end of a suite and the crash rounds, not every fuzz case.
  if (opts.withAudit)
    checks.push([
      'contact logs without their audit row',
      `select count(*) from contact_logs l where not exists (select 1 from audit_events a
         where a.action = 'contactLog.create' and a.target_id = l.family_id and a.changes like '%' || l.id || '%')`,
    ]);
  // One round trip: every check is a scalar subquery.
  const select = checks.map(([, query], i) => `(${query}) as c${i}`).join(',\n');
  const { rows } = await sql<Record<string, number | string>>`${sql.raw(`select ${select}`)}`.execute(db);
  const problems: string[] = [];
  checks.forEach(([name], i) => {
    const n = Number(rows[0][`c${i}`]);
    if (n > 0) problems.push(`${n} ${name}`);
  });
  // The county sums (0032) against the facts, by the product's own comparison.
  const drift = await countyMonthsDrift(db);
  if (drift.length) problems.push(`${drift.length} county sums (0032) that disagree with the family-month facts`);
  return problems;
}

export interface ErrorEnvelope {
  error: { code: string; message: string; details: Array<{ path: string; message: string; code?: string }> };
}

/** A reason the answer breaks the API contract (a 5xx, or a 4xx without the error envelope), or null. */
export function contractViolation(res: LightMyRequestResponse | { statusCode: number; body: string }): string | null {
  if (res.statusCode >= 500) return `status ${res.statusCode}: ${res.body.slice(0, 300)}`;
  if (res.statusCode === 204) return res.body === '' ? null : 'a 204 with a body';
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `status ${res.statusCode} with a body that is not JSON: ${res.body.slice(0, 200)}`;
  }
  if (res.statusCode >= 200 && res.statusCode < 300) {
    return body && typeof body === 'object' && 'data' in body ? null : `2xx without data: ${res.body.slice(0, 200)}`;
  }
  if (res.statusCode < 400) return `unexpected status ${res.statusCode}`;
  const e = (body as { error?: Record<string, unknown> }).error;
  const ok =
    !!e &&
    typeof e.code === 'string' &&
    e.code.length > 0 &&
    typeof e.message === 'string' &&
    e.message.length > 0 &&
    typeof e.requestId === 'string' &&
    e.requestId.length > 0 &&
    Array.isArray(e.details) &&
    (e.details as unknown[]).every(
      (d) =>
        !!d &&
        typeof d === 'object' &&
        typeof (d as { path?: unknown }).path === 'string' &&
        typeof (d as { message?: unknown }).message === 'string',
    );
  if (!ok) return `status ${res.statusCode} without the error envelope: ${res.body.slice(0, 300)}`;
  const stack = /\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(res.body);
  return stack ? `status ${res.statusCode} leaks a stack trace: ${res.body.slice(0, 300)}` : null;
}

/** What the prototypes of plain objects and arrays look like now; compare with `pollution()` later. */
export function prototypeSnapshot(): string {
  const describe = (o: object) =>
    Object.getOwnPropertyNames(o)
      .sort()
      .map((k) => `${k}:${typeof Object.getOwnPropertyDescriptor(o, k)?.value}`)
      .join(',');
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map(describe).join('|');
}

/** Non-null when something changed Object/Array/Function/String.prototype since `before`. */
export function pollution(before: string): string | null {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'role', 'toString_', 'x'])
    if (probe[key] !== undefined) return `({}).${key} is now ${String(probe[key])}`;
  const now = prototypeSnapshot();
  return now === before ? null : 'a built-in prototype gained or changed a property';
}

/** A request with an arbitrary body (raw text or none) and content type, as the signed-in `session`. */
export function rawInject(
  app: FastifyInstance,
  session: Session | null,
  method: 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload: string | Buffer | undefined,
  contentType: string | null = 'application/json',
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrfToken;
  }
  if (contentType !== null && payload !== undefined) headers['content-type'] = contentType;
  return app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
}

/** Percentile of a sorted array of numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
