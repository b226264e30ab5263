import { randomUUID } from 'node:crypto';
import { isAdminRole, type Role } from '../../../common/roles.js';
import {
  STAFFING_CHECK,
  type CountyStaffing,
  type CountyStaffingCheck,
  type CountyStaffingSet,
  type CountyStaffingSummary,
} from '../../../common/schemas/county-staffing.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isWithin, subtreeRange, type RegionRange } from '../../platform/scope.js';
import * as regions from '../regions/regions.service.js';
import { childDigits } from '../people/rollup.js';
import * as repo from './county-staffing.repository.js';

const isComplete = (hasLeader: boolean, staffCount: number) =>
  hasLeader && staffCount >= STAFFING_CHECK.minStaff && staffCount <= STAFFING_CHECK.maxStaff;

/** Every county of a subtree with its R13 check: one leader and 1–2 staff named. */
export async function staffingChecks(db: Executor, range: RegionRange): Promise<CountyStaffingCheck[]> {
  const { counties, members, staffing } = await repo.currentInRange(db, range);
  const updated = new Map(staffing.map((s) => [s.county_code, s.updated_at]));
  return counties.map((county) => {
    const mine = members.filter((m) => m.county_code === county.code);
    const leader = mine.find((m) => m.duty === 'leader');
    const staff = mine.filter((m) => m.duty === 'staff');
    return {
      regionCode: county.code,
      name: county.name,
      hasLeader: !!leader,
      staffCount: staff.length,
      complete: isComplete(!!leader, staff.length),
      leaderName: leader?.name ?? null,
      staffNames: staff.map((s) => s.name),
      updatedAt: updated.get(county.code) ?? null,
    };
  });
}

/** The indicator county_staffing_complete: counties of a subtree whose staffing passes R13. */
export async function countCompleteCounties(db: Executor, range: RegionRange): Promise<number> {
  return (await staffingChecks(db, range)).filter((c) => c.complete).length;
}

/** 县级人员配备 (R13): per county health department, the responsible leader and 1–2 staff, with history. */
export function createCountyStaffingService(platform: Platform) {
  const { db, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

  async function countyInScope(c: RequestContext, countyCode: string) {
    authorize(c.actor, 'staffing.read', countyCode);
    const region = await regions.regionBrief(db, countyCode);
    if (!region || region.level !== 'county') throw AppError.notFound();
    return region;
  }

  async function view(executor: Executor, countyCode: string, name: string): Promise<CountyStaffing> {
    const [row, members] = await Promise.all([
      repo.findStaffing(executor, countyCode),
      repo.membersOf(executor, countyCode),
    ]);
    const toView = (m: (typeof members)[number]) => ({
      id: m.id,
      duty: m.duty as 'leader' | 'staff',
      userId: m.user_id,
      name: m.name,
      startedOn: m.started_on,
      endedOn: m.ended_on,
    });
    const current = members.filter((m) => m.ended_on === null);
    const leader = current.find((m) => m.duty === 'leader');
    const staff = current.filter((m) => m.duty === 'staff');
    return {
      regionCode: countyCode,
      name,
      leader: leader ? toView(leader) : null,
      staff: staff.map(toView),
      history: members.map(toView),
      hasLeader: !!leader,
      staffCount: staff.length,
      complete: isComplete(!!leader, staff.length),
      version: row?.version ?? null,
    };
  }

  /** The person named for a duty: an account of the county (not one of the 三员), or a name. */
  async function person(
    executor: Executor,
    countyCode: string,
    p: { userId?: string | null; name?: string },
    field: string,
  ) {
    if (p.userId) {
      const user = await repo.findUser(executor, p.userId);
      if (!user || !isWithin(countyCode, user.region_code))
        throw AppError.field(`${field}.userId`, '该账户不存在或不属于本县', 'USER_UNKNOWN');
      if (isAdminRole(user.role as Role))
        throw AppError.field(`${field}.userId`, '系统管理类账户不能承担此项工作', 'USER_ROLE');
      if (user.is_disabled === 1) throw AppError.field(`${field}.userId`, '该账户已停用', 'USER_DISABLED');
      return { userId: user.id, name: p.name ?? user.display_name };
    }
    if (!p.name) throw AppError.field(`${field}.name`, '请填写姓名或选择账户', 'NAME_REQUIRED');
    return { userId: null, name: p.name };
  }

  return {
    async list(
      c: RequestContext,
      query: { regionCode?: string; complete?: boolean },
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'staffing.read', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      let rows = await staffingChecks(db, range);
      if (query.complete !== undefined) rows = rows.filter((r) => r.complete === query.complete);
      const start = (page.page - 1) * page.pageSize;
      return { data: rows.slice(start, start + page.pageSize), page: { ...page, total: rows.length } };
    },

    /** The check by city and province: counties complete per child region. */
    async summary(c: RequestContext, regionCode?: string): Promise<CountyStaffingSummary> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'staffing.read', code);
      const region = await regions.regionBrief(db, code);
      if (!region) throw AppError.notFound();
      const rows = await staffingChecks(db, subtreeRange(code));
      const digits = childDigits(code);
      const count = (list: CountyStaffingCheck[]) => ({
        counties: list.length,
        complete: list.filter((r) => r.complete).length,
      });
      const children = ['province', 'prefecture'].includes(region.level)
        ? (await regions.childRegions(db, code)).map((ch) => ({
            regionCode: ch.code,
            name: ch.name,
            ...count(rows.filter((r) => r.regionCode.slice(0, digits) === ch.code.slice(0, digits))),
          }))
        : [];
      return { regionCode: code, name: region.name, ...count(rows), children };
    },

    async get(c: RequestContext, countyCode: string): Promise<CountyStaffing> {
      const region = await countyInScope(c, countyCode);
      return view(db, countyCode, region.name);
    },

    /**
     * Sets the county's current leader and staff. A person who stays keeps their start date; one who
     * leaves gets an end date; nobody's row is deleted, so the history shows who held the work when.
     */
    async set(c: RequestContext, countyCode: string, input: CountyStaffingSet): Promise<CountyStaffing> {
      const region = await countyInScope(c, countyCode);
      authorize(c.actor, 'staffing.write');
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const wanted: Array<{ duty: 'leader' | 'staff'; userId: string | null; name: string }> = [];
        if (input.leader) wanted.push({ duty: 'leader', ...(await person(trx, countyCode, input.leader, 'leader')) });
        for (const [i, s] of input.staff.entries())
          wanted.push({ duty: 'staff', ...(await person(trx, countyCode, s, `staff.${i}`)) });
        const keys = wanted.map((w) => `${w.duty}:${w.userId ?? ''}:${w.name}`);
        const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
        if (dup >= 0) throw AppError.field(`staff.${dup - (input.leader ? 1 : 0)}`, '同一人重复填写', 'DUPLICATE');

        const existing = await repo.findStaffing(trx, countyCode);
        if (existing) {
          if (!(await repo.touchStaffing(trx, countyCode, input.version ?? existing.version, now, c.actor.id)))
            throw new AppError('VERSION_CONFLICT');
        } else {
          if (input.version !== undefined) throw new AppError('VERSION_CONFLICT');
          await repo.insertStaffing(trx, {
            county_code: countyCode,
            updated_at: now,
            updated_by: c.actor.id,
            version: 1,
          });
        }
        const current = (await repo.membersOf(trx, countyCode)).filter((m) => m.ended_on === null);
        const same = (m: (typeof current)[number], w: (typeof wanted)[number]) =>
          m.duty === w.duty && (w.userId ? m.user_id === w.userId : m.user_id === null && m.name === w.name);
        const ended: string[] = [];
        const added: string[] = [];
        for (const m of current)
          if (!wanted.some((w) => same(m, w))) {
            await repo.endMember(trx, m.id, today());
            ended.push(`${m.duty}:${m.name}`);
          }
        for (const w of wanted)
          if (!current.some((m) => same(m, w))) {
            await repo.insertMember(trx, {
              id: randomUUID(),
              county_code: countyCode,
              duty: w.duty,
              user_id: w.userId,
              name: w.name,
              started_on: today(),
              ended_on: null,
              created_by: c.actor.id,
              created_at: now,
            });
            added.push(`${w.duty}:${w.name}`);
          }
        await audit.record(trx, c, {
          action: 'staffing.set',
          targetType: 'region',
          targetId: countyCode,
          changes: { added, ended },
        });
        return view(trx, countyCode, region.name);
      });
    },
  };
}

export type CountyStaffingService = ReturnType<typeof createCountyStaffingService>;
