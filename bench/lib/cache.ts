import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { cryptoFromConfig } from '../../server/platform/bootstrap.js';
import { loadConfig } from '../../server/platform/config.js';
import { dialectOf } from '../../server/platform/db/database.js';
import { fmtBytes, fmtDuration } from './args.js';
import { openLoader } from './bulk.js';

/** Bump when the generator's output changes: cached databases of another format are re-seeded. */
export const SEED_FORMAT = 2;
/** The bench's own master key (synthetic data only): blind indexes in a cached database depend on it. */
export const BENCH_MASTER_KEY = 'b0b1b2b3b4b5b6b7b8b9babbbcbdbebf000102030405060708090a0b0c0d0e0f';
export const SEED_META_KEY = 'bench:seed';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CACHE_DIR = path.join(BENCH_DIR, '.cache');
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

export function benchCrypto() {
  return cryptoFromConfig({ ...loadConfig({}), isDemo: false, masterKeyHex: BENCH_MASTER_KEY });
}

export interface SeedParams {
  families: number;
  years: number;
  seed: number;
}

export interface SeedMeta extends SeedParams {
  format: number;
  asOf: string;
  months: string[];
  counts: Record<string, number>;
  phases: Array<{ phase: string; ms: number }>;
  totalMs: number;
  peakRssBytes: number;
  sizeBytes: number;
  /** The national seed (bench/seed-national.ts): its provinces, months with logs and villages. */
  national?: { provinces: string[]; logMonths: number; villages: number };
}

export function sqliteCacheUrl(p: SeedParams, month: string): string {
  return `sqlite:${path.join(CACHE_DIR, `province-${p.families}f-${p.years}y-s${p.seed}-${month}.db`)}`;
}

export function pgDatabaseName(p: SeedParams, national = false): string {
  return `guanhuai_bench_${national ? 'nat_' : ''}${p.families}_${p.seed}`;
}

/** The URL of database `name` on the server `serverUrl` points at. */
export function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function ensurePgDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Refusing an unusual database name: ${name}`);
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const r = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

/** The seed's record in the meta table, or null when the database is missing, empty or half-loaded. */
export async function readSeedMeta(url: string): Promise<SeedMeta | null> {
  if (dialectOf(url) === 'sqlite') {
    const file = url.replace(/^sqlite:/, '');
    if (!fs.existsSync(file)) return null;
    const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('select value from meta where key = ?').get(SEED_META_KEY) as
        { value: string } | undefined;
      return row ? (JSON.parse(row.value) as SeedMeta) : null;
    } catch {
      return null;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch {
    return null;
  }
  try {
    const r = await client.query('select value from meta where key = $1', [SEED_META_KEY]);
    return r.rows[0] ? (JSON.parse(r.rows[0].value as string) as SeedMeta) : null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

export async function databaseSize(url: string): Promise<number> {
  if (dialectOf(url) === 'sqlite') {
    const file = url.replace(/^sqlite:/, '');
    return [file, `${file}-wal`].reduce((s, f) => s + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query('select pg_database_size(current_database()) as n');
    return Number(r.rows[0].n);
  } finally {
    await client.end();
  }
}

/** Empties a database for a fresh seed: the SQLite file goes, a PostgreSQL database gets a new public schema. */
export async function resetDatabase(url: string): Promise<void> {
  if (dialectOf(url) === 'sqlite') {
    const file = url.replace(/^sqlite:/, '');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return;
  }
  await ensurePgDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('drop schema public cascade');
    await client.query('create schema public');
  } finally {
    await client.end();
  }
}

/**
 * The last step of every seeder: totals, size and peak memory into `meta`, then the meta row — written last, so a
 * database without it is a half-finished load and is seeded again.
 */
export async function finishSeed(url: string, meta: SeedMeta, startedMs: number, log: (line: string) => void) {
  meta.totalMs = performance.now() - startedMs;
  meta.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  meta.sizeBytes = await databaseSize(url);
  const loader = openLoader(url);
  await loader.db
    .insertInto('meta')
    .values({ key: SEED_META_KEY, value: JSON.stringify(meta) })
    .execute();
  await loader.close();
  log(
    `Seeded in ${fmtDuration(meta.totalMs)} · database ${fmtBytes(meta.sizeBytes)} · peak RSS ${fmtBytes(meta.peakRssBytes)}`,
  );
}
