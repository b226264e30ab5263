import { levelOfCode } from '../../platform/scope.js';
import { percent, perQuery, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { logsInMonths } from './compliance-figures.repository.js';
import { trend } from './compliance.repository.js';

/**
 * Home visits (R4) over the period's months: the family-month fact rows the compliance dashboard reads
 * (`trend`, the same query), summed — a month's figures are the dashboard's monthly figures.
 */
const visits = perQuery(async (q) => {
  const rows = await trend(q.db, q.range, q.from.slice(0, 7), q.to.slice(0, 7));
  return {
    familyMonths: rows.reduce((s, r) => s + Number(r.families ?? 0), 0),
    visited: rows.reduce((s, r) => s + Number(r.visited ?? 0), 0),
  };
});

const placement = { annual: 'visits', quarterly: 'visits' } as const;

export const complianceIndicators: IndicatorDefinition[] = [
  {
    code: 'home_visit_family_months',
    name: '登门走访户月数（当月至少登门一次）',
    unit: '户·月',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: async (q) => (await visits(q)).visited,
  },
  {
    code: 'home_visit_rate',
    name: '每月登门走访率',
    unit: '%',
    kind: 'rate',
    sums: false,
    version: 1,
    placement,
    compute: async (q) => {
      const v = await visits(q);
      return percent(v.visited, v.familyMonths);
    },
  },
  {
    code: 'phone_contacts',
    name: '电话联系次数',
    unit: '次',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: (q) => {
      const level = levelOfCode(q.regionCode);
      const wide = level === 'province' || level === 'prefecture';
      return logsInMonths(q.db, q.range, 'phone', q.from.slice(0, 7), q.to.slice(0, 7), wide);
    },
  },
];
