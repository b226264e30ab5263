import type { Platform, RequestContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import * as repo from './audit.repository.js';

export function createAuditService(platform: Platform) {
  const { db, audit } = platform;
  return {
    /** The audit log is read by the auditor alone (三员 separation); it is not region-scoped by design. */
    async list(c: RequestContext, filters: repo.AuditFilters, page: { page: number; pageSize: number }) {
      authorize(c.actor, 'audit.read');
      const { rows, total } = await repo.listAuditEvents(db, filters, page);
      return {
        data: rows.map((r) => ({
          seq: r.seq,
          occurredAt: r.occurred_at,
          actorUsername: r.actor_username,
          actorRole: r.actor_role,
          actorRegionCode: r.actor_region_code,
          action: r.action,
          targetType: r.target_type,
          targetId: r.target_id,
          outcome: r.outcome,
          ip: r.ip,
          requestId: r.request_id,
          changes: r.changes === null ? null : (JSON.parse(r.changes) as unknown),
        })),
        page: { ...page, total },
      };
    },

    async verify(c: RequestContext) {
      authorize(c.actor, 'audit.read');
      return audit.verify(db);
    },
  };
}
