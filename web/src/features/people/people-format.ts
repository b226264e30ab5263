/** Formatting and URL helpers of the people pages, free of charts (the archive page imports them). */

const THIS_YEAR = new Date().getFullYear();

/** A share as people read it: "12.5%", or "—" when there is nothing to divide by. */
export function share(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 1000) / 10}%` : '—';
}

export function readYear(params: URLSearchParams): number {
  const y = Number.parseInt(params.get('year') ?? '', 10);
  return Number.isInteger(y) && y >= 2016 && y <= THIS_YEAR + 1 ? y : THIS_YEAR;
}

export function readRegion(params: URLSearchParams): string | undefined {
  const region = params.get('region');
  return region && /^\d{12}$/.test(region) ? region : undefined;
}

/** Today as YYYY-MM-DD in the browser's calendar (the server checks against China time). */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
