import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db, Executor } from '../db/database.js';
import type { BackupRunTable } from '../db/schema.js';

/** SQL of backup_runs (the record of backups and drills the 备份与恢复 page reads). */
export interface RunRecord {
  id: string;
  kind: 'backup' | 'drill';
  startedAt: Date;
  durationMs: number;
  file: string | null;
  bytes: number | null;
  /** `ok` or the first check that failed. */
  verdict: string;
  detail: string | null;
  manifestSm3: string | null;
  schemaLatest: string | null;
  trigger: string;
  facts: { tables: number; rows: number };
}

/** The run's row and its audit row, in one transaction (no audit, no record). */
export async function recordRun(
  deps: { db: Db; audit: AuditLog; clock: Clock; dialect: string; by?: string },
  run: RunRecord,
): Promise<void> {
  const finishedAt = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('backup_runs')
      .values({
        id: run.id,
        kind: run.kind,
        started_at: run.startedAt.toISOString(),
        finished_at: finishedAt,
        duration_ms: run.durationMs,
        file: run.file,
        bytes: run.bytes,
        verdict: run.verdict,
        detail: run.detail,
        manifest_sm3: run.manifestSm3,
        schema_latest: run.schemaLatest,
        trigger: run.trigger,
      })
      .execute();
    const ctx = { username: deps.by ?? `system:${run.trigger}` };
    const outcome = run.verdict === 'ok' ? ('success' as const) : ('failure' as const);
    if (run.kind === 'backup')
      await deps.audit.record(trx, ctx, {
        action: 'backup.create',
        targetType: 'backup',
        targetId: run.id,
        targetRegionCode: null,
        outcome,
        changes: {
          file: run.file ?? '',
          bytes: run.bytes ?? 0,
          tables: run.facts.tables,
          rows: run.facts.rows,
          status: run.verdict,
          kind: run.trigger,
        },
      });
    else
      await deps.audit.record(trx, ctx, {
        action: 'backup.drill',
        targetType: 'backup',
        targetId: run.id,
        targetRegionCode: null,
        outcome,
        changes: { file: run.file ?? '', durationMs: run.durationMs, status: run.verdict, kind: run.trigger },
      });
  });
  // PostgreSQL: a CLI has no background sealer; chain the row now (the server's catch-up would too).
  if (deps.dialect === 'postgres') await deps.audit.seal(deps.db);
}

export async function lastRun(
  db: Executor,
  kind: 'backup' | 'drill',
  opts: { okOnly?: boolean } = {},
): Promise<BackupRunTable | undefined> {
  let q = db.selectFrom('backup_runs').selectAll().where('kind', '=', kind);
  if (opts.okOnly) q = q.where('verdict', '=', 'ok');
  return q.orderBy('finished_at', 'desc').limit(1).executeTakeFirst();
}

export async function recentRuns(db: Executor, limit: number): Promise<BackupRunTable[]> {
  return db.selectFrom('backup_runs').selectAll().orderBy('finished_at', 'desc').limit(limit).execute();
}
