import type { SurveyAnswers } from '../../common/schemas/sample-surveys.js';
import type { Services } from '../services.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { levelOfCode } from '../platform/scope.js';
import { seededRandom } from './demo-families.js';
import { DEMO_COUNTY, DEMO_PREFECTURE, DEMO_PROVINCE, seedContext } from './seed-demo.js';

/**
 * This year's sample survey of the demo county's city (R16), through the services: drawn by the province
 * (5 % so the demo has enough families to look at), handed to the city's demo account, with answers for
 * most families — some contradicting the visit logs, so the county has discrepancies to explain (one
 * already explained) — three unanswered calls that brought in a reserve, and a refusal.
 */
export async function seedDemoSampleSurvey(platform: Platform, services: Services, now: Date, seed = 20_161_216) {
  const { db } = platform;
  const rnd = seededRandom(seed);
  const surveys = services.sampleSurveys;
  const today = chinaDate(now);
  const year = Number(today.slice(0, 4));
  const province = seedContext(DEMO_PROVINCE, 'province_staff');
  const drawn = await surveys.draw(province, {
    year,
    frameDate: today,
    seed: `${year} 年荆门市特殊家庭抽样调查（演示）`,
    rate: 0.05,
    q: 0.5,
    minPerCounty: 1,
    regionCode: DEMO_PREFECTURE,
    replaceUnreachable: true,
    dryRun: false,
  });
  const surveyor = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'region_code'])
    .where('username', '=', 'demo_prefecture')
    .executeTakeFirst();
  if (!surveyor || !drawn.id) return;
  await surveys.assign(province, drawn.id, { surveyorId: surveyor.id, regionCode: DEMO_PREFECTURE });
  const city = seedContext(surveyor.region_code, 'prefecture_staff');
  city.actor = {
    ...city.actor,
    id: surveyor.id,
    username: surveyor.username,
    displayName: surveyor.display_name,
    regionLevel: levelOfCode(surveyor.region_code),
  };
  const { data: families } = await surveys.families(city, drawn.id, { mine: true }, { page: 1, pageSize: 200 });
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  // Leave a few to call in the demo: the surveyor's todo and the phone list are not empty.
  const toAnswer = families.slice(0, Math.max(1, families.length - 4));
  for (const [i, f] of toAnswer.entries()) {
    if (i === 1) {
      for (let k = 0; k < 3; k++)
        await surveys.respond(city, drawn.id, { familyId: f.familyId, mode: 'phone', reached: false });
      continue;
    }
    if (i === 2) {
      await surveys.respond(city, drawn.id, {
        familyId: f.familyId,
        mode: 'phone',
        reached: false,
        outcome: 'refused',
      });
      continue;
    }
    const contradicts = rnd() < 0.3;
    const answers: SurveyAnswers = {
      knowsContacts: contradicts && rnd() < 0.5 ? 'none' : pick(['both', 'both', 'both', 'one'] as const),
      contactModes: ['phone', ...(rnd() < 0.7 ? (['home_visit'] as const) : [])],
      lastHomeVisit: contradicts ? 'never' : pick(['this_month', '1_3_months', '1_3_months', 'longer'] as const),
      festivalCare: rnd() < 0.85,
      needsRaised: rnd() < 0.4,
      satisfaction: contradicts ? pick([2, 3] as const) : pick([4, 4, 5, 5, 3] as const),
    };
    if (answers.needsRaised) answers.needsResolved = rnd() < 0.7;
    await surveys.respond(city, drawn.id, {
      familyId: f.familyId,
      mode: rnd() < 0.8 ? 'phone' : 'visit',
      reached: true,
      answers,
    });
  }
  // The county has explained one of its discrepancies; the rest wait for it (a todo).
  const county = seedContext(DEMO_COUNTY, 'county_staff');
  const { data: open } = await surveys.discrepancies(county, { status: 'open' }, { page: 1, pageSize: 1 });
  if (open[0])
    await surveys.explain(county, open[0].id, {
      version: open[0].version,
      explanation: '经核实：走访由村联系人与家庭亲属见面完成，家庭本人未在家；已要求今后走访须与户主本人见面并留影。',
    });
}
