import { describe, it, expect } from 'vitest';
import { availableRegionFiles, readRegionFile, type RegionLevel, type RegionRow } from './region-data';

const LEVEL_ORDER: RegionLevel[] = ['province', 'prefecture', 'county', 'township', 'village'];

// How many leading digits of a code identify a unit at each level (12-digit NBS codes).
const SIGNIFICANT_DIGITS: Record<RegionLevel, number> = {
  province: 2,
  prefecture: 4,
  county: 6,
  township: 9,
  village: 12,
};

describe('Hubei region data (42.tsv.gz)', () => {
  const rows = readRegionFile('42');
  const byCode = new Map(rows.map((r) => [r.code, r]));

  it('is listed as available', () => {
    expect(availableRegionFiles()).toContain('42');
  });

  it('has the 2023 NBS counts per level', () => {
    const counts = Object.fromEntries(LEVEL_ORDER.map((l) => [l, rows.filter((r) => r.level === l).length]));
    // 13 prefecture-level units + the 4290 group of province-run county-level units.
    expect(counts).toEqual({ province: 1, prefecture: 14, county: 105, township: 1475, village: 27057 });
  });

  it('has unique 12-digit codes', () => {
    expect(byCode.size).toBe(rows.length);
    expect(rows.filter((r) => !/^\d{12}$/.test(r.code))).toEqual([]);
  });

  it.each<[string, string, RegionLevel, string | null]>([
    ['420000000000', '湖北省', 'province', null],
    ['420100000000', '武汉市', 'prefecture', '420000000000'],
    ['420102000000', '江岸区', 'county', '420100000000'],
    ['420800000000', '荆门市', 'prefecture', '420000000000'],
    ['420881000000', '钟祥市', 'county', '420800000000'],
    ['429000000000', '省直辖县级行政区划', 'prefecture', '420000000000'],
    ['429004000000', '仙桃市', 'county', '429000000000'],
  ])('has %s %s', (code, name, level, parentCode) => {
    expect(byCode.get(code)).toEqual<RegionRow>({ code, name, level, parentCode });
  });

  it('puts every parent before its child, one level up, with a matching code prefix', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const row of rows) {
      if (row.parentCode === null) {
        if (row.level !== 'province') problems.push(`${row.code} has no parent`);
      } else {
        const parent = byCode.get(row.parentCode);
        if (!parent) problems.push(`${row.code}: parent ${row.parentCode} missing`);
        else {
          if (!seen.has(parent.code)) problems.push(`${row.code}: parent ${parent.code} comes after it`);
          if (LEVEL_ORDER.indexOf(parent.level) !== LEVEL_ORDER.indexOf(row.level) - 1) {
            problems.push(`${row.code} (${row.level}) under ${parent.code} (${parent.level})`);
          }
          const digits = SIGNIFICANT_DIGITS[parent.level];
          if (row.code.slice(0, digits) !== parent.code.slice(0, digits)) {
            problems.push(`${row.code} does not start with ${parent.code.slice(0, digits)}`);
          }
        }
      }
      seen.add(row.code);
    }
    expect(problems).toEqual([]);
  });

  it('rejects a province without a data file', () => {
    expect(() => readRegionFile('99')).toThrow(/No region data for province 99/);
    expect(() => readRegionFile('../42')).toThrow(/Invalid province code/);
  });
});
