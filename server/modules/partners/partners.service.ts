import { randomUUID } from 'node:crypto';
import type {
  Pairing,
  PairingActivity,
  PairingActivityCreate,
  PairingCoverage,
  PairingCreate,
  PairingEnd,
  PairingWithActivities,
  PartnerOrganization,
  PartnerOrganizationCreate,
} from '../../../common/schemas/partners.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isInScope, isWithin, levelOfCode, subtreeRange, type RegionRange } from '../../platform/scope.js';
import type { FamilyLocator } from '../families/family-locator.js';
import * as regions from '../regions/regions.service.js';
import { childDigits } from '../people/rollup.js';
import * as repo from './partners.repository.js';

function organizationView(r: repo.OrganizationRow): PartnerOrganization {
  return {
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    kind: r.kind as PartnerOrganization['kind'],
    name: r.name,
    contactPerson: r.contact_person,
    activePairings: Number(r.active_pairings ?? 0),
    version: r.version,
  };
}

function pairingView(r: repo.PairingRow): Pairing {
  return {
    id: r.id,
    familyId: r.family_id,
    archiveNo: r.archive_no,
    regionCode: r.region_code,
    regionName: r.region_name,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    volunteerName: r.volunteer_name,
    kind: r.kind as Pairing['kind'],
    description: r.description,
    startedOn: r.started_on,
    endedOn: r.ended_on,
    endReason: r.end_reason,
    isActive: r.ended_on === null,
    activityCount: Number(r.activity_count ?? 0),
    lastActivityOn: (r.last_activity_on as string | null) ?? null,
    version: r.version,
  };
}

/** Paired families of a subtree, for its own total and each child region (R14). */
export async function pairingCoverage(db: Executor, code: string) {
  const level = levelOfCode(code);
  const digits = childDigits(code);
  const rows = await repo.pairedByPrefix(db, subtreeRange(code, level), digits);
  const total = rows.reduce((a, r) => ({ families: a.families + r.families, paired: a.paired + r.paired }), {
    families: 0,
    paired: 0,
  });
  return { rows, total, digits };
}

/** The indicator families_paired: active families with at least one active pairing. */
export async function countPairedFamilies(db: Executor, range: RegionRange): Promise<number> {
  const rows = await repo.pairedByPrefix(db, range, 2);
  return rows.reduce((s, r) => s + r.paired, 0);
}

/** The indicator partner_pairings: active pairings of active families (the coverage's own count). */
export function countPartnerPairings(db: Executor, range: RegionRange): Promise<number> {
  return repo.countActivePairings(db, range);
}

/** 结对帮扶 (R14): partner organisations per region, pairings of families with them or with volunteers. */
export function createPartnersService(platform: Platform, families: Pick<FamilyLocator, 'locate'>) {
  const { db, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

  async function pairingInScope(c: RequestContext, id: string) {
    const row = await repo.findPairing(db, id);
    if (!row || !isInScope(c.actor, row.region_code)) throw AppError.notFound();
    const family = await families.locate(c.actor, row.family_id);
    return { row, family };
  }

  return {
    async listOrganizations(
      c: RequestContext,
      query: { regionCode?: string; kind?: string; q?: string },
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'partner.read', query.regionCode);
      const root = query.regionCode ?? c.actor.regionCode;
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      // Organisations registered above (a county's 妇联 seen from a township) pair families here too.
      const ancestors = [`${root.slice(0, 6)}000000`, `${root.slice(0, 9)}000`].filter(
        (code) => code !== root && !isWithin(root, code) && ['county', 'township'].includes(levelOfCode(code)),
      );
      const { rows, total } = await repo.listOrganizations(
        db,
        { range, ancestors, kind: query.kind, q: query.q },
        page,
      );
      return { data: rows.map(organizationView), page: { ...page, total } };
    },

    async createOrganization(c: RequestContext, input: PartnerOrganizationCreate): Promise<PartnerOrganization> {
      authorize(c.actor, 'partner.write');
      const region = await regions.regionBrief(db, input.regionCode);
      if (!region || !isInScope(c.actor, input.regionCode))
        throw AppError.field('regionCode', '区划不存在或不在管辖范围内', 'REGION_UNKNOWN');
      if (!['county', 'township'].includes(region.level))
        throw AppError.field('regionCode', '帮扶组织应登记在县或乡镇（街道）一级', 'REGION_LEVEL');
      const id = randomUUID();
      return db.transaction().execute(async (trx) => {
        await repo.insertOrganization(trx, {
          id,
          region_code: input.regionCode,
          kind: input.kind,
          name: input.name,
          contact_person: input.contactPerson ?? null,
          is_active: 1,
          created_by: c.actor.id,
          created_at: clock.now().toISOString(),
          version: 1,
        });
        await audit.record(trx, c, {
          action: 'partner.create',
          targetType: 'partner_organization',
          targetId: id,
          changes: { regionCode: input.regionCode, kind: input.kind, name: input.name },
        });
        return organizationView((await repo.findOrganization(trx, id))!);
      });
    },

    async familyPairings(c: RequestContext, familyId: string): Promise<PairingWithActivities[]> {
      await families.locate(c.actor, familyId);
      const rows = await repo.pairingsOfFamily(db, familyId);
      const activities = await repo.activitiesOf(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => ({
        ...pairingView(r),
        activities: activities
          .filter((a) => a.pairing_id === r.id)
          .map((a) => ({ id: a.id, occurredOn: a.occurred_on, kind: a.kind as PairingActivity['kind'], note: a.note })),
      }));
    },

    async createPairing(c: RequestContext, familyId: string, input: PairingCreate): Promise<Pairing> {
      const family = await families.locate(c.actor, familyId);
      authorize(c.actor, 'pairing.write', family.region_code);
      if (family.status === 'exited') throw AppError.field('familyId', '已退出的档案不再结对帮扶', 'FAMILY_EXITED');
      if (!input.organizationId && !input.volunteerName)
        throw AppError.field('organizationId', '请选择结对组织或填写志愿者姓名', 'PARTNER_REQUIRED');
      if (input.startedOn > today()) throw AppError.field('startedOn', '结对日期不能晚于今天', 'DATE_FUTURE');
      if (input.startedOn < family.entered_at)
        throw AppError.field('startedOn', '结对日期不能早于建档日期', 'DATE_ORDER');
      if (input.organizationId) {
        const org = await repo.findOrganization(db, input.organizationId);
        // An organisation outside the actor's view, or serving another area, cannot be named here.
        if (!org || !(isInScope(c.actor, org.region_code) || isWithin(org.region_code, c.actor.regionCode)))
          throw AppError.field('organizationId', '帮扶组织不存在或不在管辖范围内', 'ORGANIZATION_UNKNOWN');
        if (!isWithin(org.region_code, family.region_code))
          throw AppError.field('organizationId', '该组织的服务区域不包含这户家庭', 'ORGANIZATION_REGION');
        if (org.is_active !== 1) throw AppError.field('organizationId', '该组织已停用', 'ORGANIZATION_INACTIVE');
      }
      const id = randomUUID();
      return db.transaction().execute(async (trx) => {
        await repo.insertPairing(trx, {
          id,
          family_id: familyId,
          region_code: family.region_code,
          organization_id: input.organizationId ?? null,
          volunteer_name: input.volunteerName ?? null,
          kind: input.kind,
          description: input.description ?? null,
          started_on: input.startedOn,
          ended_on: null,
          end_reason: null,
          created_by: c.actor.id,
          created_at: clock.now().toISOString(),
          version: 1,
        });
        await audit.record(trx, c, {
          action: 'pairing.create',
          targetType: 'family',
          targetId: familyId,
          changes: {
            pairingId: id,
            organizationId: input.organizationId ?? null,
            volunteerName: input.volunteerName ?? null,
            kind: input.kind,
            startedOn: input.startedOn,
          },
        });
        return pairingView((await repo.findPairing(trx, id))!);
      });
    },

    async endPairing(c: RequestContext, id: string, input: PairingEnd): Promise<Pairing> {
      const { row, family } = await pairingInScope(c, id);
      authorize(c.actor, 'pairing.write', family.region_code);
      if (row.ended_on) throw AppError.field('endedOn', '该结对已结束', 'ALREADY_ENDED');
      if (input.endedOn > today()) throw AppError.field('endedOn', '结束日期不能晚于今天', 'DATE_FUTURE');
      if (input.endedOn < row.started_on) throw AppError.field('endedOn', '结束日期早于结对日期', 'DATE_ORDER');
      return db.transaction().execute(async (trx) => {
        if (!(await repo.endPairing(trx, id, input.version, input.endedOn, input.reason)))
          throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'pairing.end',
          targetType: 'family',
          targetId: row.family_id,
          changes: { pairingId: id, endedOn: input.endedOn, reason: input.reason },
        });
        return pairingView((await repo.findPairing(trx, id))!);
      });
    },

    async addActivity(c: RequestContext, id: string, input: PairingActivityCreate): Promise<PairingActivity> {
      const { row, family } = await pairingInScope(c, id);
      authorize(c.actor, 'pairing.write', family.region_code);
      if (row.ended_on) throw AppError.field('occurredOn', '该结对已结束，不能再登记活动', 'ALREADY_ENDED');
      if (input.occurredOn > today()) throw AppError.field('occurredOn', '活动日期不能晚于今天', 'DATE_FUTURE');
      if (input.occurredOn < row.started_on) throw AppError.field('occurredOn', '活动日期早于结对日期', 'DATE_ORDER');
      const activityId = randomUUID();
      await db.transaction().execute(async (trx) => {
        await repo.insertActivity(trx, {
          id: activityId,
          pairing_id: id,
          family_id: row.family_id,
          occurred_on: input.occurredOn,
          kind: input.kind,
          note: input.note ?? null,
          created_by: c.actor.id,
          created_at: clock.now().toISOString(),
        });
        await audit.record(trx, c, {
          action: 'pairing.activity',
          targetType: 'family',
          targetId: row.family_id,
          changes: { pairingId: id, activityId, occurredOn: input.occurredOn, kind: input.kind },
        });
      });
      return { id: activityId, occurredOn: input.occurredOn, kind: input.kind, note: input.note ?? null };
    },

    async listPairings(
      c: RequestContext,
      query: { regionCode?: string; kind?: string; organizationId?: string; isActive?: boolean },
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'partner.read', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listPairings(db, { ...query, range }, page);
      return { data: rows.map(pairingView), page: { ...page, total } };
    },

    async coverage(c: RequestContext, regionCode?: string): Promise<PairingCoverage> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const region = await regions.regionBrief(db, code);
      if (!region) throw AppError.notFound();
      const [{ rows, total, digits }, pairings, children] = await Promise.all([
        pairingCoverage(db, code),
        repo.countActivePairings(db, subtreeRange(code)),
        region.level === 'village' ? Promise.resolve([]) : regions.childRegions(db, code),
      ]);
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      return {
        regionCode: code,
        name: region.name,
        ...total,
        pairings,
        children: children.map((ch) => {
          const r = byPrefix.get(ch.code.slice(0, digits));
          return { regionCode: ch.code, name: ch.name, families: r?.families ?? 0, paired: r?.paired ?? 0 };
        }),
      };
    },
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;
