import type { Services } from '../services.js';
import type { Platform } from '../platform/context.js';
import { DEMO_COUNTY, seedContext } from './seed-demo.js';

/**
 * R10 demo: the demo county's three groups (a QQ group, a WeChat group with a family co-administrator, a
 * WeCom group whose robot cannot be reached from a demo machine, shown as failed), notices in every state,
 * and a notification in every demo account's bell. Nothing here sends a request anywhere: the WeCom
 * group's message is marked failed in place, so the scheduler has nothing to send.
 */
export async function seedDemoNotices(platform: Platform, services: Services, now: Date): Promise<void> {
  const { db } = platform;
  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'region_code'])
    .where('username', 'like', 'demo_%')
    .execute();
  const user = (name: string) => users.find((u) => u.username === name);
  const as = (name: string, role: 'county_staff' | 'county_leader') => {
    const c = seedContext(DEMO_COUNTY, role);
    const u = user(name);
    if (u) Object.assign(c.actor, { id: u.id, username: u.username, displayName: u.display_name });
    return c;
  };
  const staff = as('demo_county', 'county_staff');
  const leader = as('demo_county_leader', 'county_leader');

  const qq = await services.channels.create(staff, {
    regionCode: DEMO_COUNTY,
    kind: 'qq_group',
    name: '钟祥市连心家园QQ群',
    number: '614820331',
    size: 132,
    createdOn: '2017-03-01',
    admins: [{ kind: 'staff', userId: user('demo_county')?.id ?? null, name: '演示县级工作人员' }],
  });
  const wechat = await services.channels.create(staff, {
    regionCode: DEMO_COUNTY,
    kind: 'wechat_group',
    name: '钟祥市特扶家庭暖心微信群',
    size: 87,
    createdOn: '2019-05-12',
    admins: [
      { kind: 'staff', userId: user('demo_county')?.id ?? null, name: '演示县级工作人员' },
      { kind: 'family', name: '王桂兰', phone: '13807150001' },
    ],
  });
  const wecom = await services.channels.create(staff, {
    regionCode: DEMO_COUNTY,
    kind: 'wecom_group',
    name: '钟祥市卫健局特扶工作企业微信群',
    robotKey: 'demo0000-0000-4000-8000-000000000000',
    size: 24,
    createdOn: '2022-09-01',
  });

  const draft = (
    title: string,
    body: string,
    channelIds: string[] = [],
    confidentiality: 'public' | 'internal' = 'public',
  ) =>
    services.notices.create(staff, {
      regionCode: DEMO_COUNTY,
      title,
      body,
      channelIds,
      confidentiality,
      declaredNotClassified: true,
    });

  await draft(
    '关于做好春节慰问准备工作的通知（草稿）',
    '各乡镇（街道）：\n\n请于 **1 月 10 日**前报送慰问对象名单。',
    [],
    'internal',
  );
  const returned = await draft('特别扶助金调整政策解读', '## 调整内容\n\n自 2026 年起，特别扶助金标准提高。', [qq.id]);
  const r1 = await services.notices.submit(staff, returned.id, returned.version);
  await services.notices.return(leader, returned.id, r1.version, '请补充具体标准和发放时间');
  const waiting = await draft('免费健康体检安排', '本月 20 日起在各乡镇卫生院开展免费健康体检，请提前预约。', [
    qq.id,
    wechat.id,
  ]);
  await services.notices.submit(staff, waiting.id, waiting.version);
  const pub = await draft('冬季防寒保暖温馨提示', '近期气温骤降，请注意防寒保暖。如有困难，请联系您的联系人。', [
    qq.id,
    wechat.id,
  ]);
  const p1 = await services.notices.submit(staff, pub.id, pub.version);
  await services.notices.approve(leader, pub.id, p1.version);
  await services.notices.markPosted(staff, pub.id, qq.id);
  const robot = await draft('联系人制度工作例会通知', '请各乡镇分管同志于周五下午参加工作例会。', [wecom.id]);
  const w1 = await services.notices.submit(staff, robot.id, robot.version);
  await services.notices.approve(leader, robot.id, w1.version);
  const old = await draft('关于端午节慰问活动的通知', '端午节慰问活动安排如下……', [qq.id]);
  const o1 = await services.notices.submit(staff, old.id, old.version);
  const o2 = await services.notices.approve(leader, old.id, o1.version);
  await services.notices.withdraw(staff, old.id, o2.version, '活动时间调整，另行通知');

  // The demo WeCom robot is unreachable by design: its message fails here, never on the network.
  const reason = '演示环境：企业微信服务不可达（未实际发送）';
  const at = now.toISOString();
  const delivery = await db
    .selectFrom('notice_deliveries')
    .select('id')
    .where('notice_id', '=', robot.id)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('outbox')
    .set({ status: 'failed', attempts: 1, last_error: reason })
    .where('delivery_id', '=', delivery.id)
    .execute();
  await db
    .updateTable('notice_deliveries')
    .set({ status: 'failed', attempts: 1, last_error: reason, updated_at: at })
    .where('id', '=', delivery.id)
    .execute();
  await services.channels.setRobotState(db, wecom.id, 'failed', reason);
  await db.transaction().execute(async (trx) => {
    await services.notifications.notify(trx, {
      kind: 'delivery_failed',
      title: '公告推送失败：联系人制度工作例会通知',
      body: reason,
      link: `/notices/${robot.id}`,
      audience: { roles: ['county_staff'], regionCode: DEMO_COUNTY },
      dedupeKey: `delivery_failed:${delivery.id}`,
    });
    // Everyone's bell has something: today's digest.
    await services.notifications.notify(trx, {
      kind: 'digest',
      title: '今日待办汇总',
      body: '请登录平台查看今日待办和未读提醒。',
      link: '/',
      userIds: users.map((u) => u.id),
      dedupeKey: `digest:demo`,
    });
  });
}
