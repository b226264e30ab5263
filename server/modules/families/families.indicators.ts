import type { FamilyType } from '../../../common/schemas/families.js';
import { perQuery, type IndicatorDefinition, type IndicatorQuery } from '../stat-returns/indicators/registry.js';
import * as figures from './families-figures.repository.js';
import { loadRates } from './families.repository.js';
import { ratesInForce } from './special-assistance.js';

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const on = (q: IndicatorQuery): figures.CountedOn => (q.isLive ? 'live' : { day: q.asOf });

const summary = perQuery((q) => figures.familySummary(q.db, q.range, on(q)));

/** Persons and yuan per month of 特别扶助 on the day: people per type and village × the rates in force there. */
const assistance = perQuery(async (q: IndicatorQuery) => {
  const [groups, rates] = await Promise.all([figures.assistancePeople(q.db, q.range, on(q), q.asOf), loadRates(q.db)]);
  let people = 0;
  let amount = 0;
  const perPerson = new Map<string, number>();
  for (const g of groups) {
    const key = `${g.familyType}:${g.regionCode}`;
    let rate = perPerson.get(key);
    if (rate === undefined) {
      rate = ratesInForce(rates, g.familyType as FamilyType, g.regionCode, q.asOf).reduce((s, r) => s + r.amount, 0);
      perPerson.set(key, rate);
    }
    people += g.people;
    amount += g.people * rate;
  }
  return { people, amount };
});

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
    compute: async (q) => (await figures.familySummary(q.db, q.range, { day: dayBefore(q.from) })).families,
  },
  {
    code: 'families_new',
    name: '本期新增特殊家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: (q) => figures.enteredBetween(q.db, q.range, q.from, q.to),
  },
  {
    code: 'families_exited',
    name: '本期退出（含暂停）特殊家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: (q) => figures.leftBetween(q.db, q.range, q.from, q.to),
  },
  {
    code: 'families_active',
    name: '期末在册特殊家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: async (q) => (await summary(q)).families,
  },
  {
    code: 'families_bereaved',
    name: '其中：失独家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: async (q) => (await summary(q)).bereaved,
  },
  {
    code: 'families_disabled',
    name: '其中：伤残家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: async (q) => (await summary(q)).disabled,
  },
  {
    code: 'special_difficulty_families',
    name: '特殊困难家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: async (q) => (await summary(q)).specialDifficulty,
  },
  {
    code: 'special_assistance_people',
    name: '享受特别扶助人数',
    unit: '人',
    kind: 'count',
    sums: true,
    version: 1,
    placement: { annual: 'assistance', quarterly: 'assistance' },
    compute: async (q) => (await assistance(q)).people,
  },
  {
    code: 'special_assistance_amount',
    name: '特别扶助金（月发放标准合计）',
    unit: '元/月',
    kind: 'amount',
    sums: true,
    version: 1,
    placement: { annual: 'assistance', quarterly: 'assistance' },
    compute: async (q) => (await assistance(q)).amount,
  },
];
