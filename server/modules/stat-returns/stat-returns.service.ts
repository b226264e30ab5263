import { randomUUID } from 'node:crypto';
import type { StatReturnStatus, StatTemplate, Timeliness } from '../../../common/labels.js';
import type {
  ReportingRates,
  StatCheck,
  StatReturn,
  StatReturnChanges,
  StatReturnCreate,
  StatReturnDetail,
  StatReturnEvent,
  StatReturnSubmit,
  StatReturnUpdate,
} from '../../../common/schemas/stat-returns.js';
import type { Actor } from '../../platform/scope.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { isUniqueViolation, type Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { isInScope, levelOfCode, SIGNIFICANT_DIGITS, subtreeRange } from '../../platform/scope.js';
import type { ComplianceFacts } from '../compliance/compliance.service.js';
import type { Notify } from '../notifications/notifications.service.js';
import { approverRegionOf, approverRoleOf, isProvinceDirectUnit, SUBMITTER_ROLES, templatesOf } from './chain.js';
import { checkReturn, type ChildFigures } from './stat-returns.checks.js';
import { unitFigures, type IndicatorQuery, type IndicatorRegistry } from './indicators/registry.js';
import { dueAt, periodBounds } from './periods.js';
import * as repo from './stat-returns.repository.js';
import { MANUAL_FIELDS, templateInfo } from './templates.js';

type Row = repo.StatReturnRow;

/**
 * Which reminder a deadline is at: 'overdue' once it passed; else 1, 3 or 7 when the China days left until
 * the deadline's day are at most that many; null further away.
 */
export function reminderStep(now: Date, dueAt: string): 'overdue' | 1 | 3 | 7 | null {
  if (now.toISOString() > dueAt) return 'overdue';
  const days = Math.round((Date.parse(chinaDate(new Date(dueAt))) - Date.parse(chinaDate(now))) / 86_400_000);
  return days <= 1 ? 1 : days <= 3 ? 3 : days <= 7 ? 7 : null;
}
type Figures = Record<string, number>;

const EDITABLE: StatReturnStatus[] = ['draft', 'returned'];
const json = <T>(text: string): T => JSON.parse(text) as T;

/**
 * Statistical returns (R9): computed from live data by the indicator registry, frozen at submission,
 * approved level by level (township → county leader, county → city, city and province-direct units →
 * province). Every step is a versioned write with its history row and audit row in one transaction.
 */
export function createStatReturnsService(
  platform: Platform,
  indicators: IndicatorRegistry,
  facts: ComplianceFacts,
  hooks: { notify?: Notify } = {},
) {
  const { db, clock, audit, config } = platform;

  function isSubmitter(actor: Actor, regionCode: string): boolean {
    const roles = SUBMITTER_ROLES[levelOfCode(regionCode)] ?? [];
    return actor.regionCode === regionCode && roles.includes(actor.role);
  }

  function isApprover(actor: Actor, regionCode: string): boolean {
    return actor.regionCode === approverRegionOf(regionCode) && actor.role === approverRoleOf(regionCode);
  }

  function deadline(template: StatTemplate, period: string, regionCode: string): string {
    return dueAt(config.statReturns, template, period, levelOfCode(regionCode), isProvinceDirectUnit(regionCode));
  }

  /** Every indicator of the template for the region and period, live. */
  async function compute(template: StatTemplate, period: string, regionCode: string) {
    return computeDefs(indicators.forTemplate(template), template, period, regionCode);
  }

  /**
   * The named indicators for the region over a whole year, by the same definitions and the same query as
   * the annual return (the assessment scores these: one definition per figure). Unknown codes are skipped.
   */
  async function annualFigures(codes: string[], year: number, regionCode: string) {
    const defs = codes.map((code) => indicators.get(code)).filter((d) => d !== undefined);
    return computeDefs(defs, 'annual', String(year), regionCode);
  }

  /**
   * The named indicators of many units (region codes of any levels below `regionCode`) over a whole year —
   * each unit's figures exactly as `annualFigures` gives them for it (tested). A definition made of
   * summable parts (`byUnit`) reads every unit's parts in one pass over `regionCode`'s subtree, grouped by
   * the finest unit's prefix; a coarser unit (a city) sums its counties' groups instead of reading again.
   * Any other definition is computed unit by unit.
   */
  async function annualFiguresByUnit(codes: string[], year: number, regionCode: string, units: string[]) {
    const defs = codes.map((code) => indicators.get(code)).filter((d) => d !== undefined);
    const out = new Map<string, Figures>(units.map((u) => [u, {}]));
    if (!units.length) return out;
    const digits = Math.max(...units.map((u) => SIGNIFICANT_DIGITS[levelOfCode(u)]));
    const q = await queryFor('annual', String(year), regionCode);
    // The grouped scans all at once: PostgreSQL runs them side by side on the pool (each is a whole-province
    // read, the cores share them); SQLite's one connection takes them in turn, as before. A scan several
    // definitions share runs once (perQueryBy).
    const grouped = await Promise.all(defs.map((d) => d.byUnit?.parts(q, digits)));
    for (const [i, d] of defs.entries()) {
      const parts = grouped[i];
      if (d.byUnit && parts) {
        const values = unitFigures(d.byUnit, parts, units);
        for (const u of units) out.get(u)![d.code] = values.get(u)!;
      } else
        for (const u of units) out.get(u)![d.code] = await d.compute(await queryFor('annual', String(year), u, false));
    }
    return out;
  }

  /** What a definition computes over, for the region and period (`ensure`: make the month's fact rows first). */
  async function queryFor(template: StatTemplate, period: string, regionCode: string, ensure = true) {
    const bounds = periodBounds(template, period);
    const today = chinaDate(clock.now());
    const isLive = today <= bounds.to;
    // The current month's fact rows are made on first use, as the compliance dashboard does.
    if (isLive && ensure) await facts.ensureMonth(db, facts.thisMonth());
    const q: IndicatorQuery = {
      db,
      regionCode,
      range: subtreeRange(regionCode),
      from: bounds.from,
      to: bounds.to,
      asOf: isLive ? today : bounds.to,
      isLive,
    };
    return q;
  }

  async function computeDefs(
    defs: ReturnType<IndicatorRegistry['all']>,
    template: StatTemplate,
    period: string,
    regionCode: string,
  ) {
    const q = await queryFor(template, period, regionCode);
    const figures: Figures = {};
    const versions: Record<string, number> = {};
    // One after the other: SQLite has one connection, and PostgreSQL gains little on a 2-core box.
    for (const d of defs) {
      figures[d.code] = await d.compute(q);
      versions[d.code] = d.version;
    }
    return { figures, versions, computedAt: clock.now().toISOString() };
  }

  /** The reporting children expected for the template and period, with their returns. */
  async function expectedChildren(template: StatTemplate, period: string, regionCode: string) {
    const bounds = periodBounds(template, period);
    const level = levelOfCode(regionCode);
    const candidates = (await repo.reportingChildren(db, regionCode)).filter((c) =>
      templatesOf(c.code).includes(template),
    );
    if (!candidates.length) return [];
    const digits = level === 'county' ? SIGNIFICANT_DIGITS.township : SIGNIFICANT_DIGITS.county;
    const holding = await repo.childrenWithFamilies(db, regionCode, digits, bounds.from, bounds.to);
    const returns = await repo.returnsOf(
      db,
      template,
      period,
      candidates.map((c) => c.code),
    );
    const byRegion = new Map(returns.map((r) => [r.region_code, r]));
    // A child that handed in a return is expected too: one running its own instance (its package imported
    // here) has no families in this database.
    const expected = candidates.filter((c) => {
      const d = SIGNIFICANT_DIGITS[levelOfCode(c.code)];
      return byRegion.has(c.code) || [...holding].some((p) => p.slice(0, d) === c.code.slice(0, d));
    });
    return expected.map((c) => ({ ...c, statReturn: byRegion.get(c.code) ?? null }));
  }

  async function childFigures(row: Pick<Row, 'template' | 'period' | 'region_code'>): Promise<ChildFigures[]> {
    const children = await expectedChildren(row.template as StatTemplate, row.period, row.region_code);
    return children.map((c) => ({
      regionCode: c.code,
      name: c.name,
      approved: c.statReturn?.status === 'approved',
      figures: c.statReturn?.status === 'approved' ? json<Figures>(c.statReturn.figures) : null,
    }));
  }

  /** Live figures and checks of a draft (nothing stored: a GET never writes a return). */
  async function liveState(row: Row, missingReasons: Record<string, string>) {
    const computed = await compute(row.template as StatTemplate, row.period, row.region_code);
    const manual = json<Figures>(row.manual);
    const figures = { ...computed.figures, ...manual };
    const checks = checkReturn(indicators.forTemplate(row.template as StatTemplate), figures, {
      children: await childFigures(row),
      missingReasons,
    });
    return { ...computed, figures, checks };
  }

  function abilities(actor: Actor, row: Row, parentApproved = false): StatReturn['abilities'] {
    const submitter = isSubmitter(actor, row.region_code);
    const approver = isApprover(actor, row.region_code);
    const editable = EDITABLE.includes(row.status as StatReturnStatus);
    return {
      edit: submitter && editable,
      submit: submitter && editable,
      approve: approver && row.status === 'submitted',
      return: approver && row.status === 'submitted',
      reopen: approver && row.status === 'approved' && !parentApproved,
    };
  }

  function view(
    actor: Actor,
    row: Row,
    regionName: string,
    live?: { figures: Figures; checks: StatCheck[]; computedAt: string; versions: Record<string, number> },
    parentApproved = false,
  ): StatReturn {
    return {
      id: row.id,
      template: row.template as StatTemplate,
      period: row.period,
      regionCode: row.region_code,
      regionName,
      status: row.status as StatReturnStatus,
      dueAt: row.due_at,
      submittedAt: row.submitted_at,
      timeliness: row.timeliness as Timeliness | null,
      figures: live?.figures ?? json<Figures>(row.figures),
      checks: live?.checks ?? json<StatCheck[]>(row.checks),
      version: row.version,
      computedAt: live?.computedAt ?? row.computed_at,
      definitionVersions: live?.versions ?? json<Record<string, number>>(row.definition_versions),
      manual: json<Figures>(row.manual),
      remarks: row.remarks,
      preparedBy: row.prepared_by,
      responsiblePerson: row.responsible_person,
      explanations: json<Record<string, string>>(row.explanations),
      missingReasons: json<Record<string, string>>(row.missing_reasons),
      returnReason: row.return_reason,
      approvedAt: row.approved_at,
      approverRegionCode: approverRegionOf(row.region_code) ?? '',
      abilities: abilities(actor, row, parentApproved),
    };
  }

  /** The return in the actor's scope, or 404 (also for roles that read no returns: never probe ids). */
  async function locate(actor: Actor, id: string): Promise<Row & { region_name: string }> {
    const row = await repo.findById(db, id);
    if (!row || !isInScope(actor, row.region_code)) throw AppError.notFound();
    authorize(actor, 'statReturn.read', row.region_code);
    const region = await repo.region(db, row.region_code);
    return { ...row, region_name: region?.name ?? row.region_code };
  }

  async function isParentApproved(row: Row): Promise<boolean> {
    const parent = approverRegionOf(row.region_code);
    if (!parent) return false;
    const p = await repo.findByKey(db, row.template, row.period, parent);
    return p?.status === 'approved';
  }

  /** One step of the chain: the row moves on only from its version, with its history and audit rows. */
  async function step(
    c: RequestContext,
    row: Row,
    version: number,
    to: StatReturnStatus,
    action: StatReturnEvent['action'],
    set: Partial<Row>,
    reason: string | null = null,
    within?: (trx: Executor) => Promise<void>,
  ) {
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const ok = await repo.updateReturn(trx, row.id, version, { ...set, status: to, updated_at: now });
      if (!ok) throw new AppError('VERSION_CONFLICT');
      await repo.insertEvent(trx, {
        id: randomUUID(),
        return_id: row.id,
        seq: version + 1,
        action,
        from_status: row.status,
        to_status: to,
        reason,
        actor_id: c.actor.id,
        actor_name: c.actor.displayName,
        actor_role: c.actor.role,
        occurred_at: now,
      });
      await audit.record(trx, c, {
        action: `statReturn.${action}`,
        targetType: 'stat_return',
        targetId: row.id,
        changes: { status: [row.status, to], ...(reason ? { reason } : {}) },
      });
      if (within) await within(trx);
    });
  }

  const periodName = (template: string, period: string) =>
    `${period}${template === 'annual' ? '年度统计年报' : '季度统计季报'}`;

  /** The returns a region's office must hand in now: the last finished year and quarter (as in the todos). */
  function duePeriods(regionCode: string, today: string): Array<[StatTemplate, string]> {
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));
    const lastQuarter = month <= 3 ? `${year - 1}-Q4` : `${year}-Q${Math.floor((month - 1) / 3)}`;
    const all: Array<[StatTemplate, string]> = [
      ['annual', String(year - 1)],
      ['quarterly', lastQuarter],
    ];
    return all.filter(([template]) => templatesOf(regionCode).includes(template));
  }

  function checkVersion(row: Row, version: number) {
    if (row.version !== version) throw new AppError('VERSION_CONFLICT');
  }

  function invalidState(message: string): AppError {
    return new AppError('INVALID_STATE', message, [{ path: 'status', message }]);
  }

  async function detail(c: RequestContext, id: string): Promise<StatReturnDetail> {
    const row = await locate(c.actor, id);
    const events = await repo.listEvents(db, row.id);
    // A return handed in as a package comes from another instance's data: its figures are the package's, always.
    const isImported = events.some((e) => e.action === 'imported');
    const isDraft = EDITABLE.includes(row.status as StatReturnStatus) && !isImported;
    // A draft's checks ask for a reason for every child not approved now: the reasons of an earlier submission
    // (kept in missingReasons, offered again by the submit dialog) count only when submitted again.
    const live = isDraft ? await liveState(row, {}) : undefined;
    const parentApproved = row.status === 'approved' ? await isParentApproved(row) : false;
    const history = events.map((e) => ({
      action: e.action as StatReturnEvent['action'],
      fromStatus: e.from_status as StatReturnStatus | null,
      toStatus: e.to_status as StatReturnStatus,
      reason: e.reason,
      actorName: e.actor_name,
      actorRole: e.actor_role,
      occurredAt: e.occurred_at,
    }));
    return { ...view(c.actor, row, row.region_name, live, parentApproved), history };
  }

  return {
    templates() {
      return (['annual', 'quarterly'] as const).map((t) => templateInfo(indicators, t));
    },

    async create(c: RequestContext, input: StatReturnCreate): Promise<StatReturnDetail> {
      const region = await repo.region(db, input.regionCode);
      if (!region || !isInScope(c.actor, input.regionCode)) throw AppError.notFound();
      authorize(c.actor, 'statReturn.submit', input.regionCode);
      if (!isSubmitter(c.actor, input.regionCode)) throw new AppError('FORBIDDEN', '只有本级工作人员可以填报本级报表');
      if (!templatesOf(input.regionCode).includes(input.template))
        throw AppError.field(
          'template',
          '该区划不报送此报表（季报由乡镇报县，年报由乡镇、县、市州报送）',
          'TEMPLATE_NOT_FOR_REGION',
        );
      const bounds = periodBounds(input.template, input.period);
      if (bounds.from > chinaDate(clock.now())) throw AppError.field('period', '报表期尚未开始', 'PERIOD_FUTURE');
      const existing = await repo.findByKey(db, input.template, input.period, input.regionCode);
      const exists = (id: string) =>
        new AppError('ALREADY_EXISTS', `该报表已存在：${id}`, [{ path: 'id', message: `该报表已存在：${id}` }]);
      if (existing) throw exists(existing.id);
      const computed = await compute(input.template, input.period, input.regionCode);
      const now = clock.now().toISOString();
      const row: Row = {
        id: randomUUID(),
        template: input.template,
        period: input.period,
        region_code: input.regionCode,
        status: 'draft',
        due_at: deadline(input.template, input.period, input.regionCode),
        submitted_at: null,
        first_submitted_at: null,
        timeliness: null,
        approved_at: null,
        figures: JSON.stringify(computed.figures),
        definition_versions: JSON.stringify(computed.versions),
        checks: '[]',
        computed_at: computed.computedAt,
        manual: '{}',
        remarks: null,
        prepared_by: null,
        responsible_person: null,
        explanations: '{}',
        missing_reasons: '{}',
        return_reason: null,
        created_by: c.actor.id,
        created_at: now,
        updated_at: now,
        version: 1,
      };
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertReturn(trx, row);
          await repo.insertEvent(trx, {
            id: randomUUID(),
            return_id: row.id,
            seq: 1,
            action: 'created',
            from_status: null,
            to_status: 'draft',
            reason: null,
            actor_id: c.actor.id,
            actor_name: c.actor.displayName,
            actor_role: c.actor.role,
            occurred_at: now,
          });
          await audit.record(trx, c, {
            action: 'statReturn.create',
            targetType: 'stat_return',
            targetId: row.id,
            changes: { template: input.template, period: input.period, regionCode: input.regionCode },
          });
        });
      } catch (err) {
        // Two offices creating the same return at once: the loser gets the winner's id.
        if (!isUniqueViolation(err)) throw err;
        const winner = await repo.findByKey(db, input.template, input.period, input.regionCode);
        throw exists(winner?.id ?? '');
      }
      return detail(c, row.id);
    },

    /** The region's own returns and its reporting children's (stored figures: a list computes nothing). */
    async list(c: RequestContext, filter: { regionCode?: string; template?: StatTemplate; period?: string }) {
      const code = filter.regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'statReturn.read', code);
      const children = await repo.reportingChildren(db, code);
      const rows = await repo.listForRegions(db, [code, ...children.map((ch) => ch.code)], filter);
      return rows.map((r) => view(c.actor, r, r.region_name));
    },

    get: detail,

    async update(c: RequestContext, id: string, input: StatReturnUpdate): Promise<StatReturnDetail> {
      const row = await locate(c.actor, id);
      if (!isSubmitter(c.actor, row.region_code)) throw new AppError('FORBIDDEN', '只有本级工作人员可以填报本级报表');
      checkVersion(row, input.version);
      if (!EDITABLE.includes(row.status as StatReturnStatus)) throw invalidState('已上报或已审核的报表不能修改');
      const allowed = new Set(MANUAL_FIELDS[row.template as StatTemplate].map((m) => m.code));
      for (const code of Object.keys(input.manual ?? {}))
        if (!allowed.has(code)) throw AppError.field(`manual.${code}`, '该报表没有此手工填报项', 'UNKNOWN_FIELD');
      const set: Partial<Row> = {};
      if (input.manual) set.manual = JSON.stringify({ ...json<Figures>(row.manual), ...input.manual });
      if (input.remarks !== undefined) set.remarks = input.remarks || null;
      if (input.preparedBy !== undefined) set.prepared_by = input.preparedBy || null;
      if (input.responsiblePerson !== undefined) set.responsible_person = input.responsiblePerson || null;
      // Editing a returned return starts the next draft (the reason stays in the history).
      await step(c, row, input.version, 'draft', 'updated', set);
      return detail(c, id);
    },

    async submit(c: RequestContext, id: string, input: StatReturnSubmit): Promise<StatReturnDetail> {
      const row = await locate(c.actor, id);
      if (!isSubmitter(c.actor, row.region_code)) throw new AppError('FORBIDDEN', '只有本级工作人员可以上报本级报表');
      checkVersion(row, input.version);
      if (!EDITABLE.includes(row.status as StatReturnStatus)) throw invalidState('该报表已上报，不能重复上报');
      const missingReasons = input.missingReasons ?? {};
      const live = await liveState(row, missingReasons);
      const errors = live.checks.filter((k) => k.severity === 'error');
      if (errors.length)
        throw AppError.validation(
          errors.map((k) => ({
            path: k.code.startsWith('child_missing.') ? `missingReasons.${k.code.slice(14)}` : `checks.${k.code}`,
            message: k.message,
            code: 'CHECK_FAILED',
          })),
          `审核未通过：${errors[0].message}`,
        );
      const explanations = input.explanations ?? {};
      const unexplained = live.checks.filter((k) => k.severity === 'warning' && !explanations[k.code]);
      if (unexplained.length)
        throw AppError.validation(
          unexplained.map((k) => ({ path: `explanations.${k.code}`, message: `请说明：${k.message}` })),
        );
      const now = clock.now().toISOString();
      const first = row.first_submitted_at ?? now;
      await step(
        c,
        row,
        input.version,
        'submitted',
        'submitted',
        {
          figures: JSON.stringify(live.figures),
          definition_versions: JSON.stringify(live.versions),
          checks: JSON.stringify(live.checks),
          computed_at: now,
          submitted_at: now,
          first_submitted_at: first,
          // Timeliness is the first submission's: a return sent back and corrected stays on time.
          timeliness: first <= row.due_at ? 'on_time' : 'late',
          explanations: JSON.stringify(
            Object.fromEntries(
              live.checks.filter((k) => k.severity === 'warning').map((k) => [k.code, explanations[k.code]]),
            ),
          ),
          missing_reasons: JSON.stringify(missingReasons),
          return_reason: null,
        },
        null,
        // The level above is told in the same transaction: a return awaiting its review (R9, R10).
        async (trx) => {
          const approverRegion = approverRegionOf(row.region_code);
          const approverRole = approverRoleOf(row.region_code);
          if (!hooks.notify || !approverRegion || !approverRole) return;
          await hooks.notify(trx, {
            kind: 'return_review',
            title: `报表待审核：${row.region_name} ${periodName(row.template, row.period)}`,
            body: `${row.region_name}已上报${periodName(row.template, row.period)}，请审核或退回。`,
            link: `/stat-returns/${row.id}`,
            audience: { roles: [approverRole], regionCode: approverRegion },
            dedupeKey: `return_review:${row.id}:${input.version + 1}`,
          });
        },
      );
      return detail(c, id);
    },

    async approve(c: RequestContext, id: string, version: number): Promise<StatReturnDetail> {
      const row = await locate(c.actor, id);
      authorize(c.actor, 'statReturn.approve', row.region_code);
      if (!isApprover(c.actor, row.region_code)) throw new AppError('FORBIDDEN', '只有上一级可以审核此报表');
      checkVersion(row, version);
      if (row.status !== 'submitted') throw invalidState('只有已上报的报表可以审核');
      await step(c, row, version, 'approved', 'approved', { approved_at: clock.now().toISOString() });
      return detail(c, id);
    },

    async sendBack(c: RequestContext, id: string, version: number, reason: string): Promise<StatReturnDetail> {
      const row = await locate(c.actor, id);
      authorize(c.actor, 'statReturn.approve', row.region_code);
      if (!isApprover(c.actor, row.region_code)) throw new AppError('FORBIDDEN', '只有上一级可以退回此报表');
      checkVersion(row, version);
      if (row.status !== 'submitted') throw invalidState('只有已上报待审核的报表可以退回');
      await step(c, row, version, 'returned', 'returned', { return_reason: reason }, reason);
      return detail(c, id);
    },

    async reopen(c: RequestContext, id: string, version: number, reason: string): Promise<StatReturnDetail> {
      const row = await locate(c.actor, id);
      authorize(c.actor, 'statReturn.approve', row.region_code);
      if (!isApprover(c.actor, row.region_code)) throw new AppError('FORBIDDEN', '只有审核人可以重新打开此报表');
      checkVersion(row, version);
      if (row.status !== 'approved') throw invalidState('只有已审核的报表可以重新打开');
      if (await isParentApproved(row)) throw invalidState('上一级报表已审核，不能再重新打开下级报表');
      await step(c, row, version, 'returned', 'reopened', { return_reason: reason, approved_at: null }, reason);
      return detail(c, id);
    },

    /**
     * A verified package of a child running its own instance becomes that child's submitted return here (issue
     * 13 part 6): figures, definition versions and 填报说明 frozen as signed, submitted at the package's signing
     * time (the sender's act; the receiver's delay is not the sender's lateness). Called by the packages service
     * after the signature, recipient and digest hold; refuses with PACKAGE_INVALID naming why.
     */
    async acceptPackage(
      c: RequestContext,
      p: {
        template: StatTemplate;
        period: string;
        regionCode: string;
        figures: Figures;
        definitionVersions: Record<string, number>;
        remarks: string | null;
        preparedBy: string | null;
        responsiblePerson: string | null;
        signedAt: Date;
        signedByName: string;
        packageDigest: string;
      },
    ): Promise<StatReturnDetail> {
      const refuse = (code: string, message: string) =>
        new AppError('PACKAGE_INVALID', message, [{ path: 'file', message, code }]);
      const region = await repo.region(db, p.regionCode);
      if (!region) throw refuse('REGION_UNKNOWN', `报表单位（${p.regionCode}）不在本平台的区划中`);
      if (!isInScope(c.actor, p.regionCode)) throw refuse('SIGNER_OUT_OF_SCOPE', `${region.name}不在本级管辖范围内`);
      if (!isApprover(c.actor, p.regionCode))
        throw new AppError('FORBIDDEN', `只有${region.name}报表的审核层级可以接收其报表包`);
      if (!templatesOf(p.regionCode).includes(p.template))
        throw refuse('TEMPLATE_NOT_FOR_REGION', `${region.name}不报送此报表`);
      let bounds;
      try {
        bounds = periodBounds(p.template, p.period);
      } catch {
        throw refuse('PERIOD_INVALID', `报表期（${p.period}）格式不正确`);
      }
      const now = clock.now();
      if (bounds.from > chinaDate(now)) throw refuse('PERIOD_FUTURE', `报表期（${p.period}）尚未开始`);
      const existing = await repo.findByKey(db, p.template, p.period, p.regionCode);
      if (existing && (existing.status === 'submitted' || existing.status === 'approved'))
        throw refuse(
          'ALREADY_SUBMITTED',
          `${region.name}${periodName(p.template, p.period)}已${existing.status === 'approved' ? '审核通过' : '上报待审核'}，不能重复接收${existing.status === 'submitted' ? '；如需更正，请先退回' : ''}`,
        );
      const submittedAt = (p.signedAt.getTime() < now.getTime() ? p.signedAt : now).toISOString();
      const checks = checkReturn(indicators.forTemplate(p.template), p.figures, { children: [], missingReasons: {} });
      const reason = `报表包（签名方：${p.signedByName}，SM3 ${p.packageDigest.slice(0, 16)}…）`;
      const dueAt = existing?.due_at ?? deadline(p.template, p.period, p.regionCode);
      const first = existing?.first_submitted_at ?? submittedAt;
      const frozen: Partial<Row> = {
        figures: JSON.stringify(p.figures),
        definition_versions: JSON.stringify(p.definitionVersions),
        checks: JSON.stringify(checks),
        computed_at: submittedAt,
        manual: '{}',
        remarks: p.remarks,
        prepared_by: p.preparedBy,
        responsible_person: p.responsiblePerson,
        submitted_at: submittedAt,
        first_submitted_at: first,
        timeliness: first <= dueAt ? 'on_time' : 'late',
        return_reason: null,
      };
      if (existing) {
        // Sent back before (or a draft someone began here): the corrected package is its next submission.
        await step(c, existing, existing.version, 'submitted', 'imported', frozen, reason);
        return detail(c, existing.id);
      }
      const iso = now.toISOString();
      const row = {
        ...frozen,
        id: randomUUID(),
        template: p.template,
        period: p.period,
        region_code: p.regionCode,
        status: 'submitted',
        due_at: dueAt,
        approved_at: null,
        explanations: '{}',
        missing_reasons: '{}',
        created_by: c.actor.id,
        created_at: iso,
        updated_at: iso,
        version: 1,
      } as Row;
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertReturn(trx, row);
          await repo.insertEvent(trx, {
            id: randomUUID(),
            return_id: row.id,
            seq: 1,
            action: 'imported',
            from_status: null,
            to_status: 'submitted',
            reason,
            actor_id: c.actor.id,
            actor_name: c.actor.displayName,
            actor_role: c.actor.role,
            occurred_at: iso,
          });
          await audit.record(trx, c, {
            action: 'statReturn.imported',
            targetType: 'stat_return',
            targetId: row.id,
            changes: {
              status: [null, 'submitted'],
              template: p.template,
              period: p.period,
              regionCode: p.regionCode,
              packageDigest: p.packageDigest,
            },
          });
        });
      } catch (err) {
        // Two imports of the same package at once: the loser is told it is in already.
        if (!isUniqueViolation(err)) throw err;
        throw refuse('ALREADY_SUBMITTED', `${region.name}${periodName(p.template, p.period)}已上报，不能重复接收`);
      }
      return detail(c, row.id);
    },

    /** What moved in the live data since the figures were frozen. */
    async changes(c: RequestContext, id: string): Promise<StatReturnChanges> {
      const row = await locate(c.actor, id);
      const frozen = json<Figures>(row.figures);
      const live = await compute(row.template as StatTemplate, row.period, row.region_code);
      const changes = indicators
        .forTemplate(row.template as StatTemplate)
        .filter((d) => d.code in frozen && frozen[d.code] !== live.figures[d.code])
        .map((d) => ({ code: d.code, name: d.name, unit: d.unit, frozen: frozen[d.code], live: live.figures[d.code] }));
      return { computedAt: live.computedAt, changes };
    },

    /** Who of the region's expected reporters has submitted, on time or late, and who is missing — live. */
    async reportingRates(
      c: RequestContext,
      q: { template: StatTemplate; period: string; regionCode?: string },
    ): Promise<ReportingRates> {
      const code = q.regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'statReturn.read', code);
      const region = await repo.region(db, code);
      if (!region) throw AppError.notFound();
      periodBounds(q.template, q.period);
      const now = clock.now().toISOString();
      const own = await repo.findByKey(db, q.template, q.period, code);
      const reasons = own ? json<Record<string, string>>(own.missing_reasons) : {};
      const children = (await expectedChildren(q.template, q.period, code)).map((ch) => {
        const r = ch.statReturn;
        const isIn = r?.status === 'submitted' || r?.status === 'approved';
        const due = deadline(q.template, q.period, ch.code);
        return {
          regionCode: ch.code,
          name: ch.name,
          status: (r?.status ?? 'none') as ReportingRates['children'][number]['status'],
          timeliness: isIn ? (r.timeliness as Timeliness) : now > due ? ('missing' as const) : null,
          returnId: r?.id ?? null,
          submittedAt: isIn ? r.submitted_at : null,
          dueAt: due,
          missingReason: reasons[ch.code] ?? null,
        };
      });
      return {
        template: q.template,
        period: q.period,
        regionCode: code,
        name: region.name,
        expected: children.length,
        submitted: children.filter((ch) => ch.timeliness === 'on_time' || ch.timeliness === 'late').length,
        onTime: children.filter((ch) => ch.timeliness === 'on_time').length,
        late: children.filter((ch) => ch.timeliness === 'late').length,
        missing: children.filter((ch) => ch.timeliness === 'missing').length,
        children,
      };
    },

    /**
     * Todos (R9): the returns the actor's office must hand in (the last finished year and quarter, from the
     * period's end until submitted) and the children's returns awaiting the actor's review.
     */
    async todosFor(actor: Actor) {
      const items: Array<{
        kind: 'stat_return_due' | 'stat_return_review';
        id: string | null;
        title: string;
        regionName: string;
        dueAt: string;
        detail: string;
        overdue: boolean;
      }> = [];
      if (!can(actor, 'statReturn.read')) return items;
      const now = clock.now();
      const today = chinaDate(now);
      const region = await repo.region(db, actor.regionCode);
      if (isSubmitter(actor, actor.regionCode) && region) {
        const year = Number(today.slice(0, 4));
        const month = Number(today.slice(5, 7));
        const lastQuarter = month <= 3 ? `${year - 1}-Q4` : `${year}-Q${Math.floor((month - 1) / 3)}`;
        const due: Array<[StatTemplate, string]> = [['annual', String(year - 1)]];
        if (templatesOf(actor.regionCode).includes('quarterly')) due.push(['quarterly', lastQuarter]);
        for (const [template, period] of due) {
          if (!templatesOf(actor.regionCode).includes(template)) continue;
          const r = await repo.findByKey(db, template, period, actor.regionCode);
          if (r && (r.status === 'submitted' || r.status === 'approved')) continue;
          const at = r?.due_at ?? deadline(template, period, actor.regionCode);
          items.push({
            kind: 'stat_return_due',
            id: r?.id ?? null,
            title: `${period}${template === 'annual' ? '年度统计年报' : '季度统计季报'}${r?.status === 'returned' ? '（已退回）' : ''}`,
            regionName: region.name,
            dueAt: at,
            detail: r?.status === 'returned' ? `退回原因：${r.return_reason ?? ''}` : r ? '草稿，尚未上报' : '尚未填报',
            overdue: now.toISOString() > at,
          });
        }
      }
      if (can(actor, 'statReturn.approve')) {
        const children = (await repo.reportingChildren(db, actor.regionCode)).filter(
          (ch) => approverRoleOf(ch.code) === actor.role && approverRegionOf(ch.code) === actor.regionCode,
        );
        for (const r of await repo.returnsInStatus(
          db,
          'submitted',
          children.map((ch) => ch.code),
        ))
          items.push({
            kind: 'stat_return_review',
            id: r.id,
            title: `${r.region_name} ${r.period}${r.template === 'annual' ? '年报' : '季报'}待审核`,
            regionName: r.region_name,
            dueAt: r.due_at,
            detail: `上报时间：${(r.submitted_at ?? '').slice(0, 10)}`,
            overdue: false,
          });
      }
      return items;
    },

    /**
     * The deadline reminders (R9, R10), a scheduled job: each office that still owes a return of the last
     * finished year or quarter hears of it 7, 3 and 1 day(s) before its deadline and once when it is
     * overdue. A late first run sends only the nearest reminder; the dedupe key (region, return, step)
     * makes a re-run — or a second instance — ring nobody twice. Answers how many notifications were made.
     */
    async remindDue(now: Date = clock.now()): Promise<number> {
      if (!hooks.notify) return 0;
      const notify = hooks.notify;
      const today = chinaDate(now);
      const accounts = await repo.submitterAccounts(db, [...new Set(Object.values(SUBMITTER_ROLES).flat())]);
      const byRegion = new Map<string, Array<{ id: string; role: string }>>();
      for (const a of accounts) {
        const roles = SUBMITTER_ROLES[levelOfCode(a.region_code)] ?? [];
        if (!roles.includes(a.role as never)) continue;
        byRegion.set(a.region_code, [...(byRegion.get(a.region_code) ?? []), a]);
      }
      let made = 0;
      for (const [code, users] of byRegion) {
        for (const [template, period] of duePeriods(code, today)) {
          const r = await repo.findByKey(db, template, period, code);
          if (r && (r.status === 'submitted' || r.status === 'approved')) continue;
          const at = r?.due_at ?? deadline(template, period, code);
          const step = reminderStep(now, at);
          if (!step) continue;
          const dueDate = chinaDate(new Date(at));
          const name = periodName(template, period);
          await db.transaction().execute(async (trx) => {
            made += (
              await notify(trx, {
                kind: 'return_due',
                title: step === 'overdue' ? `报表已逾期：${name}` : `报表 ${step} 天内到期：${name}`,
                body:
                  step === 'overdue'
                    ? `报送截止日期 ${dueDate} 已过，请尽快填报并上报。`
                    : `报送截止日期 ${dueDate}，${r ? '草稿尚未上报' : '尚未填报'}，请按时上报。`,
                link: r ? `/stat-returns/${r.id}` : '/stat-returns',
                userIds: users.map((u) => u.id),
                dedupeKey: `return_due:${template}:${period}:${code}:${step}`,
              })
            ).length;
          });
        }
      }
      return made;
    },

    /** For the demo seed and the bench: the figures of any region, without an actor. */
    compute,
    /** For the assessment (its own authorization): named indicators of a region over a year. */
    annualFigures,
    annualFiguresByUnit,
  };
}
export type StatReturnsService = ReturnType<typeof createStatReturnsService>;
