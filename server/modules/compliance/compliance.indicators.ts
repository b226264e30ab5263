import { levelOfCode } from '../../platform/scope.js';
import {
  countsByUnit,
  percent,
  perQueryBy,
  unitwise,
  type IndicatorDefinition,
} from '../stat-returns/indicators/registry.js';
import { logsInMonths } from './compliance-figures.repository.js';
import { trend } from './compliance.repository.js';

/**
 * Home visits (R4) over the period's months: the family-month fact rows the compliance dashboard reads
 * (`trend`, the same query), summed — a month's figures are the dashboard's monthly figures.
 */
const visits = perQueryBy(async (q, digits) => {
  const rows = await trend(q.db, q.range, q.from.slice(0, 7), q.to.slice(0, 7), digits);
  const out = new Map<string, { familyMonths: number; visited: number }>();
  for (const r of rows) {
    const unit = r.unit ?? '';
    const p = out.get(unit) ?? { familyMonths: 0, visited: 0 };
    p.familyMonths += Number(r.families ?? 0);
    p.visited += Number(r.visited ?? 0);
    out.set(unit, p);
  }
  return out;
});
const VISITS = ['familyMonths', 'visited'] as const;

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
    ...unitwise(VISITS, visits, (p) => p.visited),
  },
  {
    code: 'home_visit_rate',
    name: '每月登门走访率',
    unit: '%',
    kind: 'rate',
    sums: false,
    version: 1,
    placement,
    ...unitwise(VISITS, visits, (p) => percent(p.visited, p.familyMonths)),
  },
  {
    code: 'phone_contacts',
    name: '电话联系次数',
    unit: '次',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(
      ['n'],
      async (q, digits) => {
        const level = levelOfCode(q.regionCode);
        const wide = level === 'province' || level === 'prefecture';
        return countsByUnit({
          n: await logsInMonths(q.db, q.range, 'phone', q.from.slice(0, 7), q.to.slice(0, 7), wide, digits),
        });
      },
      (p) => p.n,
    ),
  },
];
