import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import os from 'node:os';
import client from 'prom-client';
import { serveWriteLocks } from './db/write-lock.js';

/**
 * WEB_CONCURRENCY=N: N worker processes (Node `cluster`) behind one port — the primary accepts connections and
 * hands them round-robin to the workers, each a whole server over the same database. On SQLite the workers
 * take turns at writing: the primary grants the file's write turn over IPC, FIFO (db/write-lock.ts), and a
 * worker commits its transactions in groups while it holds it (db/database.ts); BEGIN IMMEDIATE and
 * busy_timeout stay beneath. On PostgreSQL they are like separate instances.
 *
 * - One worker at a time is the *scheduler* worker (GUANHUAI_WORKER_SCHEDULER=1): it alone runs the scheduled
 *   jobs, the minute's audit-anchor checkpoint, the demo banner. On PostgreSQL the jobs are exclusive across
 *   instances besides (advisory locks); on SQLite nothing else would stop two workers running them.
 * - A worker that dies (crash, kill -9, out of memory) is replaced; the replacement of the scheduler worker is
 *   the scheduler worker. A worker dying before it ever listened is a start failure: the primary stops.
 * - SIGTERM/SIGINT to the primary: every worker drains its requests (as a single process does) and exits; then
 *   the primary exits. Workers still alive after SHUTDOWN_GRACE_MS are killed.
 * - N above the cores is capped, with a warning: more processes than cores only adds switching.
 */

const SCHEDULER_ENV = 'GUANHUAI_WORKER_SCHEDULER';
const SHUTDOWN_GRACE_MS = 30_000;
/** A worker replaced this soon after its start waits before the next attempt (a crash loop must not spin). */
const RESTART_BACKOFF_MS = 1_000;

export interface ClusterLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The primary's log: JSON lines in the shape of the workers' (pino: level, time, pid, msg). */
export function clusterLog(): ClusterLog {
  const line = (level: number) => (obj: object, msg: string) =>
    process.stdout.write(
      JSON.stringify({ level, time: Date.now(), pid: process.pid, role: 'primary', ...obj, msg }) + '\n',
    );
  return { info: line(30), warn: line(40), error: line(50) };
}

/** The worker count asked for: 1 (no cluster) when unset; an error naming the variable when it is not a count. */
export function workerCount(
  env: NodeJS.ProcessEnv,
  cores = os.availableParallelism(),
): { workers: number; warning: string | null } {
  const raw = (env.WEB_CONCURRENCY ?? '').trim();
  if (raw === '') return { workers: 1, warning: null };
  if (raw === 'auto') return { workers: Math.max(1, cores), warning: null };
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`WEB_CONCURRENCY 应为正整数或 auto (got "${raw}")`);
  const asked = Number(raw);
  if (asked > cores)
    return {
      workers: cores,
      warning: `WEB_CONCURRENCY=${asked} is more than the ${cores} cores: capped at ${cores} workers`,
    };
  return { workers: asked, warning: null };
}

/** In a worker (or a single process): whether this process runs the scheduler. */
export function isSchedulerProcess(): boolean {
  return cluster.isPrimary || process.env[SCHEDULER_ENV] === '1';
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** Runs the primary: forks, replaces and drains the workers. Resolves never (the process exits from here). */
export function runPrimary(workers: number, log: ClusterLog, metricsPort: number | null): void {
  let stopping = false;
  const listening = new Set<number>();
  const startedAt = new Map<number, number>();
  const scheduler = new Set<number>();
  // SQLite: the workers' write turns, FIFO, handed over without SQLite's sleeping busy handler (db/write-lock.ts).
  serveWriteLocks();

  const fork = (isScheduler: boolean) => {
    const w = cluster.fork(isScheduler ? { [SCHEDULER_ENV]: '1' } : { [SCHEDULER_ENV]: '' });
    startedAt.set(w.id, Date.now());
    if (isScheduler) scheduler.add(w.id);
    w.once('listening', () => {
      listening.add(w.id);
      log.info({ worker: w.id, workerPid: w.process.pid, scheduler: isScheduler }, 'worker listening');
    });
    return w;
  };

  cluster.on('exit', (w: Worker, code: number | null, signal: string | null) => {
    const wasScheduler = scheduler.delete(w.id);
    const everListened = listening.delete(w.id);
    if (stopping) return;
    if (!everListened) {
      // The worker could not start (configuration, database): replacing it would fail the same way.
      log.error({ worker: w.id, code, signal }, 'worker failed to start: stopping');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      setTimeout(() => process.exit(1), 2_000).unref();
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    const lived = Date.now() - (startedAt.get(w.id) ?? 0);
    startedAt.delete(w.id);
    log.warn(
      { worker: w.id, workerPid: w.process.pid, code, signal, scheduler: wasScheduler },
      'worker died: replacing it',
    );
    setTimeout(() => !stopping && fork(wasScheduler), lived < 5_000 ? RESTART_BACKOFF_MS : 0);
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, 'shutting down: draining every worker');
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    if (alive.length === 0) process.exit(0);
    let codes = 0;
    let left = alive.length;
    for (const w of alive) {
      w.once('exit', (code) => {
        if (code) codes += 1;
        left -= 1;
        if (left === 0) process.exit(codes ? 1 : 0);
      });
      // A terminal's Ctrl-C reaches the workers too (one process group); their handlers ignore a second signal.
      w.process.kill('SIGTERM');
    }
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // METRICS_PORT: the primary answers with every worker's figures summed (prom-client's cluster aggregation).
  if (metricsPort !== null) {
    const aggregator = new client.AggregatorRegistry();
    http
      .createServer((req, res) => {
        if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        aggregator.clusterMetrics().then(
          (text) => res.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      })
      .listen(metricsPort, '127.0.0.1');
  }

  log.info({ workers, pid: process.pid }, 'primary: starting workers');
  // The scheduler worker first: it runs the first start (migrations, demo seed) under the startup lock while
  // the others wait for that lock and then find the database ready.
  fork(true);
  for (let i = 1; i < workers; i += 1) fork(false);
}

/** In a worker: its metrics registry answers the primary's aggregation. */
export function shareMetrics(registry: client.Registry): void {
  client.AggregatorRegistry.setRegistries([registry]);
}
