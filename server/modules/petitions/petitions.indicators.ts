import { endOfChinaDay, startOfChinaDay } from '../stat-returns/periods.js';
import { countsByUnit, perQueryBy, unitwise, type IndicatorDefinition } from '../stat-returns/indicators/registry.js';
import { petitionEventsBetween, risksBetween } from './petitions-figures.repository.js';

const risks = perQueryBy(async (q, digits) =>
  countsByUnit(await risksBetween(q.db, q.range, startOfChinaDay(q.from), endOfChinaDay(q.to), digits)),
);
const KEYS = ['identified', 'resolved'] as const;
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
    ...unitwise(KEYS, risks, (p) => p.identified),
  },
  {
    code: 'petition_risks_defused',
    name: '化解信访苗头',
    unit: '起',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(KEYS, risks, (p) => p.resolved),
  },
  {
    code: 'petition_events_province_or_higher',
    name: '赴省及以上信访事件',
    unit: '起',
    kind: 'count',
    sums: true,
    version: 1,
    placement,
    ...unitwise(
      ['n'],
      async (q, digits) =>
        countsByUnit({
          n: await petitionEventsBetween(
            q.db,
            q.range,
            ['province', 'out_of_province', 'beijing'],
            q.from,
            q.to,
            digits,
          ),
        }),
      (p) => p.n,
    ),
  },
];
