/**
 * Horvitz–Thompson estimates of a stratified simple random sample with non-response handled inside the
 * stratum: the r_h respondents of stratum h stand for its N_h families (weight N_h / r_h = 1 / π'_h).
 *
 * For an indicator y over the families where it applies (z = 1), the estimate is the ratio
 * R = Ŷ / Ẑ with Ŷ = Σ_h (N_h / r_h) Σ_i y_i and Ẑ likewise; a plain proportion or mean has z = 1 for
 * every respondent, so Ẑ = Σ_h N_h. Its variance is the stratified linearised one,
 *   V(R) = (1 / Ẑ²) Σ_h N_h² (1 − r_h / N_h) s²_{e,h} / r_h,   e_i = y_i − R z_i,
 * and the 95 % interval R ± 1.96 √V (clipped to the indicator's range). A stratum with one respondent
 * has no within-stratum variance; it borrows the pooled s²_e of all respondents of the domain. Strata with
 * no respondent are left out of the domain (reported as `coveredFamilies` < `families`).
 */

export const Z_95 = 1.959963984540054;

export interface StratumObservations {
  population: number;
  /** One entry per respondent: y (the value) and z (1 when the indicator applies to the family). */
  values: ReadonlyArray<{ y: number; z: number }>;
}

export interface Estimate {
  estimate: number | null;
  standardError: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Respondents the indicator applies to. */
  respondents: number;
}

function sampleVariance(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
}

export function ratioEstimate(
  strata: readonly StratumObservations[],
  range: { min: number; max: number } = { min: 0, max: 1 },
): Estimate {
  const used = strata.filter((s) => s.values.length > 0);
  let yHat = 0;
  let zHat = 0;
  for (const s of used) {
    const w = s.population / s.values.length;
    for (const v of s.values) {
      yHat += w * v.y;
      zHat += w * v.z;
    }
  }
  const respondents = used.reduce((a, s) => a + s.values.filter((v) => v.z > 0).length, 0);
  if (zHat <= 0) return { estimate: null, standardError: null, ciLow: null, ciHigh: null, respondents };
  const r = yHat / zHat;
  const residuals = used.map((s) => s.values.map((v) => v.y - r * v.z));
  const pooled = sampleVariance(residuals.flat());
  let v = 0;
  used.forEach((s, i) => {
    const rh = s.values.length;
    const s2 = rh >= 2 ? sampleVariance(residuals[i]) : pooled;
    v += s.population ** 2 * (1 - rh / s.population) * (s2 / rh);
  });
  v /= zHat ** 2;
  const se = Math.sqrt(Math.max(0, v));
  const clip = (x: number) => Math.min(range.max, Math.max(range.min, x));
  return { estimate: r, standardError: se, ciLow: clip(r - Z_95 * se), ciHigh: clip(r + Z_95 * se), respondents };
}
