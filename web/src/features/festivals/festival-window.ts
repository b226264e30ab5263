import dayjs from 'dayjs';
import type { Festival, FestivalDate } from '../../api/festivals';

/** What each festival is in the lunar calendar; common/festivals.ts turns these into the dates of a year. */
export const LUNAR_DATE_LABELS: Record<Festival, string> = {
  spring_festival: '正月初一',
  dragon_boat: '五月初五',
  mid_autumn: '八月十五',
};

/** Where today stands against a festival's care window (dates `YYYY-MM-DD`, both ends included). */
export type WindowState =
  { kind: 'open'; daysLeft: number } | { kind: 'upcoming'; daysToStart: number } | { kind: 'closed' };

function daysBetween(from: string, to: string): number {
  return dayjs(to).diff(dayjs(from), 'day');
}

export function windowState(festival: FestivalDate, today: string): WindowState {
  if (today < festival.windowFrom) return { kind: 'upcoming', daysToStart: daysBetween(today, festival.windowFrom) };
  // Today counts: on the last day of the window one day is left.
  if (today <= festival.windowTo) return { kind: 'open', daysLeft: daysBetween(today, festival.windowTo) + 1 };
  return { kind: 'closed' };
}

/** The year a supervisor is working on: this year while one of its windows is still ahead or open, else the next. */
export function defaultYear(thisYearsFestivals: readonly FestivalDate[], today: string): number {
  const year = Number(today.slice(0, 4));
  return thisYearsFestivals.some((f) => f.windowTo >= today) ? year : year + 1;
}

/** The festival of a year to show first: the open or next one, else the year's last (its figures are final). */
export function defaultFestival(festivals: readonly FestivalDate[], today: string): FestivalDate | undefined {
  return festivals.find((f) => f.windowTo >= today) ?? festivals.at(-1);
}
