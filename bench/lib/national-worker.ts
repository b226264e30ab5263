/**
 * One generator thread of the national seed (bench/seed-national.ts): it makes the families of the parts it is
 * given (disjoint ranges of the family index) with bench/lib/synthetic.ts's generator and writes them through
 * its own COPY connection, generating a chunk while the server loads the previous one.
 *
 * Determinism: a part's rows depend only on (seed, part) and what the main thread planned (placement, archive
 * serials, contacts, campaigns): each part has its own random streams seeded from (seed, part), its own share of
 * the ID-number sequence codes (so uniqueness holds across parts by construction) and its families' archive
 * serials precomputed from the placement. Which thread runs a part, and how many threads there are, changes
 * nothing in the data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { gramRows } from '../../common/name-grams.js';
import { seededRandom } from '../../server/demo/demo-families.js';
import type { AssistanceRate } from '../../server/modules/families/special-assistance.js';
import type { FestivalCampaignTable } from '../../server/platform/db/schema.js';
import { benchCrypto } from './cache.js';
import { copyRows } from './copy.js';
import { makeFamily, type ContactPlan, type GeneratorContext, type VillageRow } from './synthetic.js';

export interface NationalWorkerInput {
  url: string;
  options: string;
  families: number;
  years: number;
  seed: number;
  asOf: string;
  months: string[];
  logMonths: number;
  rates: AssistanceRate[];
  contacts: ContactPlan;
  campaigns: FestivalCampaignTable[];
  villages: VillageRow[];
  /** Village index of every family, and its archive serial inside that village (1-based). */
  placement: Int32Array;
  serials: Int32Array;
  parts: number;
  /** The parts this thread makes, each `[part, fromFamily, toFamily)`. */
  ranges: Array<[number, number, number]>;
  chunk: number;
}

export type NationalWorkerMessage = {
  families: number;
  tally: Record<string, number>;
  genMs: number;
  copyMs: number;
};

/** A 32-bit seed for one of a part's random streams, mixed from (seed, part, stream). */
export function partSeed(seed: number, part: number, stream: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(part + 1, 0x85ebca6b) ^ Math.imul(stream, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

async function run(input: NationalWorkerInput): Promise<void> {
  const copy = new pg.Client({ connectionString: input.url, options: input.options });
  await copy.connect();
  const crypto = benchCrypto();
  let loading: Promise<void> = Promise.resolve();
  try {
    for (const [part, from, to] of input.ranges) {
      const ctx: GeneratorContext = {
        shape: { families: input.families, years: input.years, seed: input.seed, asOf: new Date(input.asOf) },
        rnd: seededRandom(partSeed(input.seed, part, 1)),
        ids: seededRandom(partSeed(input.seed, part, 2)),
        crypto,
        rates: input.rates,
        contacts: input.contacts,
        months: input.months,
        usedIdNumbers: new Set(),
        archiveSerials: new Map(),
        campaigns: input.campaigns,
        logMonths: input.logMonths,
        sequenceSlots: { part, parts: input.parts },
      };
      for (let start = from; start < to; start += input.chunk) {
        const t0 = performance.now();
        const bundles = [];
        for (let f = start; f < Math.min(start + input.chunk, to); f += 1) {
          const village = input.villages[input.placement[f]];
          // makeFamily takes the next serial of the village from this map: the one the main thread assigned.
          ctx.archiveSerials.set(village.code, input.serials[f] - 1);
          bundles.push(makeFamily(ctx, village));
          if (f % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
        }
        const families = bundles.map((b) => b.family);
        const members = bundles.flatMap((b) => b.members);
        const tables: Array<[string, object[]]> = [
          ['families', families],
          ['family_members', members],
          ['family_children', bundles.map((b) => b.child)],
          // The name search index, written from the same function the service uses.
          ['family_name_grams', gramRows(families, members)],
          ['assignments', bundles.flatMap((b) => b.assignments)],
          ['contact_logs', bundles.flatMap((b) => b.logs)],
          ['major_events', bundles.flatMap((b) => b.events)],
          ['petition_risks', bundles.flatMap((b) => b.risks)],
          ['needs', bundles.flatMap((b) => b.needs)],
          ['festival_care', bundles.flatMap((b) => b.care)],
        ];
        const genMs = performance.now() - t0;
        await loading;
        loading = (async () => {
          const t1 = performance.now();
          const tally: Record<string, number> = {};
          await copy.query('begin');
          for (const [table, rows] of tables) {
            await copyRows(copy, table, rows);
            tally[table] = rows.length;
          }
          await copy.query('commit');
          const message: NationalWorkerMessage = {
            families: bundles.length,
            tally,
            genMs,
            copyMs: performance.now() - t1,
          };
          parentPort!.postMessage(message);
        })();
      }
    }
    await loading;
  } finally {
    await copy.end();
  }
}

await run(workerData as NationalWorkerInput);
