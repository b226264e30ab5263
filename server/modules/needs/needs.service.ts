import { randomUUID } from 'node:crypto';
import { NEED_NEXT_STATUSES, type NeedStatus } from '../../../common/labels.js';
import type {
  JointMeeting,
  JointMeetingCreate,
  Need,
  NeedCreate,
  NeedsByDepartment,
  NeedUpdate,
} from '../../../common/schemas/needs.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import type { NeedTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isInScope, subtreeRange } from '../../platform/scope.js';
import type { FamilyLocator } from '../families/family-locator.js';
import * as repo from './needs.repository.js';

const CLOSED = repo.CLOSED_NEED_STATUSES;

function needView(n: NeedTable & { archive_no?: string; region_name?: string }, today: string): Need {
  const isClosed = CLOSED.includes(n.status);
  return {
    id: n.id,
    familyId: n.family_id,
    archiveNo: n.archive_no ?? null,
    regionName: n.region_name ?? null,
    contactLogId: n.contact_log_id,
    category: n.category as Need['category'],
    department: n.department as Need['department'],
    description: n.description,
    deadline: n.deadline,
    status: n.status as Need['status'],
    statusReason: n.status_reason,
    resolution: n.resolution,
    confirmedWithFamilyAt: n.confirmed_with_family_at,
    isOverdue: !isClosed && n.deadline < today,
    closedAt: n.closed_at,
    createdAt: n.created_at,
    version: n.version,
  };
}
export type NeedView = Need;

/** Meetings with their county's name and, per decision, the need it is about (description, archive, status). */
function meetingViews({ meetings, items }: Awaited<ReturnType<typeof repo.findJointMeeting>>): MeetingView[] {
  return meetings.map((m) => ({
    id: m.id,
    countyCode: m.county_code,
    countyName: m.county_name,
    heldOn: m.held_on,
    departments: JSON.parse(m.departments) as JointMeeting['departments'],
    minutes: m.minutes,
    items: items
      .filter((i) => i.meeting_id === m.id)
      .map((i) => ({
        needId: i.need_id,
        decision: i.decision,
        familyId: i.family_id,
        archiveNo: i.archive_no,
        category: i.category as Need['category'],
        department: i.department as Need['department'],
        description: i.description,
        status: i.status as Need['status'],
      })),
  }));
}

export type MeetingView = JointMeeting;

export function createNeedsService(platform: Platform, families: Pick<FamilyLocator, 'locate'>) {
  const { db, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

  async function getView(executor: Executor, id: string): Promise<NeedView> {
    return needView(await repo.findNeedWithNames(executor, id), today());
  }

  return {
    async create(c: RequestContext, input: NeedCreate): Promise<NeedView> {
      const family = await families.locate(c.actor, input.familyId);
      authorize(c.actor, 'need.write', family.region_code);
      if (input.deadline < today()) throw AppError.field('deadline', '办理期限不能早于今天', 'DATE_PAST');
      if (input.contactLogId) {
        const log = await repo.contactLogFamily(db, input.contactLogId);
        if (!log || log.family_id !== input.familyId)
          throw AppError.field('contactLogId', '联系记录不属于该家庭', 'LOG_MISMATCH');
      }
      const now = clock.now().toISOString();
      const row: NeedTable = {
        id: randomUUID(),
        family_id: input.familyId,
        region_code: family.region_code,
        contact_log_id: input.contactLogId ?? null,
        category: input.category,
        department: input.department,
        description: input.description,
        deadline: input.deadline,
        status: 'open',
        status_reason: null,
        resolution: null,
        confirmed_with_family_at: null,
        closed_at: null,
        created_by: c.actor.id,
        created_at: now,
        updated_at: now,
        version: 1,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertNeed(trx, row);
        await audit.record(trx, c, {
          action: 'need.create',
          targetType: 'family',
          targetId: input.familyId,
          changes: { needId: row.id, category: input.category, department: input.department, deadline: input.deadline },
        });
        if (c.keepAnswer) await c.keepAnswer(trx, await getView(trx, row.id));
      });
      return getView(db, row.id);
    },

    async update(c: RequestContext, id: string, input: NeedUpdate): Promise<NeedView> {
      const need = await repo.findNeed(db, id);
      if (!need) throw AppError.notFound();
      const family = await families.locate(c.actor, need.family_id);
      authorize(c.actor, 'need.write', family.region_code);
      // A stale form is a conflict whatever it asks for: the cadre reloads and sees what changed first.
      if (input.version !== need.version) throw new AppError('VERSION_CONFLICT');
      const set: Partial<NeedTable> = { updated_at: clock.now().toISOString() };
      if (input.status && input.status !== need.status) {
        if (!(NEED_NEXT_STATUSES[need.status as NeedStatus] as readonly string[]).includes(input.status))
          throw AppError.field('status', '诉求状态不能这样变更', 'STATUS_FLOW');
        if (input.status === 'unresolvable' && !input.statusReason)
          throw AppError.field('statusReason', '无法解决的诉求须说明原因', 'REQUIRED');
        if (input.status === 'resolved' && !(input.resolution ?? need.resolution))
          throw AppError.field('resolution', '请填写办理结果', 'REQUIRED');
        if (input.status === 'resolved' && !(input.confirmedWithFamily || need.confirmed_with_family_at))
          throw AppError.field('confirmedWithFamily', '办结前须与家庭确认办理结果', 'NOT_CONFIRMED');
        set.status = input.status;
        if (input.status === 'resolved' || input.status === 'unresolvable') set.closed_at = set.updated_at;
      }
      if (input.statusReason !== undefined) set.status_reason = input.statusReason ?? null;
      if (input.resolution !== undefined) set.resolution = input.resolution ?? null;
      if (input.confirmedWithFamily) set.confirmed_with_family_at = need.confirmed_with_family_at ?? set.updated_at;
      if (input.department) set.department = input.department;
      if (input.deadline && input.deadline !== need.deadline) {
        if (input.deadline < today()) throw AppError.field('deadline', '办理期限不能早于今天', 'DATE_PAST');
        set.deadline = input.deadline;
      }
      return db.transaction().execute(async (trx) => {
        if (!(await repo.updateNeedAtVersion(trx, id, input.version, set))) throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'need.update',
          targetType: 'family',
          targetId: need.family_id,
          changes: {
            needId: id,
            status: [need.status, set.status ?? need.status],
            department: [need.department, set.department ?? need.department],
            deadline: [need.deadline, set.deadline ?? need.deadline],
          },
        });
        return getView(trx, id);
      });
    },

    async list(
      c: RequestContext,
      query: {
        regionCode?: string;
        familyId?: string;
        status?: string;
        department?: string;
        isOverdue?: boolean;
        isClosed?: boolean;
      },
      page: { page: number; pageSize: number },
    ) {
      if (query.familyId) await families.locate(c.actor, query.familyId);
      else authorize(c.actor, 'compliance.read', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listNeeds(db, range, query, today(), page);
      return { data: rows.map((r) => needView(r, today())), page: { ...page, total } };
    },

    /** Resolution rate and overdue count by responsible department. */
    async byDepartment(c: RequestContext, regionCode?: string): Promise<NeedsByDepartment[]> {
      authorize(c.actor, 'compliance.read', regionCode);
      const range = regionCode ? subtreeRange(regionCode) : actorRange(c.actor);
      const t = today();
      const rows = await repo.needCountsByDepartment(db, range, t);
      return rows.map((r) => {
        const total = Number(r.total);
        const resolved = Number(r.resolved ?? 0);
        return {
          department: r.department as NeedsByDepartment['department'],
          total,
          resolved,
          unresolvable: Number(r.unresolvable ?? 0),
          overdue: Number(r.overdue ?? 0),
          resolutionRate: total ? Math.round((resolved / total) * 10_000) / 10_000 : 0,
        };
      });
    },

    /** A county's joint meeting (联席会议) with a decision for each need on its agenda. */
    async createMeeting(c: RequestContext, input: JointMeetingCreate): Promise<MeetingView> {
      authorize(c.actor, 'meeting.write', input.countyCode);
      if (input.heldOn > today()) throw AppError.field('heldOn', '会议日期不能晚于今天', 'DATE_FUTURE');
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        const seen = new Set<string>();
        for (const [i, item] of input.items.entries()) {
          if (seen.has(item.needId))
            throw AppError.field(`items.${i}.needId`, '同一诉求在一次会议中只能列一项', 'NEED_REPEATED');
          seen.add(item.needId);
          const need = await repo.findNeedRegion(trx, item.needId);
          if (
            !need ||
            !isInScope({ regionCode: input.countyCode, regionLevel: 'county' }, need.region_code) ||
            !isInScope(c.actor, need.region_code)
          )
            throw AppError.field(`items.${i}.needId`, '诉求不存在或不属于本县', 'NEED_UNKNOWN');
        }
        await repo.insertJointMeeting(
          trx,
          {
            id,
            county_code: input.countyCode,
            held_on: input.heldOn,
            departments: JSON.stringify(input.departments),
            minutes: input.minutes ?? null,
            created_by: c.actor.id,
            created_at: clock.now().toISOString(),
          },
          input.items.map((it) => ({ need_id: it.needId, decision: it.decision })),
        );
        await audit.record(trx, c, {
          action: 'meeting.create',
          targetType: 'region',
          targetId: input.countyCode,
          changes: { meetingId: id, heldOn: input.heldOn, needs: input.items.length },
        });
      });
      const [meeting] = meetingViews(await repo.findJointMeeting(db, id));
      return meeting;
    },

    /** The meetings of a county, or of every county below a prefecture or the province, newest first. */
    async listMeetings(c: RequestContext, countyCode?: string): Promise<MeetingView[]> {
      const code = countyCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const range = subtreeRange(code);
      return meetingViews(await repo.listJointMeetings(db, range));
    },

    /** Overdue open needs in the actor's region (todos for township and county staff). */
    async overdueInRegion(c: RequestContext) {
      const range = actorRange(c.actor);
      return repo.overdueNeeds(db, range, today());
    },
  };
}
export type NeedsService = ReturnType<typeof createNeedsService>;
