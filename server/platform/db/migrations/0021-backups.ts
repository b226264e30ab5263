import type { Kysely } from 'kysely';

/**
 * Backups and restore drills (issue 18, platform/backup): one row per run — a backup written (or refused), a
 * drill restored into a scratch database and verified. The sysadmin's 备份与恢复 page reads the last of each.
 * `verdict` is `ok` or the name of the first check that failed; `detail` a fixed English reason, never data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('backup_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('file', 'text')
    .addColumn('bytes', 'integer')
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('manifest_sm3', 'text')
    .addColumn('schema_latest', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('backup_runs_kind_idx').on('backup_runs').columns(['kind', 'finished_at']).execute();
}
