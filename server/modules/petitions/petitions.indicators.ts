import { endOfChinaDay, startOfChinaDay } from '../stat-returns/periods.js';
import { perQuery, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { petitionEventsBetween, risksBetween } from './petitions-figures.repository.js';

const risks = perQuery((q) => risksBetween(q.db, q.range, startOfChinaDay(q.from), endOfChinaDay(q.to)));
const placement = { annual: 'petitions', quarterly: 'petitions' } as const;

/** Petition risk (R7): counts only, never a family — a return carries no need-to-know data. */
export const petitionsIndicators: IndicatorDefinition[] = [
  {
    code: 'petition_risks',
    name: '新排查信访苗头',
    unit: '起',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: async (q) => (await risks(q)).identified,
  },
  {
    code: 'petition_risks_defused',
    name: '化解信访苗头',
    unit: '起',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: async (q) => (await risks(q)).resolved,
  },
  {
    code: 'petition_events_province_or_higher',
    name: '赴省及以上信访事件',
    unit: '起',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    compute: (q) => petitionEventsBetween(q.db, q.range, ['province', 'out_of_province', 'beijing'], q.from, q.to),
  },
];
