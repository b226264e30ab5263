import type { Platform, RequestContext } from '../../platform/context.js';
import type { ComplianceService } from '../compliance/compliance.service.js';
import { monthEnd } from '../compliance/family-months.repository.js';

export interface Todo {
  kind: 'visit_due';
  familyId: string;
  archiveNo: string;
  title: string;
  regionName: string;
  dueAt: string;
  detail: string;
  lastHomeVisitAt: string | null;
}

/**
 * Each signed-in user's due work (R4 now; later issues add event responses, festival care, risk follow-ups
 * and overdue needs). Visits come from the contacts linked to the account: their families not yet
 * home-visited this month, the longest-unvisited first.
 */
export function createTodosService(platform: Platform, compliance: ComplianceService) {
  const { db } = platform;
  return {
    async list(c: RequestContext): Promise<Todo[]> {
      const contactIds = (
        await db
          .selectFrom('contacts')
          .select('id')
          .where('user_id', '=', c.actor.id)
          .where('is_active', '=', 1)
          .execute()
      ).map((r) => r.id);
      if (contactIds.length === 0) return [];
      const due = await compliance.overdue(c, undefined, undefined, { page: 1, pageSize: 200 }, contactIds);
      return due.data.map((f) => ({
        kind: 'visit_due' as const,
        familyId: f.familyId,
        archiveNo: f.archiveNo,
        title: f.parentNames.join('、') || f.archiveNo,
        regionName: f.regionName,
        dueAt: monthEnd(due.month),
        detail: f.lastHomeVisitAt ? `上次登门：${f.lastHomeVisitAt.slice(0, 10)}` : '尚无登门走访记录',
        lastHomeVisitAt: f.lastHomeVisitAt,
      }));
    },
  };
}
export type TodosService = ReturnType<typeof createTodosService>;
