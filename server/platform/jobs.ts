import { sql } from 'kysely';
import type { Platform } from './context.js';

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
  const timers = jobs.map((job, i) =>
    setInterval(() => {
      void runExclusive(platform, job, 9_100 + i).catch(() => undefined);
    }, job.everyMs),
  );
  for (const t of timers) t.unref();
  return () => timers.forEach((t) => clearInterval(t));
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
