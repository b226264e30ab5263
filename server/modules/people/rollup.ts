import type { RegionLevel } from '../../../common/roles.js';
import { levelOfCode, SIGNIFICANT_DIGITS } from '../../platform/scope.js';

/** The level of the rows a region's page shows under it (a village shows itself). */
export const CHILD_LEVEL: Record<RegionLevel, RegionLevel> = {
  province: 'prefecture',
  prefecture: 'county',
  county: 'township',
  township: 'village',
  village: 'village',
};

/** Digits of a code that name its child region under `code` (for grouping rows by child). */
export function childDigits(code: string): number {
  return SIGNIFICANT_DIGITS[CHILD_LEVEL[levelOfCode(code)]];
}

/** Sums numeric fields of rows keyed by region code into buckets keyed by the code's first `digits` digits. */
export function sumByPrefix<K extends string>(
  rows: Array<{ regionCode: string } & Record<K, number>>,
  digits: number,
  keys: readonly K[],
): Map<string, Record<K, number>> {
  const out = new Map<string, Record<K, number>>();
  for (const r of rows) {
    const prefix = r.regionCode.slice(0, digits);
    const acc = out.get(prefix) ?? (Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>);
    for (const k of keys) acc[k] += Number(r[k]);
    out.set(prefix, acc);
  }
  return out;
}

/** Yuan from fen, without float drift in sums. */
export function yuan(cents: number | string | null | undefined): number {
  return Math.round(Number(cents ?? 0)) / 100;
}

/** The first month of a subsidy period ('2026-11' or '2026-Q4') as YYYY-MM, and how many months it spans. */
export function periodMonths(period: string): { first: string; last: string; months: number } {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) {
    const start = (Number(q[2]) - 1) * 3 + 1;
    const pad = (m: number) => String(m).padStart(2, '0');
    return { first: `${q[1]}-${pad(start)}`, last: `${q[1]}-${pad(start + 2)}`, months: 3 };
  }
  return { first: period, last: period, months: 1 };
}
