import type { StatTemplate } from '../../../../common/labels.js';
import type { Executor } from '../../../platform/db/database.js';
import type { RegionRange } from '../../../platform/scope.js';
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
  const memo = new WeakMap<IndicatorQuery, Promise<T>>();
  return (q) => {
    let p = memo.get(q);
    if (!p) {
      p = fn(q);
      memo.set(q, p);
    }
    return p;
  };
}
