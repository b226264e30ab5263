import type { Role } from '../../../common/roles.js';
import type { SessionUser } from '../../../common/schemas/users.js';
import {
  burnVerifyTime,
  checkPasswordPolicy,
  hashPassword,
  isPasswordChangeDue,
  verifyPassword,
} from '../../platform/auth/passwords.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { AuditContext } from '../../platform/audit/audit-log.js';
import * as repo from './users.repository.js';

export interface LoginResult {
  user: SessionUser;
  token: string;
  csrfToken: string;
}

export function createAuthService(platform: Platform) {
  const { db, clock, audit, sessions, config } = platform;

  function mustChangePassword(row: Pick<repo.UserRow, 'password_changed_at'>): boolean {
    return isPasswordChangeDue(row.password_changed_at, clock.now(), config.password.maxAgeDays);
  }

  function toSessionUser(row: repo.UserRow): SessionUser {
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role as Role,
      regionCode: row.region_code,
      regionName: row.region_name,
      mustChangePassword: mustChangePassword(row),
    };
  }

  /** One refusal for every bad login: an unknown user and a wrong password look and take the same. */
  async function refuse(origin: AuditContext, username: string, reason: string, userId?: string): Promise<never> {
    await db
      .transaction()
      .execute((trx) =>
        audit.record(
          trx,
          { ...origin, username },
          { action: 'auth.login', targetType: 'user', targetId: userId, outcome: 'failure', changes: { reason } },
        ),
      );
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
      await trx.deleteFrom('sessions').where('user_id', '=', row.id).execute();
      await audit.record(trx, origin, {
        action: 'auth.lockout',
        targetType: 'user',
        targetId: row.id,
        outcome: 'denied',
      });
    });
    return locks;
  }

  return {
    async login(
      origin: AuditContext,
      username: string,
      password: string,
      previousToken?: string,
    ): Promise<LoginResult> {
      const row = await repo.findUserByUsername(db, username);
      if (!row) {
        await burnVerifyTime(password);
        return refuse(origin, username, 'unknown_user');
      }
      const now = clock.now();
      if (row.locked_until && Date.parse(row.locked_until) > now.getTime()) {
        await burnVerifyTime(password);
        await db.transaction().execute((trx) =>
          audit.record(
            trx,
            { ...origin, username },
            {
              action: 'auth.login',
              targetType: 'user',
              targetId: row.id,
              outcome: 'denied',
              changes: { reason: 'locked' },
            },
          ),
        );
        throw new AppError('ACCOUNT_LOCKED', `账户已锁定，请 ${config.lockout.minutes} 分钟后再试或联系管理员`);
      }
      const isValid = await verifyPassword(row.password_hash, password);
      if (!isValid || row.is_disabled === 1) {
        if (row.is_disabled === 1) return refuse(origin, username, 'disabled', row.id);
        await countFailure(row, { ...origin, username });
        return refuse(origin, username, 'wrong_password', row.id);
      }
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
          { ...origin, username },
          { action: 'auth.login', targetType: 'user', targetId: row.id },
        );
        return { user: toSessionUser(row), ...session };
      });
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
      if (await verifyPassword(row.password_hash, newPassword))
        throw AppError.field('newPassword', '新密码不能与当前密码相同', 'PASSWORD_REUSED');
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await repo.setPassword(trx, row.id, hash, clock.now().toISOString());
        await repo.setLoginState(trx, row.id, { failed_attempts: 0 });
        // Other sessions of this account end; this one stays.
        await trx
          .deleteFrom('sessions')
          .where('user_id', '=', row.id)
          .where('id_hash', '!=', c.actor.sessionIdHash)
          .execute();
        await audit.record(trx, c, { action: 'auth.password_change', targetType: 'user', targetId: row.id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
