import { sql } from 'kysely';
import { flushSecurityEvents } from './audit/security-events.js';
import type { Platform } from './context.js';
import { countJob } from './metrics.js';

const AUDIT_CATCH_UP_MS = 10_000;
const MINUTE_MS = 60_000;

export interface Job {
  name: string;
  everyMs: number;
  run(now: Date): Promise<unknown>;
}

/**
 * The in-server scheduler (reminders, escalations, deadlines). With several instances on PostgreSQL each
 * run takes an advisory lock, so one instance does the work; the jobs are idempotent
 * besides. Time comes from the platform clock, so tests drive jobs by calling them with a moved clock.
 */
export function startScheduler(platform: Platform, jobs: Job[]): () => void {
  // PostgreSQL seals audit rows after their writes commit (AuditLog): at once for what a crash or a stop
  // left, after each write, and — should the sealer have missed a row — by this periodic catch-up.
  const stopSealing = platform.audit.startSealing(platform.db);
  const all: Job[] =
    platform.dialect === 'postgres'
      ? [...jobs, { name: 'seal-audit', everyMs: AUDIT_CATCH_UP_MS, run: () => platform.audit.seal(platform.db) }]
      : jobs;
  const timers = all.map((job, i) =>
    setInterval(() => {
      void runExclusive(platform, job, 9_100 + i).then(
        (ran) => countJob(job.name, ran ? 'ok' : 'skipped'),
        () => countJob(job.name, 'failed'),
      );
    }, job.everyMs),
  );
  // Every instance anchors the chain head in its own AUDIT_ANCHOR_FILE each minute (anchor.ts), so this is not
  // one of the exclusive jobs; the minute's security-event counts are written with it.
  timers.push(
    setInterval(() => {
      void flushSecurityEvents(platform, platform.clock.now())
        .catch(() => 0)
        .then(() => platform.anchor.checkpointIfMoved(platform.db, platform.audit))
        .catch(() => undefined);
    }, MINUTE_MS),
  );
  for (const t of timers) t.unref();
  return () => {
    stopSealing();
    timers.forEach((t) => clearInterval(t));
  };
}

/** At a graceful shutdown, after the last request: the counted security events, then a final checkpoint. */
export async function anchorAtShutdown(platform: Platform): Promise<void> {
  await flushSecurityEvents(platform, platform.clock.now(), true);
  await platform.anchor.checkpoint(platform.db, platform.audit);
}

export async function runExclusive(platform: Platform, job: Job, lockKey: number): Promise<boolean> {
  const { db } = platform;
  const runAndRecord = async () => {
    const now = platform.clock.now();
    await job.run(now);
    await db
      .insertInto('job_runs')
      .values({ job: job.name, last_run_at: now.toISOString() })
      .onConflict((oc) => oc.column('job').doUpdateSet({ last_run_at: now.toISOString() }))
      .execute();
  };
  // SQLite serves one process: nothing to coordinate (and one connection, so no lock transaction around the job).
  if (platform.dialect === 'sqlite') {
    await runAndRecord();
    return true;
  }
  // PostgreSQL: a session lock on one pooled connection while the job works on others.
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${lockKey}) as ok`.execute(conn);
    if (!rows[0]?.ok) return false;
    try {
      await runAndRecord();
      return true;
    } finally {
      await sql`select pg_advisory_unlock(${lockKey})`.execute(conn);
    }
  });
}
