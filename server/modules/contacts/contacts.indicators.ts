import { SIGNIFICANT_DIGITS, levelOfCode } from '../../platform/scope.js';
import { perQuery, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { coverageByPrefix } from './contacts.repository.js';

/**
 * 双岗 coverage (R1, R2): the coverage dashboard's own query over the region as one prefix. Posts have no
 * reconstructed past here: the figure is the state when computed, frozen at submission.
 */
const coverage = perQuery(async (q) => {
  const rows = await coverageByPrefix(q.db, q.range, SIGNIFICANT_DIGITS[levelOfCode(q.regionCode)]);
  return {
    bothPosts: rows.reduce((s, r) => s + Number(r.both_posts ?? 0), 0),
    specialDifficulty: rows.reduce((s, r) => s + Number(r.special_difficulty ?? 0), 0),
    withoutLeader: rows.reduce((s, r) => s + Number(r.sd_without_leader ?? 0), 0),
  };
});

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
    compute: async (q) => (await coverage(q)).bothPosts,
  },
  {
    code: 'special_difficulty_with_county_leader',
    name: '县级领导联系的特殊困难家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: async (q) => {
      const c = await coverage(q);
      return c.specialDifficulty - c.withoutLeader;
    },
  },
];
