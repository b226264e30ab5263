import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The sampling method of R16, as pure functions over the frozen frame (docs/sample-survey.md says the
 * same in words, so anyone can reproduce a sample from the recorded frame, seed and rule).
 */

export const ALLOCATION_RULE = 'power-allocation/v1';
export const PRNG = 'xoroshiro128plus';
/** The pure-rand release whose xoroshiro128+ and uniformInt the draw uses (package.json pins it). */
export const PRNG_VERSION = 'pure-rand@8.4.2';

export interface FrameFamily {
  familyId: string;
  countyCode: string;
  familyType: string;
}

export interface Stratum {
  countyCode: string;
  familyType: string;
  /** N_h */
  population: number;
  /** n_h */
  sample: number;
  /** The real-valued power-allocation quota before rounding. */
  quota: number;
}

export const stratumKey = (s: { countyCode: string; familyType: string }) => `${s.countyCode}|${s.familyType}`;

/** The frame's fingerprint: SM3 over the ascending family ids joined by "\n". */
export function frameDigest(sortedIds: readonly string[], sm3: (data: string) => string): string {
  return sm3(sortedIds.join('\n'));
}

/** The frame grouped into strata (county × family type), keys ascending, each stratum's ids ascending. */
export function strataOf(
  frame: readonly FrameFamily[],
): Map<string, { countyCode: string; familyType: string; ids: string[] }> {
  const map = new Map<string, { countyCode: string; familyType: string; ids: string[] }>();
  for (const f of frame) {
    const key = stratumKey(f);
    let s = map.get(key);
    if (!s) map.set(key, (s = { countyCode: f.countyCode, familyType: f.familyType, ids: [] }));
    s.ids.push(f.familyId);
  }
  const sorted = new Map([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const s of sorted.values()) s.ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted;
}

export interface AllocationParams {
  rate: number;
  q: number;
  minPerCounty: number;
}

/**
 * Power allocation n_h ∝ N_h^q (Bankier 1988), with a minimum per county and n_h ≤ N_h, summing to n:
 * 1. n = ceil(rate × N) (raised to the sum of the county minimums if that is larger);
 * 2. real quotas Q_h = n × N_h^q / Σ N_k^q over the strata not yet capped; a stratum with Q_h ≥ N_h is
 *    fixed at N_h and the rest recomputed, until none exceeds its population;
 * 3. n_h = floor(Q_h), and the units left go one each to the largest fractional parts (ties: larger N_h,
 *    then the stratum key ascending);
 * 4. a county below min(minPerCounty, N_c) gets one unit at a time, to its stratum with the largest
 *    Q_h − n_h that has room (ties: key), taken from the stratum with the largest n_h − Q_h (ties: key)
 *    among those whose county stays above its own minimum.
 */
export function allocate(
  strata: ReadonlyArray<{ countyCode: string; familyType: string; population: number }>,
  p: AllocationParams,
): { sampleSize: number; frameSize: number; strata: Stratum[] } {
  const list = [...strata]
    .filter((s) => s.population > 0)
    .sort((a, b) => (stratumKey(a) < stratumKey(b) ? -1 : 1))
    .map((s) => ({ ...s, sample: 0, quota: 0 }));
  const frameSize = list.reduce((a, s) => a + s.population, 0);
  if (!frameSize) return { sampleSize: 0, frameSize, strata: [] };
  const countyPop = new Map<string, number>();
  for (const s of list) countyPop.set(s.countyCode, (countyPop.get(s.countyCode) ?? 0) + s.population);
  const minOf = (county: string) => Math.min(p.minPerCounty, countyPop.get(county)!);
  const minimums = [...countyPop.keys()].reduce((a, c) => a + minOf(c), 0);
  // Floating point: 0.01 × 100 must give 1, not 2.
  const n = Math.min(frameSize, Math.max(Math.ceil(Number((p.rate * frameSize).toFixed(9))), minimums));

  // 2. quotas with capping
  const capped = new Set<number>();
  for (;;) {
    const free = list.map((_, i) => i).filter((i) => !capped.has(i));
    const left = n - [...capped].reduce((a, i) => a + list[i].population, 0);
    const denom = free.reduce((a, i) => a + Math.pow(list[i].population, p.q), 0);
    let changed = false;
    for (const i of free) {
      list[i].quota = denom > 0 ? (left * Math.pow(list[i].population, p.q)) / denom : 0;
      if (list[i].quota >= list[i].population) {
        capped.add(i);
        changed = true;
      }
    }
    for (const i of capped) list[i].quota = list[i].population;
    if (!changed) break;
  }

  // 3. largest remainder
  for (const s of list) s.sample = Math.min(s.population, Math.floor(s.quota + 1e-9));
  let rest = n - list.reduce((a, s) => a + s.sample, 0);
  const byRemainder = list
    .map((s, i) => ({ i, frac: s.quota - s.sample }))
    .sort(
      (a, b) =>
        b.frac - a.frac ||
        list[b.i].population - list[a.i].population ||
        (stratumKey(list[a.i]) < stratumKey(list[b.i]) ? -1 : 1),
    );
  for (const { i } of byRemainder) {
    if (rest <= 0) break;
    if (list[i].sample < list[i].population) {
      list[i].sample += 1;
      rest -= 1;
    }
  }

  // 4. county minimums
  const countyTotal = (county: string) => list.filter((s) => s.countyCode === county).reduce((a, s) => a + s.sample, 0);
  for (const county of [...countyPop.keys()].sort()) {
    while (countyTotal(county) < minOf(county)) {
      const receiver = list
        .filter((s) => s.countyCode === county && s.sample < s.population)
        .sort((a, b) => b.quota - b.sample - (a.quota - a.sample) || (stratumKey(a) < stratumKey(b) ? -1 : 1))[0];
      const donor = list
        .filter((s) => s.countyCode !== county && s.sample > 0 && countyTotal(s.countyCode) > minOf(s.countyCode))
        .sort((a, b) => b.sample - b.quota - (a.sample - a.quota) || (stratumKey(a) < stratumKey(b) ? -1 : 1))[0];
      if (!receiver || !donor) break;
      receiver.sample += 1;
      donor.sample -= 1;
    }
  }
  return { sampleSize: n, frameSize, strata: list };
}

/** The stratum's own 32-bit seed: the first 8 hex digits of SM3(seed ‖ 0x00 ‖ "countyCode|familyType"). */
export function stratumSeed(seed: string, key: string, sm3: (data: string) => string): number {
  return parseInt(sm3(`${seed}\u0000${key}`).slice(0, 8), 16) | 0;
}

/**
 * The first `count` positions of a seeded random permutation of the stratum's ids (ascending): a partial
 * Fisher–Yates shuffle, position i swapped with uniformInt(rng, i, N − 1). Positions 0 … n_h − 1 are the
 * sample (simple random sampling without replacement); the positions after them are the reserves, in order.
 */
export function drawOrder(sortedIds: readonly string[], seed32: number, count: number): string[] {
  const a = [...sortedIds];
  const rng = xoroshiro128plus(seed32);
  const k = Math.min(count, a.length);
  for (let i = 0; i < k; i++) {
    const j = uniformInt(rng, i, a.length - 1);
    const x = a[i];
    a[i] = a[j];
    a[j] = x;
  }
  return a.slice(0, k);
}

export interface Draw {
  frameSize: number;
  sampleSize: number;
  frameDigest: string;
  strata: Stratum[];
  /** Sampled families by stratum key, in draw order. */
  selected: Map<string, string[]>;
}

/** Frame → allocation → selection: the whole draw, a function of the frame, the seed and the parameters only. */
export function draw(
  frame: readonly FrameFamily[],
  seed: string,
  params: AllocationParams,
  sm3: (data: string) => string,
): Draw {
  const groups = strataOf(frame);
  const allIds = frame.map((f) => f.familyId).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const allocation = allocate(
    [...groups.values()].map((g) => ({ countyCode: g.countyCode, familyType: g.familyType, population: g.ids.length })),
    params,
  );
  const selected = new Map<string, string[]>();
  for (const s of allocation.strata) {
    const key = stratumKey(s);
    selected.set(key, drawOrder(groups.get(key)!.ids, stratumSeed(seed, key, sm3), s.sample));
  }
  return { ...allocation, frameDigest: frameDigest(allIds, sm3), selected };
}
