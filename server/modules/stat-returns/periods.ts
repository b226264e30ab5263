import type { StatTemplate } from '../../../common/labels.js';
import type { RegionLevel } from '../../../common/roles.js';
import type { Config } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';

/** A return's period in civil days (China dates, inclusive). */
export interface PeriodBounds {
  from: string;
  to: string;
}

function lastDayOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The period's days, or a VALIDATION_FAILED naming `period` when it does not fit the template. */
export function periodBounds(template: StatTemplate, period: string): PeriodBounds {
  if (template === 'annual') {
    if (!/^\d{4}$/.test(period)) throw AppError.field('period', '年报的报表期应为年份，如 2025', 'PERIOD_INVALID');
    return { from: `${period}-01-01`, to: `${period}-12-31` };
  }
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!m) throw AppError.field('period', '季报的报表期应为季度，如 2026-Q3', 'PERIOD_INVALID');
  const year = Number(m[1]);
  const q = Number(m[2]);
  return { from: `${m[1]}-${String(q * 3 - 2).padStart(2, '0')}-01`, to: lastDayOfMonth(year, q * 3) };
}

/** The instant a China civil day ends (23:59:59.999 at UTC+8), as ISO UTC. */
export function endOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();
}

export function startOfChinaDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00.000+08:00`)).toISOString();
}

/** Months `YYYY-MM` from the period's first to its last (or to `until` when earlier). */
export function monthsOf(bounds: PeriodBounds): { fromMonth: string; toMonth: string } {
  return { fromMonth: bounds.from.slice(0, 7), toMonth: bounds.to.slice(0, 7) };
}

/**
 * The deadline (R9): annual return of year Y — township 31 March, county 30 April, city and the
 * province-direct units 15 May of Y+1 (configurable); quarterly township return the 10th day after the
 * quarter. `reportsLikeCity`: a province-direct county reports to the province on the city's date.
 */
export function dueAt(
  config: Config['statReturns'],
  template: StatTemplate,
  period: string,
  level: RegionLevel,
  reportsLikeCity: boolean,
): string {
  const bounds = periodBounds(template, period);
  if (template === 'quarterly') return endOfChinaDay(addDays(bounds.to, config.quarterlyDays));
  const next = Number(period) + 1;
  const key = reportsLikeCity || level === 'prefecture' ? 'prefecture' : level === 'county' ? 'county' : 'township';
  return endOfChinaDay(`${next}-${config.annualDue[key]}`);
}
