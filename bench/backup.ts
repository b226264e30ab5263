/**
 * Backup, restore and drill on a seeded province (issue 18): `npm run bench:backup -- --database-url URL`.
 *
 * The backup runs as the scheduler runs it — `npm run backup` in a child process — while this process keeps a
 * write load going (each write a transaction with one HMAC-SM3-chained audit row, the durable core of every
 * POST). The same load runs for the same time without a backup first: the write latencies side by side are the
 * "longest write stall during a backup". Then the file is restored into a scratch database (`npm run restore --
 * FILE --to …`) and drilled (`--drill`). The database is written to (the load's audit rows, the run records):
 * point it at a copy (`createdb -T guanhuai_bench_100000_42 mycopy`), never at someone's working database.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { AuditLog } from '../server/platform/audit/audit-log.js';
import { systemClock } from '../server/platform/clock.js';
import { openDatabase } from '../server/platform/db/database.js';
import { migrateToLatest } from '../server/platform/db/migrate.js';
import { fmtBytes, fmtDuration, fmtMs, parseArgs } from './lib/args.js';
import { BENCH_MASTER_KEY, benchCrypto } from './lib/cache.js';

const args = parseArgs(process.argv.slice(2), { 'database-url': 'string', writers: 'number', seconds: 'number' });
const url = String(args['database-url'] ?? '');
if (!url) throw new Error('--database-url sqlite:path | postgres://… (a copy of a seeded province)');
const writers = Number(args.writers ?? 4);
const baselineSeconds = Number(args.seconds ?? 20);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-bench-backup-'));
const env = {
  ...process.env,
  NODE_ENV: '',
  GUANHUAI_DEMO: 'false',
  GUANHUAI_MASTER_KEY: BENCH_MASTER_KEY,
  DATABASE_URL: url,
  BACKUP_DIR: path.join(dir, 'backups'),
  BACKUP_KEEP: '0',
};

function run(argv: string[]): Promise<{ ms: number; status: number; last: string; out: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/launch.mjs', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) =>
      resolve({ ms: performance.now() - started, status: code ?? 1, last: out.trim().split('\n').at(-1) ?? '', out }),
    );
  });
}

const database = openDatabase(url);
await migrateToLatest(database.db as unknown as Kysely<unknown>, database.dialect);
const crypto = benchCrypto();
const audit = new AuditLog(crypto, database.dialect, systemClock);
const stopSealing = audit.startSealing(database.db);

async function load(until: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (!until()) {
        const t0 = performance.now();
        await database.db
          .transaction()
          .execute((trx) => audit.record(trx, { username: 'bench-writer' }, { action: 'auth.logout' }));
        latencies.push(performance.now() - t0);
        // better-sqlite3 answers synchronously: yield to I/O between writes, as a server does between requests.
        await new Promise((r) => setImmediate(r));
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const row = (name: string, xs: number[], seconds: number) =>
  `| ${name} | ${xs.length} (${(xs.length / seconds).toFixed(0)}/s) | ${fmtMs(pct(xs, 50))} | ${fmtMs(pct(xs, 99))} | ${fmtMs(xs.at(-1) ?? NaN)} |`;

const base0 = performance.now();
const baseline = await load(() => performance.now() - base0 > baselineSeconds * 1000);
const baseSeconds = (performance.now() - base0) / 1000;

let backupDone = false;
const during0 = performance.now();
// --no-record: as the server's scheduler runs it (one writer on SQLite: the run is recorded by the parent).
const backupRun = run(['server/cli/backup.ts', '--no-record']).then((r) => {
  backupDone = true;
  return r;
});
const during = await load(() => backupDone);
const duringSeconds = (performance.now() - during0) / 1000;
const backup = await backupRun;
if (backup.status !== 0) throw new Error(`backup failed: ${backup.out}`);
const file = backup.last;
const size = fs.statSync(file).size;
const summary = /backup complete: (.*)$/m.exec(backup.out)?.[1] ?? '';

let scratchUrl: string;
let dropScratch: () => Promise<void>;
if (database.dialect === 'sqlite') {
  scratchUrl = `sqlite:${path.join(dir, 'restored.db')}`;
  dropScratch = async () => fs.rmSync(path.join(dir, 'restored.db'), { force: true });
} else {
  const name = `gh_bench_restore_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  scratchUrl = u.toString();
  dropScratch = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}
const restore = await run(['server/cli/restore.ts', file, '--to', scratchUrl]);
await dropScratch();
const drill = await run(['server/cli/restore.ts', file, '--drill', '--no-record']);
stopSealing();
await database.close();

const lines = [
  `Backup bench on ${database.dialect}: ${summary}`,
  '',
  '| what | time | size / verdict |',
  '| --- | --- | --- |',
  `| npm run backup (beside ${writers} writers) | ${fmtDuration(backup.ms)} | ${fmtBytes(size)} |`,
  `| npm run restore -- FILE --to <empty> | ${fmtDuration(restore.ms)} | ${restore.last.slice(0, 60)} |`,
  `| npm run restore -- FILE --drill | ${fmtDuration(drill.ms)} | ${drill.last.slice(0, 60)} |`,
  '',
  '| write load (1 audited transaction each) | writes | p50 ms | p99 ms | max ms |',
  '| --- | --- | --- | --- | --- |',
  row(`without backup, ${baseSeconds.toFixed(0)} s`, baseline, baseSeconds),
  row(`during the backup, ${duringSeconds.toFixed(0)} s`, during, duringSeconds),
];
process.stdout.write(`${lines.join('\n')}\n`);
fs.rmSync(dir, { recursive: true, force: true });
