import type { Services } from '../services.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { DEMO_COUNTY, DEMO_PREFECTURE, demoRegions, seedContext } from './seed-demo.js';

/**
 * Issue 11 item 13 demo: the city presses the demo county on its visit rate (open, in demo_county's todos),
 * the county presses the demo township on 双岗 (open, in demo_township's todos), and one older order the
 * county already answered.
 */
export async function seedDemoSupervision(platform: Platform, services: Services, now: Date): Promise<void> {
  const { township } = await demoRegions(platform.db);
  const inDays = (n: number) => chinaDate(new Date(now.getTime() + n * 86_400_000));
  const city = seedContext(DEMO_PREFECTURE, 'prefecture_staff');
  const county = seedContext(DEMO_COUNTY, 'county_staff');
  await services.supervisionOrders.create(city, {
    regionCode: DEMO_COUNTY,
    title: '本月登门走访率低于全市平均，请组织补访',
    body: '请于期限前查明未走访家庭的原因，落实包村干部补访，并答复整改情况。',
    figure: 'home_visit_rate',
    dueOn: inDays(7),
  });
  await services.supervisionOrders.create(county, {
    regionCode: township.code,
    title: '部分家庭双岗未配齐，请尽快安排',
    figure: 'both_posts_rate',
    dueOn: inDays(5),
  });
  const done = await services.supervisionOrders.create(city, {
    regionCode: DEMO_COUNTY,
    title: '中秋节慰问完成率偏低',
    figure: 'festival_care_rate',
    dueOn: inDays(3),
  });
  await services.supervisionOrders.reply(county, done.id, {
    reply: '已组织各乡镇补充慰问，完成率已达 96%。',
    version: done.version,
  });
}
