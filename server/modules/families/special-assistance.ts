import type { FamilyType } from '../../../common/schemas/families.js';

/** 特别扶助 (reference/domain.md §5.1): who qualifies, from when, and how much per person per month. */
export interface AssistanceRate {
  effectiveFrom: string;
  familyType: FamilyType;
  amount: number;
  /** null: the national standard; a region code: a top-up for that region's subtree. */
  regionCode: string | null;
  label: string;
}

export interface AssistanceSubject {
  familyType: FamilyType;
  status: string;
  statusReason: string | null;
  regionCode: string;
  members: Array<{ relation: 'father' | 'mother'; name: string; birthDate: string; isDeceased: boolean }>;
  child: { deathDate: string | null; disabilityGrade: number | null; isRecovered: boolean | null };
}

export interface AssistanceResult {
  isEligible: boolean;
  /** Why not, in words for a cadre; null when eligible. */
  reason: string | null;
  eligibleFrom: string | null;
  persons: Array<{
    relation: 'father' | 'mother';
    name: string;
    isEligible: boolean;
    reason: string | null;
    monthlyAmount: number;
  }>;
  monthlyTotal: number;
  rates: Array<{ label: string; amount: number }>;
}

export const MIN_BIRTH_DATE = '1933-01-01';
export const QUALIFYING_AGE = 49;

function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  // A 29 February birthday is reached on 1 March in a common year.
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${y}-03-01`;
  return `${y}-${md}`;
}

/** National rate plus every top-up covering the family's region, each the latest in force on `asOf`. */
export function ratesInForce(rates: AssistanceRate[], familyType: FamilyType, regionCode: string, asOf: string) {
  const latest = new Map<string, AssistanceRate>();
  for (const r of rates) {
    if (r.familyType !== familyType || r.effectiveFrom > asOf) continue;
    if (r.regionCode && !regionCode.startsWith(r.regionCode.replace(/0+$/, ''))) continue;
    const key = r.regionCode ?? 'national';
    const current = latest.get(key);
    if (!current || current.effectiveFrom < r.effectiveFrom) latest.set(key, r);
  }
  return [...latest.values()].map((r) => ({ label: r.label, amount: r.amount }));
}

export function specialAssistance(
  f: AssistanceSubject,
  rates: AssistanceRate[],
  asOf: string,
  maxGrade = 3,
  /** How the start date reads in a reason: masked (`common/mask.ts`) for a viewer who may not reveal. */
  showDate: (date: string) => string = (date) => date,
): AssistanceResult {
  const none = (reason: string, eligibleFrom: string | null = null): AssistanceResult => ({
    isEligible: false,
    reason,
    eligibleFrom,
    persons: f.members.map((m) => ({
      relation: m.relation,
      name: m.name,
      isEligible: false,
      reason,
      monthlyAmount: 0,
    })),
    monthlyTotal: 0,
    rates: [],
  });
  if (f.status === 'exited' && f.statusReason === 'reborn_or_adopted')
    return none('已再生育或收养子女，不再享受特别扶助');
  if (f.familyType === 'bereaved' && !f.child.deathDate) return none('未登记子女死亡日期');
  if (f.familyType === 'disabled') {
    if (f.child.isRecovered) return none('子女已康复，不再享受特别扶助');
    if (!f.child.disabilityGrade || f.child.disabilityGrade > maxGrade)
      return none(`子女残疾等级为${f.child.disabilityGrade ?? '未登记'}级，特别扶助须为${maxGrade}级以上（含）`);
  }
  const living = f.members.filter((m) => !m.isDeceased);
  if (living.length === 0) return none('父母均已亡故');
  // The family qualifies when the mother turns 49; without a living mother, when the surviving parent does.
  const mother = living.find((m) => m.relation === 'mother');
  const anchor = mother ?? living[0];
  const eligibleFrom = addYears(anchor.birthDate, QUALIFYING_AGE);
  const inForce = ratesInForce(rates, f.familyType, f.regionCode, asOf);
  const perPerson = inForce.reduce((sum, r) => sum + r.amount, 0);
  const persons = f.members.map((m) => {
    const reason = m.isDeceased
      ? '已亡故'
      : m.birthDate < MIN_BIRTH_DATE
        ? '1933年1月1日以前出生，不属特别扶助对象'
        : asOf < eligibleFrom
          ? `${anchor.relation === 'mother' ? '女方' : '本人'}年满49周岁（${showDate(eligibleFrom)}）起享受`
          : null;
    return {
      relation: m.relation,
      name: m.name,
      isEligible: reason === null,
      reason,
      monthlyAmount: reason === null ? perPerson : 0,
    };
  });
  const eligibleCount = persons.filter((p) => p.isEligible).length;
  const qualifies = persons.some((p) => p.reason === null || p.reason.includes('年满49周岁'));
  if (eligibleCount === 0)
    return {
      ...none(persons.find((p) => !p.isEligible)?.reason ?? '不符合条件', qualifies ? eligibleFrom : null),
      persons,
    };
  return {
    isEligible: true,
    reason: null,
    eligibleFrom,
    persons,
    monthlyTotal: perPerson * eligibleCount,
    rates: inForce,
  };
}
