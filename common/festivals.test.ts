import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FESTIVAL_WINDOW,
  FESTIVAL_LABELS,
  FESTIVALS,
  festivalDate,
  festivalsOfYear,
  type Festival,
} from './festivals.js';

/** Published dates (State Council holiday notices, Hong Kong Observatory tables). */
const KNOWN: Record<number, [spring: string, dragonBoat: string, midAutumn: string]> = {
  // The acceptance facts.
  2025: ['2025-01-29', '2025-05-31', '2025-10-06'],
  2026: ['2026-02-17', '2026-06-19', '2026-09-25'],
  2027: ['2027-02-06', '2027-06-09', '2027-09-15'],
  // Further checks.
  2019: ['2019-02-05', '2019-06-07', '2019-09-13'],
  2020: ['2020-01-25', '2020-06-25', '2020-10-01'], // 闰四月: 端午 late
  2021: ['2021-02-12', '2021-06-14', '2021-09-21'],
  2022: ['2022-02-01', '2022-06-03', '2022-09-10'],
  2023: ['2023-01-22', '2023-06-22', '2023-09-29'], // 闰二月
  2024: ['2024-02-10', '2024-06-10', '2024-09-17'],
};

function day(ymd: string): number {
  const [y, m, d] = ymd.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

describe('labels', () => {
  it('has a Chinese label for every festival', () => {
    expect(FESTIVALS).toEqual(['spring_festival', 'dragon_boat', 'mid_autumn']);
    expect(FESTIVAL_LABELS).toEqual({ spring_festival: '春节', dragon_boat: '端午节', mid_autumn: '中秋节' });
  });
});

describe('festivalDate', () => {
  for (const [year, [spring, dragonBoat, midAutumn]] of Object.entries(KNOWN)) {
    it(`gives the published dates for ${year}`, () => {
      const y = Number(year);
      expect(festivalDate('spring_festival', y)).toBe(spring);
      expect(festivalDate('dragon_boat', y)).toBe(dragonBoat);
      expect(festivalDate('mid_autumn', y)).toBe(midAutumn);
    });
  }

  it('takes the regular month, not the leap one, in years with 闰五月 or 闰八月', () => {
    // 2009 and 2028 have a leap 5th month; 端午 is in the first (regular) 5th month.
    expect(festivalDate('dragon_boat', 2009)).toBe('2009-05-28');
    expect(festivalDate('dragon_boat', 2028)).toBe('2028-05-28');
    // 1995 has a leap 8th month; 中秋 is in the regular 8th month.
    expect(festivalDate('mid_autumn', 1995)).toBe('1995-09-09');
  });

  it('handles the range ends', () => {
    expect(festivalDate('spring_festival', 1901)).toBe('1901-02-19');
    expect(festivalDate('mid_autumn', 2099)).toMatch(/^2099-(09|10)-\d\d$/);
  });

  it.each([1900, 2100, 2026.5, Number.NaN, Infinity, -2026, 0])('rejects year %s with RangeError', (year) => {
    expect(() => festivalDate('spring_festival', year)).toThrow(RangeError);
    expect(() => festivalsOfYear(year)).toThrow(RangeError);
  });

  it('rejects an unknown festival', () => {
    expect(() => festivalDate('qingming' as Festival, 2026)).toThrow(RangeError);
  });

  it('does not depend on the time zone of the process', () => {
    // Node re-reads TZ when it changes; run the whole computation under zones either side of UTC.
    const saved = process.env.TZ;
    const results: string[] = [];
    try {
      for (const tz of ['UTC', 'Asia/Shanghai', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Pacific/Pago_Pago']) {
        process.env.TZ = tz;
        results.push(JSON.stringify([2025, 2026, 2027].map((y) => festivalsOfYear(y))));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(new Set(results).size).toBe(1);
    expect(JSON.parse(results[0])[1][0]).toMatchObject({ date: '2026-02-17', windowFrom: '2026-02-07' });
  });

  it('keeps the three dates in order, 春节 within Jan 21..Feb 20, for 1950..2090', () => {
    for (let year = 1950; year <= 2090; year++) {
      const spring = festivalDate('spring_festival', year);
      const dragonBoat = festivalDate('dragon_boat', year);
      const midAutumn = festivalDate('mid_autumn', year);
      expect(spring < dragonBoat && dragonBoat < midAutumn, `${year}`).toBe(true);
      expect(spring >= `${year}-01-21` && spring <= `${year}-02-20`, `${year} 春节 ${spring}`).toBe(true);
      // 五月 holds 夏至 (~Jun 21) and 八月 holds 秋分 (~Sep 23) in the regular calendar.
      expect(dragonBoat >= `${year}-05-26` && dragonBoat <= `${year}-06-25`, `${year} 端午 ${dragonBoat}`).toBe(true);
      expect(midAutumn >= `${year}-09-07` && midAutumn <= `${year}-10-08`, `${year} 中秋 ${midAutumn}`).toBe(true);
      // Whole lunar months in between: 4 months (+ a leap month) span 117..148 days, etc.
      expect(day(dragonBoat) - day(spring), `${year}`).toBeGreaterThanOrEqual(4 * 29 + 4);
      expect(day(midAutumn) - day(dragonBoat), `${year}`).toBeGreaterThanOrEqual(3 * 29 + 10);
    }
  });

  // An independent calculation: ICU's Chinese calendar (Intl, full-icu Node builds). ICU uses a
  // lower-precision new-moon formula, so it may put a new moon that falls within minutes of
  // Beijing midnight on the wrong day. Those known cases are listed; lunar-javascript matches
  // the published dates there (2027 春节 on Feb 6 is an acceptance fact above).
  const icu = new Intl.DateTimeFormat('en-u-ca-chinese', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const icuHasChinese = icu.resolvedOptions().calendar === 'chinese';
  it.skipIf(!icuHasChinese)('agrees with ICU for 1901..2099 except new moons at Beijing midnight', () => {
    // Spring festival: new moon 1954-02-03 23:55, 2027-02-06 23:56, 2030-02-03 00:07 Beijing time.
    const icuOffByOne = new Set(['1954 spring_festival', '2027 spring_festival', '2030 spring_festival']);
    const lunarMonthDay: Record<Festival, string> = { spring_festival: '1/1', dragon_boat: '5/5', mid_autumn: '8/15' };
    const disagreements: string[] = [];
    for (let year = 1901; year <= 2099; year++) {
      for (const festival of FESTIVALS) {
        const date = festivalDate(festival, year);
        const parts = Object.fromEntries(
          icu.formatToParts(new Date(`${date}T00:00:00Z`)).map((p) => [p.type, p.value] as const),
        );
        // A leap month formats as e.g. '5bis', so this also checks the regular month is used.
        const icuDay = `${parts.month}/${parts.day}`;
        if (icuDay !== lunarMonthDay[festival] || parts.relatedYear !== String(year)) {
          disagreements.push(`${year} ${festival}`);
        }
      }
    }
    expect(disagreements.filter((d) => !icuOffByOne.has(d))).toEqual([]);
  });
});

describe('festivalsOfYear', () => {
  it('gives the 2026 festivals with default windows (10 days before, 5 after), sorted by date', () => {
    expect(DEFAULT_FESTIVAL_WINDOW).toEqual({ daysBefore: 10, daysAfter: 5 });
    expect(festivalsOfYear(2026)).toEqual([
      { festival: 'spring_festival', date: '2026-02-17', windowFrom: '2026-02-07', windowTo: '2026-02-22' },
      { festival: 'dragon_boat', date: '2026-06-19', windowFrom: '2026-06-09', windowTo: '2026-06-24' },
      { festival: 'mid_autumn', date: '2026-09-25', windowFrom: '2026-09-15', windowTo: '2026-09-30' },
    ]);
  });

  it('crosses month and year boundaries', () => {
    const [spring2025, , midAutumn2025] = festivalsOfYear(2025);
    expect(spring2025).toMatchObject({ date: '2025-01-29', windowFrom: '2025-01-19', windowTo: '2025-02-03' });
    expect(midAutumn2025).toMatchObject({ date: '2025-10-06', windowFrom: '2025-09-26', windowTo: '2025-10-11' });
    // 2023-01-22 minus 30 days reaches back into 2022.
    const [spring2023] = festivalsOfYear(2023, { daysBefore: 30, daysAfter: 7 });
    expect(spring2023).toMatchObject({ date: '2023-01-22', windowFrom: '2022-12-23', windowTo: '2023-01-29' });
    // Leap day: 2024 春节 + 19 days = Feb 29.
    const [spring2024] = festivalsOfYear(2024, { daysBefore: 0, daysAfter: 19 });
    expect(spring2024).toMatchObject({ date: '2024-02-10', windowFrom: '2024-02-10', windowTo: '2024-02-29' });
  });

  it('is sorted by date and windows contain their date for every year', () => {
    for (let year = 1901; year <= 2099; year++) {
      const list = festivalsOfYear(year);
      expect(list.map((f) => f.festival)).toEqual([...FESTIVALS]);
      for (const f of list) {
        expect(day(f.date) - day(f.windowFrom)).toBe(10);
        expect(day(f.windowTo) - day(f.date)).toBe(5);
      }
    }
  });

  it('rejects a window that is not a non-negative integer number of days', () => {
    expect(() => festivalsOfYear(2026, { daysBefore: -1, daysAfter: 5 })).toThrow(RangeError);
    expect(() => festivalsOfYear(2026, { daysBefore: 10, daysAfter: 1.5 })).toThrow(RangeError);
  });
});
