/**
 * The part of lunar-javascript 1.7.x (CommonJS, no bundled types) that festivals.ts uses.
 *
 * Node's ESM loader sees the named exports of its `module.exports = { Solar: Solar, … }`, and
 * Vite/esbuild bundle it as CommonJS, so `import { Lunar } from 'lunar-javascript'` works in
 * both.
 */
declare module 'lunar-javascript' {
  /** A Gregorian date (and time). */
  export interface Solar {
    getYear(): number;
    /** 1..12 */
    getMonth(): number;
    /** 1..31 */
    getDay(): number;
    /** 'YYYY-MM-DD' */
    toYmd(): string;
  }

  /** A date in the Chinese lunisolar calendar (China Standard Time, UTC+8). */
  export interface Lunar {
    getYear(): number;
    /** 1..12 for a regular month, -1..-12 for a leap (闰) month. */
    getMonth(): number;
    getDay(): number;
    getSolar(): Solar;
  }

  export const Lunar: {
    /**
     * `lunarMonth` 1..12 is the regular month, a negative one the leap month of that number
     * (which throws if the year has no such leap month). Throws on a day the month lacks.
     */
    fromYmd(lunarYear: number, lunarMonth: number, lunarDay: number): Lunar;
  };

  export const Solar: {
    fromYmd(year: number, month: number, day: number): Solar;
  };
}
