// `npm run restore -- FILE --to URL` restores a backup into an empty database (a `sqlite:` path or a
// `postgres://` URL) and verifies it; `npm run restore -- FILE --drill` restores into a scratch database, verifies,
// deletes it and records the drill. Last line: `OK …` and exit 0 only when every check holds; otherwise exit 1 and
// `FAILED <check>: <reason>` naming the first check that failed.
import path from 'node:path';
import { BackupCheckError } from '../platform/backup/format.js';
import { openCliPlatform } from '../platform/backup/cli-platform.js';
import type { RunRecord } from '../platform/backup/runs.js';
import { drill, restoreBackup } from '../platform/backup/restore.js';
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

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !['--to', '--trigger', '--by'].includes(args[i - 1]));
const toIndex = args.indexOf('--to');
const to = toIndex >= 0 ? args[toIndex + 1] : undefined;
const isDrill = args.includes('--drill');

if (!file || (isDrill ? to !== undefined : !to)) {
  console.error('用法 usage: npm run restore -- FILE --to DATABASE_URL   |   npm run restore -- FILE --drill');
  console.error('FAILED usage: give a backup file and either --to URL or --drill');
  process.exit(2);
}

const p = await openCliPlatform({ liveKey: isDrill }).catch((e: unknown) => {
  console.error(`FAILED key: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
const log = out;
try {
  const abs = path.resolve(file);
  if (isDrill) {
    const r = await drill(
      {
        crypto: p.crypto,
        clock: systemClock,
        audit: p.audit,
        db: p.database.db,
        dialect: p.database.dialect,
        databaseUrl: p.config.databaseUrl,
        by,
        record,
      },
      abs,
      trigger,
      log,
    );
    out(
      `OK drill: ${r.passed.length} checks held, ${r.manifest.totalRows} rows, audit chain ${r.auditChecked} rows, ${r.durationMs} ms; recorded`,
    );
  } else {
    const r = await restoreBackup(p.crypto, systemClock, abs, to!, log);
    out(
      `OK restored: ${r.passed.length} checks held, ${r.manifest.tables.length} tables, ${r.manifest.totalRows} rows, ` +
        `audit chain ${r.auditChecked} rows, ${r.durationMs} ms`,
    );
  }
} catch (e) {
  const check = e instanceof BackupCheckError ? e.check : 'restore';
  out(`FAILED ${check}: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await p.database.close();
}
