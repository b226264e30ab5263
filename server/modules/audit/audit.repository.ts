import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';
import { inRange, paginate, type Page } from '../../platform/db/query-helpers.js';

export interface AuditFilters {
  /** Actions of the chosen category (resolved by the service from common/labels.ts). */
  actions?: string[];
  action?: string;
  actor?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

export interface AuditScope {
  range: RegionRange;
  /** A province-level auditor also reads the events that name no region at all (an unknown username's failures). */
  includeUnplaced: boolean;
}

/**
 * The auditor's rows: events whose target lies in the auditor's subtree; events without a target region (rows
 * written before migration 0010) by the actor's region.
 */
function scoped(db: Executor, scope: AuditScope, f: AuditFilters) {
  let q = db
    .selectFrom('audit_events as a')
    .where((eb) =>
      eb.or([
        inRange('a.target_region_code', scope.range),
        eb.and([eb('a.target_region_code', 'is', null), inRange('a.actor_region_code', scope.range)]),
        ...(scope.includeUnplaced
          ? [eb.and([eb('a.target_region_code', 'is', null), eb('a.actor_region_code', 'is', null)])]
          : []),
      ]),
    );
  if (f.actions) q = q.where('a.action', 'in', f.actions.length ? f.actions : ['-']);
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.actor) q = q.where('a.actor_username', '=', f.actor);
  if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
  if (f.from) q = q.where('a.occurred_at', '>=', f.from);
  if (f.to) q = q.where('a.occurred_at', '<=', f.to);
  return q;
}

export async function countAuditEvents(db: Executor, scope: AuditScope, f: AuditFilters): Promise<number> {
  const row = await scoped(db, scope, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Rows with how a person names their target: archive number, username, region name (never a member's name). */
export async function listAuditEvents(db: Executor, scope: AuditScope, f: AuditFilters, page: Page) {
  return scoped(db, scope, f)
    .leftJoin('families as f', (j) => j.onRef('f.id', '=', 'a.target_id').on('a.target_type', '=', 'family'))
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'a.target_id').on('a.target_type', '=', 'user'))
    .leftJoin('regions as tr', 'tr.code', 'a.target_region_code')
    .selectAll('a')
    .select(['f.archive_no as target_archive_no', 'u.username as target_username', 'tr.name as target_region_name'])
    .orderBy('a.seq', 'desc')
    .$call(paginate(page))
    .execute();
}
export type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>[number];
