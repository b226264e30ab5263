import { countCompleteCounties } from '../county-staffing/county-staffing.service.js';
import { countActiveLiaisons, liaisonSubsidyYuan } from '../liaisons/liaisons.service.js';
import { countMedicalCovered } from '../medical-services/medical-services.service.js';
import { countPairedFamilies, countPartnerPairings } from '../partners/partners.service.js';
import { perQuery, type IndicatorDefinition, type IndicatorQuery } from '../stat-returns/indicators/registry.js';
import { countTrainedContacts, countTrainingsHeld } from '../trainings/trainings.service.js';

/** The reporting year of a period (an annual return's year; a quarter's year). */
const yearOf = (q: IndicatorQuery) => Number(q.from.slice(0, 4));

/** Both medical coverages come from one scan, as on the dashboard. */
const medical = perQuery((q) => countMedicalCovered(q.db, q.range, q.asOf));

const both = { annual: 'people', quarterly: 'people' } as const;
const annual = { annual: 'people' } as const;

/**
 * The indicators of R12–R15 and the 三个全覆盖. Each calls the very function the matching coverage
 * endpoint uses, so a return and the dashboard cannot disagree (people-network.test.ts checks it).
 * States (liaisons in office, staffing, pairings, signings) are taken as they stand when computed, like
 * 双岗 coverage; yearly ones (sessions, people trained, subsidies) count the return's year, annual only.
 */
export const peopleIndicators: IndicatorDefinition[] = [
  {
    code: 'liaisons_active',
    name: '在任联络员',
    unit: '人',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: (q) => countActiveLiaisons(q.db, q.range),
  },
  {
    code: 'liaison_subsidy_amount',
    name: '联络员通讯、交通补助金额',
    unit: '元',
    kind: 'amount',
    sums: true,
    version: 1,
    placement: annual,
    compute: (q) => liaisonSubsidyYuan(q.db, q.range, yearOf(q)),
  },
  {
    code: 'county_staffing_complete',
    name: '明确 1 名分管领导和 1–2 名工作人员的县（市、区）',
    unit: '个',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: (q) => countCompleteCounties(q.db, q.range),
  },
  {
    code: 'partner_pairings',
    name: '结对帮扶对数',
    unit: '对',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: (q) => countPartnerPairings(q.db, q.range),
  },
  {
    code: 'families_paired',
    name: '已结对帮扶的家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: (q) => countPairedFamilies(q.db, q.range),
  },
  {
    code: 'trainings_held',
    name: '举办联系人培训',
    unit: '期',
    kind: 'count',
    sums: true,
    version: 1,
    placement: annual,
    compute: (q) => countTrainingsHeld(q.db, q.range, yearOf(q)),
  },
  {
    code: 'contacts_trained',
    name: '年内参加培训的联系人',
    unit: '人',
    kind: 'count',
    sums: true,
    version: 1,
    placement: annual,
    compute: (q) => countTrainedContacts(q.db, q.range, yearOf(q)),
  },
  {
    code: 'families_family_doctor_signed',
    name: '签约家庭医生的家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: async (q) => (await medical(q)).familyDoctor,
  },
  {
    code: 'families_priority_medical_access',
    name: '享有就医绿色通道（优先便利）的家庭',
    unit: '户',
    kind: 'count',
    sums: true,
    version: 1,
    placement: both,
    compute: async (q) => (await medical(q)).priorityAccess,
  },
];
