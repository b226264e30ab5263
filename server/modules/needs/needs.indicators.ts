import { endOfChinaDay, startOfChinaDay } from '../stat-returns/periods.js';
import { perQuery, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { meetingsBetween, needsBetween } from './needs-figures.repository.js';

const needs = perQuery((q) => needsBetween(q.db, q.range, startOfChinaDay(q.from), endOfChinaDay(q.to)));
const placement = { annual: 'needs', quarterly: 'needs' } as const;

/** Needs and joint meetings (R11). */
export const needsIndicators: IndicatorDefinition[] = [
  {
    code: 'needs_raised',
    name: '收集诉求',
    unit: '件',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: async (q) => (await needs(q)).raised,
  },
  {
    code: 'needs_resolved',
    name: '解决诉求',
    unit: '件',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: async (q) => (await needs(q)).resolved,
  },
  {
    code: 'joint_meetings',
    name: '召开联席会议',
    unit: '次',
    kind: 'count',
    // Held by counties, not townships: a county's figure is not the sum of its townships'.
    sums: false,
    version: 1,
    placement: { annual: 'needs' },
    compute: (q) => meetingsBetween(q.db, q.range, q.from, q.to),
  },
];
