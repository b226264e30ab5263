import dayjs from 'dayjs';

/** `datetime-local` inputs take and give local `YYYY-MM-DDTHH:mm`. */
export const LOCAL_MINUTE = 'YYYY-MM-DDTHH:mm';

export function nowLocalMinute(): string {
  return dayjs().format(LOCAL_MINUTE);
}

export function todayLocal(): string {
  return dayjs().format('YYYY-MM-DD');
}

/** A `datetime-local` value as an ISO instant, or null when it cannot be read. */
export function localMinuteToIso(value: string | undefined): string | null {
  if (!value) return null;
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed.toISOString() : null;
}

/** An ISO instant as a `datetime-local` value, or undefined when it cannot be read. */
export function isoToLocalMinute(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed.format(LOCAL_MINUTE) : undefined;
}

/** A minute of slack for a phone clock that runs a little behind the server's. */
export function isFuture(value: string | undefined): boolean {
  const iso = localMinuteToIso(value);
  return iso !== null && Date.parse(iso) > Date.now() + 60_000;
}

/** `2026年11月28日`, how cadres read dates. */
export function formatDay(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY年M月D日') : '';
}

/** An instant with its time; a bare `YYYY-MM-DD` date (a month end, a festival window) without. */
export function formatDayTime(value: string | null | undefined): string {
  if (!value) return '';
  return value.length <= 10 ? formatDay(value) : dayjs(value).format('YYYY年M月D日 HH:mm');
}

/** Whole days from `value` to today, 0 for today. */
export function daysAgo(value: string): number {
  return dayjs().startOf('day').diff(dayjs(value).startOf('day'), 'day');
}
