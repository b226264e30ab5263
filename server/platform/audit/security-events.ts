import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { SecurityEventKind } from '../../../common/labels.js';
import type { Platform } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from '../scope.js';
import type { AuditContext } from './audit-log.js';

/**
 * Security events 等保 asks for — denied access (out-of-scope 404s, role 403s), CSRF rejections, throttling,
 * attempts during a lockout — audited without letting an attack flood the log: events are counted per kind,
 * actor (or, without a session, source address and username) and minute in `audit_rate_windows`, and each
 * minute becomes ONE chained audit row `security.<kind>` with the count, once the minute is over (flushed by
 * the next event, by the scheduler every minute and at shutdown). The counts are in the database, so a crash
 * loses none and several instances count together.
 */

export interface SecurityEvent {
  kind: SecurityEventKind;
  /** Who (the session's actor) or, without a session, from where (ip, and the username tried). */
  origin: AuditContext;
  method?: string;
  /** The route pattern, e.g. `/api/v1/families/:id` (never the URL with its query). */
  route?: string;
  /** What was asked for, e.g. the probed id (kept for the minute's first event). */
  targetType?: 'family' | 'user' | 'contact' | 'region' | 'route';
  targetId?: string;
}

type Deps = Pick<Platform, 'db' | 'clock' | 'audit'>;

const MINUTE_MS = 60_000;

function windowStart(now: Date): string {
  return new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS).toISOString();
}

function sourceKey(e: SecurityEvent): string {
  const { actor, username, ip } = e.origin;
  if (actor) return `${e.kind}|a:${actor.id}`;
  return `${e.kind}|ip:${ip ?? '-'}|u:${(username ?? '').slice(0, 64)}`;
}

/**
 * Counts one security event. Small and stable on purpose: login throttling and lockouts call it too
 * (`auditSecurityEvent(platform, { kind: 'throttled', origin: { ip, username } })`). Never throws.
 */
export async function auditSecurityEvent(platform: Deps, event: SecurityEvent): Promise<void> {
  try {
    const now = platform.clock.now();
    const start = windowStart(now);
    const { actor } = event.origin;
    await platform.db
      .insertInto('audit_rate_windows')
      .values({
        key: sourceKey(event),
        window_start: start,
        kind: event.kind,
        count: 1,
        actor_id: actor?.id ?? null,
        actor_username: actor?.username ?? event.origin.username?.slice(0, 64) ?? null,
        actor_role: actor?.role ?? null,
        actor_region_code: actor?.regionCode ?? null,
        ip: event.origin.ip ?? null,
        request_id: event.origin.requestId ?? null,
        method: event.method ?? null,
        route: event.route?.slice(0, 200) ?? null,
        target_type: event.targetType ?? null,
        target_id: event.targetId?.slice(0, 64) ?? null,
        // A denial is the actor's act: it is read by the auditors over the actor's region.
        target_region_code: actor?.regionCode ?? null,
      })
      .onConflict((oc) =>
        oc.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`audit_rate_windows.count + 1` }),
      )
      .execute();
    await flushSecurityEvents(platform, now);
  } catch {
    // Auditing a refusal must never turn it into a 500; the next event or the scheduler flushes what is counted.
  }
}

/**
 * Writes every minute that is over (all of them with `everything`, at shutdown) as one audit row each.
 * Deleting the counted windows and writing their rows is one transaction: a window is written exactly once,
 * even with several instances flushing.
 */
export async function flushSecurityEvents(platform: Deps, now: Date, everything = false): Promise<number> {
  const cutoff = everything ? '9999' : windowStart(now);
  const pending = await platform.db
    .selectFrom('audit_rate_windows')
    .select('key')
    .where('window_start', '<', cutoff)
    .limit(1)
    .executeTakeFirst();
  if (!pending) return 0;
  return platform.db.transaction().execute(async (trx) => {
    const windows = await trx
      .deleteFrom('audit_rate_windows')
      .where('window_start', '<', cutoff)
      .returningAll()
      .execute();
    windows.sort((a, b) => a.window_start.localeCompare(b.window_start) || a.key.localeCompare(b.key));
    for (const w of windows) {
      const actor = w.actor_id
        ? ({ id: w.actor_id, username: w.actor_username, role: w.actor_role, regionCode: w.actor_region_code } as Actor)
        : null;
      const action = `security.${w.kind as SecurityEventKind}` as const;
      const changes = platform.audit.changesOf({
        action,
        changes: {
          kind: w.kind as SecurityEventKind,
          count: w.count,
          windowStart: w.window_start,
          ...(w.method ? { method: w.method } : {}),
          ...(w.route ? { route: w.route } : {}),
        },
      });
      await platform.audit.insert(
        trx,
        { actor, username: w.actor_username ?? undefined, ip: w.ip ?? undefined, requestId: w.request_id ?? undefined },
        {
          action,
          targetType: (w.target_type ?? undefined) as 'route' | undefined,
          targetId: w.target_id ?? undefined,
          outcome: 'denied',
        },
        changes,
        w.target_region_code,
        w.window_start,
      );
    }
    return windows.length;
  });
}

const DENIALS: Partial<Record<string, SecurityEventKind>> = {
  NOT_FOUND: 'not_found',
  FORBIDDEN: 'forbidden',
  CSRF_REJECTED: 'csrf_rejected',
};

const ID_LIKE = /^[0-9A-Za-z-]{1,64}$/;

/** Every out-of-scope 404, role 403 and CSRF rejection of a signed-in request is counted (one row per minute). */
export function installDenialAudit(app: FastifyInstance, platform: Platform): void {
  app.addHook('onError', async (req, _reply, err) => {
    if (!(err instanceof AppError) || !req.actor || !req.url.startsWith('/api/')) return;
    const kind = DENIALS[err.code];
    if (!kind) return;
    const id = (req.params as Record<string, unknown> | undefined)?.id;
    await auditSecurityEvent(platform, {
      kind,
      origin: { actor: req.actor, ip: req.ip, requestId: req.id },
      method: req.method,
      route: req.routeOptions.url ?? undefined,
      ...(typeof id === 'string' && ID_LIKE.test(id) ? { targetType: 'route', targetId: id } : {}),
    });
  });
}
