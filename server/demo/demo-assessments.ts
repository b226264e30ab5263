import type { AssessmentSchemeInput } from '../../common/schemas/assessments.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import type { Services } from '../services.js';
import { DEMO_PREFECTURE, DEMO_PROVINCE, seedContext } from './seed-demo.js';

const RETURN_ITEMS: AssessmentSchemeInput['items'] = [
  { source: 'indicator', code: 'home_visit_rate', weight: 40, direction: 'higher', floor: 50, target: 95 },
  {
    source: 'indicator',
    code: 'families_both_posts',
    perFamily: true,
    weight: 20,
    direction: 'higher',
    floor: 80,
    target: 100,
  },
];
const PETITION_DEDUCTION: AssessmentSchemeInput['deductions'] = [
  { kind: 'province_petition', pointsPerEvent: 5, maxPoints: 20 },
];

/**
 * 考核 demo (R16–R17): the demo city's assessment of its counties for this year, scored from the return
 * indicators and the demo sample survey and published (frozen), so the city sees a ranking and the demo county
 * its own result; and the province's draft over its cities and counties, computed live. Runs after the
 * sample-survey demo (whose survey the city's scheme reads).
 */
export async function seedDemoAssessments(platform: Platform, services: Services, now: Date): Promise<void> {
  const year = Number(chinaDate(now).slice(0, 4));
  // Drawn up and published by the city's demo account, so the frozen result names a person.
  const city = seedContext(DEMO_PREFECTURE, 'prefecture_staff');
  const officer = await platform.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('username', '=', 'demo_prefecture')
    .executeTakeFirst();
  if (officer)
    city.actor = { ...city.actor, id: officer.id, username: officer.username, displayName: officer.display_name };
  const province = seedContext(DEMO_PROVINCE, 'province_staff');
  const survey = await platform.db
    .selectFrom('sample_surveys')
    .select('id')
    .where('region_code', '=', DEMO_PREFECTURE)
    .where('year', '=', year)
    .executeTakeFirst();
  const items: AssessmentSchemeInput['items'] = survey
    ? [
        ...RETURN_ITEMS,
        { source: 'survey', code: 'visit_confirmed', weight: 20, direction: 'higher', floor: 50, target: 95 },
        { source: 'survey', code: 'satisfaction', weight: 10, direction: 'higher', floor: 3, target: 5 },
        { source: 'survey', code: 'discrepancy_rate', weight: 10, direction: 'lower', floor: 50, target: 0 },
      ]
    : // Without a survey the return items carry the whole weight.
      RETURN_ITEMS.map((it) => ({ ...it, weight: it.code === 'home_visit_rate' ? 70 : 30 }));
  const published = await services.assessments.create(city, {
    year,
    name: `${year} 年度县（市、区）特殊家庭联系工作目标责任考核`,
    surveyId: survey?.id ?? null,
    items,
    deductions: PETITION_DEDUCTION,
  });
  await services.assessments.publish(city, published.id, published.version);
  await services.assessments.create(province, {
    year,
    name: `${year} 年度全省特殊家庭联系工作考核（征求意见稿）`,
    items: RETURN_ITEMS.map((it) => ({ ...it, weight: it.code === 'home_visit_rate' ? 60 : 40 })),
    deductions: PETITION_DEDUCTION,
  });
}
