import { randomUUID } from 'node:crypto';
import {
  ASSESSMENT_SURVEY_FIGURE_LABELS,
  ASSESSMENT_SURVEY_FIGURES,
  type AssessmentSurveyFigure,
} from '../../../common/labels.js';
import type {
  AssessmentCatalogueEntry,
  AssessmentDeduction,
  AssessmentItem,
  AssessmentResult,
  AssessmentScheme,
  AssessmentSchemeInput,
  AssessmentSchemeReplace,
  AssessmentUnit,
} from '../../../common/schemas/assessments.js';
import type { RegionEstimates } from '../../../common/schemas/sample-surveys.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { isInScope, isWithin, levelOfCode, subtreeRange, type Actor } from '../../platform/scope.js';
import { writeXlsx, type XlsxColumn } from '../../platform/spreadsheets/index.js';
import type { SampleSurveysService } from '../sample-surveys/sample-surveys.service.js';
import type { IndicatorRegistry } from '../stat-returns/indicators/registry.js';
import type { StatReturnsService } from '../stat-returns/stat-returns.service.js';
import * as repo from './assessments.repository.js';

/** The statistical-return indicator the negative item counts (its one definition, petitions.indicators.ts). */
export const PROVINCE_PETITIONS = 'petition_events_province_or_higher';
/** The denominator of a per-family item. */
export const ACTIVE_FAMILIES = 'families_active';

interface Definition {
  items: AssessmentItem[];
  deductions: AssessmentDeduction[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Points of one item: linear from the floor (0) to the target (the full weight), capped at both ends. */
export function itemScore(item: AssessmentItem, value: number | null): number {
  if (value === null) return 0;
  const span = item.target - item.floor;
  const t = span === 0 ? 0 : (value - item.floor) / span;
  return round2(item.weight * Math.min(1, Math.max(0, t)));
}

export function deductionOf(deductions: AssessmentDeduction[], provincePetitions: number): number {
  let total = 0;
  for (const d of deductions) {
    const points = d.pointsPerEvent * provincePetitions;
    total += d.maxPoints ? Math.min(d.maxPoints, points) : points;
  }
  return round2(total);
}

/** Ranks within each level (cities among cities, counties among counties); equal scores share a rank. */
export function ranked(units: Omit<AssessmentUnit, 'rank'>[]): AssessmentUnit[] {
  const out: AssessmentUnit[] = [];
  for (const level of ['prefecture', 'county']) {
    const rows = units
      .filter((u) => u.level === level)
      .sort((a, b) => b.score - a.score || a.regionCode.localeCompare(b.regionCode))
      .map((u) => ({ ...u, rank: 0 }));
    rows.forEach((r, i) => {
      r.rank = i > 0 && rows[i - 1].score === r.score ? rows[i - 1].rank : i + 1;
    });
    out.push(...rows);
  }
  return out;
}

/**
 * 考核 (R16–R17, issue 15 part 5). A province (for its cities and counties) or a city (for its counties)
 * keeps a yearly scheme: items drawn from the statistical-return indicators (computed by the stat-returns
 * service's own definitions over the year) and from the sample survey (its `estimatesFor`), each with a
 * weight (Σ = 100) and a linear rule between a floor and a target, and a deduction per petition event at
 * province level or beyond. A draft's result is computed live; publishing stores it, with the scheme and
 * every input figure, and a published result is read from that snapshot only.
 */
export function createAssessmentsService(
  platform: Platform,
  deps: {
    indicators: IndicatorRegistry;
    statReturns: Pick<StatReturnsService, 'annualFiguresByUnit'>;
    sampleSurveys: Pick<SampleSurveysService, 'estimatesFor' | 'discrepancyRateFor'>;
  },
) {
  const { db, clock, audit } = platform;

  function catalogue(): AssessmentCatalogueEntry[] {
    return [
      ...deps.indicators.all().map((d) => ({
        source: 'indicator' as const,
        code: d.code,
        name: d.name,
        unit: d.unit,
        kind: d.kind,
      })),
      ...ASSESSMENT_SURVEY_FIGURES.map((code) => ({
        source: 'survey' as const,
        code,
        name: ASSESSMENT_SURVEY_FIGURE_LABELS[code],
        unit: code === 'satisfaction' ? '分' : '%',
        kind: 'rate',
      })),
    ];
  }

  function itemName(item: AssessmentItem): { name: string; unit: string } {
    if (item.source === 'survey')
      return {
        name: ASSESSMENT_SURVEY_FIGURE_LABELS[item.code as AssessmentSurveyFigure],
        unit: item.code === 'satisfaction' ? '分' : '%',
      };
    const d = deps.indicators.get(item.code);
    return item.perFamily
      ? { name: `${d?.name ?? item.code}（占在册家庭比例）`, unit: '%' }
      : { name: d?.name ?? item.code, unit: d?.unit ?? '' };
  }

  function currentYear(): number {
    return Number(chinaDate(clock.now()).slice(0, 4));
  }

  /** Every rule of a scheme; the first broken one is refused naming its field, before anything is stored. */
  async function validate(regionCode: string, input: AssessmentSchemeReplace | AssessmentSchemeInput) {
    if (input.year > currentYear()) throw AppError.field('year', '年度不能晚于今年', 'YEAR_FUTURE');
    const seen = new Set<string>();
    input.items.forEach((item, i) => {
      if (item.source === 'indicator') {
        const d = deps.indicators.get(item.code);
        if (!d) throw AppError.field(`items.${i}.code`, `统计报表中没有指标 ${item.code}`, 'UNKNOWN_INDICATOR');
        if (item.perFamily && d.kind === 'rate')
          throw AppError.field(`items.${i}.perFamily`, '比率类指标不能再按在册家庭折算', 'RULE_INVALID');
      } else if (!(ASSESSMENT_SURVEY_FIGURES as readonly string[]).includes(item.code))
        throw AppError.field(`items.${i}.code`, `抽样调查中没有指标 ${item.code}`, 'UNKNOWN_INDICATOR');
      const key = `${item.source}:${item.code}:${item.perFamily ? 1 : 0}`;
      if (seen.has(key)) throw AppError.field(`items.${i}.code`, '同一指标不能重复添加', 'DUPLICATE_ITEM');
      seen.add(key);
      if (item.direction === 'higher' && !(item.target > item.floor))
        throw AppError.field(`items.${i}.target`, '越高越好的指标，目标值应大于起评值', 'RULE_INVALID');
      if (item.direction === 'lower' && !(item.target < item.floor))
        throw AppError.field(`items.${i}.target`, '越低越好的指标，目标值应小于起评值', 'RULE_INVALID');
    });
    const sum = input.items.reduce((s, it) => s + it.weight, 0);
    if (Math.abs(sum - 100) > 1e-6)
      throw AppError.field('items', `各项权重之和应为 100，现为 ${round2(sum)}`, 'WEIGHTS_SUM');
    if (new Set(input.deductions.map((d) => d.kind)).size < input.deductions.length)
      throw AppError.field('deductions', '同一扣分项不能重复添加', 'DUPLICATE_ITEM');
    const surveyId = input.surveyId ?? null;
    if (input.items.some((it) => it.source === 'survey') && !surveyId)
      throw AppError.field('surveyId', '含抽样调查指标的方案须选择一次抽样调查', 'SURVEY_REQUIRED');
    if (surveyId) {
      const survey = await repo.findSurvey(db, surveyId);
      if (!survey || !isWithin(survey.region_code, regionCode))
        throw AppError.field('surveyId', '所选抽样调查不覆盖本方案的区划', 'SURVEY_UNKNOWN');
      if (Number(survey.year) !== input.year)
        throw AppError.field('surveyId', `所选抽样调查不是 ${input.year} 年度的`, 'SURVEY_YEAR');
    }
    return { surveyId, definition: { items: input.items, deductions: input.deductions } satisfies Definition };
  }

  /** Who sees a scheme: its region and the levels above; below it, a reader once published (own rows only). */
  function visibility(actor: Actor, row: repo.SchemeRow): 'full' | 'own' {
    if (isInScope(actor, row.region_code)) {
      authorize(actor, 'assessment.read');
      return 'full';
    }
    if (row.status === 'published' && isWithin(row.region_code, actor.regionCode) && can(actor, 'assessment.read'))
      return 'own';
    throw AppError.notFound();
  }

  async function locate(c: RequestContext, id: string) {
    const row = await repo.findScheme(db, id);
    if (!row) throw AppError.notFound();
    return { row, seen: visibility(c.actor, row) };
  }

  function isOwner(actor: Actor, row: { region_code: string }): boolean {
    return actor.regionCode === row.region_code && can(actor, 'assessment.manage');
  }

  function view(actor: Actor, row: repo.SchemeRow): AssessmentScheme {
    const def = JSON.parse(row.definition) as Definition;
    const own = isOwner(actor, row) && row.status === 'draft';
    return {
      id: row.id,
      regionCode: row.region_code,
      regionName: row.region_name,
      year: Number(row.year),
      name: row.name,
      surveyId: row.survey_id,
      items: def.items,
      deductions: def.deductions,
      status: row.status as AssessmentScheme['status'],
      publishedAt: row.published_at,
      publishedByName: row.published_by_name,
      createdAt: row.created_at,
      version: Number(row.version),
      abilities: { edit: own, publish: own },
    };
  }

  /** The scheme's result over its units, from the live records (one definition per figure). */
  async function computeLive(
    regionCode: string,
    year: number,
    surveyId: string | null,
    def: Definition,
  ): Promise<AssessmentUnit[]> {
    const level = levelOfCode(regionCode);
    const units = await repo.unitsOf(
      db,
      subtreeRange(regionCode),
      level === 'province' ? ['prefecture', 'county'] : ['county'],
    );
    const codes = new Set<string>();
    for (const it of def.items)
      if (it.source === 'indicator') {
        codes.add(it.code);
        if (it.perFamily) codes.add(ACTIVE_FAMILIES);
      }
    if (def.deductions.length) codes.add(PROVINCE_PETITIONS);
    const surveyItems = def.items.filter((it) => it.source === 'survey');
    const estimates = new Map<string, RegionEstimates>();
    if (surveyId && surveyItems.some((it) => it.code !== 'discrepancy_rate')) {
      // estimatesFor gives a region and its children: the province's cities, then each city's counties.
      const parents = level === 'province' ? units.filter((u) => u.level === 'prefecture').map((u) => u.code) : [];
      for (const parent of [regionCode, ...parents]) {
        const e = await deps.sampleSurveys.estimatesFor(parent, surveyId);
        for (const ch of [e.region, ...e.children]) estimates.set(ch.regionCode, ch);
      }
    }
    const wantsDiscrepancy = surveyId !== null && surveyItems.some((it) => it.code === 'discrepancy_rate');
    // Every unit's figures at once: one grouped pass per indicator over the scheme's region, each unit's
    // figure its own annual return's (the same definitions; a city from its counties' groups).
    const byUnit = codes.size
      ? await deps.statReturns.annualFiguresByUnit(
          [...codes],
          year,
          regionCode,
          units.map((u) => u.code),
        )
      : new Map<string, Record<string, number>>();
    const out: Omit<AssessmentUnit, 'rank'>[] = [];
    for (const u of units) {
      const figures = byUnit.get(u.code) ?? {};
      const discrepancy = wantsDiscrepancy ? await deps.sampleSurveys.discrepancyRateFor(u.code, surveyId) : null;
      const est = estimates.get(u.code);
      const items = def.items.map((item) => {
        let value: number | null;
        if (item.source === 'indicator') {
          const v = figures[item.code] ?? null;
          value =
            item.perFamily && v !== null
              ? figures[ACTIVE_FAMILIES]
                ? Math.round((1000 * v) / figures[ACTIVE_FAMILIES]) / 10
                : null
              : v;
        } else value = surveyValue(item.code as AssessmentSurveyFigure, est, discrepancy?.rate ?? null);
        return { code: item.code, ...itemName(item), value, weight: item.weight, score: itemScore(item, value) };
      });
      const itemsScore = round2(items.reduce((s, it) => s + it.score, 0));
      const provincePetitions = def.deductions.length ? Number(figures[PROVINCE_PETITIONS] ?? 0) : 0;
      const deduction = deductionOf(def.deductions, provincePetitions);
      out.push({
        regionCode: u.code,
        name: u.name,
        level: u.level,
        score: round2(Math.max(0, itemsScore - deduction)),
        itemsScore,
        provincePetitions,
        deduction,
        items,
      });
    }
    return ranked(out);
  }

  async function resultOf(row: repo.SchemeRow): Promise<AssessmentResult> {
    if (row.status === 'published' && row.snapshot) return JSON.parse(row.snapshot) as AssessmentResult;
    const def = JSON.parse(row.definition) as Definition;
    const computedAt = clock.now().toISOString();
    return {
      schemeId: row.id,
      status: 'draft',
      computedAt,
      scheme: {
        name: row.name,
        year: Number(row.year),
        regionCode: row.region_code,
        surveyId: row.survey_id,
        items: def.items,
        deductions: def.deductions,
      },
      units: await computeLive(row.region_code, Number(row.year), row.survey_id, def),
    };
  }

  /** A viewer below the scheme's region sees only the units of their own subtree. */
  function narrowed(actor: Actor, seen: 'full' | 'own', r: AssessmentResult): AssessmentResult {
    return seen === 'full' ? r : { ...r, units: r.units.filter((u) => isWithin(actor.regionCode, u.regionCode)) };
  }

  const COLUMNS: XlsxColumn[] = [
    { header: '名次', key: 'rank', text: false },
    { header: '单位', key: 'name', width: 20 },
    { header: '区划代码', key: 'regionCode', width: 16, text: true },
    { header: '层级', key: 'levelLabel', width: 8 },
    { header: '总分', key: 'score', text: false },
    { header: '指标得分', key: 'itemsScore', text: false },
    { header: '省级及以上信访（件）', key: 'provincePetitions', text: false },
    { header: '扣分', key: 'deduction', text: false },
  ];

  return {
    catalogue(c: RequestContext): AssessmentCatalogueEntry[] {
      authorize(c.actor, 'assessment.read');
      return catalogue();
    },

    async list(c: RequestContext, regionCode?: string, year?: number): Promise<AssessmentScheme[]> {
      const code = regionCode ?? c.actor.regionCode;
      if (!isInScope(c.actor, code)) throw AppError.notFound();
      authorize(c.actor, 'assessment.read');
      const level = levelOfCode(code);
      const ancestors = [
        ...(level !== 'province' ? [code.slice(0, 2) + '0000000000'] : []),
        ...(level !== 'province' && level !== 'prefecture' ? [code.slice(0, 4) + '00000000'] : []),
      ];
      const rows = await repo.listSchemes(db, subtreeRange(code), ancestors, year);
      return rows.map((r) => view(c.actor, r));
    },

    async get(c: RequestContext, id: string): Promise<AssessmentScheme> {
      return view(c.actor, (await locate(c, id)).row);
    },

    async create(c: RequestContext, input: AssessmentSchemeInput): Promise<AssessmentScheme> {
      const code = input.regionCode ?? c.actor.regionCode;
      if (!isInScope(c.actor, code)) throw AppError.notFound();
      authorize(c.actor, 'assessment.manage');
      const level = levelOfCode(code);
      if (level !== 'province' && level !== 'prefecture')
        throw AppError.field('regionCode', '考核方案由省或市（州）制定', 'UNIT_LEVEL');
      if (code !== c.actor.regionCode) throw new AppError('FORBIDDEN', '考核方案由本级工作人员制定');
      const { surveyId, definition } = await validate(code, input);
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await repo.insertScheme(trx, {
          id,
          region_code: code,
          year: input.year,
          name: input.name,
          survey_id: surveyId,
          definition: JSON.stringify(definition),
          status: 'draft',
          snapshot: null,
          created_by: c.actor.id,
          created_at: clock.now().toISOString(),
          published_at: null,
          published_by_name: null,
          version: 1,
        });
        await audit.record(trx, c, {
          action: 'assessment.create',
          targetType: 'region',
          targetId: code,
          changes: { schemeId: id, year: input.year, items: definition.items.length },
        });
      });
      return view(c.actor, (await repo.findScheme(db, id))!);
    },

    async update(c: RequestContext, id: string, input: AssessmentSchemeReplace): Promise<AssessmentScheme> {
      const { row } = await locate(c, id);
      if (!isOwner(c.actor, row)) throw new AppError('FORBIDDEN', '考核方案由本级工作人员修改');
      if (row.status !== 'draft') throw new AppError('INVALID_STATE', '考核结果已发布，方案不能再修改');
      const { surveyId, definition } = await validate(row.region_code, input);
      await db.transaction().execute(async (trx) => {
        const ok = await repo.updateDraft(trx, id, input.version, {
          year: input.year,
          name: input.name,
          survey_id: surveyId,
          definition: JSON.stringify(definition),
        });
        if (!ok) throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'assessment.update',
          targetType: 'region',
          targetId: row.region_code,
          changes: { schemeId: id, year: input.year, items: definition.items.length },
        });
      });
      return view(c.actor, (await repo.findScheme(db, id))!);
    },

    async result(c: RequestContext, id: string): Promise<AssessmentResult> {
      const { row, seen } = await locate(c, id);
      return narrowed(c.actor, seen, await resultOf(row));
    },

    /** Freezes the result: the scheme, every input figure and score are stored; nothing recomputes it after. */
    async publish(c: RequestContext, id: string, version: number): Promise<AssessmentScheme> {
      const { row } = await locate(c, id);
      if (!isOwner(c.actor, row)) throw new AppError('FORBIDDEN', '考核结果由本级工作人员发布');
      if (row.status !== 'draft') throw new AppError('INVALID_STATE', '考核结果已发布');
      const live = await resultOf(row);
      const now = clock.now().toISOString();
      const snapshot: AssessmentResult = { ...live, status: 'published', computedAt: now };
      await db.transaction().execute(async (trx) => {
        const ok = await repo.updateDraft(trx, id, version, {
          status: 'published',
          snapshot: JSON.stringify(snapshot),
          published_at: now,
          published_by_name: c.actor.displayName,
        });
        if (!ok) throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'assessment.publish',
          targetType: 'region',
          targetId: row.region_code,
          changes: { schemeId: id, year: Number(row.year), units: snapshot.units.length },
        });
      });
      return view(c.actor, (await repo.findScheme(db, id))!);
    },

    /** The ranking as xlsx (cells written as text or numbers by the guarded writer), audited as an export. */
    async exportXlsx(c: RequestContext, id: string) {
      const { row, seen } = await locate(c, id);
      const r = narrowed(c.actor, seen, await resultOf(row));
      const itemColumns: XlsxColumn[] = r.scheme.items.flatMap((it, i) => [
        { header: `${itemName(it).name}`, key: `v${i}`, width: 16 },
        { header: `得分（满分 ${it.weight}）`, key: `s${i}`, text: false },
      ]);
      const buffer = await writeXlsx([
        {
          name: '考核排名',
          columns: [...COLUMNS, ...itemColumns],
          dropdownRows: 1,
          rows: r.units.map((u) => ({
            ...u,
            levelLabel: u.level === 'prefecture' ? '市州' : '县市区',
            ...Object.fromEntries(
              u.items.flatMap((it, i) => [
                [`v${i}`, it.value === null ? '—' : String(it.value)],
                [`s${i}`, it.score],
              ]),
            ),
          })),
        },
      ]);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'assessment.export',
          targetType: 'region',
          targetId: row.region_code,
          changes: { schemeId: id, units: r.units.length },
        }),
      );
      return { buffer, fileName: `考核排名-${row.year}-${row.region_name}.xlsx` };
    },

    /** For the demo seed and the bench: the live result of a scheme definition, without an actor. */
    computeLive,
  };
}
export type AssessmentsService = ReturnType<typeof createAssessmentsService>;

/** A survey figure of a unit in percent (satisfaction: the 1–5 mean), null when it has no respondent. */
function surveyValue(
  code: AssessmentSurveyFigure,
  est: RegionEstimates | undefined,
  discrepancyRate: number | null,
): number | null {
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  if (code === 'discrepancy_rate') return pct(discrepancyRate);
  if (!est) return null;
  if (code === 'response_rate') return pct(est.responseRate);
  const e = est.indicators.find((i) => i.indicator === code)?.estimate ?? null;
  if (code === 'satisfaction') return e === null ? null : Math.round(e * 100) / 100;
  return pct(e);
}
