// `npm run backup`: one encrypted backup file with its manifest (platform/backup). Reads the server's
// configuration (DATABASE_URL, DATA_DIR, GUANHUAI_MASTER_KEY or the demo key file) and BACKUP_DIR, BACKUP_KEEP.
// The last line printed is the file's path; exit 0 only when the file and its manifest are complete.
import { AuditAnchor } from '../platform/audit/anchor.js';
import { createBackup } from '../platform/backup/backup.js';
import { BackupCheckError } from '../platform/backup/format.js';
import { openCliPlatform } from '../platform/backup/cli-platform.js';
import type { RunRecord } from '../platform/backup/runs.js';
import { systemClock } from '../platform/clock.js';

const triggerArg = process.argv.indexOf('--trigger');
// Who started it: a person at the console (cli), the server's scheduler, or the 备份与恢复 page (web).
const trigger = (['scheduler', 'web'] as const).find((t) => t === process.argv[triggerArg + 1]) ?? 'cli';
// --no-record: print the run as a `RUN {json}` line for the caller to record (the server does, on its own
// connection: on SQLite a second writer would make a request's transaction fail with SQLITE_BUSY).
const record = process.argv.includes('--no-record')
  ? async (run: RunRecord) => out(`RUN ${JSON.stringify(run)}`)
  : undefined;
const byArg = process.argv.indexOf('--by');
/** The account that asked for it on the page, for the audit row (a username: [A-Za-z0-9_.-]). */
const by =
  byArg > 0 && /^[A-Za-z0-9_.@-]{1,64}$/.test(process.argv[byArg + 1] ?? '') ? process.argv[byArg + 1] : undefined;

const out = (line: string) => void process.stdout.write(`${line}\n`);

const p = await openCliPlatform().catch((e: unknown) => {
  console.error(`FAILED key: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
try {
  const started = Date.now();
  const r = await createBackup(
    {
      crypto: p.crypto,
      clock: systemClock,
      audit: p.audit,
      anchor: new AuditAnchor(p.config.auditAnchorFile, p.crypto, systemClock),
      dialect: p.database.dialect,
      databaseUrl: p.config.databaseUrl,
      db: p.database.db,
      backupDir: p.config.backup.dir,
      keep: p.config.backup.keep,
      appVersion: p.appVersion,
      by,
      record,
      warn: (m) => console.error(`警告 warning: ${m}`),
    },
    trigger,
  );
  const m = r.manifest;
  out(
    `备份完成 backup complete: ${m.tables.length} tables, ${m.totalRows} rows, audit head ${m.auditHead?.count ?? 0}, ` +
      `schema ${m.schema.latest}, ${r.bytes} bytes, ${Date.now() - started} ms`,
  );
  out(r.file);
} catch (e) {
  const check = e instanceof BackupCheckError ? e.check : 'backup';
  console.error(`FAILED ${check}: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await p.database.close();
}
