import { randomUUID } from 'node:crypto';
import {
  CARE_MANNER_LABELS,
  FESTIVAL_LABELS,
  POST_LABELS,
  SURVEY_INDICATORS,
  SURVEY_MAX_ATTEMPTS,
  type DiscrepancyCode,
  type Festival,
  type Post,
  type SurveyAttemptOutcome,
  type SurveyFamilyStatus,
  type SurveyIndicator,
} from '../../../common/labels.js';
import type { Role } from '../../../common/roles.js';
import type { FamilyType } from '../../../common/schemas/families.js';
import type {
  DiscrepancyExplain,
  RegionEstimates,
  SampleSurvey,
  SampleSurveyCreate,
  SampleSurveyDraw,
  SampleSurveySummary,
  SurveyAnswers,
  SurveyAssign,
  SurveyAssignResult,
  SurveyDiscrepancy,
  SurveyEstimates,
  SurveyFamily,
  SurveyFamilyDetail,
  SurveyResponseCreate,
  SurveyResponseResult,
  Surveyor,
} from '../../../common/schemas/sample-surveys.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import {
  actorRange,
  isInScope,
  isWithin,
  levelOfCode,
  subtreeRange,
  type Actor,
  type RegionRange,
} from '../../platform/scope.js';
import { ratioEstimate, type StratumObservations } from './estimation.js';
import * as repo from './sample-surveys.repository.js';
import {
  ALLOCATION_RULE,
  draw,
  drawOrder,
  PRNG,
  PRNG_VERSION,
  stratumKey,
  stratumSeed,
  type FrameFamily,
} from './sampling.js';

const countyOf = (code: string) => `${code.slice(0, 6)}000000`;
const DAY_MS = 86_400_000;
/** "In the last 3 months" of the phone form, against the records: the 90 days before the answer. */
const RECENT_DAYS = 90;
const RESOLVED_NEED_STATUSES = ['resolved'];

/** Every ancestor code of a region (its province, its city, …), for surveys held above the actor. */
function ancestorsOf(code: string): string[] {
  const out: string[] = [];
  for (const digits of [2, 4, 6, 9]) {
    const a = code.slice(0, digits).padEnd(12, '0');
    if (a !== code && !out.includes(a)) out.push(a);
  }
  return out.filter((a) => a !== code);
}

/** The survey is the actor's business when it lies in their subtree or covers their region. */
function isSurveyVisible(actor: Actor, surveyRegion: string): boolean {
  return isInScope(actor, surveyRegion) || isWithin(surveyRegion, actor.regionCode);
}

/** Where in the survey the actor may look: the smaller of the two subtrees. */
function workRange(actor: Actor, surveyRegion: string): RegionRange {
  return isInScope(actor, surveyRegion) ? subtreeRange(surveyRegion) : actorRange(actor);
}

interface Records {
  homeVisits: number;
  lastHomeVisitAt: string | null;
  homeVisitsEver: number;
  festival: { year: number; festival: string; manner: string | null; cared_on: string | null } | null;
  needStatuses: string[];
  contactPosts: string[];
}

/**
 * The discrepancy rules: each compares one answer with the family's records and explains, in Chinese,
 * what the county is asked to look into. docs/sample-survey.md lists them.
 */
export function discrepanciesOf(a: SurveyAnswers, r: Records): Array<{ code: DiscrepancyCode; message: string }> {
  const out: Array<{ code: DiscrepancyCode; message: string }> = [];
  const saysRecentVisit = a.lastHomeVisit === 'this_month' || a.lastHomeVisit === '1_3_months';
  if (!saysRecentVisit && r.homeVisits > 0)
    out.push({
      code: 'VISIT_DENIED',
      message: `家庭表示近三个月没有人登门走访，但系统记录显示近三个月有 ${r.homeVisits} 次登门走访（最近一次 ${chinaDate(new Date(r.lastHomeVisitAt!))}）。请核实走访记录是否真实。`,
    });
  if (a.lastHomeVisit === 'never' && r.homeVisits === 0 && r.homeVisitsEver > 0)
    out.push({
      code: 'NEVER_VISITED_CONTRADICTED',
      message: `家庭表示从未有人登门走访，但系统记录显示共有 ${r.homeVisitsEver} 次登门走访。请核实走访记录是否真实。`,
    });
  if (saysRecentVisit && r.homeVisits === 0)
    out.push({
      code: 'VISIT_UNRECORDED',
      message: '家庭表示近三个月有人登门走访，但系统中没有近三个月的登门走访记录。请核实是否漏登或走访未落实。',
    });
  if (a.knowsContacts === 'none' && r.contactPosts.length > 0)
    out.push({
      code: 'CONTACTS_UNKNOWN',
      message: `家庭表示不认识乡镇和村两级联系人，但档案中登记了联系人（${[...new Set(r.contactPosts)].map((p) => POST_LABELS[p as Post] ?? p).join('、')}）。请核实联系人是否履职。`,
    });
  if (!a.festivalCare && r.festival?.manner && r.festival.manner !== 'declined')
    out.push({
      code: 'FESTIVAL_CARE_DENIED',
      message: `家庭表示${r.festival.year}年${FESTIVAL_LABELS[r.festival.festival as Festival] ?? r.festival.festival}没有收到慰问，但系统记录显示已于 ${r.festival.cared_on} 慰问（${CARE_MANNER_LABELS[r.festival.manner as keyof typeof CARE_MANNER_LABELS] ?? r.festival.manner}）。请核实慰问是否送达。`,
    });
  if (
    a.needsResolved === false &&
    r.needStatuses.length > 0 &&
    r.needStatuses.every((s) => RESOLVED_NEED_STATUSES.includes(s))
  )
    out.push({
      code: 'NEEDS_RESOLUTION_DISPUTED',
      message: `家庭表示所提诉求没有解决，但系统记录显示其 ${r.needStatuses.length} 项诉求均已办结。请核实办结情况并回访。`,
    });
  return out;
}

/**
 * The value of an indicator in one answer: y, and z = 1 when the indicator applies. The estimates and the
 * commendation evidence read this one definition.
 */
export function indicatorValue(ind: SurveyIndicator, a: SurveyAnswers): { y: number; z: number } {
  switch (ind) {
    case 'knows_contacts':
      return { y: a.knowsContacts === 'both' ? 1 : 0, z: 1 };
    case 'visit_confirmed':
      return { y: a.lastHomeVisit === 'this_month' || a.lastHomeVisit === '1_3_months' ? 1 : 0, z: 1 };
    case 'festival_care':
      return { y: a.festivalCare ? 1 : 0, z: 1 };
    case 'needs_resolved':
      return a.needsResolved === undefined ? { y: 0, z: 0 } : { y: a.needsResolved ? 1 : 0, z: 1 };
    case 'satisfaction':
      return { y: a.satisfaction, z: 1 };
  }
}

/**
 * 抽样调查 (R16): the province freezes the frame, allocates and draws a reproducible sample, surveyors
 * call the families, the answers are compared with the records and the weighted estimates computed.
 */
export function createSampleSurveysService(platform: Platform) {
  const { db, clock, audit, crypto } = platform;
  const sm3 = (s: string) => crypto.sm3(s);
  const today = () => chinaDate(clock.now());

  async function getVisible(c: RequestContext, id: string) {
    const survey = await repo.findSurvey(db, id);
    if (!survey || !isSurveyVisible(c.actor, survey.region_code)) throw AppError.notFound();
    return survey;
  }

  async function namesOf(codes: string[], executor: Executor = db) {
    return new Map((await repo.regionsByCodes(executor, [...new Set(codes)])).map((r) => [r.code, r.name]));
  }

  function drawView(
    s: Pick<
      repo.SurveyRow,
      | 'year'
      | 'region_code'
      | 'frame_date'
      | 'seed'
      | 'rate'
      | 'q'
      | 'min_per_county'
      | 'allocation_rule'
      | 'prng'
      | 'prng_version'
      | 'frame_size'
      | 'sample_size'
      | 'frame_digest'
    > & { id: string | null },
    strata: Array<{ county_code: string; family_type: string; population: number; sample: number; quota: number }>,
    names: Map<string, string>,
  ): SampleSurveyDraw {
    return {
      id: s.id,
      year: s.year,
      regionCode: s.region_code,
      frameDate: s.frame_date,
      seed: s.seed,
      rate: Number(s.rate),
      q: Number(s.q),
      minPerCounty: s.min_per_county,
      allocationRule: s.allocation_rule,
      prng: s.prng,
      prngVersion: s.prng_version,
      frameSize: s.frame_size,
      sampleSize: s.sample_size,
      frameDigest: s.frame_digest,
      strata: strata.map((x) => ({
        regionCode: x.county_code,
        regionName: names.get(x.county_code) ?? x.county_code,
        familyType: x.family_type as FamilyType,
        population: x.population,
        sample: x.sample,
        quota: Math.round(Number(x.quota) * 1e6) / 1e6,
      })),
    };
  }

  async function progressOf(survey: repo.SurveyRow, range: RegionRange, code: string) {
    const level = levelOfCode(code);
    const digits = level === 'province' ? 4 : level === 'prefecture' ? 6 : 9;
    const rows = await repo.progressByPrefix(db, survey.id, range, digits);
    const blank = () => ({
      sampled: 0,
      pending: 0,
      reached: 0,
      refused: 0,
      unreachable: 0,
      replacements: 0,
      assigned: 0,
    });
    const total = blank();
    const byPrefix = new Map<string, ReturnType<typeof blank>>();
    for (const r of rows) {
      const p = byPrefix.get(r.prefix) ?? blank();
      byPrefix.set(r.prefix, p);
      for (const acc of [p, total]) {
        acc.sampled += r.n;
        acc[r.status as SurveyFamilyStatus] += r.n;
        acc.replacements += r.replacements;
        acc.assigned += r.assigned;
      }
    }
    const rate = (p: ReturnType<typeof blank>) => (p.sampled ? p.reached / p.sampled : null);
    const codes = [...byPrefix.keys()].map((p) => p.padEnd(12, '0'));
    const names = await namesOf(codes);
    return {
      progress: { ...total, responseRate: rate(total) },
      children: [...byPrefix.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([p, v]) => {
          const regionCode = p.padEnd(12, '0');
          return { regionCode, name: names.get(regionCode) ?? regionCode, ...v, responseRate: rate(v) };
        }),
    };
  }

  async function surveyView(c: RequestContext, survey: repo.SurveyRow): Promise<SampleSurvey> {
    const range = workRange(c.actor, survey.region_code);
    const strata = (await repo.strataOf(db, survey.id)).filter(
      (s) => s.county_code >= countyOf(range.from) && s.county_code <= range.to,
    );
    const names = new Map(strata.map((s) => [s.county_code, s.region_name ?? s.county_code]));
    const code = isInScope(c.actor, survey.region_code) ? survey.region_code : c.actor.regionCode;
    return {
      ...drawView(survey, strata, names),
      id: survey.id,
      status: survey.status,
      replaceUnreachable: survey.replace_unreachable === 1,
      createdAt: survey.created_at,
      version: survey.version,
      ...(await progressOf(survey, range, code)),
    };
  }

  function familyView(r: repo.SurveyFamilyRow): SurveyFamily {
    return {
      familyId: r.family_id,
      archiveNo: r.archive_no,
      regionCode: r.region_code,
      regionName: r.region_name,
      countyCode: r.county_code,
      familyType: r.family_type as FamilyType,
      pi: Number(r.pi),
      weight: Number(r.weight),
      status: r.status as SurveyFamilyStatus,
      attempts: r.attempts,
      isReserve: r.replaces_family_id !== null,
      replacesFamilyId: r.replaces_family_id,
      surveyorId: r.surveyor_id,
      surveyorName: r.surveyor_name ?? null,
      phoneMask: r.phone_mask ?? null,
    };
  }

  /** The sampled family in scope (404 otherwise); `null` when the family is in scope but not in the sample. */
  async function sampledFamily(c: RequestContext, surveyId: string, familyId: string) {
    const sf = await repo.findSurveyFamily(db, surveyId, familyId);
    if (sf && !isInScope(c.actor, sf.region_code)) throw AppError.notFound();
    return sf ?? null;
  }

  async function recordsFor(familyId: string, at: Date): Promise<Records> {
    const since = new Date(at.getTime() - RECENT_DAYS * DAY_MS).toISOString();
    const [r, contacts] = await Promise.all([
      repo.recordsOf(db, familyId, since, at.toISOString()),
      repo.activeContactsOf(db, familyId),
    ]);
    return { ...r, contactPosts: contacts.map((x) => x.post) };
  }

  /** The next reserve of the stratum, from the same seeded permutation (docs/sample-survey.md). */
  async function nextReserve(trx: Executor, survey: repo.SurveyRow, countyCode: string, familyType: string) {
    const stratum = await repo.findStratum(trx, survey.id, countyCode, familyType);
    if (!stratum) return null;
    const position = stratum.sample + stratum.reserves_used;
    if (position >= stratum.population) return null;
    const frame = await repo.stratumFrameIds(trx, survey.id, countyCode, familyType);
    const ids = frame.map((f) => f.family_id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const key = stratumKey({ countyCode, familyType });
    const order = drawOrder(ids, stratumSeed(survey.seed, key, sm3), position + 1);
    const familyId = order[position];
    if (!(await repo.bumpReserves(trx, survey.id, countyCode, familyType, stratum.reserves_used)))
      throw new AppError('VERSION_CONFLICT');
    return {
      familyId,
      regionCode: frame.find((f) => f.family_id === familyId)!.region_code,
      drawRank: position,
      pi: stratum.sample / stratum.population,
      weight: stratum.population / stratum.sample,
    };
  }

  /**
   * Per-region weighted estimates of a survey (no actor: the assessment reads them with its own checks).
   * The region and each of its child regions (cities of the province, counties of a city).
   */
  async function estimatesFor(regionCode: string, surveyId: string): Promise<SurveyEstimates> {
    const survey = await repo.findSurvey(db, surveyId);
    if (!survey) throw AppError.notFound();
    const range = subtreeRange(regionCode);
    const [strata, answers, released] = await Promise.all([
      repo.strataOf(db, surveyId),
      repo.respondents(db, surveyId, range),
      repo.releasedByStratum(db, surveyId),
    ]);
    const byStratum = new Map<string, SurveyAnswers[]>();
    for (const r of answers) {
      const key = stratumKey({ countyCode: r.county_code, familyType: r.family_type });
      const list = byStratum.get(key) ?? [];
      list.push(JSON.parse(r.answers) as SurveyAnswers);
      byStratum.set(key, list);
    }
    const releasedOf = new Map<string, number>();
    for (const r of released) {
      const key = stratumKey({ countyCode: r.county_code, familyType: r.family_type });
      releasedOf.set(key, (releasedOf.get(key) ?? 0) + r.n);
    }
    const domain = async (code: string): Promise<RegionEstimates> => {
      const region = await repo.findRegion(db, code);
      const inDomain = strata.filter((s) => isWithin(code, s.county_code));
      const obs = (ind: SurveyIndicator): StratumObservations[] =>
        inDomain.map((s) => ({
          population: s.population,
          values: (byStratum.get(stratumKey({ countyCode: s.county_code, familyType: s.family_type })) ?? []).map((a) =>
            indicatorValue(ind, a),
          ),
        }));
      const keys = inDomain.map((s) => stratumKey({ countyCode: s.county_code, familyType: s.family_type }));
      const respondents = keys.reduce((a, k) => a + (byStratum.get(k)?.length ?? 0), 0);
      const sampled = keys.reduce((a, k) => a + (releasedOf.get(k) ?? 0), 0);
      return {
        regionCode: code,
        name: region?.name ?? code,
        level: region?.level ?? levelOfCode(code),
        families: inDomain.reduce((a, s) => a + s.population, 0),
        coveredFamilies: inDomain.filter((s, i) => byStratum.has(keys[i])).reduce((a, s) => a + s.population, 0),
        sampled,
        respondents,
        responseRate: sampled ? respondents / sampled : null,
        indicators: SURVEY_INDICATORS.map((indicator) => ({
          indicator,
          ...ratioEstimate(obs(indicator), indicator === 'satisfaction' ? { min: 1, max: 5 } : { min: 0, max: 1 }),
        })),
      };
    };
    const level = levelOfCode(regionCode);
    const children =
      level === 'province' || level === 'prefecture'
        ? (await repo.childRegions(db, regionCode)).filter((ch) => strata.some((s) => isWithin(ch.code, s.county_code)))
        : [];
    return {
      surveyId,
      region: await domain(regionCode),
      children: await Promise.all(children.map((ch) => domain(ch.code))),
    };
  }

  /**
   * Share of the region's respondents whose answers disagreed with the records (at least one discrepancy
   * rule fired), for the assessment; no actor, as `estimatesFor`.
   */
  async function discrepancyRateFor(regionCode: string, surveyId: string) {
    const counts = await repo.discrepancyCounts(db, surveyId, subtreeRange(regionCode));
    return { ...counts, rate: counts.respondents ? counts.flagged / counts.respondents : null };
  }

  return {
    estimatesFor,
    discrepancyRateFor,

    async draw(c: RequestContext, input: SampleSurveyCreate): Promise<SampleSurveyDraw> {
      authorize(c.actor, 'sampleSurvey.draw');
      const regionCode = input.regionCode ?? c.actor.regionCode;
      const region = await repo.findRegion(db, regionCode);
      if (!region || !isInScope(c.actor, regionCode))
        throw AppError.field('regionCode', '区划不存在或不在管辖范围内', 'REGION_UNKNOWN');
      if (region.level !== 'province' && region.level !== 'prefecture')
        throw AppError.field('regionCode', '抽样调查的范围应为全省或一个市（州）', 'REGION_LEVEL');
      if (input.frameDate > today()) throw AppError.field('frameDate', '抽样框日期不能晚于今天', 'DATE_FUTURE');
      if (input.year < Number(input.frameDate.slice(0, 4)))
        throw AppError.field('year', '调查年度不能早于抽样框日期所在年度', 'YEAR_BEFORE_FRAME');
      const params = { rate: input.rate, q: input.q, minPerCounty: input.minPerCounty };
      const range = subtreeRange(regionCode);
      const setup = {
        year: input.year,
        region_code: regionCode,
        frame_date: input.frameDate,
        seed: input.seed,
        rate: input.rate,
        q: input.q,
        min_per_county: input.minPerCounty,
        allocation_rule: ALLOCATION_RULE,
        prng: PRNG,
        prng_version: PRNG_VERSION,
      };
      /** Frame (rows with their village) → the draw, its strata and the answer's shape. */
      const drawOn = async (
        rows: Array<{ id: string; region_code: string; family_type: string }>,
        executor: Executor,
      ) => {
        if (!rows.length) throw AppError.field('frameDate', '该日期该区划没有在册的特殊家庭，无法抽样', 'FRAME_EMPTY');
        const frame: FrameFamily[] = rows.map((r) => ({
          familyId: r.id,
          countyCode: countyOf(r.region_code),
          familyType: r.family_type,
        }));
        const d = draw(frame, input.seed, params, sm3);
        const strata = d.strata.map((s) => ({
          county_code: s.countyCode,
          family_type: s.familyType,
          population: s.population,
          sample: s.sample,
          quota: s.quota,
        }));
        const names = await namesOf(
          strata.map((s) => s.county_code),
          executor,
        );
        const base = { ...setup, frame_size: d.frameSize, sample_size: d.sampleSize, frame_digest: d.frameDigest };
        return { d, strata, names, base, regionOf: new Map(rows.map((r) => [r.id, r.region_code])) };
      };
      if (input.dryRun) {
        const { d, strata, names, base } = await drawOn(await repo.frameFamilies(db, range, input.frameDate), db);
        return { ...drawView({ ...base, id: null }, strata, names), familyIds: [...d.selected.values()].flat() };
      }
      const id = randomUUID();
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        // One survey per region and year: drawing again until a sample pleases would defeat the audit.
        const existing = (await repo.listSurveys(trx, range, [], input.year)).find((s) => s.region_code === regionCode);
        if (existing)
          throw new AppError('ALREADY_EXISTS', `${input.year} 年度的抽样调查已抽取（${existing.id}）`, [
            { path: 'id', message: existing.id, code: 'ALREADY_EXISTS' },
          ]);
        await repo.insertSurvey(trx, {
          id,
          ...setup,
          frame_size: 0,
          sample_size: 0,
          frame_digest: '',
          replace_unreachable: input.replaceUnreachable ? 1 : 0,
          status: 'fieldwork',
          created_by: c.actor.id,
          created_at: now,
          version: 1,
        });
        // The frame is frozen first and the sample drawn from what was stored.
        const stored = await repo.freezeFrame(trx, id, range, input.frameDate);
        const { d, strata, names, base, regionOf } = await drawOn(
          stored.map((f) => ({ id: f.family_id, region_code: f.region_code, family_type: f.family_type })),
          trx,
        );
        await repo.completeSurvey(trx, id, {
          frame_size: d.frameSize,
          sample_size: d.sampleSize,
          frame_digest: d.frameDigest,
        });
        await repo.insertStrata(
          trx,
          strata.map((s) => ({ ...s, survey_id: id, reserves_used: 0 })),
        );
        await repo.insertSampleFamilies(
          trx,
          d.strata.flatMap((s) =>
            d.selected.get(stratumKey(s))!.map((familyId, rank) => ({
              survey_id: id,
              family_id: familyId,
              region_code: regionOf.get(familyId)!,
              county_code: s.countyCode,
              family_type: s.familyType,
              draw_rank: rank,
              pi: s.sample / s.population,
              weight: s.population / s.sample,
              replaces_family_id: null,
              status: 'pending',
              attempts: 0,
              surveyor_id: null,
              assigned_at: null,
              finished_at: null,
              version: 1,
            })),
          ),
        );
        await audit.record(trx, c, {
          action: 'sampleSurvey.draw',
          targetType: 'sample_survey',
          targetId: id,
          targetRegionCode: regionCode,
          changes: {
            year: input.year,
            regionCode,
            frameDate: input.frameDate,
            seed: input.seed,
            rate: input.rate,
            q: input.q,
            minPerCounty: input.minPerCounty,
            frameSize: d.frameSize,
            sampleSize: d.sampleSize,
            frameDigest: d.frameDigest,
          },
        });
        return drawView({ ...base, id }, strata, names);
      });
    },

    async list(c: RequestContext, year?: number): Promise<SampleSurveySummary[]> {
      authorize(c.actor, 'sampleSurvey.read');
      const rows = await repo.listSurveys(db, actorRange(c.actor), ancestorsOf(c.actor.regionCode), year);
      return rows.map((s) => ({
        id: s.id,
        year: s.year,
        regionCode: s.region_code,
        regionName: s.region_name,
        frameDate: s.frame_date,
        frameSize: s.frame_size,
        sampleSize: s.sample_size,
        status: s.status,
        createdAt: s.created_at,
      }));
    },

    async get(c: RequestContext, id: string): Promise<SampleSurvey> {
      const survey = await getVisible(c, id);
      authorize(c.actor, 'sampleSurvey.read');
      return surveyView(c, survey);
    },

    /** Draws the sample again from the stored frame, seed and rule and compares it with the stored one. */
    async reproduce(c: RequestContext, id: string) {
      const survey = await getVisible(c, id);
      authorize(c.actor, 'sampleSurvey.read');
      const frame = (await repo.frameOf(db, id)).map((f) => ({
        familyId: f.family_id,
        countyCode: f.county_code,
        familyType: f.family_type,
      }));
      const d = draw(frame, survey.seed, { rate: survey.rate, q: survey.q, minPerCounty: survey.min_per_county }, sm3);
      const stored = await repo.sampledIds(db, id);
      const primary = stored.filter((s) => s.replaces_family_id === null);
      const again = [...d.selected.values()].flat();
      return {
        surveyId: id,
        frameDigest: d.frameDigest,
        isDigestMatching: d.frameDigest === survey.frame_digest,
        isSampleMatching:
          primary.length === again.length &&
          d.strata.every((s) => {
            const mine = primary
              .filter((p) => p.county_code === s.countyCode && p.family_type === s.familyType)
              .map((p) => p.family_id);
            const theirs = d.selected.get(stratumKey(s))!;
            return mine.length === theirs.length && mine.every((x, i) => x === theirs[i]);
          }),
        sampleSize: d.sampleSize,
      };
    },

    /** The sampled families the actor may see (an audited read: who is in the sample is not for everyone). */
    async families(
      c: RequestContext,
      id: string,
      q: { regionCode?: string; status?: string; mine?: boolean },
      page: { page: number; pageSize: number },
    ) {
      const survey = await getVisible(c, id);
      if (q.regionCode && !isInScope(c.actor, q.regionCode)) throw AppError.notFound();
      authorize(c.actor, q.mine ? 'sampleSurvey.survey' : 'sampleSurvey.read');
      const range = q.regionCode ? subtreeRange(q.regionCode) : workRange(c.actor, survey.region_code);
      const { rows, total } = await repo.surveyFamilies(
        db,
        id,
        { range, status: q.status, surveyorId: q.mine ? c.actor.id : undefined },
        page,
      );
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'sampleSurvey.read',
          targetType: 'sample_survey',
          targetId: id,
          targetRegionCode: survey.region_code,
          changes: { what: q.mine ? 'my_families' : 'families', rows: rows.length },
        }),
      );
      return { data: rows.map(familyView), page: { ...page, total } };
    },

    async family(c: RequestContext, id: string, familyId: string): Promise<SurveyFamilyDetail> {
      await getVisible(c, id);
      const sf = await sampledFamily(c, id, familyId);
      if (!sf) throw AppError.notFound();
      const isSurveyor = sf.surveyor_id === c.actor.id;
      if (!isSurveyor) authorize(c.actor, 'sampleSurvey.read');
      else authorize(c.actor, 'sampleSurvey.survey');
      const [members, contacts, attempts, response, discrepancies] = await Promise.all([
        repo.membersOf(db, familyId),
        repo.activeContactsOf(db, familyId),
        repo.attemptsOf(db, id, familyId),
        repo.responseOf(db, id, familyId),
        repo.discrepanciesOfFamily(db, id, familyId),
      ]);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'sampleSurvey.read',
          targetType: 'family',
          targetId: familyId,
          changes: { what: 'survey_family', surveyId: id },
        }),
      );
      const canRecord =
        can(c.actor, 'sampleSurvey.survey') &&
        sf.status === 'pending' &&
        (isSurveyor || (sf.surveyor_id === null && c.actor.role === 'province_staff'));
      return {
        ...familyView(sf),
        surveyId: id,
        parents: members
          .filter((m) => m.relation === 'father' || m.relation === 'mother')
          .map((m) => ({ relation: m.relation, name: m.name, phoneMask: m.phone_mask })),
        contacts: contacts.map((x) => ({ name: x.name, post: x.post as Post })),
        attemptsLog: attempts.map((a) => ({
          mode: a.mode as 'phone' | 'visit',
          outcome: a.outcome as SurveyAttemptOutcome,
          attemptedAt: a.attempted_at,
        })),
        canRecord,
        canRevealPhone: isSurveyor && can(c.actor, 'sampleSurvey.survey'),
        response: response
          ? {
              mode: response.mode as 'phone' | 'visit',
              answers: JSON.parse(response.answers) as SurveyAnswers,
              recordedAt: response.recorded_at,
              discrepancies: discrepancies.map((d) => ({ code: d.code as DiscrepancyCode, message: d.message })),
            }
          : null,
      };
    },

    /** The family's phones, for its assigned surveyor only; every reveal audited. */
    async revealPhone(c: RequestContext, id: string, familyId: string, reason: string) {
      await getVisible(c, id);
      const sf = await sampledFamily(c, id, familyId);
      if (!sf) throw AppError.notFound();
      authorize(c.actor, 'sampleSurvey.survey');
      if (sf.surveyor_id !== c.actor.id) throw new AppError('FORBIDDEN', '只有分派到该家庭的调查员可以查看完整电话');
      const members = await repo.membersOf(db, familyId);
      const phones = members
        .filter((m) => m.phone_enc && m.is_deceased !== 1)
        .map((m) => ({
          relation: m.relation,
          name: m.name,
          phone: crypto.decrypt(m.phone_enc!, `family_members:${m.id}:phone`),
        }));
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'sampleSurvey.phone_reveal',
          targetType: 'family',
          targetId: familyId,
          changes: { surveyId: id, field: 'phone', reason, count: phones.length },
        }),
      );
      return { phones };
    },

    async surveyors(c: RequestContext, id: string): Promise<Surveyor[]> {
      const survey = await getVisible(c, id);
      authorize(c.actor, 'sampleSurvey.assign');
      return (await repo.surveyorCandidates(db, subtreeRange(survey.region_code))).map((u) => ({
        id: u.id,
        displayName: u.display_name,
        role: u.role as Role,
        regionCode: u.region_code,
      }));
    },

    /** Hands families to a surveyor: province staff, or city staff of the families' city (the delegation). */
    async assign(c: RequestContext, id: string, input: SurveyAssign): Promise<SurveyAssignResult> {
      const survey = await getVisible(c, id);
      authorize(c.actor, 'sampleSurvey.assign', input.regionCode);
      const user = await repo.findUser(db, input.surveyorId);
      if (!user || user.is_disabled === 1 || !isWithin(survey.region_code, user.region_code))
        throw AppError.field('surveyorId', '调查员不存在或不在本次调查范围内', 'SURVEYOR_UNKNOWN');
      if (user.role !== 'province_staff' && user.role !== 'prefecture_staff')
        throw AppError.field('surveyorId', '调查员应为省级或市（州）级工作人员', 'SURVEYOR_ROLE');
      // City staff survey only their own city: the range shrinks to it.
      const surveyorRange = subtreeRange(user.region_code);
      const base = input.regionCode ? subtreeRange(input.regionCode) : subtreeRange(survey.region_code);
      const range = {
        from: base.from > surveyorRange.from ? base.from : surveyorRange.from,
        to: base.to < surveyorRange.to ? base.to : surveyorRange.to,
      };
      if (input.familyIds) {
        for (const [i, familyId] of input.familyIds.entries()) {
          const sf = await sampledFamily(c, id, familyId);
          if (!sf) throw AppError.field(`familyIds.${i}`, '该家庭不在本次样本中', 'NOT_IN_SAMPLE');
          if (!isWithin(user.region_code, sf.region_code))
            throw AppError.field(`familyIds.${i}`, '该家庭不在调查员所在市（州）', 'SURVEYOR_REGION');
        }
      }
      const now = clock.now().toISOString();
      const assigned = await db.transaction().execute(async (trx) => {
        const n = await repo.assign(trx, id, { familyIds: input.familyIds, range }, user.id, now);
        await audit.record(trx, c, {
          action: 'sampleSurvey.assign',
          targetType: 'sample_survey',
          targetId: id,
          targetRegionCode: survey.region_code,
          changes: { surveyorId: user.id, families: n, regionCode: input.regionCode ?? null },
        });
        return n;
      });
      return { assigned };
    },

    /** One call or visit: an attempt, and when reached the answers with their discrepancies. */
    async respond(c: RequestContext, id: string, input: SurveyResponseCreate): Promise<SurveyResponseResult> {
      const survey = await getVisible(c, id);
      const sf = await sampledFamily(c, id, input.familyId);
      authorize(c.actor, 'sampleSurvey.survey');
      if (!sf) throw AppError.field('familyId', '该家庭不在本次抽样调查的样本中', 'NOT_IN_SAMPLE');
      if (sf.surveyor_id !== c.actor.id && !(sf.surveyor_id === null && c.actor.role === 'province_staff'))
        throw new AppError('FORBIDDEN', '该家庭未分派给您调查');
      if (sf.status === 'reached')
        throw new AppError('CONFLICT', '该家庭已完成访问，不能重复登记答卷', [
          { path: 'familyId', message: '该家庭已完成访问，不能重复登记答卷', code: 'ALREADY_RESPONDED' },
        ]);
      if (sf.status !== 'pending')
        throw new AppError(
          'INVALID_STATE',
          `该家庭已标记为${sf.status === 'refused' ? '拒访' : '无法联系'}，不能再登记`,
        );
      const outcome: SurveyAttemptOutcome = input.reached ? 'reached' : (input.outcome ?? 'no_answer');
      const attempts = sf.attempts + 1;
      const status: SurveyFamilyStatus =
        outcome === 'reached'
          ? 'reached'
          : outcome === 'refused'
            ? 'refused'
            : outcome === 'wrong_number' || attempts >= SURVEY_MAX_ATTEMPTS
              ? 'unreachable'
              : 'pending';
      const at = clock.now();
      const now = at.toISOString();
      const discrepancies = input.answers ? discrepanciesOf(input.answers, await recordsFor(sf.family_id, at)) : [];
      return db.transaction().execute(async (trx) => {
        if (
          !(await repo.updateSurveyFamily(trx, id, sf.family_id, sf.version, {
            status,
            attempts,
            surveyor_id: sf.surveyor_id ?? c.actor.id,
            assigned_at: sf.assigned_at ?? now,
            finished_at: status === 'pending' ? null : now,
          }))
        )
          throw new AppError('VERSION_CONFLICT');
        await repo.insertAttempt(trx, {
          id: randomUUID(),
          survey_id: id,
          family_id: sf.family_id,
          mode: input.mode,
          outcome,
          attempted_at: now,
          surveyor_id: c.actor.id,
        });
        let replacement: { familyId: string } | null = null;
        if (input.answers) {
          await repo.insertResponse(trx, {
            id: randomUUID(),
            survey_id: id,
            family_id: sf.family_id,
            region_code: sf.region_code,
            mode: input.mode,
            answers: JSON.stringify(input.answers),
            recorded_by: c.actor.id,
            recorded_at: now,
          });
          await repo.insertDiscrepancies(
            trx,
            discrepancies.map((d) => ({
              id: randomUUID(),
              survey_id: id,
              family_id: sf.family_id,
              region_code: sf.region_code,
              code: d.code,
              message: d.message,
              status: 'open',
              explanation: null,
              explained_by: null,
              explained_at: null,
              created_at: now,
              version: 1,
            })),
          );
        } else if (status === 'unreachable' && survey.replace_unreachable === 1) {
          const reserve = await nextReserve(trx, survey, sf.county_code, sf.family_type);
          if (reserve) {
            await repo.insertSampleFamilies(trx, [
              {
                survey_id: id,
                family_id: reserve.familyId,
                region_code: reserve.regionCode,
                county_code: sf.county_code,
                family_type: sf.family_type,
                draw_rank: reserve.drawRank,
                pi: reserve.pi,
                weight: reserve.weight,
                replaces_family_id: sf.family_id,
                status: 'pending',
                attempts: 0,
                surveyor_id: sf.surveyor_id ?? c.actor.id,
                assigned_at: now,
                finished_at: null,
                version: 1,
              },
            ]);
            replacement = { familyId: reserve.familyId };
          }
        }
        await audit.record(trx, c, {
          action: input.answers ? 'sampleSurvey.response' : 'sampleSurvey.attempt',
          targetType: 'family',
          targetId: sf.family_id,
          changes: {
            surveyId: id,
            mode: input.mode,
            outcome,
            attempts,
            status,
            discrepancies: discrepancies.length,
            replacementFamilyId: replacement?.familyId ?? null,
          },
        });
        return {
          surveyId: id,
          familyId: sf.family_id,
          mode: input.mode,
          reached: input.reached,
          outcome,
          status,
          attempts,
          answers: input.answers ?? null,
          discrepancies,
          replacement,
        };
      });
    },

    async estimates(c: RequestContext, id: string, regionCode?: string): Promise<SurveyEstimates> {
      const survey = await getVisible(c, id);
      authorize(c.actor, 'sampleSurvey.read', regionCode);
      const code = regionCode ?? (isInScope(c.actor, survey.region_code) ? survey.region_code : c.actor.regionCode);
      if (!isWithin(survey.region_code, code))
        throw AppError.field('regionCode', '该区划不在本次调查范围内', 'REGION_OUTSIDE');
      return estimatesFor(code, id);
    },

    async discrepancies(
      c: RequestContext,
      q: { regionCode?: string; status?: string; surveyId?: string },
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'surveyDiscrepancy.read', q.regionCode);
      const range = q.regionCode ? subtreeRange(q.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listDiscrepancies(db, { ...q, range }, page);
      return { data: rows.map(discrepancyView), page: { ...page, total } };
    },

    async explain(c: RequestContext, discrepancyId: string, input: DiscrepancyExplain): Promise<SurveyDiscrepancy> {
      const d = await repo.findDiscrepancy(db, discrepancyId);
      if (!d || !isInScope(c.actor, d.region_code)) throw AppError.notFound();
      authorize(c.actor, 'surveyDiscrepancy.explain');
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        if (
          !(await repo.explainDiscrepancy(trx, d.id, input.version, {
            explanation: input.explanation,
            explained_by: c.actor.id,
            explained_at: now,
          }))
        )
          throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'surveyDiscrepancy.explain',
          targetType: 'family',
          targetId: d.family_id,
          changes: { discrepancyId: d.id, code: d.code, explanation: input.explanation },
        });
        return discrepancyView((await repo.findDiscrepancy(trx, d.id))!);
      });
    },

    /** Todos: a surveyor's families still to reach, a county's discrepancies to explain. */
    async todosFor(actor: Actor) {
      const out: Array<{
        kind: 'survey_call' | 'survey_discrepancy';
        title: string;
        detail: string;
        path: string;
        dueAt: string;
      }> = [];
      if (can(actor, 'sampleSurvey.survey'))
        for (const p of await repo.pendingForSurveyor(db, actor.id))
          out.push({
            kind: 'survey_call',
            title: `${p.year} 年抽样调查：还有 ${p.n} 户待访问`,
            detail: '请电话或入户访问，联系不上的最多尝试 3 次',
            path: `/sample-surveys/${p.surveyId}/calls`,
            dueAt: `${p.year}-12-31`,
          });
      if (can(actor, 'surveyDiscrepancy.explain')) {
        const n = await repo.countOpenDiscrepancies(db, actorRange(actor));
        if (n)
          out.push({
            kind: 'survey_discrepancy',
            title: `抽样调查发现 ${n} 条差异待说明`,
            detail: '家庭回答与工作记录不一致，请逐条核实并说明',
            path: '/survey-discrepancies',
            dueAt: today(),
          });
      }
      return out;
    },
  };
}

function discrepancyView(d: repo.DiscrepancyRow): SurveyDiscrepancy {
  return {
    id: d.id,
    surveyId: d.survey_id,
    surveyYear: d.survey_year,
    familyId: d.family_id,
    archiveNo: d.archive_no,
    regionCode: d.region_code,
    regionName: d.region_name,
    code: d.code as DiscrepancyCode,
    message: d.message,
    status: d.status as 'open' | 'explained',
    explanation: d.explanation,
    explainedAt: d.explained_at,
    createdAt: d.created_at,
    version: d.version,
  };
}

export type SampleSurveysService = ReturnType<typeof createSampleSurveysService>;
