import { endOfChinaDay, startOfChinaDay } from '../stat-returns/periods.js';
import { countsByUnit, perQueryBy, unitwise, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { meetingsBetween, needsBetween } from './needs-figures.repository.js';

const needs = perQueryBy(async (q, digits) =>
  countsByUnit(await needsBetween(q.db, q.range, startOfChinaDay(q.from), endOfChinaDay(q.to), digits)),
);
const KEYS = ['raised', 'resolved'] as const;
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
    ...unitwise(KEYS, needs, (p) => p.raised),
  },
  {
    code: 'needs_resolved',
    name: '解决诉求',
    unit: '件',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(KEYS, needs, (p) => p.resolved),
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
    ...unitwise(
      ['n'],
      async (q, digits) => countsByUnit({ n: await meetingsBetween(q.db, q.range, q.from, q.to, digits) }),
      (p) => p.n,
    ),
  },
];
