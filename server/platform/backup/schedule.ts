import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Platform } from '../context.js';
import type { Job } from '../jobs.js';
import { repoRoot } from './cli-platform.js';
import { listBackups } from './backup.js';
import { lastRun, recordRun, type RunRecord } from './runs.js';

const CHECK_MS = 10 * 60_000;

export interface CliOutcome {
  status: number;
  /** The last line printed: the file's path, or `OK …`, or `FAILED <check>: …`. */
  last: string;
}

/**
 * Runs `npm run backup` / `npm run restore -- FILE --drill` as a child process of the server (the same entry
 * point and configuration an operator uses): the digest pass over a large database and pg_dump then never hold
 * the server's event loop, and on SQLite the copy is one read transaction beside the server's writes.
 */
export async function runBackupCli(platform: Platform, args: string[]): Promise<CliOutcome> {
  const outcome = await spawnCli(platform, [...args, '--no-record']);
  // The child prints its run; the server records it on its own connection (one writer on SQLite).
  const byIndex = args.indexOf('--by');
  const by = byIndex >= 0 ? args[byIndex + 1] : undefined;
  for (const line of outcome.lines.filter((l) => l.startsWith('RUN '))) {
    const run = JSON.parse(line.slice(4)) as RunRecord & { startedAt: string };
    await recordRun({ ...platform, by }, { ...run, startedAt: new Date(run.startedAt) });
  }
  return { status: outcome.status, last: outcome.last };
}

function spawnCli(platform: Platform, args: string[]): Promise<CliOutcome & { lines: string[] }> {
  const root = repoRoot();
  const { config } = platform;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'launch.mjs'), ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: config.databaseUrl,
        DATA_DIR: config.dataDir,
        // The backup carries this server's anchor checkpoint, whichever way the server was configured ('' = none).
        AUDIT_ANCHOR_FILE: config.auditAnchorFile ?? '',
        BACKUP_DIR: config.backup.dir,
        BACKUP_KEEP: String(config.backup.keep),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', () => resolve({ status: 1, last: 'FAILED backup: cannot start the backup process', lines: [] }));
    child.on('close', (code) => {
      const lines = out.trim().split('\n');
      const failed = lines.find((l) => l.startsWith('FAILED '));
      resolve({
        status: code ?? 1,
        last: code === 0 ? (lines.at(-1) ?? '') : (failed ?? lines.at(-1) ?? ''),
        lines,
      });
    });
  });
}

const hoursAgo = (now: Date, iso: string | undefined) =>
  iso === undefined ? Infinity : (now.getTime() - Date.parse(iso)) / 3_600_000;

/**
 * The built-in scheduler's backups (BACKUP_INTERVAL_HOURS) and drills (DRILL_INTERVAL_HOURS). Each check runs
 * under the scheduler's exclusive lock (jobs.ts `runExclusive`: a PostgreSQL advisory lock) and writes only when
 * the last successful run is due, read from backup_runs inside that lock — so however many instances check,
 * one backup is written per interval.
 */
export function backupJobs(platform: Platform): Job[] {
  const { backup } = platform.config;
  const jobs: Job[] = [];
  if (backup.intervalHours > 0)
    jobs.push({
      name: 'backup',
      everyMs: Math.min(CHECK_MS, backup.intervalHours * 3_600_000),
      run: (now) => scheduledBackup(platform, now),
    });
  if (backup.drillIntervalHours > 0)
    jobs.push({
      name: 'backup-drill',
      everyMs: Math.min(CHECK_MS, backup.drillIntervalHours * 3_600_000),
      run: (now) => scheduledDrill(platform, now),
    });
  return jobs;
}

export function scheduledBackup(platform: Platform, now: Date): Promise<CliOutcome | null> {
  return whileHolding(platform, 'backup', async () => {
    const last = await lastRun(platform.db, 'backup', { okOnly: true });
    if (hoursAgo(now, last?.finished_at) < platform.config.backup.intervalHours) return null;
    return runBackupCli(platform, ['server/cli/backup.ts', '--trigger', 'scheduler']);
  });
}

export function scheduledDrill(platform: Platform, now: Date): Promise<CliOutcome | null> {
  return whileHolding(platform, 'drill', async () => {
    const last = await lastRun(platform.db, 'drill', { okOnly: true });
    if (hoursAgo(now, last?.finished_at) < platform.config.backup.drillIntervalHours) return null;
    const newest = listBackups(platform.config.backup.dir)[0];
    if (!newest || !fs.existsSync(newest.file)) return null;
    return runBackupCli(platform, ['server/cli/restore.ts', newest.file, '--drill', '--trigger', 'scheduler']);
  });
}

/**
 * The check and the run as one step for every instance on this host (a lock file in BACKUP_DIR; on PostgreSQL
 * runExclusive's advisory lock covers instances on other hosts too): an instance that finds it held skips.
 */
async function whileHolding<T>(platform: Platform, what: string, fn: () => Promise<T>): Promise<T | null> {
  fs.mkdirSync(platform.config.backup.dir, { recursive: true, mode: 0o700 });
  const lock = path.join(platform.config.backup.dir, `.schedule-${what}.lock`);
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const pid = Number(fs.readFileSync(lock, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) return null;
    if (pid === process.pid) return null;
    // Left by a process that died: take it over.
    fs.rmSync(lock, { force: true });
    return whileHolding(platform, what, fn);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
