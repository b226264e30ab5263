import { randomUUID } from 'node:crypto';
import type { EventCreate, MajorEvent } from '../../../common/schemas/events.js';
import { chinaDate } from '../../platform/clock.js';
import type { AuditContext } from '../../platform/audit/audit-log.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/database.js';
import type { MajorEventTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import type { FamiliesService } from '../families/families.service.js';
import type { FamilyLocator } from '../families/family-locator.js';
import type { Notify } from '../notifications/notifications.service.js';
import { EVENT_KIND_LABELS } from '../../../common/labels.js';
import * as repo from './events.repository.js';

/** Escalation levels: 0 with the family's contacts, 1 township staff, 2 county staff. */
export const ESCALATION_LABELS = ['联系人', '乡镇（街道）', '县级'] as const;

type ResponseVisit = { id: string; occurred_at: string; contact_name: string };

function eventView(
  e: MajorEventTable,
  escalations: Array<{ level: number; escalated_at: string }>,
  visit: ResponseVisit | undefined,
): MajorEvent {
  return {
    id: e.id,
    familyId: e.family_id,
    kind: e.kind as MajorEvent['kind'],
    affectedRelation: e.affected_relation as MajorEvent['affectedRelation'],
    affected: e.affected,
    occurredAt: e.occurred_at,
    description: e.description,
    responseDueAt: e.response_due_at,
    status: e.status as MajorEvent['status'],
    escalationLevel: e.escalation_level,
    escalations: escalations.map((x) => ({ level: x.level, escalatedAt: x.escalated_at })),
    respondedAt: e.responded_at,
    responseLogId: e.response_log_id,
    responseVisit: visit ? { occurredAt: visit.occurred_at, contactName: visit.contact_name } : null,
    followUp: e.follow_up,
    closedAt: e.closed_at,
    deathConfirmedAt: e.death_confirmed_at,
    createdAt: e.created_at,
    version: e.version,
  };
}
export type EventView = MajorEvent;

export function createEventsService(
  platform: Platform,
  families: Pick<FamilyLocator, 'locate'> & Pick<FamiliesService, 'recordDeath'>,
  hooks: { notify?: Notify } = {},
) {
  const { db, clock, audit, config } = platform;

  async function view(executor: Executor, id: string): Promise<EventView> {
    const e = (await repo.findEvent(executor, id))!;
    const [visit] = await repo.responseVisitsOf(executor, e.response_log_id ? [e.response_log_id] : []);
    return eventView(e, await repo.escalationsOf(executor, [id]), visit);
  }

  async function escalate(trx: Tx, origin: AuditContext, e: MajorEventTable, level: number, at: string): Promise<void> {
    await repo.setEvent(trx, e.id, { escalation_level: level });
    await repo.insertEscalation(trx, { id: randomUUID(), event_id: e.id, level, escalated_at: at });
    await audit.record(trx, origin, {
      action: 'event.escalate',
      targetType: 'family',
      targetId: e.family_id,
      changes: { eventId: e.id, level: [e.escalation_level, level] },
    });
    // Level 1 goes to the township's staff, level 2 to the county's staff and leader (R5).
    if (hooks.notify) {
      const archive = await repo.archiveNoOf(trx, e.family_id);
      await hooks.notify(trx, {
        kind: 'event_escalated',
        title: `重大情况逾期未响应：档案 ${archive?.archive_no ?? ''}`,
        body: `${EVENT_KIND_LABELS[e.kind as keyof typeof EVENT_KIND_LABELS] ?? '重大情况'}已超过响应时限，已升级至${level === 1 ? '乡镇' : '县级'}。`,
        link: `/families/${e.family_id}`,
        audience:
          level === 1
            ? { roles: ['township_staff'], regionCode: e.region_code.slice(0, 9) + '000' }
            : { roles: ['county_staff', 'county_leader'], regionCode: e.region_code.slice(0, 6) + '000000' },
        dedupeKey: `event_escalated:${e.id}:${level}`,
      });
    }
  }

  return {
    /** R5: an accident, serious illness, disaster or death — a home visit is due within the kind's deadline. */
    async report(c: RequestContext, familyId: string, input: EventCreate): Promise<EventView> {
      const family = await families.locate(c.actor, familyId);
      authorize(c.actor, 'event.write', family.region_code);
      if (family.status === 'exited') throw AppError.field('familyId', '该家庭已退出档案', 'FAMILY_EXITED');
      const occurred = new Date(input.occurredAt);
      const now = clock.now();
      if (occurred.getTime() > now.getTime() + 5 * 60_000)
        throw AppError.field('occurredAt', '发生时间不能晚于现在', 'DATE_FUTURE');
      const hours = config.responses.eventHours[input.kind] ?? 24;
      const id = randomUUID();
      return db.transaction().execute(async (trx) => {
        const row: MajorEventTable = {
          id,
          family_id: familyId,
          region_code: family.region_code,
          kind: input.kind,
          affected: input.affected ?? null,
          affected_relation: input.affectedRelation,
          occurred_at: occurred.toISOString(),
          description: input.description ?? null,
          response_due_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
          status: 'open',
          escalation_level: 0,
          responded_at: null,
          response_log_id: null,
          follow_up: null,
          closed_at: null,
          death_confirmed_at: null,
          created_by: c.actor.id,
          created_at: now.toISOString(),
          version: 1,
        };
        await repo.insertEvent(trx, row);
        await audit.record(trx, c, {
          action: 'event.report',
          targetType: 'family',
          targetId: familyId,
          changes: { eventId: id, kind: input.kind, affectedRelation: input.affectedRelation },
        });
        // Nobody to send: the township hears of it at once.
        if ((await repo.activeContactCount(trx, familyId)) === 0) await escalate(trx, c, row, 1, now.toISOString());
        const answer = await view(trx, id);
        await c.keepAnswer?.(trx, answer);
        return answer;
      });
    },

    async list(c: RequestContext, familyId: string): Promise<EventView[]> {
      await families.locate(c.actor, familyId);
      const rows = await repo.eventsOfFamily(db, familyId);
      const escalations = await repo.escalationsOf(
        db,
        rows.map((r) => r.id),
      );
      const visits = await repo.responseVisitsOf(
        db,
        rows.flatMap((r) => (r.response_log_id ? [r.response_log_id] : [])),
      );
      return rows.map((r) =>
        eventView(
          r,
          escalations.filter((x) => x.event_id === r.id),
          visits.find((v) => v.id === r.response_log_id),
        ),
      );
    },

    /** A home visit answers every open event of the family that happened before it (called inside the log's transaction). */
    async onHomeVisit(trx: Tx, c: RequestContext, familyId: string, logId: string, at: string): Promise<void> {
      for (const e of await repo.openEventsBefore(trx, familyId, at)) {
        await repo.setEvent(trx, e.id, {
          status: 'responded',
          responded_at: at,
          response_log_id: logId,
          version: e.version + 1,
        });
        await audit.record(trx, c, {
          action: 'event.respond',
          targetType: 'family',
          targetId: familyId,
          changes: { eventId: e.id, logId },
        });
      }
    },

    /** Closes an event once visited and its follow-up is written down. */
    async close(c: RequestContext, eventId: string, version: number, followUp: string): Promise<EventView> {
      const e = await repo.findEvent(db, eventId);
      if (!e) throw AppError.notFound();
      const family = await families.locate(c.actor, e.family_id);
      authorize(c.actor, 'event.write', family.region_code);
      if (e.status === 'open')
        throw AppError.field('status', '尚未登门走访，不能结案：请先登记登门走访记录', 'NOT_VISITED');
      if (e.status === 'closed') throw AppError.field('status', '该重大情况已结案', 'ALREADY_CLOSED');
      return db.transaction().execute(async (trx) => {
        if (
          !(await repo.updateEvent(trx, eventId, version, {
            status: 'closed',
            follow_up: followUp,
            closed_at: clock.now().toISOString(),
          }))
        )
          throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'event.close',
          targetType: 'family',
          targetId: e.family_id,
          changes: { eventId },
        });
        return view(trx, eventId);
      });
    },

    /** After confirmation, a parent's death updates the archive (and may close it). */
    async confirmDeath(c: RequestContext, eventId: string, version: number): Promise<EventView> {
      const e = await repo.findEvent(db, eventId);
      if (!e) throw AppError.notFound();
      const family = await families.locate(c.actor, e.family_id);
      authorize(c.actor, 'event.confirmDeath', family.region_code);
      if (e.kind !== 'death' || (e.affected_relation !== 'father' && e.affected_relation !== 'mother'))
        throw AppError.field('kind', '只有父母亡故的重大情况需要确认并更新档案', 'NOT_PARENT_DEATH');
      if (e.death_confirmed_at) throw AppError.field('kind', '已确认过', 'ALREADY_CONFIRMED');
      return db.transaction().execute(async (trx) => {
        if (!(await repo.updateEvent(trx, eventId, version, { death_confirmed_at: clock.now().toISOString() })))
          throw new AppError('VERSION_CONFLICT');
        await families.recordDeath(
          trx,
          c,
          e.family_id,
          e.affected_relation as 'father' | 'mother',
          chinaDate(new Date(e.occurred_at)),
        );
        return view(trx, eventId);
      });
    },

    /**
     * The escalation job: an open event past its deadline goes to the township; past twice the deadline,
     * to the county. Idempotent, so it is safe however often it runs.
     */
    async escalateOverdue(now: Date): Promise<number> {
      let moved = 0;
      const origin: AuditContext = { username: 'scheduler' };
      for (const e of await repo.overdueOpenEvents(db, now.toISOString())) {
        const span = Date.parse(e.response_due_at) - Date.parse(e.created_at);
        const level = now.getTime() > Date.parse(e.response_due_at) + span ? 2 : 1;
        if (level <= e.escalation_level) continue;
        await db.transaction().execute((trx) => escalate(trx, origin, e, level, now.toISOString()));
        moved += 1;
      }
      return moved;
    },

    openForContacts: (contactIds: string[]) => repo.openEventsOfContacts(db, contactIds),
    openInRegion: repo.openEventsInRegion.bind(null, db),
  };
}
export type EventsService = ReturnType<typeof createEventsService>;
