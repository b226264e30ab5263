/**
 * The synthetic province: `npm run bench:seed -- --families 100000 --years 2 --seed 42
 * [--database-url postgres://…|sqlite:path] [--as-of 2026-11-28T12:00:00Z]`; with `--national [--log-months 3] [--threads N]`
 * the national data of issue 19 instead (bench/seed-national.ts: several provinces, COPY, PostgreSQL only).
 *
 * Deterministic over the real Hubei tree (the regions prepareDatabase loads): the same arguments give the
 * same families, contacts, assignments and logs on SQLite and PostgreSQL. Written in bulk through the
 * raw drivers into the schema the migrations made; the per-family-month fact rows are then rebuilt by the
 * product's own rebuildMonths statement, exactly as the demo seeder does.
 */
import { gramRows } from '../common/name-grams.js';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { rebuildMonths } from '../server/modules/compliance/family-months.repository.js';
import { loadRates } from '../server/modules/families/families.repository.js';
import { prepareDatabase } from '../server/prepare-database.js';
import { dialectOf } from '../server/platform/db/database.js';
import { seededRandom } from '../server/demo/demo-families.js';
import { fmtDuration, fmtInt, parseArgs } from './lib/args.js';
import { openLoader, type IndexDef } from './lib/bulk.js';
import { seedNational } from './seed-national.js';
import {
  benchCrypto,
  readSeedMeta,
  resetDatabase,
  SEED_FORMAT,
  finishSeed,
  sqliteCacheUrl,
  type SeedMeta,
  type SeedParams,
} from './lib/cache.js';
import {
  chinaDateOf,
  makeFamily,
  monthsEndingAt,
  planCampaigns,
  planContacts,
  villageOfEachFamily,
  type GeneratorContext,
  type VillageRow,
} from './lib/synthetic.js';

const CHUNK = 1_000;
/** Tables whose secondary indexes are built after the load rather than maintained row by row. */
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

export interface SeedOptions extends SeedParams {
  url: string;
  asOf: Date;
  log?: (line: string) => void;
}

export async function seedProvince(opts: SeedOptions): Promise<SeedMeta> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const phases: SeedMeta['phases'] = [];
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const ms = performance.now() - phaseStart;
    phases.push({ phase: name, ms });
    log(`  ✓ ${name.padEnd(34)} ${fmtDuration(ms)}`);
    phaseStart = performance.now();
  };
  const dialect = dialectOf(opts.url);
  log(
    `Seeding ${fmtInt(opts.families)} families × ${opts.years} years (seed ${opts.seed}, as of ${opts.asOf.toISOString()}) into ${dialect}`,
  );

  await resetDatabase(opts.url);
  const prepared = await prepareDatabase(opts.url, ['42']);
  await prepared.database.close();
  phase(`schema + ${fmtInt(prepared.regionsLoaded)} regions`);

  const loader = openLoader(opts.url);
  const crypto = benchCrypto();
  const rnd = seededRandom(opts.seed);
  const ids = seededRandom(opts.seed ^ 0x5eed_1d5);
  const asOfDate = chinaDateOf(opts.asOf);
  const months = monthsEndingAt(asOfDate.slice(0, 7), opts.years * 12);
  const counts: Record<string, number> = {};
  const deferred: IndexDef[] = [];
  try {
    const villages = await loader.query<VillageRow>(
      `select code, name, parent_code from regions where level = 'village' order by code`,
    );
    const rates = await loadRates(loader.db);
    const placement = villageOfEachFamily(villages, opts.families, rnd);
    const used = [...new Set(placement)].map((i) => villages[i]);
    for (const table of DEFERRED) deferred.push(...(await loader.dropIndexes(table)));

    const contacts = planContacts(used, rnd, ids, crypto, `${months[0]}-01T00:00:00.000Z`);
    await loader.begin();
    for (let i = 0; i < contacts.rows.length; i += 2_000)
      await loader.insert('contacts', contacts.rows.slice(i, i + 2_000));
    await loader.commit();
    counts.contacts = contacts.rows.length;
    phase(`${fmtInt(contacts.rows.length)} contacts in ${fmtInt(used.length)} villages`);

    const campaigns = planCampaigns(months, opts.asOf, ids);
    await loader.begin();
    await loader.insert('festival_campaigns', campaigns);
    await loader.commit();

    const ctx: GeneratorContext = {
      shape: { families: opts.families, years: opts.years, seed: opts.seed, asOf: opts.asOf },
      rnd,
      ids,
      crypto,
      rates,
      contacts,
      months,
      usedIdNumbers: new Set(),
      archiveSerials: new Map(),
      campaigns,
    };
    const tally = {
      families: 0,
      family_members: 0,
      assignments: 0,
      contact_logs: 0,
      major_events: 0,
      petition_risks: 0,
      needs: 0,
      festival_care: 0,
    };
    let nextReport = 0.1;
    const loadStart = performance.now();
    for (let from = 0; from < opts.families; from += CHUNK) {
      const bundles = [];
      for (let f = from; f < Math.min(from + CHUNK, opts.families); f += 1)
        bundles.push(makeFamily(ctx, villages[placement[f]]));
      await loader.begin();
      await loader.insert(
        'families',
        bundles.map((b) => b.family),
      );
      await loader.insert(
        'family_members',
        bundles.flatMap((b) => b.members),
      );
      await loader.insert(
        'family_children',
        bundles.map((b) => b.child),
      );
      // The name search index, written from the same function the service uses.
      await loader.insert(
        'family_name_grams',
        gramRows(
          bundles.map((b) => b.family),
          bundles.flatMap((b) => b.members),
        ),
      );
      await loader.insert(
        'assignments',
        bundles.flatMap((b) => b.assignments),
      );
      const logs = bundles.flatMap((b) => b.logs);
      for (let i = 0; i < logs.length; i += 20_000) await loader.insert('contact_logs', logs.slice(i, i + 20_000));
      const responses = {
        major_events: bundles.flatMap((b) => b.events),
        petition_risks: bundles.flatMap((b) => b.risks),
        needs: bundles.flatMap((b) => b.needs),
        festival_care: bundles.flatMap((b) => b.care),
      };
      for (const [table, rows] of Object.entries(responses)) {
        await loader.insert(table, rows);
        tally[table as keyof typeof responses] += rows.length;
      }
      await loader.commit();
      tally.families += bundles.length;
      tally.family_members += bundles.reduce((s, b) => s + b.members.length, 0);
      tally.assignments += bundles.reduce((s, b) => s + b.assignments.length, 0);
      tally.contact_logs += logs.length;
      if (tally.families / opts.families >= nextReport || tally.families === opts.families) {
        const s = (performance.now() - loadStart) / 1000;
        log(
          `    ${fmtInt(tally.families).padStart(9)} families · ${fmtInt(tally.contact_logs).padStart(10)} logs · ${s.toFixed(0)} s · ${fmtInt(tally.contact_logs / s)} logs/s`,
        );
        nextReport += 0.1;
      }
    }
    Object.assign(counts, tally);
    await loader.begin();
    await loader.insert(
      'archive_serials',
      [...ctx.archiveSerials].map(([village_code, last_serial]) => ({ village_code, last_serial })),
    );
    await loader.commit();
    phase(`${fmtInt(tally.families)} families, ${fmtInt(tally.contact_logs)} logs`);
    log(
      `    responses: ${fmtInt(tally.major_events)} major events, ${fmtInt(tally.petition_risks)} petition risks, ${fmtInt(tally.needs)} needs, ${fmtInt(tally.festival_care)} festival care records in ${campaigns.length} campaigns`,
    );

    for (const def of deferred.filter((d) => d.table !== 'family_months')) {
      const t = performance.now();
      await loader.createIndex(def);
      log(`    index ${def.name.padEnd(38)} ${fmtDuration(performance.now() - t)}`);
    }
    phase('secondary indexes');

    // rebuildMonths reads each month's logs; a temporary (month, family) index spares a full scan per month.
    await loader.exec('create index bench_seed_logs_month_idx on contact_logs (month, family_id, mode, occurred_at)');
    if (dialect === 'postgres') await loader.exec('analyze contact_logs');
    for (const month of months) await rebuildMonths(loader.db, [month]);
    await loader.exec('drop index bench_seed_logs_month_idx');
    for (const def of deferred.filter((d) => d.table === 'family_months')) await loader.createIndex(def);
    counts.family_months = Number((await loader.query<{ n: number }>('select count(*) as n from family_months'))[0].n);
    phase(`${fmtInt(counts.family_months)} family-month facts (rebuildMonths)`);

    const current = months[months.length - 1];
    const meta: SeedMeta = {
      format: SEED_FORMAT,
      families: opts.families,
      years: opts.years,
      seed: opts.seed,
      asOf: opts.asOf.toISOString(),
      months,
      counts,
      phases,
      totalMs: 0,
      peakRssBytes: 0,
      sizeBytes: 0,
    };
    // The first request of the current month already happened (ensureMonthRows): the steady state.
    await loader.db
      .insertInto('meta')
      .values({ key: `family_months:${current}`, value: 'ready' })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    if (dialect === 'postgres') await loader.exec('vacuum analyze');
    await loader.close();
    phase(dialect === 'postgres' ? 'vacuum analyze' : 'checkpoint');

    await finishSeed(opts.url, meta, started, log);
    return meta;
  } catch (err) {
    await loader.close().catch(() => undefined);
    throw err;
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2), {
    families: 'number',
    years: 'number',
    seed: 'number',
    'database-url': 'string',
    'as-of': 'string',
    'if-missing': 'boolean',
    national: 'boolean',
    'log-months': 'number',
    threads: 'number',
  });
  const national = args.national === true;
  const params: SeedParams = {
    families: Math.floor(Number(args.families ?? 100_000)),
    years: Math.max(1, Math.floor(Number(args.years ?? 2))),
    seed: Math.floor(Number(args.seed ?? 42)),
  };
  const asOf = args['as-of'] ? new Date(String(args['as-of'])) : new Date();
  if (Number.isNaN(asOf.getTime())) throw new Error('--as-of must be an ISO date-time');
  const url = String(args['database-url'] ?? sqliteCacheUrl(params, chinaDateOf(asOf).slice(0, 7)));
  if (args['if-missing']) {
    const meta = await readSeedMeta(url);
    if (
      meta &&
      meta.format === SEED_FORMAT &&
      meta.families === params.families &&
      meta.years === params.years &&
      meta.seed === params.seed &&
      Boolean(meta.national) === national &&
      meta.months.at(-1) === chinaDateOf(asOf).slice(0, 7)
    ) {
      console.log(`Already seeded: ${url.replace(/\/\/[^@]*@/, '//…@')}`);
      return;
    }
  }
  if (national) {
    if (dialectOf(url) !== 'postgres') throw new Error('--national seeds PostgreSQL only (COPY)');
    await seedNational({
      ...params,
      url,
      asOf,
      logMonths: Math.max(1, Math.floor(Number(args['log-months'] ?? 3))),
      threads: args.threads === undefined ? undefined : Math.max(1, Math.floor(Number(args.threads))),
    });
  } else await seedProvince({ ...params, url, asOf });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
