import { randomUUID } from 'node:crypto';
import {
  revealFieldLabel,
  revealReasonProblem,
  type RevealRequestApprove,
  type RevealRequestCreate,
  type RevealRequestListQuery,
  type RevealRequestReject,
  type RevealRequestStatus,
  type RevealRequestView,
} from '../../../common/schemas/reveals.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { actorRange, isInScope, type Actor } from '../../platform/scope.js';
import type { FamiliesService } from '../families/families.service.js';
import * as repo from './reveals.repository.js';
import { createRevealGuard } from './reveals.service.js';

const HOUR_MS = 3_600_000;

/**
 * Township approval of reveals beyond the hourly limit (issue 10 item 16, docs/AUTHORIZATION.md "Reveal").
 * An account refused for the rate files a request for one value with a reason; township staff over the family
 * (or county staff and the county leader above) approve or reject it — never their own; an approved request
 * lets its requester see that value once within `REVEAL_APPROVAL_HOURS`, past the hourly limit.
 */
export function createRevealRequestsService(platform: Platform, families: Pick<FamiliesService, 'revealable'>) {
  const { db, clock, audit, config } = platform;
  const guard = createRevealGuard(platform);

  function statusOf(row: repo.RevealRequestRow, now: string): RevealRequestStatus {
    if (row.status === 'approved' && row.expires_at && row.expires_at <= now) return 'expired';
    return row.status;
  }

  function view(actor: Actor, row: repo.RevealRequestRow): RevealRequestView {
    const now = clock.now().toISOString();
    const status = statusOf(row, now);
    return {
      id: row.id,
      familyId: row.family_id,
      archiveNo: row.archive_no,
      regionCode: row.region_code,
      regionName: row.region_name,
      field: row.field,
      fieldLabel: revealFieldLabel(row.field),
      reason: row.reason,
      status,
      requestedById: row.requested_by,
      requestedByName: row.requested_by_name,
      requestedAt: row.requested_at,
      decidedByName: row.decided_by_name,
      decidedAt: row.decided_at,
      decisionReason: row.decision_reason,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      version: row.version,
      abilities: {
        decide:
          status === 'pending' &&
          row.requested_by !== actor.id &&
          can(actor, 'revealRequest.decide') &&
          isInScope(actor, row.region_code),
      },
    };
  }

  /** A request the actor may decide: 404 outside their region (or unknown), 403 for a role or for their own. */
  async function loadForDecision(actor: Actor, id: string, version: number): Promise<repo.RevealRequestRow> {
    const row = await repo.findRequest(db, id);
    if (!row) throw AppError.notFound();
    // The requester sees their own request; anyone else outside the family's region gets the 404.
    if (row.requested_by !== actor.id && !isInScope(actor, row.region_code)) throw AppError.notFound();
    authorize(actor, 'revealRequest.decide');
    if (!isInScope(actor, row.region_code)) throw AppError.notFound();
    if (row.requested_by === actor.id) throw new AppError('FORBIDDEN', '不能审批本人提出的申请');
    if (row.version !== version) throw new AppError('VERSION_CONFLICT');
    if (row.status !== 'pending') throw new AppError('INVALID_STATE', '该申请已处理');
    return row;
  }

  return {
    async create(c: RequestContext, familyId: string, input: RevealRequestCreate): Promise<RevealRequestView> {
      const family = await families.revealable(c, familyId, input.field);
      const problem = revealReasonProblem(input.reason);
      if (problem) throw AppError.field('reason', problem, 'REASON_TOO_VAGUE');
      if (!(await guard.isOverLimit(c.actor.id)))
        throw new AppError('INVALID_STATE', '本小时内尚未达到查看上限，可直接查看，无需申请');
      const now = clock.now().toISOString();
      const open = await repo.openRequestFor(db, c.actor.id, familyId, input.field, now);
      if (open)
        throw new AppError('ALREADY_EXISTS', '已有待审批或已批准的申请', [
          { path: 'id', message: `已有申请：${open.id}` },
        ]);
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await repo.insertRequest(trx, {
          id,
          family_id: familyId,
          region_code: family.region_code,
          field: input.field,
          reason: input.reason.trim(),
          requested_by: c.actor.id,
          requested_at: now,
          status: 'pending',
        });
        await audit.record(trx, c, {
          action: 'reveal_request.create',
          targetType: 'family',
          targetId: familyId,
          changes: { requestId: id, field: input.field, reason: input.reason },
        });
      });
      return view(c.actor, (await repo.findRequest(db, id))!);
    },

    async list(
      c: RequestContext,
      query: RevealRequestListQuery,
      page: { page: number; pageSize: number },
    ): Promise<{ data: RevealRequestView[]; page: { page: number; pageSize: number; total: number } }> {
      if (!can(c.actor, 'family.reveal')) throw new AppError('FORBIDDEN');
      // Approvers see the requests over their region; everyone else (and `mine`) only their own.
      const mineOnly = query.mine || !can(c.actor, 'revealRequest.decide');
      const { rows, total } = await repo.listRequests(
        db,
        {
          range: actorRange(c.actor),
          ...(mineOnly ? { requestedBy: c.actor.id } : {}),
          familyId: query.familyId,
          status: query.status,
          now: clock.now().toISOString(),
        },
        page,
      );
      return { data: rows.map((r) => view(c.actor, r)), page: { ...page, total } };
    },

    async approve(c: RequestContext, id: string, input: RevealRequestApprove): Promise<RevealRequestView> {
      const row = await loadForDecision(c.actor, id, input.version);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + config.reveal.approvalHours * HOUR_MS).toISOString();
      await db.transaction().execute(async (trx) => {
        const done = await repo.updateRequest(trx, row.id, row.version, {
          status: 'approved',
          decided_by: c.actor.id,
          decided_at: now.toISOString(),
          decision_reason: input.reason?.trim() || null,
          expires_at: expiresAt,
        });
        if (!done) throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'reveal_request.approve',
          targetType: 'family',
          targetId: row.family_id,
          changes: {
            requestId: row.id,
            field: row.field,
            requestedBy: row.requested_by,
            expiresAt,
            ...(input.reason ? { reason: input.reason } : {}),
          },
        });
      });
      return view(c.actor, (await repo.findRequest(db, id))!);
    },

    async reject(c: RequestContext, id: string, input: RevealRequestReject): Promise<RevealRequestView> {
      const row = await loadForDecision(c.actor, id, input.version);
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const done = await repo.updateRequest(trx, row.id, row.version, {
          status: 'rejected',
          decided_by: c.actor.id,
          decided_at: now,
          decision_reason: input.reason.trim(),
        });
        if (!done) throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'reveal_request.reject',
          targetType: 'family',
          targetId: row.family_id,
          changes: { requestId: row.id, field: row.field, requestedBy: row.requested_by, reason: input.reason },
        });
      });
      return view(c.actor, (await repo.findRequest(db, id))!);
    },

    /** Pending requests the actor may decide (todos): none for a role that may not. */
    async pendingForTodos(actor: Actor) {
      if (!can(actor, 'revealRequest.decide')) return [];
      const rows = await repo.pendingForApprover(db, actorRange(actor), actor.id, 100);
      return rows.map((r) => view(actor, r));
    },
  };
}

export type RevealRequestsService = ReturnType<typeof createRevealRequestsService>;
