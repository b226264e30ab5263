import type { Services } from '../services.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { DEMO_PREFECTURE, DEMO_PROVINCE, seedContext } from './seed-demo.js';

/**
 * 表彰 demo (R17): the city nominated its best-ranked contacts for this year within the quota (the village
 * contact with a 履职不到位 finding is skipped by the rule itself), the province approved and the city published
 * the 通报表彰. Runs after the accountability demo.
 */
export async function seedDemoCommendations(_platform: Platform, services: Services, now: Date): Promise<void> {
  const city = seedContext(DEMO_PREFECTURE, 'prefecture_staff');
  const province = seedContext(DEMO_PROVINCE, 'province_staff');
  const year = Number(chinaDate(now).slice(0, 4));
  const ranked = await services.commendations.candidates(city, DEMO_PREFECTURE, year);
  let list = null;
  for (const c of ranked.filter((r) => !r.isExcluded)) {
    if (list && list.nominees.length >= list.quota) break;
    list = await services.commendations.nominate(city, {
      regionCode: DEMO_PREFECTURE,
      year,
      contactId: c.contactId,
      reason: '走访到位、响应及时，家庭满意',
    });
  }
  if (!list) return;
  list = await services.commendations.submit(city, list.id, list.version);
  list = await services.commendations.approve(province, list.id, list.version);
  await services.commendations.publish(city, list.id, list.version);
}
