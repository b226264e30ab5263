import { randomUUID } from 'node:crypto';
import type { MEDICAL_SERVICE_KINDS } from '../../../common/labels.js';
import type {
  FamilyMedicalServices,
  MedicalCoverage,
  MedicalService,
  MedicalServiceCreate,
  MedicalServiceEnd,
} from '../../../common/schemas/medical-services.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import type { FamilyMedicalServiceTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { isInScope, levelOfCode, subtreeRange, type RegionRange } from '../../platform/scope.js';
import type { ContactsService } from '../contacts/contacts.service.js';
import type { FamilyLocator } from '../families/family-locator.js';
import * as regions from '../regions/regions.service.js';
import { childDigits } from '../people/rollup.js';
import * as repo from './medical-services.repository.js';

const isCurrent = (r: FamilyMedicalServiceTable, day: string) =>
  r.ended_on === null && r.started_on <= day && (r.expires_on === null || r.expires_on >= day);

function serviceView(r: FamilyMedicalServiceTable, day: string): MedicalService {
  return {
    id: r.id,
    kind: r.kind as MedicalService['kind'],
    arrangement: r.arrangement as MedicalService['arrangement'],
    institution: r.institution,
    doctor: r.doctor,
    startedOn: r.started_on,
    expiresOn: r.expires_on,
    endedOn: r.ended_on,
    endReason: r.end_reason,
    note: r.note,
    isCurrent: isCurrent(r, day),
    createdAt: r.created_at,
  };
}

/** Active families of a subtree with a family doctor / priority access in force on `day`, per child region. */
export async function medicalCoverageCounts(db: Executor, code: string, day: string) {
  const digits = childDigits(code);
  const rows = await repo.coveredByPrefix(db, subtreeRange(code, levelOfCode(code)), digits, day);
  return { rows, digits };
}

/** The indicators families_family_doctor_signed and families_priority_medical_access. */
export async function countMedicalCovered(db: Executor, range: RegionRange, day: string) {
  const rows = await repo.coveredByPrefix(db, range, 2, day);
  return {
    familyDoctor: rows.reduce((s, r) => s + r.familyDoctor, 0),
    priorityAccess: rows.reduce((s, r) => s + r.priorityAccess, 0),
  };
}

/**
 * Two of the 三个全覆盖 on the archive: 家庭医生签约 and 就医绿色通道 / 优先便利医疗服务. Each record
 * has its own history: a renewal or a new arrangement ends the previous one, nothing is overwritten.
 */
export function createMedicalServicesService(
  platform: Platform,
  deps: { families: Pick<FamilyLocator, 'locate'>; contacts: Pick<ContactsService, 'coverage'> },
) {
  const { db, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

  async function view(c: RequestContext, familyId: string): Promise<FamilyMedicalServices> {
    const rows = await repo.servicesOf(db, familyId);
    const day = today();
    const current = (kind: string) => rows.find((r) => r.kind === kind && isCurrent(r, day));
    const fd = current('family_doctor');
    const pa = current('priority_access');
    return {
      familyDoctor: fd ? serviceView(fd, day) : null,
      priorityAccess: pa ? serviceView(pa, day) : null,
      history: rows.map((r) => serviceView(r, day)),
      abilities: { write: can(c.actor, 'medical.write') },
    };
  }

  return {
    async forFamily(c: RequestContext, familyId: string): Promise<FamilyMedicalServices> {
      await deps.families.locate(c.actor, familyId);
      return view(c, familyId);
    },

    async record(c: RequestContext, familyId: string, input: MedicalServiceCreate): Promise<FamilyMedicalServices> {
      const family = await deps.families.locate(c.actor, familyId);
      authorize(c.actor, 'medical.write', family.region_code);
      if (family.status === 'exited') throw AppError.field('familyId', '已退出的档案不再登记', 'FAMILY_EXITED');
      const label = input.kind === 'family_doctor' ? '签约日期' : '办理日期';
      if (input.startedOn > today()) throw AppError.field('startedOn', `${label}不能晚于今天`, 'DATE_FUTURE');
      if (input.startedOn < family.entered_at)
        throw AppError.field('startedOn', `${label}不能早于建档日期（${family.entered_at}）`, 'DATE_ORDER');
      if (input.expiresOn && input.expiresOn < input.startedOn)
        throw AppError.field('expiresOn', '到期日期早于签约日期', 'DATE_ORDER');
      if (input.kind === 'family_doctor' && !input.doctor)
        throw AppError.field('doctor', '请填写签约医生', 'DOCTOR_REQUIRED');
      if (input.kind === 'priority_access' && !input.arrangement)
        throw AppError.field('arrangement', '请选择优先便利方式', 'ARRANGEMENT_REQUIRED');
      const rows = await repo.servicesOf(db, familyId);
      const open = rows.filter((r) => r.kind === input.kind && r.ended_on === null);
      const latest = open[0];
      if (latest && input.startedOn < latest.started_on)
        throw AppError.field('startedOn', `早于现有记录的日期（${latest.started_on}）`, 'DATE_ORDER');
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        for (const r of open)
          if (
            !(await repo.endService(trx, r.id, input.startedOn, input.kind === 'family_doctor' ? '续约或改签' : '变更'))
          )
            throw new AppError('VERSION_CONFLICT');
        await repo.insertService(trx, {
          id,
          family_id: familyId,
          region_code: family.region_code,
          kind: input.kind,
          arrangement: input.kind === 'priority_access' ? (input.arrangement ?? null) : null,
          institution: input.institution,
          doctor: input.kind === 'family_doctor' ? (input.doctor ?? null) : null,
          started_on: input.startedOn,
          expires_on: input.expiresOn ?? null,
          ended_on: null,
          end_reason: null,
          note: input.note ?? null,
          created_by: c.actor.id,
          created_at: clock.now().toISOString(),
        });
        await audit.record(trx, c, {
          action: `medical.${input.kind}`,
          targetType: 'family',
          targetId: familyId,
          changes: {
            serviceId: id,
            institution: input.institution,
            startedOn: input.startedOn,
            expiresOn: input.expiresOn ?? null,
            replaced: open.map((r) => r.id),
          },
        });
      });
      return view(c, familyId);
    },

    async end(c: RequestContext, familyId: string, serviceId: string, input: MedicalServiceEnd) {
      const family = await deps.families.locate(c.actor, familyId);
      const row = await repo.findService(db, serviceId);
      if (!row || row.family_id !== familyId) throw AppError.notFound();
      authorize(c.actor, 'medical.write', family.region_code);
      if (row.ended_on) throw AppError.field('endedOn', '该记录已终止', 'ALREADY_ENDED');
      if (input.endedOn > today()) throw AppError.field('endedOn', '终止日期不能晚于今天', 'DATE_FUTURE');
      if (input.endedOn < row.started_on) throw AppError.field('endedOn', '终止日期早于开始日期', 'DATE_ORDER');
      await db.transaction().execute(async (trx) => {
        if (!(await repo.endService(trx, serviceId, input.endedOn, input.reason)))
          throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: `medical.${row.kind as (typeof MEDICAL_SERVICE_KINDS)[number]}.end`,
          targetType: 'family',
          targetId: familyId,
          changes: { serviceId, endedOn: input.endedOn, reason: input.reason },
        });
      });
      return view(c, familyId);
    },

    /** 三个全覆盖 by region: 双岗 (the contact system), family doctor, priority medical access. */
    async coverage(c: RequestContext, regionCode?: string): Promise<MedicalCoverage> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      if (!isInScope(c.actor, code)) throw AppError.notFound();
      const region = await regions.regionBrief(db, code);
      if (!region) throw AppError.notFound();
      const [posts, { rows, digits }] = await Promise.all([
        deps.contacts.coverage(c, code),
        medicalCoverageCounts(db, code, today()),
      ]);
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      const sum = (list: typeof rows) =>
        list.reduce(
          (a, r) => ({
            familyDoctor: a.familyDoctor + r.familyDoctor,
            priorityAccess: a.priorityAccess + r.priorityAccess,
          }),
          { familyDoctor: 0, priorityAccess: 0 },
        );
      return {
        regionCode: code,
        name: region.name,
        families: posts.families,
        bothPosts: posts.bothPosts,
        ...sum(rows),
        children: posts.children.map((ch) => {
          const r = byPrefix.get(ch.regionCode.slice(0, digits));
          return {
            regionCode: ch.regionCode,
            name: ch.name,
            families: ch.families,
            bothPosts: ch.bothPosts,
            familyDoctor: r?.familyDoctor ?? 0,
            priorityAccess: r?.priorityAccess ?? 0,
          };
        }),
      };
    },
  };
}

export type MedicalServicesService = ReturnType<typeof createMedicalServicesService>;
