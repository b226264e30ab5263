import type { StatTemplate } from '../../../../common/labels.js';
import type { Executor } from '../../../platform/db/database.js';
import { SIGNIFICANT_DIGITS, levelOfCode, type RegionRange } from '../../../platform/scope.js';
import { SECTION_KEYS } from '../templates.js';

/**
 * The indicator registry of the statistical returns (R9). Each module defines its own indicators next to
 * its data (`<domain>.indicators.ts`) and `services.ts` registers them; a template then shows every
 * registered indicator placed in one of its sections. One definition computes a figure for a region and a
 * period, and the same function serves the live dashboard, so a return's figure equals the dashboard's.
 */

/** What a definition computes over. Civil days are China dates (`chinaDate`), inclusive. */
export interface IndicatorQuery {
  db: Executor;
  regionCode: string;
  /** The region's subtree as a code range: every query puts it in its WHERE clause. */
  range: RegionRange;
  /** First and last day of the period. */
  from: string;
  to: string;
  /** The day point-in-time figures are taken: the period's last day, or today while the period runs. */
  asOf: string;
  /**
   * True while the period runs: point-in-time figures then read the live state exactly as the dashboards
   * do (the same query), rather than reconstructing a past day.
   */
  isLive: boolean;
}

export type IndicatorKind = 'count' | 'amount' | 'rate';

export interface IndicatorDefinition {
  /** Part of the integration contract once published: `snake_case`, never reused for another meaning. */
  code: string;
  name: string;
  unit: string;
  kind: IndicatorKind;
  /** A summing indicator's parent figure must equal the sum of its approved children (a check). */
  sums: boolean;
  /** Raise it whenever `compute` changes meaning: a frozen figure keeps the version that computed it. */
  version: number;
  /** Where it appears: template → section key (see `templates.ts`); absent templates do not show it. */
  placement: Partial<Record<StatTemplate, string>>;
  /** A non-negative figure (a rate in percent, 0–100, one decimal). */
  compute(q: IndicatorQuery): Promise<number>;
  /**
   * The same figure for many units in one pass, when it is made of summable parts (see `unitwise`): `compute`
   * is then `value` of the region's parts, read by the same query ungrouped.
   */
  byUnit?: ByUnit;
}

/** Summable parts of a figure: counts, or a rate's numerator and denominator. */
export type Parts = Record<string, number>;

export interface ByUnit {
  /**
   * The parts of every unit within the query's range, keyed by the first `digits` digits of its code, read in
   * one grouped pass; `digits` null reads the range as one unit, keyed ''. A unit with no rows is absent.
   */
  parts(q: IndicatorQuery, digits: number | null): Promise<Map<string, Parts>>;
  /** The figure of a unit from its parts — or from the sum of its sub-units' parts (a city from its counties). */
  value(p: Parts): number;
  /** Every part's name: the zero of a unit with no rows. */
  keys: readonly string[];
}

/**
 * An indicator made of summable parts, one definition for one region and for every unit at once: `parts`
 * is its query, grouped by a code prefix when asked (`digits`), else over the whole range exactly as before;
 * `compute` is `value` of the ungrouped parts. A sum of parts over a prefix's groups equals the ungrouped
 * parts of that prefix's range (every code is 12 digits and the range is the prefix's), so a county's or a
 * city's figure from a grouped pass is its own figure.
 */
export function unitwise<K extends string>(
  keys: readonly K[],
  parts: (q: IndicatorQuery, digits: number | null) => Promise<Map<string, Record<K, number>>>,
  value: (p: Record<K, number>) => number,
): Pick<IndicatorDefinition, 'compute' | 'byUnit'> {
  const byUnit: ByUnit = {
    parts,
    value: value as (p: Parts) => number,
    keys,
  };
  return {
    compute: async (q) => value(sumParts(keys, (await parts(q, null)).values()) as Record<K, number>),
    byUnit,
  };
}

function sumParts(keys: readonly string[], rows: Iterable<Parts>): Parts {
  const total: Parts = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const row of rows) for (const k of keys) total[k] += Number(row[k] ?? 0);
  return total;
}

/**
 * The figure of each unit (a region code of any level) from parts grouped at `digits`, at least as many as
 * any unit's significant digits: the sum of the groups under the unit's prefix, then `value`.
 */
export function unitFigures(def: ByUnit, grouped: Map<string, Parts>, units: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const code of units) {
    const prefix = code.slice(0, SIGNIFICANT_DIGITS[levelOfCode(code)]);
    const under = [...grouped].filter(([key]) => key.startsWith(prefix)).map(([, p]) => p);
    out.set(code, def.value(sumParts(def.keys, under)));
  }
  return out;
}

/** Rows of a grouped-or-not query (`unit` present when grouped) as parts keyed by unit ('' when not). */
export function keyedParts<R extends { unit?: string | null }, P>(rows: R[], part: (r: R) => P): Map<string, P> {
  return new Map(rows.map((r) => [r.unit ?? '', part(r)]));
}

export const INDICATOR_CODE = /^[a-z][a-z0-9_]{1,62}$/;

export function createIndicatorRegistry() {
  const byCode = new Map<string, IndicatorDefinition>();
  return {
    /** Called once per module from services.ts; a duplicate or malformed code is a programming error. */
    register(...lists: IndicatorDefinition[][]): void {
      for (const list of lists)
        for (const def of list) {
          if (!INDICATOR_CODE.test(def.code)) throw new Error(`Indicator code ${def.code} is not snake_case`);
          if (byCode.has(def.code)) throw new Error(`Indicator ${def.code} is registered twice`);
          for (const section of Object.values(def.placement))
            if (!SECTION_KEYS.has(section)) throw new Error(`Indicator ${def.code}: unknown section ${section}`);
          byCode.set(def.code, def);
        }
    },
    get(code: string): IndicatorDefinition | undefined {
      return byCode.get(code);
    },
    /** In registration order: the order modules are wired in services.ts, then their own order. */
    all(): IndicatorDefinition[] {
      return [...byCode.values()];
    },
    forTemplate(template: StatTemplate): IndicatorDefinition[] {
      return [...byCode.values()].filter((d) => d.placement[template] !== undefined);
    },
  };
}
export type IndicatorRegistry = ReturnType<typeof createIndicatorRegistry>;

/** A rate in percent with one decimal, 0 when there is nothing to divide by. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

/**
 * Several indicators often read one scan (families by type, coverage by post): wrap the scan so it runs
 * once per query object — a return computes all its indicators over the same query.
 */
export function perQuery<T>(fn: (q: IndicatorQuery) => Promise<T>): (q: IndicatorQuery) => Promise<T> {
  const scan = perQueryBy((q) => fn(q));
  return (q) => scan(q, null);
}

/**
 * Several counts of one table, each its own list of rows per unit (`{ unit?, n }`), as one map of parts:
 * `{ raised: [...], resolved: [...] }` → unit → `{ raised, resolved }`, a count absent from a unit being 0.
 */
export function countsByUnit<K extends string>(
  lists: Record<K, { unit?: string | null; n: number }[]>,
): Map<string, Record<K, number>> {
  const keys = Object.keys(lists) as K[];
  const out = new Map<string, Record<K, number>>();
  for (const k of keys)
    for (const r of lists[k]) {
      const unit = r.unit ?? '';
      let p = out.get(unit);
      if (!p) {
        p = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
        out.set(unit, p);
      }
      p[k] += r.n;
    }
  return out;
}

/** `perQuery` for a scan that takes a grouping: once per query object and `digits`. */
export function perQueryBy<T>(
  fn: (q: IndicatorQuery, digits: number | null) => Promise<T>,
): (q: IndicatorQuery, digits: number | null) => Promise<T> {
  const memo = new WeakMap<IndicatorQuery, Map<number | null, Promise<T>>>();
  return (q, digits) => {
    let byDigits = memo.get(q);
    if (!byDigits) {
      byDigits = new Map();
      memo.set(q, byDigits);
    }
    let p = byDigits.get(digits);
    if (!p) {
      p = fn(q, digits);
      byDigits.set(digits, p);
    }
    return p;
  };
}
