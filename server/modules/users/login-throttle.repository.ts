import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { LoginThrottleTable } from '../../platform/db/schema.js';

export type ThrottleRow = LoginThrottleTable;

export function findThrottles(db: Executor, keys: string[]): Promise<ThrottleRow[]> {
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

/**
 * One more failure, atomically (several instances count into the same row): a count older than the window
 * starts again at 1. Returns the row after the increment.
 */
export async function addFailure(
  db: Executor,
  row: { key: string; kind: string; userKey: string | null },
  now: string,
  windowStart: string,
): Promise<ThrottleRow> {
  return db
    .insertInto('login_throttle')
    .values({
      key: row.key,
      kind: row.kind,
      user_key: row.userKey,
      failures: 1,
      strikes: 0,
      last_failure_at: now,
      blocked_until: null,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttle.last_failure_at < ${windowStart} then 1 else login_throttle.failures + 1 end`,
        last_failure_at: now,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Blocks a key until `until` and counts the strike; only the writer that saw `failures` does it. */
export async function block(db: Executor, key: string, failures: number, until: string, resetFailures: boolean) {
  await db
    .updateTable('login_throttle')
    .set((eb) => ({
      blocked_until: until,
      strikes: eb('strikes', '+', 1),
      ...(resetFailures ? { failures: 0 } : {}),
    }))
    .where('key', '=', key)
    .where('failures', '=', failures)
    .execute();
}

/** Addresses (source × username rows) that failed for this username inside the window. */
export async function countSources(db: Executor, userKey: string, windowStart: string): Promise<number> {
  const row = await db
    .selectFrom('login_throttle')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'ip_user')
    .where('user_key', '=', userKey)
    .where('last_failure_at', '>=', windowStart)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearKey(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Everything counted against a username: its own row and every source × username row. */
export async function clearUser(db: Executor, userKey: string): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where((eb) => eb.or([eb('user_key', '=', userKey), eb('key', '=', `user:${userKey}`)]))
    .execute();
}

/** What the security administrator sees per account: the account row and the blocked sources. */
export async function userThrottleState(
  db: Executor,
  userKeys: string[],
  now: string,
): Promise<Map<string, { failures: number; blockedUntil: string | null; blockedSources: number }>> {
  const state = new Map<string, { failures: number; blockedUntil: string | null; blockedSources: number }>();
  if (userKeys.length === 0) return state;
  const rows = await db
    .selectFrom('login_throttle')
    .select(['key', 'kind', 'user_key', 'failures', 'blocked_until'])
    .where((eb) =>
      eb.or([
        eb('user_key', 'in', userKeys),
        eb(
          'key',
          'in',
          userKeys.map((k) => `user:${k}`),
        ),
      ]),
    )
    .execute();
  for (const r of rows) {
    const userKey = r.user_key ?? '';
    const s = state.get(userKey) ?? { failures: 0, blockedUntil: null, blockedSources: 0 };
    const isBlocked = r.blocked_until !== null && r.blocked_until > now;
    if (r.kind === 'user') {
      s.failures = r.failures;
      if (isBlocked) s.blockedUntil = r.blocked_until;
    } else if (isBlocked) s.blockedSources += 1;
    state.set(userKey, s);
  }
  return state;
}

/** Rows nobody has failed on for a day and that block nothing: the table stays small under a spray. */
export async function pruneThrottles(db: Executor, before: string, now: string): Promise<number> {
  const result = await db
    .deleteFrom('login_throttle')
    .where('last_failure_at', '<', before)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
