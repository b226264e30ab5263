import { randomBytes } from 'node:crypto';
import { isAdminRole, type Role } from '../../../common/roles.js';
import { blocksSignIn, parsePendingChange, type SessionUser } from '../../../common/schemas/users.js';
import {
  burnVerifyTime,
  checkPasswordPolicy,
  hashPassword,
  isPasswordChangeDue,
  verifyPassword,
} from '../../platform/auth/passwords.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { AuditContext, AuditEntry } from '../../platform/audit/audit-log.js';
import { networkMatcher } from '../../platform/auth/networks.js';
import { auditSecurityEvent } from '../../platform/audit/security-events.js';
import { abilitiesOf } from '../../platform/policy.js';
import { createLoginThrottle, type ThrottleKeys } from './login-throttle.js';
import * as mfaRepo from './mfa.repository.js';
import { createMfaService } from './mfa.service.js';
import { previousPasswordHashes, rememberReplacedPassword } from './password-history.repository.js';
import * as repo from './users.repository.js';

export interface LoginResult {
  user: SessionUser;
  token: string;
  csrfToken: string;
}

/** A right password on an account with a second factor: the browser must come back with a code. */
export interface MfaStep {
  mfaRequired: true;
  challenge: string;
}

/** The second login step must follow the first within this time. */
const CHALLENGE_MINUTES = 5;
const CHALLENGE_ATTEMPTS = 5;

export function createAuthService(platform: Platform) {
  const { db, clock, audit, sessions, config, crypto } = platform;
  const throttle = createLoginThrottle(platform);
  const mfa = createMfaService(platform);
  const isAdminNetwork = networkMatcher(config.adminAllowedNetworks);

  function mustChangePassword(row: Pick<repo.UserRow, 'password_changed_at'>): boolean {
    return isPasswordChangeDue(row.password_changed_at, clock.now(), config.password.maxAgeDays);
  }

  function toSessionUser(row: repo.UserRow): SessionUser {
    const role = row.role as Role;
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role,
      regionCode: row.region_code,
      regionName: row.region_name,
      mustChangePassword: mustChangePassword(row),
      mfaEnabled: Boolean(row.mfa_enabled_at),
      mfaEnrolmentDue: !row.mfa_enabled_at && config.mfaRequiredRoles.includes(role),
      abilities: abilitiesOf(role),
    };
  }

  async function auditLogin(origin: AuditContext, username: string, entry: Omit<AuditEntry, 'action'>) {
    await db
      .transaction()
      .execute((trx) =>
        audit.record(trx, { ...origin, username }, { action: 'auth.login', targetType: 'user', ...entry }),
      );
  }

  /**
   * One refusal for every bad login — unknown user, wrong password, disabled account, a 三员 outside
   * ADMIN_ALLOWED_NETWORKS: the same answer, the same counting, the same time.
   */
  async function refuse(
    origin: AuditContext,
    keys: ThrottleKeys,
    username: string,
    reason: string,
    userId?: string,
  ): Promise<never> {
    const newly = await db.transaction().execute(async (trx) => {
      const blocked = await throttle.recordFailure(trx, keys);
      await audit.record(
        trx,
        { ...origin, username },
        { action: 'auth.login', targetType: 'user', targetId: userId, outcome: 'failure', changes: { reason } },
      );
      return blocked;
    });
    // The moment a block starts is a security event (等保: throttling and lockouts are audited), counted like
    // every other one: one `security.throttled` / `security.locked_out` row per source and minute.
    for (const what of newly)
      await auditSecurityEvent(platform, {
        kind: what === 'ip' ? 'throttled' : 'locked_out',
        origin: { ...origin, username },
        method: 'POST',
        route: '/api/v1/auth/login',
        ...(userId ? { targetType: 'user' as const, targetId: userId } : {}),
      });
    throw new AppError('INVALID_CREDENTIALS');
  }

  /**
   * One more wrong password for the account; at the threshold it locks and every session of it ends
   * (a stolen session guessing the password at 修改密码 is thrown out as well). Returns whether it locked.
   */
  async function countFailure(row: repo.UserRow, origin: AuditContext): Promise<boolean> {
    const now = clock.now();
    const failures = row.failed_attempts + 1;
    const locks = failures >= config.lockout.threshold;
    await db.transaction().execute(async (trx) => {
      await repo.setLoginState(trx, row.id, {
        failed_attempts: locks ? 0 : failures,
        locked_until: locks ? new Date(now.getTime() + config.lockout.minutes * 60_000).toISOString() : null,
      });
      if (!locks) return;
      await sessions.destroyAllForUser(trx, row.id);
      await audit.record(trx, origin, {
        action: 'auth.lockout',
        targetType: 'user',
        targetId: row.id,
        outcome: 'denied',
      });
    });
    return locks;
  }

  /** The session, once every factor is in. */
  async function startSession(
    row: repo.UserRow,
    origin: AuditContext,
    previousToken: string | undefined,
    method: 'password' | 'totp' | 'recovery_code',
  ): Promise<LoginResult> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      // A new session id at every login; the one the browser held before (if any) dies.
      if (previousToken) await sessions.destroy(trx, sessions.hashToken(previousToken));
      await repo.setLoginState(trx, row.id, {
        failed_attempts: 0,
        locked_until: null,
        last_login_at: now.toISOString(),
      });
      const session = await sessions.create(trx, row.id, origin.ip ?? null);
      await audit.record(
        trx,
        { ...origin, username: row.username },
        {
          action: 'auth.login',
          targetType: 'user',
          targetId: row.id,
          ...(method === 'password' ? {} : { changes: { secondFactor: method } }),
        },
      );
      return { user: toSessionUser(row), ...session };
    });
  }

  /** The current password and the previous ones, up to PASSWORD_HISTORY in all, may not come back. */
  async function refuseRecentPassword(row: repo.UserRow, newPassword: string): Promise<void> {
    const hashes = [row.password_hash, ...(await previousPasswordHashes(db, row.id, config.password.history - 1))];
    for (const hash of hashes)
      if (await verifyPassword(hash, newPassword))
        throw AppError.field(
          'newPassword',
          config.password.history > 1
            ? `新密码不能与最近 ${config.password.history} 次使用过的密码相同`
            : '新密码不能与当前密码相同',
          'PASSWORD_REUSED',
        );
  }

  return {
    async login(
      origin: AuditContext,
      username: string,
      password: string,
      previousToken?: string,
    ): Promise<LoginResult | MfaStep> {
      const keys = throttle.keysFor(origin.ip, username);
      try {
        await throttle.check(db, keys);
      } catch (err) {
        await burnVerifyTime(password);
        // A source already throttled is not audited per attempt (its block was): a flood cannot fill the log.
        if (err instanceof AppError && err.code === 'ACCOUNT_LOCKED')
          await auditLogin(origin, username, { outcome: 'denied', changes: { reason: 'locked' } });
        throw err;
      }
      const row = await repo.findUserByUsername(db, username);
      if (!row) {
        await burnVerifyTime(password);
        return refuse(origin, keys, username, 'unknown_user');
      }
      const now = clock.now();
      // Set only by wrong current passwords inside the owner's own session (修改密码), never by strangers.
      if (row.locked_until && Date.parse(row.locked_until) > now.getTime()) {
        await burnVerifyTime(password);
        await auditLogin(origin, username, { targetId: row.id, outcome: 'denied', changes: { reason: 'locked' } });
        throw new AppError('ACCOUNT_LOCKED', `账户已锁定，请 ${config.lockout.minutes} 分钟后再试或联系管理员`);
      }
      const isValid = await verifyPassword(row.password_hash, password);
      if (!isValid) return refuse(origin, keys, username, 'wrong_password', row.id);
      if (row.is_disabled === 1 && !parsePendingChange(row.pending_change)?.enable)
        return refuse(origin, keys, username, 'disabled', row.id);
      if (isAdminRole(row.role as Role) && !isAdminNetwork(origin.ip))
        return refuse(origin, keys, username, 'network_not_allowed', row.id);
      await throttle.recordSuccess(db, keys);
      if (row.is_disabled === 1 || blocksSignIn(parsePendingChange(row.pending_change))) {
        await auditLogin(origin, username, {
          targetId: row.id,
          outcome: 'denied',
          changes: { reason: 'pending_approval' },
        });
        throw new AppError('FORBIDDEN', '账户尚待安全管理员审批，审批通过后方可登录', [
          { path: 'username', message: '账户尚待审批', code: 'ACCOUNT_PENDING' },
        ]);
      }
      if (row.mfa_enabled_at) {
        const challenge = randomBytes(32).toString('base64url');
        await db.transaction().execute(async (trx) => {
          await mfaRepo.insertChallenge(trx, {
            idHash: crypto.sm3(challenge),
            userId: row.id,
            createdAt: now.toISOString(),
            ip: origin.ip ?? null,
          });
          await audit.record(
            trx,
            { ...origin, username },
            { action: 'auth.password_step', targetType: 'user', targetId: row.id },
          );
        });
        return { mfaRequired: true, challenge };
      }
      return startSession(row, origin, previousToken, 'password');
    },

    /** The second step: a TOTP code or a recovery code for the challenge the password step answered. */
    async verifyMfa(
      origin: AuditContext,
      challenge: string,
      code: string,
      previousToken?: string,
    ): Promise<LoginResult> {
      const idHash = crypto.sm3(challenge);
      const found = await mfaRepo.findChallenge(db, idHash);
      const now = clock.now();
      const expired =
        !found ||
        now.getTime() - Date.parse(found.created_at) > CHALLENGE_MINUTES * 60_000 ||
        found.attempts >= CHALLENGE_ATTEMPTS;
      if (expired) throw new AppError('UNAUTHENTICATED', '验证已过期，请重新输入用户名和密码');
      const row = (await repo.findUserById(db, found.user_id))!;
      await throttle.checkMfa(db, row.id);
      const method = await mfa.verifyCode(db, row, code);
      if (!method) {
        const blocked = await db.transaction().execute(async (trx) => {
          await mfaRepo.countChallengeAttempt(trx, idHash);
          const isBlocked = await throttle.recordMfaFailure(trx, row.id);
          await audit.record(
            trx,
            { ...origin, username: row.username },
            {
              action: 'auth.mfa_verify',
              targetType: 'user',
              targetId: row.id,
              outcome: 'failure',
              changes: { reason: 'wrong_code', blocked: isBlocked },
            },
          );
          return isBlocked;
        });
        if (blocked) await throttle.checkMfa(db, row.id);
        throw new AppError('INVALID_CREDENTIALS', '动态验证码不正确', [
          { path: 'code', message: '动态验证码不正确', code: 'MFA_CODE_WRONG' },
        ]);
      }
      await mfaRepo.deleteChallenges(db, row.id);
      await throttle.clearMfa(db, row.id);
      return startSession((await repo.findUserById(db, row.id))!, origin, previousToken, method);
    },

    async me(c: RequestContext): Promise<SessionUser> {
      const row = await repo.findUserById(db, c.actor.id);
      if (!row) throw new AppError('UNAUTHENTICATED');
      return toSessionUser(row);
    },

    async logout(c: RequestContext): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await sessions.destroy(trx, c.actor.sessionIdHash);
        await audit.record(trx, c, { action: 'auth.logout', targetType: 'user', targetId: c.actor.id });
      });
    },

    async changePassword(c: RequestContext, currentPassword: string, newPassword: string): Promise<void> {
      const row = await repo.findUserById(db, c.actor.id);
      if (!row) throw new AppError('UNAUTHENTICATED');
      if (!(await verifyPassword(row.password_hash, currentPassword))) {
        await db.transaction().execute((trx) =>
          audit.record(trx, c, {
            action: 'auth.password_change',
            targetType: 'user',
            targetId: row.id,
            outcome: 'failure',
            changes: { reason: 'wrong_password' },
          }),
        );
        if (await countFailure(row, c))
          throw new AppError(
            'ACCOUNT_LOCKED',
            `密码错误次数过多，账户已锁定，请 ${config.lockout.minutes} 分钟后重新登录`,
          );
        throw AppError.field('currentPassword', '当前密码不正确', 'PASSWORD_WRONG');
      }
      const problem = checkPasswordPolicy(newPassword, config.password, row.username);
      if (problem) throw AppError.validation([{ ...problem, path: 'newPassword' }]);
      await refuseRecentPassword(row, newPassword);
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await rememberReplacedPassword(
          trx,
          row.id,
          row.password_hash,
          clock.now().toISOString(),
          config.password.history - 1,
        );
        await repo.setPassword(trx, row.id, hash, clock.now().toISOString());
        await repo.setLoginState(trx, row.id, { failed_attempts: 0 });
        // Other sessions of this account end; this one stays.
        await sessions.destroyOthersForUser(trx, row.id, c.actor.sessionIdHash);
        await audit.record(trx, c, { action: 'auth.password_change', targetType: 'user', targetId: row.id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
