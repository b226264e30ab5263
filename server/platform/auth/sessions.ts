import { randomBytes } from 'node:crypto';
import type { RegionLevel, Role } from '../../../common/roles.js';
import type { Clock } from '../clock.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import type { Executor } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { levelOfCode, type Actor } from '../scope.js';
import { blocksSignIn, parsePendingChange } from '../../../common/schemas/users.js';
import { isPasswordChangeDue } from './passwords.js';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
  passwordMaxAgeDays: number;
  mfaRequiredRoles: readonly Role[];
}

/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 30_000;

export interface NewSession {
  token: string;
  csrfToken: string;
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
}

// Every request resolves its session: these run prepared (compiled once).
const sessionRow = prepared((db, p: { idHash: string }) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.region_code',
      'u.is_disabled',
      'u.password_changed_at',
      'u.mfa_enabled_at',
      'u.pending_change',
    ])
    .where('s.id_hash', '=', p.idHash),
);
const touchSession = prepared((db, p: { idHash: string; at: string }) =>
  db.updateTable('sessions').set({ last_seen_at: p.at }).where('id_hash', '=', p.idHash),
);

/**
 * Server-side sessions in the database (several instances can share them). The cookie holds a 256-bit
 * random token; the table holds only its SM3 digest.
 */
export class SessionStore {
  constructor(
    private readonly crypto: CryptoProvider,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {}

  hashToken(token: string): string {
    return this.crypto.sm3(token);
  }

  async create(db: Executor, userId: string, ip: string | null): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.clock.now().toISOString();
    await db
      .insertInto('sessions')
      .values({
        id_hash: this.hashToken(token),
        user_id: userId,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        ip,
      })
      .execute();
    return { token, csrfToken };
  }

  /** The live session for a token, or null when unknown, expired (idle or absolute) or the account is disabled. */
  async resolve(db: Executor, token: string): Promise<ResolvedSession | null> {
    if (token.length > 128) return null;
    const idHash = this.hashToken(token);
    const [row] = (await sessionRow(db, { idHash })).rows;
    if (!row) return null;
    const now = this.clock.now().getTime();
    const idleExpired = now - Date.parse(row.last_seen_at) > this.policy.idleMinutes * 60_000;
    const absoluteExpired = now - Date.parse(row.created_at) > this.policy.absoluteHours * 3_600_000;
    // An account waiting for approval (a new role, say) has no live session either.
    const isPending = blocksSignIn(parsePendingChange(row.pending_change));
    if (idleExpired || absoluteExpired || row.is_disabled || isPending) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      return null;
    }
    if (now - Date.parse(row.last_seen_at) > TOUCH_INTERVAL_MS)
      await touchSession(db, { idHash, at: new Date(now).toISOString() });
    return {
      csrfToken: row.csrf_token,
      actor: {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        role: row.role as Role,
        regionCode: row.region_code,
        regionLevel: levelOfCode(row.region_code) as RegionLevel,
        sessionIdHash: idHash,
        mustChangePassword: isPasswordChangeDue(row.password_changed_at, new Date(now), this.policy.passwordMaxAgeDays),
        mfaEnrolmentDue: !row.mfa_enabled_at && this.policy.mfaRequiredRoles.includes(row.role as Role),
      },
    };
  }

  async destroy(db: Executor, idHash: string): Promise<void> {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async destroyAllForUser(db: Executor, userId: string): Promise<void> {
    await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  /** Every session of the user but the one whose hash is `keepIdHash` (a password change keeps its own). */
  async destroyOthersForUser(db: Executor, userId: string, keepIdHash: string): Promise<void> {
    await db.deleteFrom('sessions').where('user_id', '=', userId).where('id_hash', '!=', keepIdHash).execute();
  }
}
