import { randomUUID } from 'node:crypto';
import {
  ACCOUNTABILITY_PETITION_LEVELS,
  TARGET_LEVEL_LABELS,
  type NEED_CATEGORIES,
  type POSTS,
} from '../../../common/labels.js';
import type {
  AccountabilityCase,
  AccountabilityCaseCreate,
  AccountabilityConclude,
  AccountabilityEvidence,
} from '../../../common/schemas/accountability.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { isInScope, levelOfCode, subtreeRange, type Actor } from '../../platform/scope.js';
import * as repo from './accountability.repository.js';

const DAY = 86_400_000;
const WINDOW_DAYS = 90;
const PROVINCE_LEVELS = new Set<string>(ACCOUNTABILITY_PETITION_LEVELS);

/** A petition at province level or beyond (or to Beijing) opens a case at once (R17). */
export function opensAccountabilityCase(level: string): boolean {
  return PROVINCE_LEVELS.has(level);
}

export function countyOf(code: string): string {
  return code.slice(0, 6) + '000000';
}

/** Start of a China day as an instant. */
function dayStart(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

export interface PetitionEventFacts {
  eventId: string;
  familyId: string;
  regionCode: string;
  level: string;
  form: string;
  size: number;
  occurredOn: string;
}

/**
 * 问责 (R17, issue 15 part 6). A petition event at province level or beyond opens a case for the family's
 * county inside the event's own transaction, with the evidence assembled from the work records as they stand:
 * the family's 双岗 contacts, their home visits in the 90 days before, the petition risks recorded and whether
 * each mandatory visit was on time, open needs and their age, major events. A case can also be opened by hand
 * against a unit. Need-to-know as for petition data (county level and above); every read is audited.
 */
export function createAccountabilityService(platform: Platform) {
  const { db, clock, audit } = platform;

  function summaryOf(e: Omit<AccountabilityEvidence, 'summary'>, isUnit: boolean): string[] {
    const lines: string[] = [];
    if (!isUnit) {
      const posts = new Set(e.contacts.map((c) => c.post));
      lines.push(
        posts.has('township_cadre') && posts.has('village_cadre')
          ? `双岗联系人已配齐：${e.contacts.map((c) => c.name).join('、')}`
          : '双岗联系人未配齐',
      );
    } else lines.push(`联系人 ${e.contacts.length} 名，联系家庭 ${e.unit?.families ?? 0} 户`);
    lines.push(
      e.homeVisits.length || e.contacts.some((c) => c.homeVisits > 0)
        ? `${WINDOW_DAYS} 天内登门走访 ${isUnit ? e.contacts.reduce((s, c) => s + c.homeVisits, 0) : e.homeVisits.length} 次`
        : `${WINDOW_DAYS} 天内无登门走访记录`,
    );
    const late = e.petitionRisks.filter((r) => r.visitOnTime === false).length;
    const due = e.petitionRisks.filter((r) => r.visitOnTime === null).length;
    lines.push(
      e.petitionRisks.length
        ? `登记信访苗头 ${e.petitionRisks.length} 条，未按时登门 ${late} 条${due ? `，尚未登门 ${due} 条` : ''}`
        : '此前未登记信访苗头',
    );
    const overdue = e.openNeeds.filter((n) => n.isOverdue).length;
    lines.push(e.openNeeds.length ? `未办结诉求 ${e.openNeeds.length} 件，其中逾期 ${overdue} 件` : '无未办结诉求');
    if (e.majorEvents.length) {
      const slow = e.majorEvents.filter((m) => m.respondedOnTime !== true).length;
      lines.push(`重大情况 ${e.majorEvents.length} 起，未按时响应 ${slow} 起`);
    }
    return lines;
  }

  function risksOf(rows: Awaited<ReturnType<typeof repo.petitionRisks>>, now: Date) {
    return rows.map((r) => ({
      riskId: r.id,
      identifiedAt: r.identified_at,
      targetLevel: r.target_level,
      riskLevel: r.risk_level,
      visitDueAt: r.visit_due_at,
      visitedAt: r.visited_at,
      visitOnTime: r.visited_at ? r.visited_at <= r.visit_due_at : r.visit_due_at < now.toISOString() ? false : null,
      status: r.status,
    }));
  }

  function needsOf(rows: Awaited<ReturnType<typeof repo.openNeeds>>, now: Date) {
    const today = chinaDate(now);
    return rows.map((n) => ({
      needId: n.id,
      category: n.category as (typeof NEED_CATEGORIES)[number],
      department: n.department,
      createdAt: n.created_at,
      deadline: n.deadline,
      ageDays: Math.max(0, Math.floor((now.getTime() - new Date(n.created_at).getTime()) / DAY)),
      isOverdue: n.deadline < today,
    }));
  }

  /** The family's records around a petition: the snapshot stored with the case. */
  async function familyEvidence(x: Executor, ev: PetitionEventFacts): Promise<AccountabilityEvidence> {
    const now = clock.now();
    const to = new Date(Math.min(dayStart(ev.occurredOn).getTime() + DAY - 1, now.getTime()));
    const from = new Date(dayStart(ev.occurredOn).getTime() - WINDOW_DAYS * DAY);
    const [contacts, visits, risks, needs, events] = await Promise.all([
      repo.familyContacts(x, ev.familyId),
      repo.homeVisits(x, [ev.familyId], from.toISOString(), to.toISOString()),
      repo.petitionRisks(x, ev.familyId, to.toISOString()),
      repo.openNeeds(x, ev.familyId),
      repo.majorEvents(x, ev.familyId, new Date(from.getTime() - 275 * DAY).toISOString()),
    ]);
    const base = {
      assembledAt: now.toISOString(),
      windowFrom: chinaDate(from),
      windowTo: ev.occurredOn,
      petition: { eventId: ev.eventId, level: ev.level, form: ev.form, size: ev.size, occurredOn: ev.occurredOn },
      unit: null,
      contacts: contacts.map((c) => ({
        contactId: c.id,
        name: c.name,
        post: c.post as (typeof POSTS)[number],
        since: c.started_at,
        homeVisits: visits.filter((v) => v.contact_id === c.id).length,
      })),
      homeVisits: visits.map((v) => ({
        occurredAt: v.occurred_at,
        contactId: v.contact_id,
        contactName: v.contact_name,
      })),
      petitionRisks: risksOf(risks, now),
      openNeeds: needsOf(needs, now),
      majorEvents: events.map((m) => ({
        eventId: m.id,
        kind: m.kind,
        occurredAt: m.occurred_at,
        responseDueAt: m.response_due_at,
        respondedAt: m.responded_at,
        respondedOnTime: m.responded_at ? m.responded_at <= m.response_due_at : null,
      })),
    };
    return { ...base, summary: summaryOf(base, false) };
  }

  /** A unit's records over the last 90 days: the snapshot of a case opened by hand. */
  async function unitEvidence(x: Executor, code: string, name: string): Promise<AccountabilityEvidence> {
    const now = clock.now();
    const from = new Date(now.getTime() - WINDOW_DAYS * DAY);
    const range = subtreeRange(code);
    const [contacts, families, visits, risks, needs] = await Promise.all([
      repo.unitContacts(x, range),
      repo.unitFamilyIds(x, range),
      repo.unitHomeVisitsByContact(x, range, from.toISOString(), now.toISOString()),
      repo.unitPetitionRisks(x, range, from.toISOString()),
      repo.unitOpenNeeds(x, range),
    ]);
    const visitsOf = new Map(visits.map((v) => [v.contact_id, Number(v.n)]));
    const base = {
      assembledAt: now.toISOString(),
      windowFrom: chinaDate(from),
      windowTo: chinaDate(now),
      petition: null,
      unit: { regionCode: code, name, families: families.length },
      contacts: contacts.map((c) => ({
        contactId: c.id,
        name: c.name,
        post: c.post as (typeof POSTS)[number],
        since: String(c.since),
        homeVisits: visitsOf.get(c.id) ?? 0,
      })),
      homeVisits: [],
      petitionRisks: risksOf(risks, now),
      openNeeds: needsOf(needs, now),
      majorEvents: [],
    };
    return { ...base, summary: summaryOf(base, true) };
  }

  function mayConclude(actor: Actor, row: { status: string; region_code: string }): boolean {
    return row.status === 'open' && can(actor, 'accountability.conclude') && isInScope(actor, row.region_code);
  }

  function view(actor: Actor, r: repo.CaseRow): AccountabilityCase {
    return {
      id: r.id,
      regionCode: r.region_code,
      regionName: r.region_name,
      unitRegionCode: r.unit_region_code,
      unitName: r.unit_name,
      familyId: r.family_id,
      archiveNo: r.archive_no ?? null,
      trigger: r.trigger as AccountabilityCase['trigger'],
      reason: r.reason,
      year: Number(r.year),
      status: r.status as AccountabilityCase['status'],
      openedAt: r.opened_at,
      openedByName: r.opened_by_name,
      evidence: JSON.parse(r.evidence) as AccountabilityEvidence,
      finding: r.finding as AccountabilityCase['finding'],
      measures: r.measures,
      people: JSON.parse(r.people) as AccountabilityCase['people'],
      concludedAt: r.concluded_at,
      concludedByName: r.concluded_by_name,
      version: Number(r.version),
      abilities: { conclude: mayConclude(actor, r) },
    };
  }

  async function auditReads(c: RequestContext, rows: repo.CaseRow[], what: string) {
    if (rows.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const r of rows)
        await audit.record(trx, c, {
          action: 'accountability.read',
          targetType: r.family_id ? 'family' : 'region',
          targetId: r.family_id ?? r.unit_region_code,
          changes: { caseId: r.id, what },
        });
    });
  }

  /** Need-to-know: a case is read by the county's staff and the levels above; to anyone else it does not exist. */
  async function getVisible(c: RequestContext, id: string): Promise<repo.CaseRow> {
    const row = await repo.findCase(db, id);
    if (!row || !isInScope(c.actor, row.region_code) || !can(c.actor, 'accountability.read')) throw AppError.notFound();
    return row;
  }

  return {
    /** Called by petitions.recordEvent inside its transaction: the case commits with the event or not at all. */
    async onPetitionEvent(trx: Tx, c: RequestContext, ev: PetitionEventFacts): Promise<void> {
      if (!opensAccountabilityCase(ev.level)) return;
      const id = randomUUID();
      const county = countyOf(ev.regionCode);
      await repo.insertCase(trx, {
        id,
        region_code: county,
        unit_region_code: ev.regionCode,
        family_id: ev.familyId,
        petition_event_id: ev.eventId,
        trigger: 'petition_event',
        reason: `家庭${TARGET_LEVEL_LABELS[ev.level as keyof typeof TARGET_LEVEL_LABELS] ?? ev.level}信访（${ev.occurredOn}）`,
        year: Number(ev.occurredOn.slice(0, 4)),
        status: 'open',
        evidence: JSON.stringify(await familyEvidence(trx, ev)),
        opened_at: clock.now().toISOString(),
        opened_by: c.actor.id,
        opened_by_name: c.actor.displayName,
        finding: null,
        measures: null,
        people: '[]',
        concluded_at: null,
        concluded_by: null,
        concluded_by_name: null,
        version: 1,
      });
      await audit.record(trx, c, {
        action: 'accountability.open',
        targetType: 'family',
        targetId: ev.familyId,
        changes: { caseId: id, trigger: 'petition_event', level: ev.level, regionCode: county },
      });
    },

    async open(c: RequestContext, input: AccountabilityCaseCreate): Promise<AccountabilityCase> {
      authorize(c.actor, 'accountability.open', input.regionCode);
      const unit = await repo.regionName(db, input.regionCode);
      if (!unit) throw AppError.notFound();
      const level = levelOfCode(unit.code);
      if (level === 'province' || level === 'prefecture')
        throw AppError.field('regionCode', '问责对象应为县（市、区）、乡镇（街道）或村（社区）', 'UNIT_LEVEL');
      const id = randomUUID();
      const county = countyOf(unit.code);
      await db.transaction().execute(async (trx) => {
        await repo.insertCase(trx, {
          id,
          region_code: county,
          unit_region_code: unit.code,
          family_id: null,
          petition_event_id: null,
          trigger: 'manual',
          reason: input.reason,
          year: Number(chinaDate(clock.now()).slice(0, 4)),
          status: 'open',
          evidence: JSON.stringify(await unitEvidence(trx, unit.code, unit.name)),
          opened_at: clock.now().toISOString(),
          opened_by: c.actor.id,
          opened_by_name: c.actor.displayName,
          finding: null,
          measures: null,
          people: '[]',
          concluded_at: null,
          concluded_by: null,
          concluded_by_name: null,
          version: 1,
        });
        await audit.record(trx, c, {
          action: 'accountability.open',
          targetType: 'region',
          targetId: unit.code,
          changes: { caseId: id, trigger: 'manual', regionCode: county, reason: input.reason },
        });
      });
      return view(c.actor, (await repo.findCase(db, id))!);
    },

    async list(
      c: RequestContext,
      q: { regionCode?: string; status?: string; year?: number },
    ): Promise<AccountabilityCase[]> {
      if (q.regionCode && !isInScope(c.actor, q.regionCode)) throw AppError.notFound();
      authorize(c.actor, 'accountability.read');
      const code = q.regionCode ?? c.actor.regionCode;
      const range = subtreeRange(code);
      // A case belongs to a county: a township or village query finds its county's cases about that unit.
      const below = levelOfCode(code) === 'township' || levelOfCode(code) === 'village';
      const rows = (
        await repo.listCases(db, {
          range: below ? subtreeRange(countyOf(code)) : range,
          status: q.status,
          year: q.year,
        })
      ).filter((r) => !below || (r.unit_region_code >= range.from && r.unit_region_code <= range.to));
      await auditReads(c, rows, 'list');
      return rows.map((r) => view(c.actor, r));
    },

    async get(c: RequestContext, id: string): Promise<AccountabilityCase> {
      const row = await getVisible(c, id);
      await auditReads(c, [row], 'case');
      return view(c.actor, row);
    },

    async conclude(c: RequestContext, id: string, input: AccountabilityConclude): Promise<AccountabilityCase> {
      const row = await getVisible(c, id);
      authorize(c.actor, 'accountability.conclude');
      if (row.status !== 'open') throw new AppError('INVALID_STATE', '该问责核查已办结');
      const ids = [...new Set(input.people.map((p) => p.contactId).filter((x): x is string => !!x))];
      if (ids.length) {
        const known = await repo.contactRegions(db, ids);
        const county = subtreeRange(row.region_code);
        const bad = ids.find((cid) => {
          const k = known.find((x) => x.id === cid);
          return !k || k.region_code < county.from || k.region_code > county.to;
        });
        if (bad) throw AppError.field('people', '相关人员应为本县的联系人', 'CONTACT_UNKNOWN');
      }
      await db.transaction().execute(async (trx) => {
        const ok = await repo.concludeCase(trx, id, input.version, {
          finding: input.finding,
          measures: input.measures,
          people: JSON.stringify(
            input.people.map((p) => ({ contactId: p.contactId ?? null, name: p.name, role: p.role ?? null })),
          ),
          concluded_at: clock.now().toISOString(),
          concluded_by: c.actor.id,
          concluded_by_name: c.actor.displayName,
        });
        if (!ok) throw new AppError('VERSION_CONFLICT');
        await repo.insertCaseContacts(
          trx,
          ids.map((cid) => ({ case_id: id, contact_id: cid, year: Number(row.year), finding: input.finding })),
        );
        await audit.record(trx, c, {
          action: 'accountability.conclude',
          targetType: row.family_id ? 'family' : 'region',
          targetId: row.family_id ?? row.unit_region_code,
          changes: { caseId: id, finding: input.finding, people: ids.length, measures: input.measures },
        });
      });
      return view(c.actor, (await repo.findCase(db, id))!);
    },

    /** Contacts with a 履职不到位 finding in the year (the commendation exclusion rule). */
    failedContacts(year: number, contactIds?: string[]) {
      return repo.failedContacts(db, year, contactIds);
    },

    /** Open cases of the actor's own county, for 我的待办: counts no petition detail, only the unit and date. */
    async todosFor(actor: Actor) {
      if (actor.regionLevel !== 'county' || !can(actor, 'accountability.conclude')) return [];
      const rows = await repo.openCasesIn(db, subtreeRange(actor.regionCode));
      return rows.map((r) => ({
        id: r.id,
        title: `问责核查：${r.unit_name}`,
        regionName: r.unit_name,
        dueAt: r.opened_at,
        detail: `${r.opened_at.slice(0, 10)} 启动 · ${r.trigger === 'manual' ? '人工启动' : '省级及以上信访'} · 请核查并作出结论`,
      }));
    },
  };
}
export type AccountabilityService = ReturnType<typeof createAccountabilityService>;
