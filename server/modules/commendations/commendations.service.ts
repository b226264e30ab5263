import { randomUUID } from 'node:crypto';
import type { POSTS } from '../../../common/labels.js';
import type {
  CandidateEvidence,
  CommendationCandidate,
  CommendationList,
  NominationCreate,
} from '../../../common/schemas/commendations.js';
import type { SurveyAnswers } from '../../../common/schemas/sample-surveys.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { isInScope, levelOfCode, subtreeRange, type Actor } from '../../platform/scope.js';
import type { AccountabilityService } from '../accountability/accountability.service.js';
import { rate, type ComplianceService } from '../compliance/compliance.service.js';
import { indicatorValue } from '../sample-surveys/sample-surveys.service.js';
import * as repo from './commendations.repository.js';

/** The weights of the score (docs/supervision.md); a figure with nothing to measure is left out of the mean. */
export const SCORE_WEIGHTS = { visits: 40, responses: 20, survey: 15, petitions: 15, trainings: 10 } as const;
/** Share of the city's ranked contacts it may commend in a year (at least one). */
export const QUOTA_SHARE = 0.05;

export function scoreOf(e: CandidateEvidence): number {
  const parts: Array<[number, number]> = [
    [SCORE_WEIGHTS.visits, e.visits.rate],
    [SCORE_WEIGHTS.petitions, e.provincePetitions === 0 ? 1 : 0],
    [SCORE_WEIGHTS.trainings, e.trainings > 0 ? 1 : 0],
  ];
  if (e.responses.rate !== null) parts.push([SCORE_WEIGHTS.responses, e.responses.rate]);
  if (e.survey.rate !== null) parts.push([SCORE_WEIGHTS.survey, e.survey.rate]);
  const w = parts.reduce((s, [weight]) => s + weight, 0);
  return Math.round((1000 * parts.reduce((s, [weight, v]) => s + weight * v, 0)) / w) / 10;
}

/**
 * 表彰 (R17, issue 15 part 7): a city's contacts ranked for the year from the work records — home-visit
 * compliance over their families (the compliance module's own per-contact figure, month by month), timely
 * response to major events, confirmations in this year's sample survey, no province-level petitions among
 * their families, trainings attended. City staff nominate within the quota (a contact with a 履职不到位
 * finding that year cannot be), the province approves, the city publishes the 通报表彰.
 */
export function createCommendationsService(
  platform: Platform,
  deps: {
    compliance: Pick<ComplianceService, 'byContact'>;
    accountability: Pick<AccountabilityService, 'failedContacts'>;
  },
) {
  const { db, clock, audit } = platform;

  function cityOf(c: RequestContext, regionCode?: string): string {
    const code = regionCode ?? c.actor.regionCode;
    if (!isInScope(c.actor, code)) throw AppError.notFound();
    authorize(c.actor, 'commendation.read');
    if (levelOfCode(code) !== 'prefecture')
      throw AppError.field('regionCode', '表彰按市（州）评选，请选择市州', 'NOT_CITY');
    return code;
  }

  function yearOf(year?: number): number {
    const now = Number(chinaDate(clock.now()).slice(0, 4));
    const y = year ?? now;
    if (y > now) throw AppError.field('year', '年度不能晚于今年', 'YEAR_FUTURE');
    return y;
  }

  async function candidates(c: RequestContext, code: string, year: number): Promise<CommendationCandidate[]> {
    const range = subtreeRange(code);
    const current = chinaDate(clock.now()).slice(0, 7);
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter(
      (m) => m <= current,
    );
    const byContact = new Map<
      string,
      {
        name: string;
        post: string;
        regionCode: string;
        regionName: string;
        families: number;
        fm: number;
        visited: number;
      }
    >();
    for (const month of months) {
      const page = await deps.compliance.byContact(c, code, month, { page: 1, pageSize: 100_000 });
      for (const r of page.data) {
        const entry = byContact.get(r.contactId) ?? {
          name: r.name,
          post: r.post,
          regionCode: r.regionCode,
          regionName: r.regionName,
          families: r.families,
          fm: 0,
          visited: 0,
        };
        entry.fm += r.families;
        entry.visited += r.visited;
        entry.families = r.families;
        byContact.set(r.contactId, entry);
      }
    }
    const fromIso = new Date(`${year}-01-01T00:00:00+08:00`).toISOString();
    const toIso = new Date(`${year + 1}-01-01T00:00:00+08:00`).toISOString();
    const [events, petitions, trainings, answers, failed] = await Promise.all([
      repo.eventResponsesByContact(db, range, fromIso, toIso),
      repo.provincePetitionsByContact(db, range, year),
      repo.trainingsByContact(db, range, year),
      repo.surveyAnswersByContact(db, range, year),
      deps.accountability.failedContacts(year),
    ]);
    const eventsOf = new Map(
      events.map((e) => [e.contact_id, { n: Number(e.events), onTime: Number(e.on_time ?? 0) }]),
    );
    const petitionsOf = new Map(petitions.map((p) => [p.contact_id, Number(p.n)]));
    const trainingsOf = new Map(trainings.map((t) => [t.contact_id, Number(t.n)]));
    const surveyOf = new Map<string, { asked: number; confirmed: number }>();
    for (const a of answers) {
      const s = surveyOf.get(a.contact_id) ?? { asked: 0, confirmed: 0 };
      s.asked += 1;
      s.confirmed += indicatorValue('visit_confirmed', JSON.parse(a.answers) as SurveyAnswers).y;
      surveyOf.set(a.contact_id, s);
    }
    const rows = [...byContact.entries()]
      .filter(([, v]) => v.families > 0 || v.fm > 0)
      .map(([contactId, v]) => {
        const ev = eventsOf.get(contactId) ?? { n: 0, onTime: 0 };
        const sv = surveyOf.get(contactId) ?? { asked: 0, confirmed: 0 };
        const evidence: CandidateEvidence = {
          families: v.families,
          visits: { familyMonths: v.fm, visited: v.visited, rate: rate(v.visited, v.fm) },
          responses: { events: ev.n, onTime: ev.onTime, rate: ev.n ? rate(ev.onTime, ev.n) : null },
          survey: { asked: sv.asked, confirmed: sv.confirmed, rate: sv.asked ? rate(sv.confirmed, sv.asked) : null },
          provincePetitions: petitionsOf.get(contactId) ?? 0,
          trainings: trainingsOf.get(contactId) ?? 0,
        };
        const isExcluded = failed.has(contactId);
        return {
          rank: 0,
          contactId,
          name: v.name,
          post: v.post as (typeof POSTS)[number],
          regionCode: v.regionCode,
          regionName: v.regionName,
          score: scoreOf(evidence),
          evidence,
          isExcluded,
          exclusionReason: isExcluded ? `${year} 年问责核查结论为履职不到位` : null,
        };
      })
      .sort((a, b) => b.score - a.score || a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name));
    rows.forEach((r, i) => {
      r.rank = i > 0 && rows[i - 1].score === r.score ? rows[i - 1].rank : i + 1;
    });
    return rows;
  }

  function abilities(actor: Actor, l: { status: string; region_code: string }) {
    const own = actor.regionCode === l.region_code;
    return {
      nominate: own && l.status === 'draft' && can(actor, 'commendation.nominate'),
      submit: own && l.status === 'draft' && can(actor, 'commendation.nominate'),
      approve: l.status === 'submitted' && can(actor, 'commendation.approve') && isInScope(actor, l.region_code),
      publish: own && l.status === 'approved' && can(actor, 'commendation.nominate'),
    };
  }

  async function view(actor: Actor, l: repo.ListRow): Promise<CommendationList> {
    const nominees = await repo.nomineesOf(db, l.id);
    return {
      id: l.id,
      regionCode: l.region_code,
      regionName: l.region_name,
      year: Number(l.year),
      quota: Number(l.quota),
      status: l.status as CommendationList['status'],
      nominees: nominees.map((n) => ({
        contactId: n.contact_id,
        name: n.name,
        post: n.post as (typeof POSTS)[number],
        regionCode: n.region_code,
        regionName: n.region_name,
        score: Number(n.score),
        evidence: JSON.parse(n.evidence) as CandidateEvidence,
        reason: n.reason,
      })),
      submittedAt: l.submitted_at,
      approvedByName: l.approved_by_name,
      approvedAt: l.approved_at,
      publishedAt: l.published_at,
      version: Number(l.version),
      abilities: abilities(actor, l),
    };
  }

  async function listVisible(c: RequestContext, id: string): Promise<repo.ListRow> {
    const l = await repo.findListById(db, id);
    if (!l || !isInScope(c.actor, l.region_code) || !can(c.actor, 'commendation.read')) throw AppError.notFound();
    return l;
  }

  async function step(
    c: RequestContext,
    id: string,
    version: number,
    action: 'submit' | 'approve' | 'publish',
  ): Promise<CommendationList> {
    const l = await listVisible(c, id);
    const allowed = abilities(c.actor, l)[action];
    if (!allowed) {
      if (!can(c.actor, action === 'approve' ? 'commendation.approve' : 'commendation.nominate'))
        throw new AppError('FORBIDDEN');
      throw new AppError('INVALID_STATE', '表彰名单当前状态不能进行此操作');
    }
    const now = clock.now().toISOString();
    const plan = {
      submit: { from: 'draft', set: { status: 'submitted', submitted_at: now } },
      approve: {
        from: 'submitted',
        set: { status: 'approved', approved_at: now, approved_by_name: c.actor.displayName },
      },
      publish: { from: 'approved', set: { status: 'published', published_at: now } },
    }[action];
    if (action === 'submit' && (await repo.nomineesOf(db, id)).length === 0)
      throw AppError.field('nominees', '请至少提名一名联系人', 'LIST_EMPTY');
    await db.transaction().execute(async (trx) => {
      if (!(await repo.transition(trx, id, version, plan.from, plan.set))) throw new AppError('VERSION_CONFLICT');
      await audit.record(trx, c, {
        action: `commendation.${action}`,
        targetType: 'region',
        targetId: l.region_code,
        changes: { listId: id, year: Number(l.year) },
      });
    });
    return view(c.actor, (await repo.findListById(db, id))!);
  }

  return {
    async candidates(c: RequestContext, regionCode?: string, year?: number): Promise<CommendationCandidate[]> {
      return candidates(c, cityOf(c, regionCode), yearOf(year));
    },

    /** The city's list for the year, or null before the first nomination. */
    async list(c: RequestContext, regionCode?: string, year?: number): Promise<CommendationList | null> {
      const l = await repo.findList(db, cityOf(c, regionCode), yearOf(year));
      return l ? view(c.actor, l) : null;
    },

    async get(c: RequestContext, id: string): Promise<CommendationList> {
      return view(c.actor, await listVisible(c, id));
    },

    async nominate(c: RequestContext, input: NominationCreate): Promise<CommendationList> {
      const code = cityOf(c, input.regionCode);
      authorize(c.actor, 'commendation.nominate');
      if (code !== c.actor.regionCode) throw new AppError('FORBIDDEN', '由本市（州）工作人员提名');
      const year = yearOf(input.year);
      const ranked = await candidates(c, code, year);
      const candidate = ranked.find((r) => r.contactId === input.contactId);
      if (!candidate) throw AppError.field('contactId', '该联系人不在本市本年度的候选名单中', 'NOT_CANDIDATE');
      if (candidate.isExcluded)
        throw AppError.field(
          'contactId',
          `${candidate.name}${year} 年有履职不到位的问责结论，不能提名表彰`,
          'CONTACT_EXCLUDED',
        );
      let l = await repo.findList(db, code, year);
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        if (!l) {
          const id = randomUUID();
          await repo.insertList(trx, {
            id,
            region_code: code,
            year,
            quota: Math.max(1, Math.ceil(ranked.length * QUOTA_SHARE)),
            status: 'draft',
            created_by: c.actor.id,
            created_at: now,
            submitted_at: null,
            approved_by_name: null,
            approved_at: null,
            published_at: null,
            version: 1,
          });
          l = (await repo.findListById(trx, id))!;
          await audit.record(trx, c, {
            action: 'commendation.list',
            targetType: 'region',
            targetId: code,
            changes: { listId: id, year, quota: l.quota },
          });
        }
        if (l.status !== 'draft') throw new AppError('INVALID_STATE', '表彰名单已报送，不能再提名');
        const nominees = await repo.nomineesOf(trx, l.id);
        if (nominees.some((n) => n.contact_id === input.contactId))
          throw AppError.field('contactId', '该联系人已在提名名单中', 'ALREADY_NOMINATED');
        if (nominees.length >= Number(l.quota))
          throw AppError.field('contactId', `提名人数已达名额（${l.quota} 名）`, 'QUOTA_EXCEEDED');
        await repo.insertNominee(trx, {
          list_id: l.id,
          contact_id: candidate.contactId,
          name: candidate.name,
          post: candidate.post,
          region_code: candidate.regionCode,
          score: candidate.score,
          evidence: JSON.stringify(candidate.evidence),
          reason: input.reason ?? null,
          created_by: c.actor.id,
          created_at: now,
        });
        await repo.bumpVersion(trx, l.id);
        await audit.record(trx, c, {
          action: 'commendation.nominate',
          targetType: 'contact',
          targetId: candidate.contactId,
          changes: { listId: l.id, year, score: candidate.score, rank: candidate.rank },
        });
      });
      return view(c.actor, (await repo.findListById(db, l!.id))!);
    },

    async withdraw(c: RequestContext, id: string, contactId: string): Promise<CommendationList> {
      const l = await listVisible(c, id);
      if (!abilities(c.actor, l).nominate) {
        authorize(c.actor, 'commendation.nominate');
        throw new AppError('INVALID_STATE', '表彰名单已报送，不能撤回提名');
      }
      await db.transaction().execute(async (trx) => {
        if (!(await repo.deleteNominee(trx, id, contactId))) throw AppError.notFound();
        await repo.bumpVersion(trx, id);
        await audit.record(trx, c, {
          action: 'commendation.withdraw',
          targetType: 'contact',
          targetId: contactId,
          changes: { listId: id },
        });
      });
      return view(c.actor, (await repo.findListById(db, id))!);
    },

    submit: (c: RequestContext, id: string, version: number) => step(c, id, version, 'submit'),
    approve: (c: RequestContext, id: string, version: number) => step(c, id, version, 'approve'),
    publish: (c: RequestContext, id: string, version: number) => step(c, id, version, 'publish'),
  };
}
export type CommendationsService = ReturnType<typeof createCommendationsService>;
