import { FESTIVAL_LABELS, type Festival } from '../../../common/festivals.js';
import { EVENT_KIND_LABELS, TARGET_LEVEL_LABELS, RISK_LEVEL_LABELS } from '../../../common/schemas/responses.js';
import type { Todo } from '../../../common/schemas/todos.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { chinaDate } from '../../platform/clock.js';
import { can } from '../../platform/policy.js';
import { actorRange } from '../../platform/scope.js';
import type { ComplianceService } from '../compliance/compliance.service.js';
import type { ContactsService } from '../contacts/contacts.service.js';
import { monthEnd } from '../compliance/compliance.service.js';
import type { EventsService } from '../events/events.service.js';
import type { FestivalsService } from '../festivals/festivals.service.js';
import type { NeedsService } from '../needs/needs.service.js';
import type { PetitionsService } from '../petitions/petitions.service.js';
import type { TrainingsService } from '../trainings/trainings.service.js';
import type { StatReturnsService } from '../stat-returns/stat-returns.service.js';
import type { RevealRequestsService } from '../reveals/reveal-requests.service.js';
import type { SampleSurveysService } from '../sample-surveys/sample-surveys.service.js';
import type { SupervisionOrdersService } from '../supervision-orders/supervision-orders.service.js';
import type { AccountabilityService } from '../accountability/accountability.service.js';
import * as repo from './todos.repository.js';

export type { Todo };

type Item = Omit<Todo, 'familyName'>;

/**
 * At most this many of one request's sources at once. Each issues its statements one after another, so holds
 * at most one pool connection at a time (PostgreSQL's pool has 10 a process, the replica's 10 more): one
 * user's todos leave the other requests most of them. A contact's 4 reads all start at once.
 */
const MAX_CONNECTIONS = 4;

/** Runs the tasks, at most `limit` at a time, and answers their results in the tasks' order. */
async function inTurns<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/**
 * Each signed-in user's due work, most urgent first: responses to major events (R5), prompt visits for
 * petition risks and the county leader's alerts (R7), this month's home visits (R4), festival care while
 * the window is open (R6) and overdue needs (R11). A contact's work comes from the contacts linked to
 * the account; staff see what escalated to their level in their region.
 */
export function createTodosService(
  platform: Platform,
  deps: {
    compliance: ComplianceService;
    contacts: Pick<ContactsService, 'maskedNames'>;
    events: EventsService;
    festivals: FestivalsService;
    petitions: PetitionsService;
    needs: NeedsService;
    trainings?: Pick<TrainingsService, 'untrainedForTodos'>;
    statReturns?: Pick<StatReturnsService, 'todosFor'>;
    revealRequests?: Pick<RevealRequestsService, 'pendingForTodos'>;
    sampleSurveys?: Pick<SampleSurveysService, 'todosFor'>;
    supervisionOrders?: Pick<SupervisionOrdersService, 'todosFor'>;
    accountability?: Pick<AccountabilityService, 'todosFor'>;
  },
) {
  const { db, clock } = platform;
  return {
    async list(c: RequestContext): Promise<Todo[]> {
      const now = clock.now().toISOString();
      const contactIds = (await repo.activeContactsOfUser(db, c.actor.id)).map((r) => r.id);
      // The parents' names the visit list read already, so naming the families below does not read them again.
      const parentNames = new Map<string, string[]>();
      // Each source of work is a read of its own (none writes but the month's fact rows, which `overdueForContacts`
      // ensures once, idempotently, before its read; none is in a transaction). They run side by side, each on
      // its own pool connection; the items keep the sources' order below, which the stable sort then keeps.
      const sources: Array<() => Promise<Item[]>> = [];
      if (contactIds.length)
        sources.push(
          async () =>
            (await deps.events.openForContacts(contactIds)).map((e) => ({
              kind: 'event_response' as const,
              familyId: e.family_id,
              archiveNo: e.archive_no,
              title: `重大情况：${EVENT_KIND_LABELS[e.kind as keyof typeof EVENT_KIND_LABELS] ?? e.kind}`,
              regionName: e.region_name,
              dueAt: e.response_due_at,
              // Two events of one family (a father's and a mother's death) differ by when they happened.
              detail: `${chinaDate(new Date(e.occurred_at))} 发生 · 请及时登门走访`,
              urgency: e.response_due_at < now ? 0 : 1,
            })),
          async () =>
            (await deps.petitions.dueVisitsForContacts(contactIds)).map((r) => ({
              kind: 'petition_visit' as const,
              familyId: r.family_id,
              archiveNo: r.archive_no,
              title: `信访苗头（${RISK_LEVEL_LABELS[r.risk_level as keyof typeof RISK_LEVEL_LABELS]}）`,
              regionName: r.region_name,
              dueAt: r.visit_due_at,
              detail: '须及时上门了解情况、疏导化解',
              urgency: r.visit_due_at < now ? 0 : 1,
            })),
          async () => {
            const due = await deps.compliance.overdueForContacts(c, contactIds);
            return due.data.map((f) => {
              parentNames.set(f.familyId, f.parentNames);
              return {
                kind: 'visit_due' as const,
                familyId: f.familyId,
                archiveNo: f.archiveNo,
                title: f.parentNames.join('、') || f.archiveNo,
                regionName: f.regionName,
                dueAt: monthEnd(due.month),
                detail: f.lastHomeVisitAt ? `上次登门：${f.lastHomeVisitAt.slice(0, 10)}` : '尚无登门走访记录',
                urgency: 3,
              };
            });
          },
          async () => {
            const care = await deps.festivals.dueForContacts(contactIds);
            const campaign = care.campaign;
            if (!campaign) return [];
            return care.families.map((f) => ({
              kind: 'festival_care' as const,
              familyId: f.id,
              archiveNo: f.archive_no,
              title: `${FESTIVAL_LABELS[campaign.festival as Festival]}慰问`,
              regionName: f.region_name,
              dueAt: campaign.window_to,
              detail: `慰问期 ${campaign.window_from} 至 ${campaign.window_to}`,
              urgency: 4,
            }));
          },
        );
      // Escalated events: the township sees level 1 and up, the county level 2.
      const minLevel =
        c.actor.role === 'township_staff'
          ? 1
          : c.actor.role === 'county_staff' || c.actor.role === 'county_leader'
            ? 2
            : null;
      if (minLevel !== null)
        sources.push(async () =>
          (await deps.events.openInRegion(actorRange(c.actor), minLevel)).map((e) => ({
            kind: 'event_response' as const,
            familyId: e.family_id,
            archiveNo: e.archive_no,
            title: `重大情况逾期未响应：${EVENT_KIND_LABELS[e.kind as keyof typeof EVENT_KIND_LABELS] ?? e.kind}`,
            regionName: e.region_name,
            dueAt: e.response_due_at,
            detail: e.escalation_level >= 2 ? '已升级至县级' : '已升级至乡镇（街道）',
            urgency: 0,
          })),
        );
      if (c.actor.role === 'county_leader')
        sources.push(async () =>
          (await deps.petitions.alertsInRegion(c)).map((r) => ({
            kind: 'petition_alert' as const,
            familyId: r.family_id,
            archiveNo: r.archive_no,
            title: `信访预警：${TARGET_LEVEL_LABELS[r.target_level as keyof typeof TARGET_LEVEL_LABELS]}（${RISK_LEVEL_LABELS[r.risk_level as keyof typeof RISK_LEVEL_LABELS]}）`,
            regionName: r.region_name,
            dueAt: r.visit_due_at,
            detail: r.visited_at ? '已登门，待化解' : '尚未登门',
            urgency: 0,
          })),
        );
      if (can(c.actor, 'compliance.read') && ['township_staff', 'county_staff', 'county_leader'].includes(c.actor.role))
        sources.push(async () =>
          (await deps.needs.overdueInRegion(c)).map((n) => ({
            kind: 'need_overdue' as const,
            familyId: n.family_id,
            archiveNo: n.archive_no,
            title: '诉求逾期未办结',
            regionName: n.region_name,
            dueAt: n.deadline,
            detail: n.description.slice(0, 60),
            urgency: 2,
          })),
        );
      sources.push(
        // R15: in the last quarter a township sees who has not been trained this year.
        async () => {
          const untrained = await deps.trainings?.untrainedForTodos(c);
          if (!untrained) return [];
          return [
            {
              kind: 'training_due' as const,
              familyId: '',
              archiveNo: '',
              title: `${untrained.total} 名联系人今年尚未参加培训`,
              regionName: untrained.regionName,
              dueAt: untrained.dueAt,
              detail: untrained.names.join('、') + (untrained.total > untrained.names.length ? ' 等' : ''),
              urgency: 4,
              path: '/trainings?tab=untrained',
            },
          ];
        },
        // R9: returns to hand in (due or overdue) and children's returns awaiting this office's review.
        async () =>
          ((await deps.statReturns?.todosFor(c.actor)) ?? []).map((t) => ({
            kind: t.kind,
            familyId: '',
            archiveNo: '',
            title: t.title,
            regionName: t.regionName,
            dueAt: t.dueAt,
            detail: t.detail,
            urgency: t.kind === 'stat_return_review' ? 2 : t.overdue ? 1 : 4,
            path: t.id ? `/stat-returns/${t.id}` : '/stat-returns',
          })),
        // Issue 10 item 16: requests to see a full value beyond the hourly limit, awaiting this office's approval.
        async () =>
          ((await deps.revealRequests?.pendingForTodos(c.actor)) ?? []).map((q) => ({
            kind: 'reveal_request' as const,
            familyId: q.familyId,
            archiveNo: q.archiveNo,
            title: `完整号码查看申请：${q.fieldLabel}`,
            regionName: q.regionName,
            dueAt: q.requestedAt,
            detail: `${q.requestedByName}：${q.reason}`.slice(0, 80),
            urgency: 2,
            path: '/reveal-requests',
          })),
        // R16: a surveyor's families still to reach; a county's survey discrepancies to explain.
        async () =>
          ((await deps.sampleSurveys?.todosFor(c.actor)) ?? []).map((t) => ({
            kind: t.kind,
            familyId: '',
            archiveNo: '',
            title: t.title,
            regionName: '',
            dueAt: t.dueAt,
            detail: t.detail,
            urgency: t.kind === 'survey_discrepancy' ? 2 : 3,
            path: t.path,
          })),
        // Issue 11 item 13: 督办 from the level above, open until this office replies.
        async () =>
          ((await deps.supervisionOrders?.todosFor(c.actor)) ?? []).map((o) => ({
            kind: 'supervision_order' as const,
            familyId: '',
            archiveNo: '',
            title: o.title,
            regionName: o.regionName,
            dueAt: o.dueAt,
            detail: o.detail,
            urgency: o.overdue ? 1 : 2,
            path: `/supervision-orders?order=${o.id}`,
          })),
        // R17 问责: the county's open accountability cases, to conclude.
        async () =>
          ((await deps.accountability?.todosFor(c.actor)) ?? []).map((a) => ({
            kind: 'accountability_case' as const,
            familyId: '',
            archiveNo: '',
            title: a.title,
            regionName: a.regionName,
            dueAt: a.dueAt,
            detail: a.detail,
            urgency: 1,
            path: `/accountability?case=${a.id}`,
          })),
      );
      const todos = (await inTurns(sources, MAX_CONNECTIONS)).flat();
      // Petition risks named in the list are petition reads (R7: need-to-know, every read audited).
      await deps.petitions.auditReads(
        c,
        todos.filter((t) => t.kind === 'petition_visit' || t.kind === 'petition_alert').map((t) => t.familyId),
        'todos',
      );
      // Every item about a family names it, masked as everywhere else, beside its archive number.
      const names = await deps.contacts.maskedNames(
        db,
        [...new Set(todos.map((t) => t.familyId).filter(Boolean))],
        parentNames,
      );
      return todos
        .map((t) => ({ ...t, familyName: names.get(t.familyId) ?? '' }))
        .sort((a, b) => a.urgency - b.urgency || a.dueAt.localeCompare(b.dueAt));
    },
  };
}

export type TodosService = ReturnType<typeof createTodosService>;
