import { randomUUID } from 'node:crypto';
import * as repo from '../modules/reveals/reveals.repository.js';
import type { Platform } from '../platform/context.js';

/**
 * One request to reveal a full ID number beyond the hourly limit (issue 10 item 16): the demo village cadre has
 * asked, and demo_township (or demo_county) finds it in 我的待办 and on 完整号码查看审批.
 */
export async function seedDemoRevealRequests(platform: Pick<Platform, 'db'>, now: Date): Promise<void> {
  const { db } = platform;
  const cadre = await db
    .selectFrom('users')
    .select(['id', 'region_code'])
    .where('username', '=', 'demo_village')
    .executeTakeFirst();
  if (!cadre) return;
  const family = await db
    .selectFrom('families')
    .select(['id', 'region_code'])
    .where('region_code', '=', cadre.region_code)
    .where('status', '=', 'active')
    .orderBy('archive_no')
    .executeTakeFirst();
  if (!family) return;
  await repo.insertRequest(db, {
    id: randomUUID(),
    family_id: family.id,
    region_code: family.region_code,
    field: 'members.0.idNumber',
    reason: '本小时核对特别扶助金名单已达查看上限，需再核对该户身份证号',
    requested_by: cadre.id,
    requested_at: new Date(now.getTime() - 20 * 60_000).toISOString(),
    status: 'pending',
  });
}
