import type { Platform } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import * as repo from './login-throttle.repository.js';

/** Growing delays stop doubling here. */
const MAX_DOUBLINGS = 6;
const MAX_IP_DELAY_SECONDS = 15 * 60;

export interface ThrottleKeys {
  ip: string;
  pair: string;
  user: string;
  userKey: string;
}

/**
 * Login abuse (issue 10 item 7), counted in the database so every instance sees the same counts:
 * - a source × username pair is blocked after LOCKOUT_THRESHOLD failures for LOCKOUT_MINUTES, doubling at
 *   each further block: the pair answers 423 (the DESIGN §5 contract, as seen from that source);
 * - a source failing on many usernames waits a growing delay per failure past LOGIN_IP_THRESHOLD: 429;
 * - a username locks for everyone only after ACCOUNT_LOCK_THRESHOLD failures from ACCOUNT_LOCK_SOURCES
 *   addresses. Live sessions are never ended by others' guesses.
 * Usernames are keyed by a keyed digest whether the account exists or not, so an unknown name walks exactly
 * the same steps as a known one (423 included), and a password typed into the username box is not stored.
 */
export function createLoginThrottle(platform: Pick<Platform, 'config' | 'clock' | 'crypto'>) {
  const { config, clock, crypto } = platform;

  function userKeyOf(username: string): string {
    return crypto.blindIndex('login_username', username.trim().toLowerCase());
  }

  function keysFor(ip: string | undefined, username: string): ThrottleKeys {
    const userKey = userKeyOf(username);
    const source = ip ?? 'unknown';
    return { ip: `ip:${source}`, pair: `ipu:${source}:${userKey}`, user: `user:${userKey}`, userKey };
  }

  function windowStart(now: Date): string {
    return new Date(now.getTime() - config.loginThrottle.windowMinutes * 60_000).toISOString();
  }

  function lockedError(until: string, now: Date): AppError {
    const seconds = (Date.parse(until) - now.getTime()) / 1000;
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return AppError.throttled('ACCOUNT_LOCKED', seconds, `账户已锁定，请 ${minutes} 分钟后再试或联系管理员`);
  }

  return {
    keysFor,
    userKeyOf,

    /** Refuses before any password is checked when the source, the pair or the username is blocked. */
    async check(db: Executor, keys: ThrottleKeys): Promise<void> {
      const now = clock.now();
      const at = now.toISOString();
      const rows = await repo.findThrottles(db, [keys.ip, keys.pair, keys.user]);
      const blocked = (key: string) => rows.find((r) => r.key === key && r.blocked_until && r.blocked_until > at);
      const ip = blocked(keys.ip);
      if (ip) {
        const seconds = (Date.parse(ip.blocked_until!) - now.getTime()) / 1000;
        throw AppError.throttled('RATE_LIMITED', seconds, `登录失败次数过多，请 ${Math.ceil(seconds)} 秒后再试`);
      }
      const locked = blocked(keys.pair) ?? blocked(keys.user);
      if (locked) throw lockedError(locked.blocked_until!, now);
    },

    /** Counts one failure on all three keys; returns what this failure newly blocked (for the audit log). */
    async recordFailure(db: Executor, keys: ThrottleKeys): Promise<Array<'ip' | 'pair' | 'account'>> {
      const now = clock.now();
      const at = now.toISOString();
      const since = windowStart(now);
      const newly: Array<'ip' | 'pair' | 'account'> = [];
      const t = config.loginThrottle;

      const ip = await repo.addFailure(db, { key: keys.ip, kind: 'ip', userKey: null }, at, since);
      if (ip.failures > t.ipThreshold) {
        const seconds = Math.min(2 ** Math.min(ip.failures - t.ipThreshold - 1, 20), MAX_IP_DELAY_SECONDS);
        await repo.block(db, keys.ip, ip.failures, new Date(now.getTime() + seconds * 1000).toISOString(), false);
        if (ip.failures === t.ipThreshold + 1) newly.push('ip');
      }

      const pair = await repo.addFailure(db, { key: keys.pair, kind: 'ip_user', userKey: keys.userKey }, at, since);
      if (pair.failures >= config.lockout.threshold) {
        const minutes = config.lockout.minutes * 2 ** Math.min(pair.strikes, MAX_DOUBLINGS);
        await repo.block(db, keys.pair, pair.failures, new Date(now.getTime() + minutes * 60_000).toISOString(), true);
        newly.push('pair');
      }

      const user = await repo.addFailure(db, { key: keys.user, kind: 'user', userKey: keys.userKey }, at, since);
      if (
        user.failures >= t.accountThreshold &&
        (await repo.countSources(db, keys.userKey, since)) >= t.accountSources
      ) {
        const minutes = t.accountMinutes * 2 ** Math.min(user.strikes, MAX_DOUBLINGS);
        // The count stays (the security administrator sees it); it ends with the window or an unlock.
        await repo.block(db, keys.user, user.failures, new Date(now.getTime() + minutes * 60_000).toISOString(), false);
        newly.push('account');
      }
      return newly;
    },

    /** The right password from this source: its own count (and growth) starts again; nobody else's. */
    async recordSuccess(db: Executor, keys: ThrottleKeys): Promise<void> {
      await repo.clearKey(db, keys.pair);
    },

    /** An administrator's unlock clears every count against the username, from every source. */
    async clearUser(db: Executor, username: string): Promise<void> {
      await repo.clearUser(db, userKeyOf(username));
    },

    async stateOf(db: Executor, usernames: string[]) {
      const keys = usernames.map((u) => [u, userKeyOf(u)] as const);
      const state = await repo.userThrottleState(
        db,
        keys.map(([, k]) => k),
        clock.now().toISOString(),
      );
      return new Map(keys.map(([u, k]) => [u, state.get(k) ?? { failures: 0, blockedUntil: null, blockedSources: 0 }]));
    },

    /** Second-factor guesses: LOCKOUT_THRESHOLD wrong codes block the account's code entry, growing. */
    async checkMfa(db: Executor, userId: string): Promise<void> {
      const now = clock.now();
      const [row] = await repo.findThrottles(db, [`mfa:${userId}`]);
      if (row?.blocked_until && row.blocked_until > now.toISOString()) {
        const seconds = (Date.parse(row.blocked_until) - now.getTime()) / 1000;
        throw AppError.throttled(
          'RATE_LIMITED',
          seconds,
          `验证码错误次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`,
        );
      }
    },

    async recordMfaFailure(db: Executor, userId: string): Promise<boolean> {
      const now = clock.now();
      const key = `mfa:${userId}`;
      const row = await repo.addFailure(db, { key, kind: 'mfa', userKey: null }, now.toISOString(), windowStart(now));
      if (row.failures < config.lockout.threshold) return false;
      const minutes = config.lockout.minutes * 2 ** Math.min(row.strikes, MAX_DOUBLINGS);
      await repo.block(db, key, row.failures, new Date(now.getTime() + minutes * 60_000).toISOString(), true);
      return true;
    },

    async clearMfa(db: Executor, userId: string): Promise<void> {
      await repo.clearKey(db, `mfa:${userId}`);
    },

    prune(db: Executor): Promise<number> {
      const now = clock.now();
      return repo.pruneThrottles(db, new Date(now.getTime() - 86_400_000).toISOString(), now.toISOString());
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
