import type { Executor } from '../../platform/db/database.js';

export interface AuditFilters {
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
}

export async function listAuditEvents(db: Executor, f: AuditFilters, page: { page: number; pageSize: number }) {
  let q = db.selectFrom('audit_events');
  if (f.action) q = q.where('action', '=', f.action);
  if (f.actor) q = q.where('actor_username', '=', f.actor);
  if (f.from) q = q.where('occurred_at', '>=', f.from);
  if (f.to) q = q.where('occurred_at', '<=', f.to);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  return { rows, total: Number(total.n) };
}
