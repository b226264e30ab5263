import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type {
  PetitionEvent,
  PetitionEventCreate,
  PetitionHandlingCreate,
  PetitionRisk,
  PetitionRiskCreate,
  PetitionRisks,
} from '../../../common/schemas/petitions.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { PetitionRiskTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { actorRange, subtreeRange } from '../../platform/scope.js';
import type { FamilyLocator } from '../families/family-locator.js';
import type { Notify } from '../notifications/notifications.service.js';
import { TARGET_LEVEL_LABELS, RISK_LEVEL_LABELS } from '../../../common/labels.js';
import * as repo from './petitions.repository.js';

/** Tendencies at province level or beyond, or a red risk, go to the county leader at once (R7, R17). */
const ALERT_TARGETS = new Set(['province', 'out_of_province', 'beijing']);
export function needsLeaderAlert(r: { target_level: string; risk_level: string }): boolean {
  return ALERT_TARGETS.has(r.target_level) || r.risk_level === 'red';
}

function riskView(
  r: PetitionRiskTable,
  handlings: Array<{ id: string; kind: string; note: string; handled_at: string; handled_by: string | null }>,
): PetitionRisk {
  return {
    id: r.id,
    familyId: r.family_id,
    targetLevel: r.target_level as PetitionRisk['targetLevel'],
    scope: r.scope as PetitionRisk['scope'],
    riskLevel: r.risk_level as PetitionRisk['riskLevel'],
    signals: r.signals,
    identifiedAt: r.identified_at,
    visitDueAt: r.visit_due_at,
    visitedAt: r.visited_at,
    reviewDate: r.review_date,
    status: r.status as PetitionRisk['status'],
    resolvedAt: r.resolved_at,
    isLeaderAlerted: r.alerted_at !== null,
    handlings: handlings.map((h) => ({
      id: h.id,
      kind: h.kind as PetitionRisk['handlings'][number]['kind'],
      note: h.note,
      handledAt: h.handled_at,
      handledBy: h.handled_by,
    })),
    version: r.version,
  };
}

/**
 * Petition risk (R7). Need-to-know: township staff and above plus the family's own contacts; every read is
 * audited, and petition data never appears in exports below county level.
 */
export function createPetitionsService(
  platform: Platform,
  families: Pick<FamilyLocator, 'locate'>,
  hooks: {
    notify?: Notify;
    /** R17: a province-level-or-higher event opens an accountability case in the event's transaction. */
    onEvent?: (
      trx: Tx,
      c: RequestContext,
      ev: {
        eventId: string;
        familyId: string;
        regionCode: string;
        level: string;
        form: string;
        size: number;
        occurredOn: string;
      },
    ) => Promise<void>;
  } = {},
) {
  const { db, clock, audit, config } = platform;

  async function familyFor(
    c: RequestContext,
    familyId: string,
    action: 'petition.read' | 'petition.write' | 'petition.report',
  ) {
    const family = await families.locate(c.actor, familyId);
    // Need-to-know: to a reader without it, petition data does not exist (404, not 403).
    if (!can(c.actor, action)) throw AppError.notFound();
    authorize(c.actor, action, family.region_code);
    return family;
  }

  async function auditRead(c: RequestContext, familyId: string, what: string) {
    await db
      .transaction()
      .execute((trx) =>
        audit.record(trx, c, { action: 'petition.read', targetType: 'family', targetId: familyId, changes: { what } }),
      );
  }

  return {
    /**
     * Every read that names a family's petition risk is audited (R7), wherever it happens: one `petition.read`
     * row per family named, `what` saying where (e.g. 'todos'). Lists and dashboards that name families call it.
     */
    async auditReads(c: RequestContext, familyIds: string[], what: string): Promise<void> {
      const unique = [...new Set(familyIds)];
      if (unique.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const familyId of unique)
          await audit.record(trx, c, {
            action: 'petition.read',
            targetType: 'family',
            targetId: familyId,
            changes: { what },
          });
      });
    },

    async create(c: RequestContext, familyId: string, input: PetitionRiskCreate) {
      const family = await familyFor(c, familyId, 'petition.report');
      if (family.status === 'exited')
        throw AppError.field('familyId', '该家庭已退出档案，不能登记信访苗头', 'FAMILY_EXITED');
      const now = clock.now();
      const identified = input.identifiedAt ? new Date(input.identifiedAt) : now;
      if (identified.getTime() > now.getTime() + 5 * 60_000)
        throw AppError.field('identifiedAt', '发现时间不能晚于现在', 'DATE_FUTURE');
      const hours = input.riskLevel === 'red' ? config.responses.redRiskVisitHours : config.responses.riskVisitHours;
      const id = randomUUID();
      const row: PetitionRiskTable = {
        id,
        family_id: familyId,
        region_code: family.region_code,
        target_level: input.targetLevel,
        scope: input.scope,
        risk_level: input.riskLevel,
        signals: input.signals,
        identified_at: identified.toISOString(),
        visit_due_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
        visited_at: null,
        visit_log_id: null,
        review_date: input.reviewDate ?? null,
        status: 'open',
        resolved_at: null,
        alerted_at: null,
        created_by: c.actor.id,
        created_at: now.toISOString(),
        version: 1,
      };
      if (needsLeaderAlert(row)) row.alerted_at = now.toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.insertRisk(trx, row);
        await audit.record(trx, c, {
          action: 'petition.risk',
          targetType: 'family',
          targetId: familyId,
          changes: { riskId: id, targetLevel: input.targetLevel, riskLevel: input.riskLevel, scope: input.scope },
        });
        if (row.alerted_at)
          await audit.record(trx, c, {
            action: 'petition.alert',
            targetType: 'family',
            targetId: familyId,
            changes: { riskId: id, to: 'county_leader' },
          });
        // The county leader is told at once, in this transaction (R7): no name, only the archive number.
        if (row.alerted_at && hooks.notify)
          await hooks.notify(trx, {
            kind: 'petition_alert',
            title: `信访苗头预警：档案 ${family.archive_no}`,
            body: `${TARGET_LEVEL_LABELS[input.targetLevel]}倾向，${RISK_LEVEL_LABELS[input.riskLevel]}风险，请及时组织走访化解。`,
            link: `/families/${familyId}`,
            audience: { roles: ['county_leader'], regionCode: family.region_code.slice(0, 6) + '000000' },
            dedupeKey: `petition_alert:${id}`,
            isUrgent: true,
          });
        await c.keepAnswer?.(trx, riskView(row, []));
      });
      return riskView(row, []);
    },

    async list(c: RequestContext, familyId: string): Promise<PetitionRisks> {
      await familyFor(c, familyId, 'petition.read');
      const { risks, handlings, events } = await repo.familyPetitionRecord(db, familyId);
      await auditRead(c, familyId, 'risks');
      return {
        risks: risks.map((r) =>
          riskView(
            r,
            handlings.filter((h) => h.risk_id === r.id),
          ),
        ),
        events: events.map((e) => ({
          id: e.id,
          riskId: e.risk_id,
          level: e.level as PetitionEvent['level'],
          form: e.form as PetitionEvent['form'],
          size: e.size,
          occurredOn: e.occurred_on,
          outcome: e.outcome,
        })),
      };
    },

    async handle(c: RequestContext, riskId: string, input: z.infer<typeof PetitionHandlingCreate>) {
      const risk = await repo.findRisk(db, riskId);
      if (!risk) throw AppError.notFound();
      await familyFor(c, risk.family_id, 'petition.write');
      if (risk.status === 'resolved') throw AppError.field('status', '该信访苗头已化解', 'ALREADY_RESOLVED');
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.insertHandling(trx, {
          id: randomUUID(),
          risk_id: riskId,
          kind: input.kind,
          note: input.note,
          handled_at: now,
          created_by: c.actor.id,
        });
        const set: Partial<PetitionRiskTable> = { version: risk.version + 1 };
        if (input.reviewDate !== undefined) set.review_date = input.reviewDate ?? null;
        if (input.resolve) {
          if (!risk.visited_at) throw AppError.field('resolve', '尚未登门了解情况，不能标记化解', 'NOT_VISITED');
          Object.assign(set, { status: 'resolved', resolved_at: now });
        }
        await repo.updateRisk(trx, riskId, set);
        await audit.record(trx, c, {
          action: 'petition.handle',
          targetType: 'family',
          targetId: risk.family_id,
          changes: { riskId, kind: input.kind, resolve: input.resolve ?? false },
        });
      });
      return (await this.list(c, risk.family_id)).risks.find((r) => r.id === riskId)!;
    },

    async recordEvent(
      c: RequestContext,
      familyId: string,
      input: z.infer<typeof PetitionEventCreate>,
    ): Promise<PetitionEvent> {
      const family = await familyFor(c, familyId, 'petition.write');
      if (input.occurredOn > chinaDate(clock.now()))
        throw AppError.field('occurredOn', '信访日期不能晚于今天', 'DATE_FUTURE');
      // A linked risk must be one of this family's, or an event could point into another family (or county).
      if (input.riskId && !(await repo.isRiskOfFamily(db, input.riskId, familyId)))
        throw AppError.field('riskId', '关联的信访苗头不属于该家庭', 'RISK_UNKNOWN');
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await repo.insertEvent(trx, {
          id,
          family_id: familyId,
          region_code: family.region_code,
          risk_id: input.riskId ?? null,
          level: input.level,
          form: input.form,
          size: input.size,
          occurred_on: input.occurredOn,
          outcome: input.outcome ?? null,
          created_by: c.actor.id,
          created_at: clock.now().toISOString(),
        });
        await audit.record(trx, c, {
          action: 'petition.event',
          targetType: 'family',
          targetId: familyId,
          changes: { id, level: input.level, form: input.form, size: input.size },
        });
        await hooks.onEvent?.(trx, c, {
          eventId: id,
          familyId,
          regionCode: family.region_code,
          level: input.level,
          form: input.form,
          size: input.size,
          occurredOn: input.occurredOn,
        });
      });
      return {
        id,
        riskId: input.riskId ?? null,
        level: input.level,
        form: input.form,
        size: input.size,
        occurredOn: input.occurredOn,
        outcome: input.outcome ?? null,
      };
    },

    /** The mandatory prompt visit: a home visit after the risk was identified answers it (inside the log's transaction). */
    async onHomeVisit(trx: Tx, c: RequestContext, familyId: string, logId: string, at: string): Promise<void> {
      const open = await repo.unvisitedRisks(trx, familyId, at);
      for (const r of open) {
        await repo.updateRisk(trx, r.id, { visited_at: at, visit_log_id: logId, version: r.version + 1 });
        await audit.record(trx, c, {
          action: 'petition.visit',
          targetType: 'family',
          targetId: familyId,
          changes: { riskId: r.id, logId },
        });
      }
    },

    /** Open risks by colour and target level for a supervisor: counts only, no family in them, so not a petition read. */
    async summary(c: RequestContext, regionCode?: string) {
      authorize(c.actor, 'petition.read', regionCode);
      if (c.actor.role === 'contact') throw new AppError('FORBIDDEN');
      const range = regionCode ? subtreeRange(regionCode) : actorRange(c.actor);
      const rows = await repo.openRiskCounts(db, range);
      return rows.map((r) => ({ riskLevel: r.risk_level, targetLevel: r.target_level, count: Number(r.n) }));
    },

    /** Work for todos: risk visits due for these contacts, and alerts for a county leader. */
    async dueVisitsForContacts(contactIds: string[]) {
      if (contactIds.length === 0) return [];
      return repo.dueRiskVisits(db, contactIds);
    },

    async alertsInRegion(c: RequestContext) {
      const range = actorRange(c.actor);
      return repo.alertedRisks(db, range);
    },
  };
}
export type PetitionsService = ReturnType<typeof createPetitionsService>;
