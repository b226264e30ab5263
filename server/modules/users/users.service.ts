import { randomUUID } from 'node:crypto';
import { ROLE_REGION_LEVELS, type Role } from '../../../common/roles.js';
import type { UserCreate, UserUpdate, UserView } from '../../../common/schemas/users.js';
import { checkPasswordPolicy, hashPassword, PASSWORD_MUST_CHANGE } from '../../platform/auth/passwords.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isInScope } from '../../platform/scope.js';
import * as repo from './users.repository.js';

export function toUserView(row: repo.UserRow, now: Date): UserView {
  const locked = row.locked_until && Date.parse(row.locked_until) > now.getTime() ? row.locked_until : null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    regionCode: row.region_code,
    regionName: row.region_name,
    isDisabled: row.is_disabled === 1,
    lockedUntil: locked,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    version: row.version,
  };
}

export function createUsersService(platform: Platform) {
  const { db, clock, audit, sessions, config } = platform;

  async function checkRoleAndRegion(trx: Executor, c: RequestContext, role: Role, regionCode: string): Promise<void> {
    const region = await trx
      .selectFrom('regions')
      .select(['code', 'level'])
      .where('code', '=', regionCode)
      .executeTakeFirst();
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

  return {
    async list(c: RequestContext, filters: repo.UserFilters, page: { page: number; pageSize: number }) {
      authorize(c.actor, 'user.read');
      // A region outside the actor's is 404, as everywhere, not an empty list.
      if (filters.regionCode && !isInScope(c.actor, filters.regionCode)) throw AppError.notFound();
      const { rows, total } = await repo.listUsers(db, actorRange(c.actor), filters, page);
      const now = clock.now();
      return { data: rows.map((r) => toUserView(r, now)), page: { ...page, total } };
    },

    async get(c: RequestContext, id: string): Promise<UserView> {
      const row = await getInScope(db, c, id);
      authorize(c.actor, 'user.read');
      return toUserView(row, clock.now());
    },

    async create(c: RequestContext, input: UserCreate): Promise<UserView> {
      authorize(c.actor, 'user.manage');
      checkPassword(input.password, input.username);
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (trx) => {
        await checkRoleAndRegion(trx, c, input.role, input.regionCode);
        if (await repo.findUserByUsername(trx, input.username))
          throw new AppError('CONFLICT', '用户名已存在', [{ path: 'username', message: '用户名已存在' }]);
        const now = clock.now().toISOString();
        const id = randomUUID();
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
        });
        await audit.record(trx, c, {
          action: 'user.create',
          targetType: 'user',
          targetId: id,
          changes: { username: input.username, role: input.role, regionCode: input.regionCode },
        });
        return toUserView((await repo.findUserById(trx, id))!, clock.now());
      });
    },

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
        const changes: Record<string, [unknown, unknown]> = {};
        const set: Parameters<typeof repo.updateUser>[3] = { updated_at: clock.now().toISOString() };
        if (input.displayName !== undefined && input.displayName !== row.display_name) {
          set.display_name = input.displayName;
          changes.displayName = [row.display_name, input.displayName];
        }
        if (role !== row.role) {
          set.role = role;
          changes.role = [row.role, role];
        }
        if (regionCode !== row.region_code) {
          set.region_code = regionCode;
          changes.regionCode = [row.region_code, regionCode];
        }
        if (input.isDisabled !== undefined && (input.isDisabled ? 1 : 0) !== row.is_disabled) {
          set.is_disabled = input.isDisabled ? 1 : 0;
          changes.isDisabled = [row.is_disabled === 1, input.isDisabled];
        }
        if (passwordHash) {
          set.password_hash = passwordHash;
          set.password_changed_at = PASSWORD_MUST_CHANGE;
          changes.password = ['***', '***'];
        }
        if (!(await repo.updateUser(trx, id, input.version, set))) throw new AppError('VERSION_CONFLICT');
        // A disabled account, a new password, or a new role/region ends every session at once.
        if (set.is_disabled === 1 || passwordHash || set.role || set.region_code)
          await sessions.destroyAllForUser(trx, id);
        await audit.record(trx, c, { action: 'user.update', targetType: 'user', targetId: id, changes });
        return toUserView((await repo.findUserById(trx, id))!, clock.now());
      });
    },

    async unlock(c: RequestContext, id: string): Promise<UserView> {
      return db.transaction().execute(async (trx) => {
        await getInScope(trx, c, id);
        authorize(c.actor, 'user.unlock');
        await repo.setLoginState(trx, id, { failed_attempts: 0, locked_until: null });
        await audit.record(trx, c, { action: 'user.unlock', targetType: 'user', targetId: id });
        return toUserView((await repo.findUserById(trx, id))!, clock.now());
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;

/** Used by the CLI and demo seeding: an account whose password the operator chose. */
export async function insertAccount(
  db: Executor,
  input: { username: string; displayName: string; password: string; role: Role; regionCode: string },
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
    password_changed_at: at,
    last_login_at: null,
    created_at: at,
    updated_at: at,
    version: 1,
  });
  return id;
}
