import { randomInt, randomUUID } from 'node:crypto';
import { isAdminRole, ROLE_REGION_LEVELS, type Role } from '../../../common/roles.js';
import {
  parsePendingChange,
  type PendingChange,
  type UserCreate,
  type UserCreated,
  type UserDecision,
  type UserUpdate,
  type UserView,
} from '../../../common/schemas/users.js';
import { checkPasswordPolicy, hashPassword, PASSWORD_MUST_CHANGE } from '../../platform/auth/passwords.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isInScope } from '../../platform/scope.js';
import { regionByCode } from '../regions/regions.service.js';
import { createLoginThrottle } from './login-throttle.js';
import * as mfaRepo from './mfa.repository.js';
import { rememberReplacedPassword } from './password-history.repository.js';
import * as repo from './users.repository.js';

type ThrottleState = { failures: number; blockedUntil: string | null; blockedSources: number };
const NO_THROTTLE: ThrottleState = { failures: 0, blockedUntil: null, blockedSources: 0 };

export function toUserView(row: repo.UserRow, now: Date, throttle: ThrottleState = NO_THROTTLE): UserView {
  const lockedUntil = [row.locked_until, throttle.blockedUntil]
    .filter((t): t is string => t !== null && Date.parse(t) > now.getTime())
    .sort()
    .at(-1);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    regionCode: row.region_code,
    regionName: row.region_name,
    isDisabled: row.is_disabled === 1,
    lockedUntil: lockedUntil ?? null,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    version: row.version,
    pendingChange: parsePendingChange(row.pending_change),
    failedAttempts: throttle.failures + row.failed_attempts,
    blockedSources: throttle.blockedSources,
    mfaEnabled: Boolean(row.mfa_enabled_at),
    isUnclaimed: row.password_changed_at === PASSWORD_MUST_CHANGE,
  };
}

/**
 * Who approves a change (三员 separation): the security administrator, except for changes to a security
 * administrator's account (or one that would become one), which the auditor approves — never the person
 * concerned, never the one who asked.
 */
export function approverRoleFor(roles: Role[]): PendingChange['approverRole'] {
  return roles.includes('security_admin') ? 'auditor' : 'security_admin';
}

/** A strong one-time password: 4 upper, 4 lower, 4 digits, no look-alikes, shown once to the creator. */
function newInitialPassword(): string {
  const pick = (alphabet: string) => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${pick('ABCDEFGHJKMNPQRSTUVWXYZ')}-${pick('abcdefghjkmnpqrstuvwxyz')}-${pick('23456789')}`;
}

export function createUsersService(platform: Platform) {
  const { db, clock, audit, sessions, config } = platform;
  const throttle = createLoginThrottle(platform);

  async function checkRoleAndRegion(trx: Executor, c: RequestContext, role: Role, regionCode: string): Promise<void> {
    const region = await regionByCode(trx, regionCode);
    if (!region || !isInScope(c.actor, regionCode))
      throw AppError.field('regionCode', '区划不存在或不在管辖范围内', 'REGION_UNKNOWN');
    if (!ROLE_REGION_LEVELS[role].includes(region.level as never))
      throw AppError.field('regionCode', '所选区划的层级与角色不符', 'REGION_LEVEL_MISMATCH');
  }

  function checkPassword(password: string, username: string): void {
    const problem = checkPasswordPolicy(password, config.password, username);
    if (problem) throw AppError.validation([problem]);
  }

  async function getInScope(trx: Executor, c: RequestContext, id: string): Promise<repo.UserRow> {
    const row = await repo.findUserById(trx, id);
    if (!row || !isInScope(c.actor, row.region_code)) throw AppError.notFound();
    return row;
  }

  async function view(trx: Executor, id: string): Promise<UserView> {
    const row = (await repo.findUserById(trx, id))!;
    const state = await throttle.stateOf(trx, [row.username]);
    return toUserView(row, clock.now(), state.get(row.username));
  }

  async function views(rows: repo.UserRow[]): Promise<UserView[]> {
    const state = await throttle.stateOf(
      db,
      rows.map((r) => r.username),
    );
    const now = clock.now();
    return rows.map((r) => toUserView(r, now, state.get(r.username)));
  }

  /** The approver may decide this change: the right one of the 三员, not the account itself nor who asked. */
  function checkApprover(c: RequestContext, row: repo.UserRow, change: PendingChange): void {
    if (c.actor.role !== change.approverRole)
      throw new AppError(
        'FORBIDDEN',
        change.approverRole === 'auditor' ? '此变更涉及安全管理员账户，须由安全审计员审批' : '此变更须由安全管理员审批',
      );
    if (c.actor.id === row.id || c.actor.id === change.requestedBy)
      throw new AppError('FORBIDDEN', '不能审批本人账户或本人提出的变更');
  }

  /** What approve and reject both check first: the account in scope, a pending change, this approver, the version. */
  async function pendingDecision(
    trx: Executor,
    c: RequestContext,
    id: string,
    input: UserDecision,
  ): Promise<{ row: repo.UserRow; change: PendingChange }> {
    const row = await getInScope(trx, c, id);
    authorize(c.actor, 'user.approve');
    const change = parsePendingChange(row.pending_change);
    if (!change) throw new AppError('CONFLICT', '该账户没有待审批的变更');
    checkApprover(c, row, change);
    if (input.version !== undefined && input.version !== row.version) throw new AppError('VERSION_CONFLICT');
    return { row, change };
  }

  return {
    async list(c: RequestContext, filters: repo.UserFilters, page: { page: number; pageSize: number }) {
      authorize(c.actor, 'user.read');
      // A region outside the actor's is 404, as everywhere, not an empty list.
      if (filters.regionCode && !isInScope(c.actor, filters.regionCode)) throw AppError.notFound();
      const { rows, total } = await repo.listUsers(db, actorRange(c.actor), filters, page);
      return { data: await views(rows), page: { ...page, total } };
    },

    /** The changes this actor may approve, in their region: the security administrator's or the auditor's queue. */
    async listApprovals(c: RequestContext): Promise<UserView[]> {
      authorize(c.actor, 'user.approve');
      const rows = await repo.listPending(db, actorRange(c.actor));
      const mine = rows.filter((r) => {
        const change = parsePendingChange(r.pending_change)!;
        return change.approverRole === c.actor.role && r.id !== c.actor.id && change.requestedBy !== c.actor.id;
      });
      return views(mine);
    },

    async get(c: RequestContext, id: string): Promise<UserView> {
      await getInScope(db, c, id);
      authorize(c.actor, 'user.read');
      return view(db, id);
    },

    /**
     * A new account waits for approval and, once approved, must be claimed by its owner (own password, and the
     * second factor where the role needs one) before it reads anything.
     */
    async create(c: RequestContext, input: UserCreate): Promise<UserCreated> {
      authorize(c.actor, 'user.manage');
      const initialPassword = input.password ?? newInitialPassword();
      checkPassword(initialPassword, input.username);
      const passwordHash = await hashPassword(initialPassword);
      return db.transaction().execute(async (trx) => {
        await checkRoleAndRegion(trx, c, input.role, input.regionCode);
        if (await repo.findUserByUsername(trx, input.username))
          throw new AppError('CONFLICT', '用户名已存在', [{ path: 'username', message: '用户名已存在' }]);
        const now = clock.now().toISOString();
        const id = randomUUID();
        const pending: PendingChange = {
          kind: 'create',
          requestedBy: c.actor.id,
          requestedAt: now,
          approverRole: approverRoleFor([input.role]),
        };
        await repo.insertUser(trx, {
          id,
          username: input.username,
          display_name: input.displayName,
          password_hash: passwordHash,
          role: input.role,
          region_code: input.regionCode,
          is_disabled: 0,
          failed_attempts: 0,
          locked_until: null,
          password_changed_at: PASSWORD_MUST_CHANGE,
          last_login_at: null,
          created_at: now,
          updated_at: now,
          version: 1,
          pending_change: JSON.stringify(pending),
        });
        await audit.record(trx, c, {
          action: 'user.create',
          targetType: 'user',
          targetId: id,
          changes: {
            username: input.username,
            role: input.role,
            regionCode: input.regionCode,
            pendingApprovalBy: pending.approverRole,
          },
        });
        return { ...(await view(trx, id)), ...(input.password === undefined ? { initialPassword } : {}) };
      });
    },

    /**
     * A new name takes effect at once. A new role or region and a re-enable wait for approval (the account
     * cannot sign in meanwhile). For an account of the 三员, a disable and a new password wait too: no one of
     * the 三员 can act on another alone.
     */
    async update(c: RequestContext, id: string, input: UserUpdate): Promise<UserView> {
      await getInScope(db, c, id);
      authorize(c.actor, 'user.manage');
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
      return db.transaction().execute(async (trx) => {
        const row = await getInScope(trx, c, id);
        if (input.password !== undefined) checkPassword(input.password, row.username);
        const isSelf = row.id === c.actor.id;
        if (isSelf && (input.role !== undefined || input.isDisabled === true || input.regionCode !== undefined))
          throw new AppError('FORBIDDEN', '不能修改本人账户的角色、区划或停用本人账户');
        const role = input.role ?? (row.role as Role);
        const regionCode = input.regionCode ?? row.region_code;
        if (input.role !== undefined || input.regionCode !== undefined)
          await checkRoleAndRegion(trx, c, role, regionCode);
        const isGuarded = isAdminRole(row.role as Role) && !isSelf;
        const now = clock.now().toISOString();
        const changes: Record<string, unknown> = {};
        const set: Parameters<typeof repo.updateUser>[3] = { updated_at: now };
        const pending: Omit<PendingChange, 'requestedBy' | 'requestedAt' | 'approverRole'> = { kind: 'update' };
        if (input.displayName !== undefined && input.displayName !== row.display_name) {
          set.display_name = input.displayName;
          changes.displayName = [row.display_name, input.displayName];
        }
        if (role !== row.role) pending.role = role;
        if (regionCode !== row.region_code) pending.regionCode = regionCode;
        if (input.isDisabled === false && row.is_disabled === 1) pending.enable = true;
        if (input.isDisabled === true && row.is_disabled === 0) {
          if (isGuarded) pending.disable = true;
          else {
            set.is_disabled = 1;
            changes.isDisabled = [false, true];
          }
        }
        if (passwordHash) {
          if (isGuarded) pending.passwordReset = true;
          else {
            // An admin reset must not let the owner change back to a password the history refuses.
            await rememberReplacedPassword(trx, id, row.password_hash, now, config.password.history - 1);
            set.password_hash = passwordHash;
            set.password_changed_at = PASSWORD_MUST_CHANGE;
            changes.password = ['***', '***'];
          }
        }
        const isPending = Object.keys(pending).length > 1;
        if (isPending) {
          if (row.pending_change)
            throw new AppError('CONFLICT', '该账户已有待审批的变更，请等审批或驳回后再提交', [
              { path: 'version', message: '已有待审批的变更', code: 'CHANGE_PENDING' },
            ]);
          const change: PendingChange = {
            ...pending,
            requestedBy: c.actor.id,
            requestedAt: now,
            approverRole: approverRoleFor([row.role as Role, role]),
          };
          set.pending_change = JSON.stringify(change);
          if (pending.passwordReset) set.pending_password_hash = passwordHash;
          const { kind: _kind, ...asked } = pending;
          changes.pending = { ...asked, approverRole: change.approverRole };
          if (pending.role) changes.pending = { ...(changes.pending as object), role: [row.role, role] };
          if (pending.regionCode)
            changes.pending = { ...(changes.pending as object), regionCode: [row.region_code, regionCode] };
        }
        if (!(await repo.updateUser(trx, id, input.version, set))) throw new AppError('VERSION_CONFLICT');
        // A disabled account, a new password, or a role/region change waiting for approval ends every session.
        if (set.is_disabled === 1 || set.password_hash || pending.role || pending.regionCode)
          await sessions.destroyAllForUser(trx, id);
        await audit.record(trx, c, { action: 'user.update', targetType: 'user', targetId: id, changes });
        return view(trx, id);
      });
    },

    /** `POST /users/{id}/approve`: the pending change takes effect. */
    async approve(c: RequestContext, id: string, input: UserDecision): Promise<UserView> {
      return db.transaction().execute(async (trx) => {
        const { row, change } = await pendingDecision(trx, c, id, input);
        const set: Parameters<typeof repo.updateUser>[3] = {
          updated_at: clock.now().toISOString(),
          pending_change: null,
          pending_password_hash: null,
        };
        if (change.role) set.role = change.role;
        if (change.regionCode) set.region_code = change.regionCode;
        if (change.enable) set.is_disabled = 0;
        if (change.disable) set.is_disabled = 1;
        if (change.passwordReset && row.pending_password_hash) {
          await rememberReplacedPassword(trx, id, row.password_hash, set.updated_at!, config.password.history - 1);
          set.password_hash = row.pending_password_hash;
          set.password_changed_at = PASSWORD_MUST_CHANGE;
        }
        if (!(await repo.updateUser(trx, id, row.version, set))) throw new AppError('VERSION_CONFLICT');
        if (change.disable || change.passwordReset) await sessions.destroyAllForUser(trx, id);
        const { requestedBy, requestedAt, approverRole: _a, ...approved } = change;
        await audit.record(trx, c, {
          action: 'user.approve',
          targetType: 'user',
          targetId: id,
          changes: { ...approved, requestedBy, requestedAt, ...(input.reason ? { reason: input.reason } : {}) },
        });
        return view(trx, id);
      });
    },

    /** The approver refuses: nothing changes; a refused new account stays disabled. */
    async reject(c: RequestContext, id: string, input: UserDecision): Promise<UserView> {
      return db.transaction().execute(async (trx) => {
        const { row, change } = await pendingDecision(trx, c, id, input);
        const set: Parameters<typeof repo.updateUser>[3] = {
          updated_at: clock.now().toISOString(),
          pending_change: null,
          pending_password_hash: null,
          ...(change.kind === 'create' ? { is_disabled: 1 } : {}),
        };
        if (!(await repo.updateUser(trx, id, row.version, set))) throw new AppError('VERSION_CONFLICT');
        const { approverRole: _a, ...refused } = change;
        await audit.record(trx, c, {
          action: 'user.reject',
          targetType: 'user',
          targetId: id,
          changes: { ...refused, ...(input.reason ? { reason: input.reason } : {}) },
        });
        return view(trx, id);
      });
    },

    async unlock(c: RequestContext, id: string): Promise<UserView> {
      return db.transaction().execute(async (trx) => {
        const row = await getInScope(trx, c, id);
        authorize(c.actor, 'user.unlock');
        await repo.setLoginState(trx, id, { failed_attempts: 0, locked_until: null });
        // Every count against the username, from every source, and its second-factor guesses.
        await throttle.clearUser(trx, row.username);
        await throttle.clearMfa(trx, id);
        await audit.record(trx, c, { action: 'user.unlock', targetType: 'user', targetId: id });
        return view(trx, id);
      });
    },

    /** Only the security administrator resets a second factor, never their own; the owner enrols again. */
    async resetMfa(c: RequestContext, id: string): Promise<UserView> {
      return db.transaction().execute(async (trx) => {
        const row = await getInScope(trx, c, id);
        authorize(c.actor, 'user.mfaReset');
        if (row.id === c.actor.id) throw new AppError('FORBIDDEN', '不能重置本人账户的动态验证码');
        if (!row.mfa_enabled_at && !row.mfa_pending_secret) throw new AppError('CONFLICT', '该账户未绑定动态验证码');
        await mfaRepo.clearMfa(trx, id);
        await throttle.clearMfa(trx, id);
        // Whoever holds a session made with the old factor signs in again.
        await sessions.destroyAllForUser(trx, id);
        await audit.record(trx, c, { action: 'user.mfa_reset', targetType: 'user', targetId: id });
        return view(trx, id);
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;

/**
 * Used by the CLI (on the server: the 三员's way around each other) and demo seeding: an account that is
 * approved at once. `mustChangePassword` makes its owner claim it at first login.
 */
export async function insertAccount(
  db: Executor,
  input: {
    username: string;
    displayName: string;
    password: string;
    role: Role;
    regionCode: string;
    mustChangePassword?: boolean;
  },
  now: Date,
): Promise<string> {
  const id = randomUUID();
  const at = now.toISOString();
  await repo.insertUser(db, {
    id,
    username: input.username,
    display_name: input.displayName,
    password_hash: await hashPassword(input.password),
    role: input.role,
    region_code: input.regionCode,
    is_disabled: 0,
    failed_attempts: 0,
    locked_until: null,
    password_changed_at: input.mustChangePassword ? PASSWORD_MUST_CHANGE : at,
    last_login_at: null,
    created_at: at,
    updated_at: at,
    version: 1,
  });
  return id;
}
