/**
 * The three traditional festivals at which Hubei's notice requires care visits to special
 * families: 春节 (正月初一), 端午节 (五月初五) and 中秋节 (八月十五), as Gregorian dates.
 *
 * Dates come from the Chinese lunisolar calendar (China Standard Time) as computed by
 * lunar-javascript. Lunar month 1 of lunar year Y always starts in Gregorian year Y (between
 * Jan 21 and Feb 20), and months 5 and 8 follow in the same Gregorian year, so "the festival of
 * Gregorian year Y" is simply lunar year Y's date. 端午 and 中秋 are kept in the regular month
 * even in a year with a leap 5th or 8th month (闰五月, 闰八月), as the calendar is observed.
 *
 * Dates are 'YYYY-MM-DD' strings; all arithmetic on them is in UTC, so the caller's time zone
 * cannot shift a day. No Node APIs: the browser bundle imports this too.
 */
import { Lunar } from 'lunar-javascript';
export { FESTIVALS, FESTIVAL_LABELS, type Festival } from './labels.js';
import { FESTIVALS, type Festival } from './labels.js';

/** The lunar month and day of each festival (regular month, never the leap one). */
const LUNAR_MONTH_DAY: Record<Festival, readonly [month: number, day: number]> = {
  spring_festival: [1, 1],
  dragon_boat: [5, 5],
  mid_autumn: [8, 15],
};

/** The care window around a festival: `daysBefore` days before it to `daysAfter` days after it. */
export interface FestivalWindowPolicy {
  daysBefore: number;
  daysAfter: number;
}

export const DEFAULT_FESTIVAL_WINDOW: FestivalWindowPolicy = Object.freeze({ daysBefore: 10, daysAfter: 5 });

export const MIN_FESTIVAL_YEAR = 1901;
export const MAX_FESTIVAL_YEAR = 2099;

const DAY_MS = 86_400_000;

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_FESTIVAL_YEAR || year > MAX_FESTIVAL_YEAR) {
    throw new RangeError(`year must be an integer in ${MIN_FESTIVAL_YEAR}..${MAX_FESTIVAL_YEAR}, got ${String(year)}`);
  }
}

function assertWindowDays(name: string, days: number): void {
  if (!Number.isInteger(days) || days < 0 || days > 366) {
    throw new RangeError(`${name} must be an integer in 0..366, got ${String(days)}`);
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYmd(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Adds `days` (may be negative) to a 'YYYY-MM-DD' date, in UTC. */
function addDays(ymd: string, days: number): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return formatYmd(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * The Gregorian date ('YYYY-MM-DD') of `festival` in Gregorian `year` (1901..2099), e.g.
 * `festivalDate('spring_festival', 2026) === '2026-02-17'`. Throws RangeError outside that range.
 */
export function festivalDate(festival: Festival, year: number): string {
  assertYear(year);
  const monthDay = LUNAR_MONTH_DAY[festival];
  if (monthDay === undefined) throw new RangeError(`unknown festival: ${String(festival)}`);
  const [month, day] = monthDay;
  const solar = Lunar.fromYmd(year, month, day).getSolar();
  const ymd = formatYmd(solar.getYear(), solar.getMonth(), solar.getDay());
  // Cannot happen for these three dates; guards the "lunar year Y = Gregorian year Y" premise.
  if (solar.getYear() !== year) throw new Error(`${festival} of lunar year ${year} fell on ${ymd}`);
  return ymd;
}

export interface FestivalOccurrence {
  festival: Festival;
  /** 'YYYY-MM-DD' */
  date: string;
  /** First day of the care window, inclusive ('YYYY-MM-DD'). */
  windowFrom: string;
  /** Last day of the care window, inclusive ('YYYY-MM-DD'). */
  windowTo: string;
}

/** The three festivals of Gregorian `year` with their care windows, sorted by date. */
export function festivalsOfYear(
  year: number,
  policy: FestivalWindowPolicy = DEFAULT_FESTIVAL_WINDOW,
): FestivalOccurrence[] {
  assertYear(year);
  assertWindowDays('daysBefore', policy.daysBefore);
  assertWindowDays('daysAfter', policy.daysAfter);
  return FESTIVALS.map((festival) => {
    const date = festivalDate(festival, year);
    return {
      festival,
      date,
      windowFrom: addDays(date, -policy.daysBefore),
      windowTo: addDays(date, policy.daysAfter),
    };
  }).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The festival a supervisor looks at on `today`: the one whose window is open, else the next one. */
export function festivalInFocus(today: string): FestivalOccurrence {
  const year = Number(today.slice(0, 4));
  return [...festivalsOfYear(year), ...festivalsOfYear(year + 1)].find((f) => f.windowTo >= today)!;
}
