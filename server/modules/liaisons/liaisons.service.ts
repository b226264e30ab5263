import { randomUUID } from 'node:crypto';
import { LIAISON_CHECK } from '../../../common/labels.js';
import type {
  Liaison,
  LiaisonCoverage,
  LiaisonCreate,
  LiaisonProgrammeSet,
  LiaisonReport,
  LiaisonReportCreate,
  LiaisonUpdate,
  Subsidy,
  SubsidyCreate,
  SubsidyTotals,
} from '../../../common/schemas/liaisons.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { sealPhone } from '../../platform/crypto/sealed-fields.js';
import type { Executor } from '../../platform/db/database.js';
import type { LiaisonTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import {
  actorRange,
  isInScope,
  isWithin,
  levelOfCode,
  subtreeRange,
  type Actor,
  type RegionRange,
} from '../../platform/scope.js';
import type { FamilyLocator } from '../families/family-locator.js';
import * as regions from '../regions/regions.service.js';
import { childDigits, periodMonths, yuan } from '../people/rollup.js';
import * as repo from './liaisons.repository.js';

type Status = 'ok' | 'short' | 'over';
const check = (n: number): Status => (n < LIAISON_CHECK.min ? 'short' : n > LIAISON_CHECK.max ? 'over' : 'ok');
const countyOf = (code: string) => `${code.slice(0, 6)}000000`;

function liaisonView(r: repo.LiaisonRow): Liaison {
  return {
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    name: r.name,
    phone: r.member_id ? r.member_phone_mask : r.phone_mask,
    familyId: r.family_id,
    archiveNo: r.archive_no,
    status: r.status as Liaison['status'],
    startedOn: r.started_on,
    endedOn: r.ended_on,
    endReason: r.end_reason,
    reportCount: Number(r.report_count ?? 0),
    subsidyTotal: yuan(r.subsidy_cents),
    version: r.version,
  };
}

function subsidyView(r: repo.SubsidyRow): Subsidy {
  return {
    id: r.id,
    liaisonId: r.liaison_id,
    liaisonName: r.liaison_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    period: r.period,
    kind: r.kind as Subsidy['kind'],
    amount: yuan(r.amount_cents),
    payerRegionCode: r.payer_region_code,
    payerLevel: r.payer_level as Subsidy['payerLevel'],
    paidOn: r.paid_on,
    note: r.note,
    createdAt: r.created_at,
  };
}

/** The indicator liaisons_active: active liaisons in a subtree (the coverage's own per-township counts). */
export async function countActiveLiaisons(db: Executor, range: RegionRange): Promise<number> {
  return (await repo.activeByTownship(db, range)).reduce((s, r) => s + r.n, 0);
}

/** The indicator liaison_subsidy_amount: yuan paid in a subtree for periods of the year (the totals' own sums). */
export async function liaisonSubsidyYuan(db: Executor, range: RegionRange, year: number): Promise<number> {
  return yuan((await repo.subsidyCentsByTownship(db, range, year)).reduce((s, r) => s + r.cents, 0));
}

/**
 * 联络员 (R12): 2–3 special-family members per township of a county that runs the programme, what they
 * relayed, and the phone and transport subsidies the county or township pays them.
 */
export function createLiaisonsService(platform: Platform, families: Pick<FamilyLocator, 'locate'>) {
  const { db, crypto, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

  async function getInScope(executor: Executor, actor: Actor, id: string) {
    const row = await repo.findLiaison(executor, id);
    if (!row || !isInScope(actor, row.region_code)) throw AppError.notFound();
    authorize(actor, 'liaison.read');
    return row;
  }

  /** A family named in a liaison's record: visible to the actor (else 404) and in the liaison's township. */
  async function familyInTownship(actor: Actor, familyId: string, township: string, field: string) {
    const family = await families.locate(actor, familyId);
    if (!isWithin(township, family.region_code))
      throw AppError.field(field, '该家庭不在联络员所在的乡镇（街道）', 'FAMILY_REGION');
    return family;
  }

  /** Townships of a subtree with their active liaisons and whether their county runs the programme. */
  async function townshipRows(code: string) {
    const level = levelOfCode(code);
    const range = subtreeRange(code, level);
    const countyRange = ['province', 'prefecture', 'county'].includes(level)
      ? range
      : subtreeRange(countyOf(code), 'county');
    const [townships, counts, programmes] = await Promise.all([
      regions.regionsInRange(db, range, ['township']),
      repo.activeByTownship(db, range),
      repo.programmesInRange(db, countyRange),
    ]);
    const running = new Set(programmes.filter((p) => p.is_running === 1).map((p) => p.county_code));
    const byTownship = new Map(counts.map((r) => [r.regionCode, r.n]));
    return {
      programmes,
      rows: townships.map((t) => {
        const n = byTownship.get(t.code) ?? 0;
        return { ...t, n, status: check(n), isRunning: running.has(countyOf(t.code)) };
      }),
    };
  }

  type TownshipRow = Awaited<ReturnType<typeof townshipRows>>['rows'][number];
  function aggregate(code: string, name: string, level: string, rows: TownshipRow[]) {
    const checked = rows.filter((r) => r.isRunning);
    const townshipsShort = checked.filter((r) => r.status === 'short').length;
    const townshipsOver = checked.filter((r) => r.status === 'over').length;
    const single = level === 'township' ? rows[0] : undefined;
    return {
      regionCode: code,
      name,
      level,
      liaisons: rows.reduce((s, r) => s + r.n, 0),
      status: single ? single.status : townshipsShort ? ('short' as const) : townshipsOver ? ('over' as const) : 'ok',
      isRunning: rows.some((r) => r.isRunning),
      townships: rows.length,
      townshipsShort,
      townshipsOver,
    } satisfies LiaisonCoverage['children'][number];
  }

  return {
    async list(
      c: RequestContext,
      query: { regionCode?: string; status?: string; q?: string },
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'liaison.read', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listLiaisons(db, { range, status: query.status, q: query.q }, page);
      return { data: rows.map(liaisonView), page: { ...page, total } };
    },

    async get(c: RequestContext, id: string): Promise<Liaison> {
      return liaisonView(await getInScope(db, c.actor, id));
    },

    async create(c: RequestContext, input: LiaisonCreate): Promise<Liaison> {
      authorize(c.actor, 'liaison.write');
      const region = await regions.regionBrief(db, input.regionCode);
      if (!region || !isInScope(c.actor, input.regionCode))
        throw AppError.field('regionCode', '区划不存在或不在管辖范围内', 'REGION_UNKNOWN');
      if (region.level !== 'township')
        throw AppError.field('regionCode', '联络员应登记在乡镇（街道）一级', 'REGION_LEVEL');
      const startedOn = input.startedOn ?? today();
      if (startedOn > today()) throw AppError.field('startedOn', '任职日期不能晚于今天', 'DATE_FUTURE');
      let memberId: string | null = null;
      if (input.familyId) {
        await familyInTownship(c.actor, input.familyId, input.regionCode, 'familyId');
        if (input.phone) throw AppError.field('phone', '已关联家庭档案，电话取自档案，不必另填', 'PHONE_FROM_ARCHIVE');
        const member = await repo.memberByName(db, input.familyId, input.name);
        if (!member) throw AppError.field('name', '该家庭档案的成员中没有此姓名', 'MEMBER_UNKNOWN');
        if (member.is_deceased === 1) throw AppError.field('name', '该成员已故', 'MEMBER_DECEASED');
        memberId = member.id;
      }
      const id = randomUUID();
      const now = clock.now().toISOString();
      const sealed = sealPhone(crypto, `liaisons:${id}:phone`, input.phone ?? null);
      const row: LiaisonTable = {
        id,
        region_code: input.regionCode,
        name: input.name,
        family_id: input.familyId ?? null,
        member_id: memberId,
        ...sealed,
        status: 'active',
        started_on: startedOn,
        ended_on: null,
        end_reason: null,
        created_by: c.actor.id,
        created_at: now,
        updated_at: now,
        version: 1,
      };
      return db.transaction().execute(async (trx) => {
        await repo.insertLiaison(trx, row);
        await audit.record(trx, c, {
          action: 'liaison.create',
          targetType: 'liaison',
          targetId: id,
          changes: {
            regionCode: input.regionCode,
            name: input.name,
            familyId: row.family_id,
            phone: sealed.phone_mask,
          },
        });
        return liaisonView((await repo.findLiaison(trx, id))!);
      });
    },

    async update(c: RequestContext, id: string, input: LiaisonUpdate): Promise<Liaison> {
      const existing = await getInScope(db, c.actor, id);
      authorize(c.actor, 'liaison.write');
      const set: Partial<LiaisonTable> = { updated_at: clock.now().toISOString() };
      const changes: Record<string, unknown> = {};
      if (input.name !== undefined && input.name !== existing.name) {
        if (existing.member_id) throw AppError.field('name', '姓名取自家庭档案，请在档案中修改', 'NAME_FROM_ARCHIVE');
        set.name = input.name;
        changes.name = [existing.name, input.name];
      }
      if (input.phone !== undefined) {
        if (existing.member_id) throw AppError.field('phone', '电话取自家庭档案，请在档案中修改', 'PHONE_FROM_ARCHIVE');
        Object.assign(set, sealPhone(crypto, `liaisons:${id}:phone`, input.phone ?? null));
        changes.phone = [existing.phone_mask, set.phone_mask];
      }
      if (input.endedOn !== undefined) {
        if (existing.status === 'ended') throw AppError.field('endedOn', '该联络员已卸任', 'ALREADY_ENDED');
        if (input.endedOn > today()) throw AppError.field('endedOn', '卸任日期不能晚于今天', 'DATE_FUTURE');
        if (input.endedOn < existing.started_on)
          throw AppError.field('endedOn', '卸任日期不能早于任职日期', 'DATE_ORDER');
        Object.assign(set, { status: 'ended', ended_on: input.endedOn, end_reason: input.endReason ?? null });
        changes.status = [existing.status, 'ended'];
        changes.endedOn = input.endedOn;
      }
      return db.transaction().execute(async (trx) => {
        if (!(await repo.updateLiaison(trx, id, input.version, set))) throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, { action: 'liaison.update', targetType: 'liaison', targetId: id, changes });
        return liaisonView((await repo.findLiaison(trx, id))!);
      });
    },

    /** Per township the 2–3 check; above, the townships short or over in counties that run the programme. */
    async coverage(c: RequestContext, regionCode?: string): Promise<LiaisonCoverage> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'liaison.read', code);
      const region = await regions.regionBrief(db, code);
      if (!region) throw AppError.notFound();
      const level = levelOfCode(code);
      const { rows, programmes } = await townshipRows(code);
      const self =
        level === 'village'
          ? { ...aggregate(code, region.name, level, []), isRunning: programmes.some((p) => p.is_running === 1) }
          : aggregate(code, region.name, level, rows);
      let children: LiaisonCoverage['children'] = [];
      if (level === 'township') children = [aggregate(code, region.name, 'township', rows)];
      else if (level !== 'village') {
        const digits = childDigits(code);
        children = (await regions.childRegions(db, code)).map((ch) =>
          aggregate(
            ch.code,
            ch.name,
            ch.level,
            rows.filter((r) => r.code.slice(0, digits) === ch.code.slice(0, digits)),
          ),
        );
      }
      const programme = level === 'county' ? programmes.find((p) => p.county_code === code) : undefined;
      return {
        ...self,
        programmeVersion: level === 'county' ? (programme?.version ?? null) : null,
        children,
      };
    },

    /** The county switch "runs a liaison programme" (有条件的县). */
    async setProgramme(c: RequestContext, countyCode: string, input: LiaisonProgrammeSet) {
      authorize(c.actor, 'liaison.read', countyCode);
      const region = await regions.regionBrief(db, countyCode);
      if (!region || region.level !== 'county') throw AppError.notFound();
      authorize(c.actor, 'liaison.programme');
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        const existing = await repo.findProgramme(trx, countyCode);
        let version = 1;
        if (existing) {
          const expected = input.version ?? existing.version;
          if (
            !(await repo.updateProgramme(trx, countyCode, expected, {
              is_running: input.isRunning ? 1 : 0,
              updated_at: now,
              updated_by: c.actor.id,
            }))
          )
            throw new AppError('VERSION_CONFLICT');
          version = expected + 1;
        } else {
          if (input.version !== undefined && input.version !== 1) throw new AppError('VERSION_CONFLICT');
          await repo.insertProgramme(trx, {
            county_code: countyCode,
            is_running: input.isRunning ? 1 : 0,
            updated_at: now,
            updated_by: c.actor.id,
            version: 1,
          });
        }
        await audit.record(trx, c, {
          action: 'liaison.programme',
          targetType: 'region',
          targetId: countyCode,
          changes: { isRunning: [existing ? existing.is_running === 1 : null, input.isRunning] },
        });
        return { countyCode, isRunning: input.isRunning, version };
      });
    },

    async addReport(c: RequestContext, id: string, input: LiaisonReportCreate): Promise<LiaisonReport> {
      const liaison = await getInScope(db, c.actor, id);
      authorize(c.actor, 'liaison.write');
      if (input.reportedOn > today()) throw AppError.field('reportedOn', '反映日期不能晚于今天', 'DATE_FUTURE');
      if (input.reportedOn < liaison.started_on)
        throw AppError.field('reportedOn', '反映日期早于该联络员的任职日期', 'DATE_ORDER');
      const family = input.familyId
        ? await familyInTownship(c.actor, input.familyId, liaison.region_code, 'familyId')
        : null;
      const reportId = randomUUID();
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.insertReport(trx, {
          id: reportId,
          liaison_id: id,
          region_code: liaison.region_code,
          reported_on: input.reportedOn,
          content: input.content,
          family_id: family?.id ?? null,
          created_by: c.actor.id,
          created_at: now,
        });
        await audit.record(trx, c, {
          action: 'liaison.report',
          targetType: 'liaison',
          targetId: id,
          changes: { reportId, reportedOn: input.reportedOn, familyId: family?.id ?? null },
        });
      });
      return {
        id: reportId,
        liaisonId: id,
        reportedOn: input.reportedOn,
        content: input.content,
        familyId: family?.id ?? null,
        archiveNo: family?.archive_no ?? null,
        createdAt: now,
      };
    },

    async reports(c: RequestContext, id: string): Promise<LiaisonReport[]> {
      await getInScope(db, c.actor, id);
      return (await repo.reportsOf(db, id)).map((r) => ({
        id: r.id,
        liaisonId: r.liaison_id,
        reportedOn: r.reported_on,
        content: r.content,
        familyId: r.family_id,
        archiveNo: r.archive_no,
        createdAt: r.created_at,
      }));
    },

    /** A subsidy payment: a past month or quarter, a sane amount, paid by the liaison's township or county. */
    async addSubsidy(c: RequestContext, id: string, input: SubsidyCreate): Promise<Subsidy> {
      const liaison = await getInScope(db, c.actor, id);
      authorize(c.actor, 'liaison.write');
      const { first, months } = periodMonths(input.period);
      const thisMonth = today().slice(0, 7);
      if (first > thisMonth) throw AppError.field('period', '补助期间不能晚于本月', 'PERIOD_FUTURE');
      if (first < liaison.started_on.slice(0, 7))
        throw AppError.field('period', '补助期间早于该联络员的任职日期', 'PERIOD_ORDER');
      if (liaison.ended_on && first > liaison.ended_on.slice(0, 7))
        throw AppError.field('period', '补助期间晚于该联络员的卸任日期', 'PERIOD_ORDER');
      const maxYuan = 10_000 * months;
      if (input.amount > maxYuan)
        throw AppError.field(
          'amount',
          `金额超过上限（每月不超过 10000 元，本期最多 ${maxYuan} 元）`,
          'AMOUNT_TOO_LARGE',
        );
      if (input.paidOn > today()) throw AppError.field('paidOn', '支付日期不能晚于今天', 'DATE_FUTURE');
      const township = liaison.region_code;
      if (input.payerRegionCode !== township && input.payerRegionCode !== countyOf(township))
        throw AppError.field(
          'payerRegionCode',
          '支付单位应为联络员所在的乡镇（街道）或其所属的县（市、区）',
          'PAYER_REGION',
        );
      const subsidyId = randomUUID();
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        await repo.insertSubsidy(trx, {
          id: subsidyId,
          liaison_id: id,
          region_code: township,
          period: input.period,
          year: Number(input.period.slice(0, 4)),
          kind: input.kind,
          amount_cents: Math.round(input.amount * 100),
          payer_region_code: input.payerRegionCode,
          payer_level: levelOfCode(input.payerRegionCode),
          paid_on: input.paidOn,
          note: input.note ?? null,
          created_by: c.actor.id,
          created_at: now,
        });
        await audit.record(trx, c, {
          action: 'liaison.subsidy',
          targetType: 'liaison',
          targetId: id,
          changes: {
            subsidyId,
            period: input.period,
            kind: input.kind,
            amount: input.amount,
            payer: input.payerRegionCode,
          },
        });
        return subsidyView((await repo.subsidiesOf(trx, id)).find((s) => s.id === subsidyId)!);
      });
    },

    async subsidies(c: RequestContext, id: string): Promise<Subsidy[]> {
      await getInScope(db, c.actor, id);
      return (await repo.subsidiesOf(db, id)).map(subsidyView);
    },

    /** The year's subsidies by township, kind, payer level, and every year's total: what finance asks for. */
    async totals(c: RequestContext, regionCode?: string, year?: number): Promise<SubsidyTotals> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'liaison.read', code);
      if (!(await regions.regionBrief(db, code))) throw AppError.notFound();
      const y = year ?? Number(today().slice(0, 4));
      const range = subtreeRange(code);
      const [byKind, byPayer, byYear] = await Promise.all([
        repo.subsidyCentsByTownship(db, range, y),
        repo.subsidyCentsByPayerLevel(db, range, y),
        repo.subsidyCentsByYear(db, range),
      ]);
      const names = new Map(
        (await regions.regionNames(db, [...new Set(byKind.map((r) => r.regionCode))])).map((r) => [r.code, r.name]),
      );
      const empty = () => ({ total: 0, phone: 0, transport: 0, other: 0 });
      const townships = new Map<string, ReturnType<typeof empty>>();
      const all = empty();
      for (const r of byKind) {
        const t = townships.get(r.regionCode) ?? empty();
        const k = r.kind as 'phone' | 'transport' | 'other';
        t[k] += r.cents;
        t.total += r.cents;
        all[k] += r.cents;
        all.total += r.cents;
        townships.set(r.regionCode, t);
      }
      const inYuan = (m: ReturnType<typeof empty>) => ({
        total: yuan(m.total),
        phone: yuan(m.phone),
        transport: yuan(m.transport),
        other: yuan(m.other),
      });
      return {
        regionCode: code,
        year: y,
        ...inYuan(all),
        byTownship: [...townships]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([t, m]) => ({ regionCode: t, name: names.get(t) ?? t, ...inYuan(m) })),
        byPayerLevel: (['county', 'township'] as const).map((level) => ({
          payerLevel: level,
          total: yuan(byPayer.find((p) => p.payerLevel === level)?.cents ?? 0),
        })),
        byYear: byYear.map((r) => ({ year: r.year, total: yuan(r.cents) })),
      };
    },

    /** Every payment of the year in the region, one row each: masked phones, formula-safe, the export audited. */
    async subsidyRows(c: RequestContext, regionCode: string | undefined, year: number | undefined, maxRows: number) {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'liaison.read', code);
      if (!(await regions.regionBrief(db, code))) throw AppError.notFound();
      const y = year ?? Number(today().slice(0, 4));
      const range = subtreeRange(code);
      const total = await repo.countSubsidiesInRange(db, range, y);
      if (total > maxRows)
        throw AppError.field('regionCode', `导出结果超过 ${maxRows} 条，请缩小区域后再导出`, 'EXPORT_TOO_LARGE');
      const rows: repo.SubsidyRow[] = [];
      for (let after = ''; ;) {
        const batch = await repo.subsidiesInRange(db, range, y, after, 1000);
        rows.push(...batch);
        if (batch.length < 1000) break;
        after = batch[batch.length - 1].id;
      }
      rows.sort((a, b) => a.region_code.localeCompare(b.region_code) || a.period.localeCompare(b.period));
      return { code, year: y, rows };
    },

    async recordExport(c: RequestContext, code: string, year: number, rowCount: number) {
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'liaison.subsidy.export',
          targetType: 'region',
          targetId: code,
          changes: { regionCode: code, year, rowCount },
        }),
      );
    },
  };
}

export type LiaisonsService = ReturnType<typeof createLiaisonsService>;
