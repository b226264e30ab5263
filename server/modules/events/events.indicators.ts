import { endOfChinaDay, startOfChinaDay } from '../stat-returns/periods.js';
import { keyedParts, perQueryBy, unitwise, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { eventsBetween } from './events-figures.repository.js';

const events = perQueryBy(async (q, digits) =>
  keyedParts(await eventsBetween(q.db, q.range, startOfChinaDay(q.from), endOfChinaDay(q.to), digits), (r) => ({
    events: r.events,
    onTime: r.onTime,
  })),
);
const KEYS = ['events', 'onTime'] as const;
const placement = { annual: 'care', quarterly: 'care' } as const;

/** Major events (R5) that occurred in the period, and those answered by a visit before their deadline. */
export const eventsIndicators: IndicatorDefinition[] = [
  {
    code: 'major_events',
    name: '发生重大情况',
    unit: '起',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(KEYS, events, (p) => p.events),
  },
  {
    code: 'major_events_answered_on_time',
    name: '其中：按时登门响应',
    unit: '起',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(KEYS, events, (p) => p.onTime),
  },
];
