import { percent, perQueryBy, unitwise, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { trend } from './compliance.repository.js';

/**
 * Home visits and phone contacts (R4) over the period's months: the family-month fact rows the compliance
 * dashboard reads (`trend`, the same query), summed — a month's figures are the dashboard's monthly figures.
 * A family-month belongs to the region the family was in that month (the row's `region_code`), for visits and
 * phone contacts alike.
 */
const visits = perQueryBy(async (q, digits) => {
  const rows = await trend(q.db, q.range, q.from.slice(0, 7), q.to.slice(0, 7), digits);
  const out = new Map<string, { familyMonths: number; visited: number; phoneContacts: number }>();
  for (const r of rows) {
    const unit = r.unit ?? '';
    const p = out.get(unit) ?? { familyMonths: 0, visited: 0, phoneContacts: 0 };
    p.familyMonths += Number(r.families ?? 0);
    p.visited += Number(r.visited ?? 0);
    p.phoneContacts += Number(r.phone_contacts ?? 0);
    out.set(unit, p);
  }
  return out;
});
const VISITS = ['familyMonths', 'visited', 'phoneContacts'] as const;

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
    // 2: summed from the family-month rows (0030), so a moved family's earlier calls stay with the region it
    // was in then, as its visits do (version 1 counted the logs under the family's current region).
    version: 2,
    placement,
    ...unitwise(VISITS, visits, (p) => p.phoneContacts),
  },
];
