import type { FamilyType } from '../../../common/schemas/families.js';
import {
  countsByUnit,
  keyedParts,
  perQueryBy,
  unitwise,
  type IndicatorDefinition,
  type IndicatorQuery,
} from '../stat-returns/indicators/registry.js';
import * as figures from './families-figures.repository.js';
import { loadRates } from './families.repository.js';
import { ratesInForce } from './special-assistance.js';

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const on = (q: IndicatorQuery): figures.CountedOn => (q.isLive ? 'live' : { day: q.asOf });

const SUMMARY = ['families', 'bereaved', 'disabled', 'specialDifficulty'] as const;
const summaryOn = (q: IndicatorQuery, day: figures.CountedOn, digits: number | null) =>
  figures.familySummary(q.db, q.range, day, digits).then((rows) =>
    keyedParts(rows, ({ families, bereaved, disabled, specialDifficulty }) => ({
      families,
      bereaved,
      disabled,
      specialDifficulty,
    })),
  );
const summary = perQueryBy((q, digits) => summaryOn(q, on(q), digits));
const summaryAtStart = perQueryBy((q, digits) => summaryOn(q, { day: dayBefore(q.from) }, digits));

/**
 * Persons and yuan per month of 特别扶助 on the day: people per type and village × the rates in force there.
 * The rows are per village already; a grouped pass adds them up per unit.
 */
const assistance = perQueryBy(async (q: IndicatorQuery, digits: number | null) => {
  const [groups, rates] = await Promise.all([figures.assistancePeople(q.db, q.range, on(q), q.asOf), loadRates(q.db)]);
  const out = new Map<string, { people: number; amount: number }>();
  const perPerson = new Map<string, number>();
  for (const g of groups) {
    const key = `${g.familyType}:${g.regionCode}`;
    let rate = perPerson.get(key);
    if (rate === undefined) {
      rate = ratesInForce(rates, g.familyType as FamilyType, g.regionCode, q.asOf).reduce((s, r) => s + r.amount, 0);
      perPerson.set(key, rate);
    }
    const unit = digits === null ? '' : g.regionCode.slice(0, digits);
    const p = out.get(unit) ?? { people: 0, amount: 0 };
    p.people += g.people;
    p.amount += g.people * rate;
    out.set(unit, p);
  }
  return out;
});
const ASSISTANCE = ['people', 'amount'] as const;

const both = { annual: 'families', quarterly: 'families' } as const;

/** The archive's figures (R8, R9): counts at the period's end, flows within it, 特别扶助. */
export const familiesIndicators: IndicatorDefinition[] = [
  {
    code: 'families_active_start',
    name: '期初在册特殊家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    ...unitwise(SUMMARY, summaryAtStart, (p) => p.families),
  },
  {
    code: 'families_new',
    name: '本期新增特殊家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    ...unitwise(
      ['n'],
      async (q, digits) => countsByUnit({ n: await figures.enteredBetween(q.db, q.range, q.from, q.to, digits) }),
      (p) => p.n,
    ),
  },
  {
    code: 'families_exited',
    name: '本期退出（含暂停）特殊家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    ...unitwise(
      ['n'],
      async (q, digits) => countsByUnit({ n: await figures.leftBetween(q.db, q.range, q.from, q.to, digits) }),
      (p) => p.n,
    ),
  },
  {
    code: 'families_active',
    name: '期末在册特殊家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    ...unitwise(SUMMARY, summary, (p) => p.families),
  },
  {
    code: 'families_bereaved',
    name: '其中：失独家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    ...unitwise(SUMMARY, summary, (p) => p.bereaved),
  },
  {
    code: 'families_disabled',
    name: '其中：伤残家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    ...unitwise(SUMMARY, summary, (p) => p.disabled),
  },
  {
    code: 'special_difficulty_families',
    name: '特殊困难家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    ...unitwise(SUMMARY, summary, (p) => p.specialDifficulty),
  },
  {
    code: 'special_assistance_people',
    name: '享受特别扶助人数',
    unit: '人',
    kind: 'count',
    sums: true,
    version: 1,
    placement: { annual: 'assistance', quarterly: 'assistance' },
    ...unitwise(ASSISTANCE, assistance, (p) => p.people),
  },
  {
    code: 'special_assistance_amount',
    name: '特别扶助金（月发放标准合计）',
    unit: '元/月',
    kind: 'amount',
    sums: true,
    version: 1,
    placement: { annual: 'assistance', quarterly: 'assistance' },
    ...unitwise(ASSISTANCE, assistance, (p) => p.amount),
  },
];
