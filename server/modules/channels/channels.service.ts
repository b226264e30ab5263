import { randomUUID } from 'node:crypto';
import type {
  Channel,
  ChannelAdminCandidate,
  ChannelCoverage,
  ChannelCreate,
  ChannelUpdate,
} from '../../../common/schemas/channels.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import type { ChannelTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { actorRange, isInScope, isWithin, subtreeRange } from '../../platform/scope.js';
import { sealPhone } from '../../platform/crypto/sealed-fields.js';
import { channelsRepo as repo, type ChannelRow } from './channels.repository.js';

interface StoredAdmin {
  kind: 'staff' | 'family';
  userId: string | null;
  name: string;
  phoneEnc: string | null;
  phoneMask: string | null;
}

export function channelView(r: ChannelRow): Channel {
  const admins = JSON.parse(r.admins) as StoredAdmin[];
  return {
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    kind: r.kind as Channel['kind'],
    name: r.name,
    number: r.number,
    size: r.size,
    createdOn: r.created_on,
    admins: admins.map((a) => ({ kind: a.kind, userId: a.userId, name: a.name, phoneMask: a.phoneMask })),
    hasRobotKey: r.robot_key_enc !== null,
    robotKeyLast4: r.robot_key_last4,
    robotStatus: (r.robot_status as Channel['robotStatus']) ?? null,
    robotError: r.robot_error,
    isActive: r.is_active === 1,
    createdAt: r.created_at,
    version: r.version,
  };
}

/** Who runs a county's groups from the platform: its family-development and petition staff, and its leaders. */
const ADMIN_ROLES = ['county_staff', 'county_leader'] as const;

const keyAad = (id: string) => `channels.robot_key:${id}`;

/** R10 part 1: the county's QQ / WeChat / WeCom groups, who runs them, and the WeCom robot key (sealed). */
export function createChannelsService(platform: Platform) {
  const { db, clock, audit, crypto } = platform;

  async function sealAdmins(
    c: RequestContext,
    id: string,
    county: string,
    admins: ChannelCreate['admins'],
    current: StoredAdmin[] = [],
  ): Promise<StoredAdmin[]> {
    const out: StoredAdmin[] = [];
    for (const [i, a] of (admins ?? []).entries()) {
      if (a.kind === 'staff') {
        const user = a.userId ? await repo.userRegion(db, a.userId) : undefined;
        // A staff administrator is an account of this county; anyone else is "not found" (no probing).
        if (!user || !isWithin(county, user.region_code) || !isInScope(c.actor, user.region_code))
          throw AppError.field(`admins.${i}.userId`, '工作人员管理员应为本县的平台账户', 'ADMIN_USER');
      }
      let phone = a.phone ?? null;
      if (!phone && a.keepPhoneOf !== undefined && a.keepPhoneOf !== null) {
        const kept = current[a.keepPhoneOf];
        if (!kept) throw AppError.field(`admins.${i}.keepPhoneOf`, '要保留电话的管理员不存在', 'ADMIN_PHONE');
        // Sealed under its old position; re-sealed under the new one.
        phone = kept.phoneEnc ? crypto.decrypt(kept.phoneEnc, `channels.admins:${id}:${a.keepPhoneOf}`) : null;
      }
      const sealed = phone ? sealPhone(crypto, `channels.admins:${id}:${i}`, phone) : null;
      out.push({
        kind: a.kind,
        userId: a.kind === 'staff' ? (a.userId ?? null) : null,
        name: a.name,
        phoneEnc: sealed?.phone_enc ?? null,
        phoneMask: sealed?.phone_mask ?? null,
      });
    }
    return out;
  }

  function checkKey(kind: string, robotKey: string | null | undefined) {
    if (robotKey && kind !== 'wecom_group')
      throw AppError.field('robotKey', '只有企业微信群可以配置群机器人 key', 'ROBOT_KEY_KIND');
  }

  async function locate(c: RequestContext, id: string): Promise<ChannelRow> {
    const row = await repo.find(db, id);
    if (!row || !isInScope(c.actor, row.region_code)) throw AppError.notFound();
    return row;
  }

  return {
    async create(c: RequestContext, input: ChannelCreate): Promise<Channel> {
      // The region is a field of the new channel: a role that may not create is refused wherever it aims.
      if (!can(c.actor, 'channel.write')) throw new AppError('FORBIDDEN');
      authorize(c.actor, 'channel.write', input.regionCode);
      if (!(await repo.regionExists(db, input.regionCode, 'county')))
        throw AppError.field('regionCode', '县级区划不存在', 'REGION');
      checkKey(input.kind, input.robotKey);
      const id = randomUUID();
      const now = clock.now().toISOString();
      const row: ChannelTable = {
        id,
        region_code: input.regionCode,
        kind: input.kind,
        name: input.name,
        number: input.number ?? null,
        size: input.size ?? null,
        created_on: input.createdOn ?? null,
        admins: JSON.stringify(await sealAdmins(c, id, input.regionCode, input.admins)),
        robot_key_enc: input.robotKey ? crypto.encrypt(input.robotKey, keyAad(id)) : null,
        robot_key_last4: input.robotKey ? input.robotKey.slice(-4) : null,
        robot_status: null,
        robot_error: null,
        is_active: 1,
        created_by: c.actor.id,
        created_at: now,
        updated_at: now,
        version: 1,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insert(trx, row);
        await audit.record(trx, c, {
          action: 'channel.create',
          targetType: 'channel',
          targetId: id,
          changes: { regionCode: input.regionCode, kind: input.kind, name: input.name, hasRobotKey: !!input.robotKey },
        });
      });
      return channelView((await repo.find(db, id))!);
    },

    async update(c: RequestContext, id: string, input: ChannelUpdate): Promise<Channel> {
      const current = await locate(c, id);
      authorize(c.actor, 'channel.write', current.region_code);
      if (input.version !== current.version) throw new AppError('VERSION_CONFLICT');
      checkKey(current.kind, input.robotKey);
      const set: Partial<ChannelTable> = { updated_at: clock.now().toISOString() };
      if (input.name !== undefined) set.name = input.name;
      if (input.number !== undefined) set.number = input.number;
      if (input.size !== undefined) set.size = input.size;
      if (input.createdOn !== undefined) set.created_on = input.createdOn;
      if (input.isActive !== undefined) set.is_active = input.isActive ? 1 : 0;
      if (input.admins !== undefined)
        set.admins = JSON.stringify(
          await sealAdmins(c, id, current.region_code, input.admins, JSON.parse(current.admins) as StoredAdmin[]),
        );
      if (input.robotKey !== undefined) {
        set.robot_key_enc = input.robotKey ? crypto.encrypt(input.robotKey, keyAad(id)) : null;
        set.robot_key_last4 = input.robotKey ? input.robotKey.slice(-4) : null;
        set.robot_status = null;
        set.robot_error = null;
      }
      await db.transaction().execute(async (trx) => {
        if ((await repo.update(trx, id, input.version, set)) === 0) throw new AppError('VERSION_CONFLICT');
        const changed = Object.keys(input).filter((k) => k !== 'version' && k !== 'robotKey');
        await audit.record(trx, c, {
          action: 'channel.update',
          targetType: 'channel',
          targetId: id,
          changes: {
            fields: changed,
            ...(input.robotKey !== undefined ? { robotKey: input.robotKey ? 'replaced' : 'removed' } : {}),
          },
        });
      });
      return channelView((await repo.find(db, id))!);
    },

    async get(c: RequestContext, id: string): Promise<Channel> {
      const row = await locate(c, id);
      authorize(c.actor, 'channel.read', row.region_code);
      return channelView(row);
    },

    async list(c: RequestContext, regionCode?: string, kind?: string): Promise<Channel[]> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'channel.read', code);
      return (await repo.listInRange(db, regionCode ? subtreeRange(code) : actorRange(c.actor), kind)).map(channelView);
    },

    async coverage(c: RequestContext, regionCode?: string): Promise<ChannelCoverage> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'channel.read', code);
      const rows = await repo.countyCoverage(db, regionCode ? subtreeRange(code) : actorRange(c.actor));
      const children = rows.map((r) => ({
        regionCode: r.code,
        name: r.name,
        channels: Number(r.channels),
        hasChannel: Number(r.channels) > 0,
      }));
      return { counties: children.length, withChannel: children.filter((x) => x.hasChannel).length, children };
    },

    /** The county's staff accounts that may be named a group's administrators (the registry's form). */
    async adminCandidates(c: RequestContext, regionCode: string): Promise<ChannelAdminCandidate[]> {
      authorize(c.actor, 'channel.write', regionCode);
      const rows = await repo.staffAccounts(db, subtreeRange(regionCode), ADMIN_ROLES);
      return rows.map((u) => ({ userId: u.id, displayName: u.display_name, role: u.role }));
    },

    /** For the delivery worker only: the robot key in clear, never returned by the API. */
    robotKeyOf(row: Pick<ChannelTable, 'id' | 'robot_key_enc'>): string | null {
      return row.robot_key_enc ? crypto.decrypt(row.robot_key_enc, keyAad(row.id)) : null;
    },

    /** Channels of one county by id, for a notice's targets (the caller has checked the notice's scope). */
    channelsOf: (ids: string[], executor: Executor = db) => repo.findMany(executor, ids),
    setRobotState: repo.setRobotState,
  };
}
export type ChannelsService = ReturnType<typeof createChannelsService>;
