import { randomUUID } from 'node:crypto';
import type { ContactLog, ContactLogCreate, ContactLogUpdate } from '../../../common/schemas/contact-logs.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { ContactLogTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import type { ComplianceFacts } from '../compliance/compliance.service.js';
import type { FamilyLocator } from '../families/family-locator.js';
import * as repo from './contact-logs.repository.js';

/** A log may be corrected by its author for this long; later it stands as written. */
export const EDIT_WINDOW_DAYS = 7;
/** Clocks on phones drift: a visit "now" may arrive stamped a little ahead. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

function logView(r: repo.LogRow, revisions = 0): ContactLog {
  return {
    id: r.id,
    familyId: r.family_id,
    contactId: r.contact_id,
    contactName: r.contact_name,
    contactPost: r.contact_post as ContactLog['contactPost'],
    mode: r.mode as ContactLog['mode'],
    direction: r.direction as ContactLog['direction'],
    occurredAt: r.occurred_at,
    participants: r.participants,
    health: r.health,
    selfCare: r.self_care as ContactLog['selfCare'],
    mentalState: r.mental_state as ContactLog['mentalState'],
    demands: r.demands,
    policiesExplained: r.policies_explained,
    problemsCoordinated: r.problems_coordinated
      ? (JSON.parse(r.problems_coordinated) as ContactLog['problemsCoordinated'])
      : [],
    followUps: r.follow_ups,
    notes: r.notes,
    isOnBehalf: r.is_on_behalf === 1,
    createdAt: r.created_at,
    revisions,
    version: r.version,
  };
}

function columns(input: Partial<ContactLogCreate>): Partial<ContactLogTable> {
  const set: Partial<ContactLogTable> = {};
  const map: Array<[keyof ContactLogCreate, keyof ContactLogTable]> = [
    ['mode', 'mode'],
    ['direction', 'direction'],
    ['participants', 'participants'],
    ['health', 'health'],
    ['selfCare', 'self_care'],
    ['mentalState', 'mental_state'],
    ['demands', 'demands'],
    ['policiesExplained', 'policies_explained'],
    ['followUps', 'follow_ups'],
    ['notes', 'notes'],
  ];
  for (const [from, to] of map)
    if (input[from] !== undefined) (set as Record<string, unknown>)[to] = input[from] ?? null;
  if (input.problemsCoordinated !== undefined)
    set.problems_coordinated = input.problemsCoordinated?.length ? JSON.stringify(input.problemsCoordinated) : null;
  return set;
}

/** Work a home visit answers inside the log's transaction: open major events, pending petition-risk visits. */
export type HomeVisitHook = (trx: Tx, c: RequestContext, familyId: string, logId: string, at: string) => Promise<void>;

export function createContactLogsService(
  platform: Platform,
  families: Pick<FamilyLocator, 'locate'>,
  facts: ComplianceFacts,
  onHomeVisit: HomeVisitHook[] = [],
) {
  const { db, clock, audit } = platform;

  function occurredAt(value: string): { at: string; month: string } {
    const at = new Date(value);
    if (at.getTime() > clock.now().getTime() + FUTURE_TOLERANCE_MS)
      throw AppError.field('occurredAt', '联系时间不能晚于现在', 'DATE_FUTURE');
    if (at.getTime() < Date.parse('2016-01-01T00:00:00+08:00'))
      throw AppError.field('occurredAt', '联系时间过早，请核对', 'DATE_TOO_OLD');
    return { at: at.toISOString(), month: chinaDate(at).slice(0, 7) };
  }

  return {
    /** Logging a contact (R4): by the family's own contact, or by village/township staff on a contact's behalf. */
    async create(c: RequestContext, familyId: string, input: ContactLogCreate) {
      const family = await families.locate(c.actor, familyId);
      authorize(c.actor, 'contactLog.write', family.region_code);
      if (family.status === 'exited')
        throw AppError.field('familyId', '该家庭已退出档案，不能再登记联系记录', 'FAMILY_EXITED');
      const assignment = await repo.activeAssignment(db, familyId, input.contactId);
      if (!assignment) throw AppError.field('contactId', '所选联系人不是该家庭的联系人', 'NOT_ASSIGNED');
      const isOnBehalf = assignment.user_id !== c.actor.id;
      if (c.actor.role === 'contact' && isOnBehalf)
        throw AppError.field('contactId', '只能以本人身份登记联系记录', 'NOT_SELF');
      const when = occurredAt(input.occurredAt);
      const now = clock.now().toISOString();
      const id = randomUUID();
      return db.transaction().execute(async (trx) => {
        const row: ContactLogTable = {
          id,
          family_id: familyId,
          contact_id: input.contactId,
          occurred_at: when.at,
          month: when.month,
          mode: input.mode,
          direction: input.direction,
          participants: null,
          health: null,
          self_care: null,
          mental_state: null,
          demands: null,
          policies_explained: null,
          problems_coordinated: null,
          follow_ups: null,
          notes: null,
          ...columns(input),
          is_on_behalf: isOnBehalf ? 1 : 0,
          created_by: c.actor.id,
          created_at: now,
          updated_at: now,
          version: 1,
        };
        await repo.insertLog(trx, row);
        if (input.mode === 'home_visit' && onHomeVisit.length > 0 && (await repo.hasOpenResponses(trx, familyId)))
          for (const hook of onHomeVisit) await hook(trx, c, familyId, id, when.at);
        await audit.record(trx, c, {
          action: 'contactLog.create',
          targetType: 'family',
          targetId: familyId,
          // Located above: the audit row need not read the family's region again.
          targetRegionCode: family.region_code,
          changes: { logId: id, mode: input.mode, occurredAt: when.at, contactId: input.contactId, isOnBehalf },
        });
        // The row as inserted (no re-read): the database adds nothing to it.
        const view = logView({ ...row, contact_name: assignment.name, contact_post: assignment.contact_post });
        await c.keepAnswer?.(trx, view);
        // Counted in last: the upsert locks the family-month row and its county's sum row (0032) until the commit,
        // so concurrent logs of one county wait for each other's commit only, not for their audit rows.
        await facts.logAdded(trx, family, when.month, row);
        return view;
      });
    },

    async list(c: RequestContext, familyId: string, limit = 100) {
      await families.locate(c.actor, familyId);
      const rows = await repo.logsOfFamily(db, familyId, limit);
      const revisions = new Map(
        (
          await repo.revisionCounts(
            db,
            rows.map((r) => r.id),
          )
        ).map((r) => [r.log_id, Number(r.n)]),
      );
      return rows.map((r) => logView(r, revisions.get(r.id) ?? 0));
    },

    /** The author corrects a log within 7 days; the previous text is kept as a revision. */
    async update(c: RequestContext, logId: string, input: ContactLogUpdate) {
      const log = await repo.findLog(db, logId);
      if (!log) throw AppError.notFound();
      const family = await families.locate(c.actor, log.family_id);
      if (log.created_by !== c.actor.id) throw new AppError('FORBIDDEN', '只能修改本人登记的联系记录');
      if (clock.now().getTime() - Date.parse(log.created_at) > EDIT_WINDOW_DAYS * 86_400_000)
        throw new AppError('FORBIDDEN', `联系记录登记 ${EDIT_WINDOW_DAYS} 天后不能再修改`);
      const { version, occurredAt: newAt, ...rest } = input;
      const when = newAt ? occurredAt(newAt) : null;
      return db.transaction().execute(async (trx) => {
        const set = {
          ...columns(rest),
          updated_at: clock.now().toISOString(),
          ...(when ? { occurred_at: when.at, month: when.month } : {}),
        };
        if (!(await repo.updateLog(trx, logId, version, set))) throw new AppError('VERSION_CONFLICT');
        await repo.insertRevision(trx, {
          id: randomUUID(),
          log_id: logId,
          revised_at: clock.now().toISOString(),
          revised_by: c.actor.id,
          previous: JSON.stringify(log),
        });
        await facts.logsChanged(trx, family, log.month);
        if (when && when.month !== log.month) await facts.logsChanged(trx, family, when.month);
        await audit.record(trx, c, {
          action: 'contactLog.update',
          targetType: 'family',
          targetId: log.family_id,
          changes: { logId, fields: Object.keys(set).filter((k) => k !== 'updated_at') },
        });
        return logView(await repo.findLogWithContact(trx, logId), 1);
      });
    },
  };
}
export type ContactLogsService = ReturnType<typeof createContactLogsService>;
