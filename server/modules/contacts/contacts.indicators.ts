import { SIGNIFICANT_DIGITS, levelOfCode } from '../../platform/scope.js';
import { perQueryBy, unitwise, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { coverageByPrefix } from './contacts.repository.js';

/**
 * 双岗 coverage (R1, R2): the coverage dashboard's own query over the region as one prefix, or grouped by
 * the units' prefix. Posts have no reconstructed past here: the figure is the state when computed, frozen
 * at submission.
 */
const coverage = perQueryBy(async (q, digits) => {
  const rows = await coverageByPrefix(q.db, q.range, digits ?? SIGNIFICANT_DIGITS[levelOfCode(q.regionCode)]);
  const out = new Map<string, { bothPosts: number; specialDifficulty: number; withoutLeader: number }>();
  for (const r of rows) {
    const unit = digits === null ? '' : r.prefix;
    const p = out.get(unit) ?? { bothPosts: 0, specialDifficulty: 0, withoutLeader: 0 };
    p.bothPosts += Number(r.both_posts ?? 0);
    p.specialDifficulty += Number(r.special_difficulty ?? 0);
    p.withoutLeader += Number(r.sd_without_leader ?? 0);
    out.set(unit, p);
  }
  return out;
});
const COVERAGE = ['bothPosts', 'specialDifficulty', 'withoutLeader'] as const;

const placement = { annual: 'contacts', quarterly: 'contacts' } as const;

export const contactsIndicators: IndicatorDefinition[] = [
  {
    code: 'families_both_posts',
    name: '落实双岗联系人的家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(COVERAGE, coverage, (p) => p.bothPosts),
  },
  {
    code: 'special_difficulty_with_county_leader',
    name: '县级领导联系的特殊困难家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(COVERAGE, coverage, (p) => p.specialDifficulty - p.withoutLeader),
  },
];
