import { describe, expect, it } from 'vitest';
import { testCrypto } from '../../../test/support/test-app.js';
import { ratioEstimate } from './estimation.js';
import { allocate, draw, drawOrder, frameDigest, stratumKey, stratumSeed, type FrameFamily } from './sampling.js';

const crypto = testCrypto();
const sm3 = (s: string) => crypto.sm3(s);

function frameOf(sizes: Record<string, number>): FrameFamily[] {
  const out: FrameFamily[] = [];
  for (const [key, n] of Object.entries(sizes)) {
    const [countyCode, familyType] = key.split('|');
    for (let i = 0; i < n; i++)
      out.push({
        familyId: `${countyCode.slice(0, 6)}-${familyType}-${String(i).padStart(5, '0')}`,
        countyCode,
        familyType,
      });
  }
  return out;
}

const A = '420101000000';
const B = '420102000000';
const C = '420103000000';

describe('power allocation', () => {
  it('matches the hand computation on a small frame', () => {
    // N = 604, rate 2 % → n = ceil(12.08) = 13. √N_h = 20, 10, 6, 8, 2 (Σ 46); Q_h = 13·√N_h/46 =
    // 5.652, 2.826, 1.696, 2.261, 0.565 → floors 5, 2, 1, 2, 0; the three units left go to the largest
    // fractions .826 (A disabled), .696 (B bereaved), .652 (A bereaved) → 6, 3, 2, 2, 0. County C has none:
    // it takes one unit from the largest surplus n_h − Q_h, A bereaved (.348) → 5, 3, 2, 2, 1.
    const result = allocate(
      [
        { countyCode: A, familyType: 'bereaved', population: 400 },
        { countyCode: A, familyType: 'disabled', population: 100 },
        { countyCode: B, familyType: 'bereaved', population: 36 },
        { countyCode: B, familyType: 'disabled', population: 64 },
        { countyCode: C, familyType: 'bereaved', population: 4 },
      ],
      { rate: 0.02, q: 0.5, minPerCounty: 1 },
    );
    expect(result.frameSize).toBe(604);
    expect(result.sampleSize).toBe(13);
    expect(result.strata.map((s) => [stratumKey(s), s.sample])).toEqual([
      [`${A}|bereaved`, 5],
      [`${A}|disabled`, 3],
      [`${B}|bereaved`, 2],
      [`${B}|disabled`, 2],
      [`${C}|bereaved`, 1],
    ]);
    expect(result.strata[0].quota).toBeCloseTo((13 * 20) / 46, 9);
  });

  it('q = 1 is proportional, q = 0 equal; never more than N_h; Σ n_h = n', () => {
    const strata = [
      { countyCode: A, familyType: 'bereaved', population: 900 },
      { countyCode: B, familyType: 'bereaved', population: 100 },
      { countyCode: C, familyType: 'bereaved', population: 3 },
    ];
    const prop = allocate(strata, { rate: 0.1, q: 1, minPerCounty: 0 });
    expect(prop.sampleSize).toBe(101);
    expect(prop.strata.map((s) => s.sample)).toEqual([91, 10, 0]);
    const equal = allocate(strata, { rate: 0.1, q: 0, minPerCounty: 1 });
    // 101 / 3 each, but C has only 3: it is capped and the rest shared, 49 each.
    expect(equal.strata.map((s) => s.sample)).toEqual([49, 49, 3]);
    for (const r of [prop, equal]) {
      expect(r.strata.reduce((a, s) => a + s.sample, 0)).toBe(r.sampleSize);
      for (const s of r.strata) expect(s.sample).toBeLessThanOrEqual(s.population);
    }
  });

  it('raises n to the county minimums and 1 % of 100 is 1', () => {
    expect(
      allocate([{ countyCode: A, familyType: 'bereaved', population: 100 }], { rate: 0.01, q: 0.5, minPerCounty: 1 })
        .sampleSize,
    ).toBe(1);
    const r = allocate(
      [A, B, C].map((countyCode) => ({ countyCode, familyType: 'bereaved', population: 10 })),
      { rate: 0.01, q: 0.5, minPerCounty: 2 },
    );
    expect(r.sampleSize).toBe(6);
    expect(r.strata.map((s) => s.sample)).toEqual([2, 2, 2]);
  });
});

describe('selection', () => {
  const frame = frameOf({ [`${A}|bereaved`]: 300, [`${A}|disabled`]: 80, [`${B}|bereaved`]: 120 });
  const params = { rate: 0.05, q: 0.5, minPerCounty: 1 };

  it('same frame, seed and rule: the identical sample, whatever the order the frame comes in', () => {
    const one = draw(frame, '2026-省抽样-种子', params, sm3);
    const two = draw([...frame].reverse(), '2026-省抽样-种子', params, sm3);
    expect([...two.selected.entries()]).toEqual([...one.selected.entries()]);
    expect(two.frameDigest).toBe(one.frameDigest);
    expect(one.frameDigest).toBe(
      sm3(
        frame
          .map((f) => f.familyId)
          .sort()
          .join('\n'),
      ),
    );
    const all = [...one.selected.values()].flat();
    expect(all).toHaveLength(one.sampleSize);
    expect(new Set(all).size).toBe(all.length);
  });

  it('a different seed draws a different sample', () => {
    const one = [...draw(frame, 'seed-1', params, sm3).selected.values()].flat();
    const two = [...draw(frame, 'seed-2', params, sm3).selected.values()].flat();
    expect(two).not.toEqual(one);
  });

  it('the reserves continue the same permutation', () => {
    const ids = frame.filter((f) => f.countyCode === B).map((f) => f.familyId);
    const seed = stratumSeed('s', `${B}|bereaved`, sm3);
    const first = drawOrder(ids, seed, 5);
    const longer = drawOrder(ids, seed, 8);
    expect(longer.slice(0, 5)).toEqual(first);
    expect(new Set(longer).size).toBe(8);
    expect(frameDigest(['b', 'a'].sort(), sm3)).toBe(sm3('a\nb'));
  });
});

describe('Horvitz–Thompson estimates on a known synthetic population', () => {
  // Three strata; in each, a known share of families knows both contacts (y = 1).
  const population = [
    { key: `${A}|bereaved`, size: 400, ones: 320 },
    { key: `${A}|disabled`, size: 100, ones: 50 },
    { key: `${B}|bereaved`, size: 200, ones: 40 },
  ];
  const frame = frameOf(Object.fromEntries(population.map((p) => [p.key, p.size])));
  const yOf = new Map<string, number>();
  for (const p of population)
    frame.filter((f) => stratumKey(f) === p.key).forEach((f, i) => yOf.set(f.familyId, i < p.ones ? 1 : 0));
  const truth = population.reduce((a, p) => a + p.ones, 0) / population.reduce((a, p) => a + p.size, 0);

  function estimateFor(seed: string) {
    const d = draw(frame, seed, { rate: 0.1, q: 0.5, minPerCounty: 1 }, sm3);
    return ratioEstimate(
      d.strata.map((s) => ({
        population: s.population,
        values: d.selected.get(stratumKey(s))!.map((id) => ({ y: yOf.get(id)!, z: 1 })),
      })),
    );
  }

  it('is exact with no variance when every stratum is homogeneous', () => {
    const e = ratioEstimate([
      { population: 400, values: Array.from({ length: 10 }, () => ({ y: 1, z: 1 })) },
      { population: 100, values: Array.from({ length: 5 }, () => ({ y: 0, z: 1 })) },
    ]);
    expect(e.estimate).toBe(0.8);
    expect(e.standardError).toBe(0);
  });

  it('matches the stratified formula by hand', () => {
    // Stratum 1: N 100, y = 1,1,0,0 (mean .5, s² = 1/3); stratum 2: N 50, y = 1,1,1,0 (mean .75, s² = 1/4).
    const e = ratioEstimate([
      { population: 100, values: [1, 1, 0, 0].map((y) => ({ y, z: 1 })) },
      { population: 50, values: [1, 1, 1, 0].map((y) => ({ y, z: 1 })) },
    ]);
    const p = (100 * 0.5 + 50 * 0.75) / 150;
    const v = ((100 ** 2 * (1 - 4 / 100) * (1 / 3)) / 4 + (50 ** 2 * (1 - 4 / 50) * (1 / 4)) / 4) / 150 ** 2;
    expect(e.estimate).toBeCloseTo(p, 12);
    expect(e.standardError).toBeCloseTo(Math.sqrt(v), 12);
    expect(e.ciLow).toBeCloseTo(p - 1.959963984540054 * Math.sqrt(v), 12);
  });

  it('its 95 % interval covers the true share in about 95 % of 400 seeded samples', () => {
    let covered = 0;
    let sum = 0;
    const runs = 400;
    for (let i = 0; i < runs; i++) {
      const e = estimateFor(`run-${i}`);
      sum += e.estimate!;
      if (e.ciLow! <= truth && truth <= e.ciHigh!) covered += 1;
    }
    expect(Math.abs(sum / runs - truth)).toBeLessThan(0.01);
    expect(covered / runs).toBeGreaterThan(0.9);
    expect(covered / runs).toBeLessThanOrEqual(0.99);
  });
});
