import { festivalsOfYear } from '../../common/festivals.js';
import type { Services } from '../services.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { seededRandom } from './demo-families.js';
import { DEMO_COUNTY, demoRegions, seedContext } from './seed-demo.js';

/**
 * Demo work for R5–R7 and R11 in the demo county: major events (answered, open, escalated), care at the
 * last festival, petition risks (one that alerts the county leader), needs at every stage and a joint
 * meeting — all through the services, so deadlines, todos and dashboards behave as in real use. The demo
 * township also gets the archive page's unfinished work (seedArchiveWork).
 */
export async function seedDemoResponses(
  platform: Platform,
  services: Services,
  now: Date,
  seed = 20_161_110,
): Promise<void> {
  const rnd = seededRandom(seed);
  const { db } = platform;
  const families = await db
    .selectFrom('families')
    .select(['id', 'region_code'])
    .where('region_code', '>=', DEMO_COUNTY)
    .where('region_code', '<=', `${DEMO_COUNTY.slice(0, 6)}999999`)
    .where('status', '=', 'active')
    .orderBy('archive_no')
    .execute();
  const township = (f: { region_code: string }) => seedContext(`${f.region_code.slice(0, 9)}000`, 'township_staff');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

  // Major events: a few answered and closed, a few open, two long overdue (escalated by the job).
  const kinds = ['serious_illness', 'accident', 'disaster', 'serious_illness'] as const;
  for (let i = 0; i < 8; i += 1) {
    const f = families[(i * 37 + 3) % families.length];
    const c = township(f);
    const event = await services.events.report(c, f.id, {
      kind: kinds[i % kinds.length],
      affectedRelation: i % 2 ? 'mother' : 'father',
      occurredAt: hoursAgo(2 + i),
      description: '演示：突发情况，需及时上门',
    });
    if (i < 3) {
      const contact = await db
        .selectFrom('assignments')
        .select('contact_id')
        .where('family_id', '=', f.id)
        .where('ended_at', 'is', null)
        .where('post', '=', 'village_cadre')
        .executeTakeFirst();
      if (contact) {
        await services.contactLogs.create(c, f.id, {
          contactId: contact.contact_id,
          mode: 'home_visit',
          direction: 'outreach',
          occurredAt: hoursAgo(1),
          health: '住院治疗中',
          notes: '演示：应急上门',
        });
        const answered = (await services.events.list(c, f.id)).find((e) => e.id === event.id)!;
        await services.events.close(c, event.id, answered.version, '演示：协调医保报销，联系家庭医生随访');
      }
    } else if (i >= 6) {
      await db
        .updateTable('major_events')
        .set({ created_at: hoursAgo(60), response_due_at: hoursAgo(36) })
        .where('id', '=', event.id)
        .execute();
    }
  }
  await services.events.escalateOverdue(now);
  await seedArchiveWork(platform, services, now);

  // Festival care for the most recent festival whose window has closed.
  const today = chinaDate(now);
  const year = Number(today.slice(0, 4));
  const last = [...festivalsOfYear(year - 1), ...festivalsOfYear(year)].filter((f) => f.windowTo < today).at(-1);
  if (last) {
    for (const f of families) {
      const roll = rnd();
      if (roll > 0.93) continue;
      const manner =
        roll < 0.05 ? 'declined' : (['home_visit', 'money', 'goods', 'phone'] as const)[Math.floor(rnd() * 4)];
      await services.festivals.record(township(f), f.id, {
        year: Number(last.date.slice(0, 4)),
        festival: last.festival,
        manner,
        amount: manner === 'money' ? 200 : null,
        caredOn: last.date,
        note: '演示慰问',
      });
    }
  }

  // Petition risks: one heading for Beijing (alerts the county leader), one red, one blue already handled.
  const risky = [families[11], families[53], families[97]].filter(Boolean);
  const levels = [
    {
      targetLevel: 'beijing',
      scope: 'group',
      riskLevel: 'orange',
      signals: '演示：与外地失独家庭联络，表示要集体进京',
    },
    { targetLevel: 'county', scope: 'individual', riskLevel: 'red', signals: '演示：对特扶金发放有意见，情绪激动' },
    { targetLevel: 'county', scope: 'individual', riskLevel: 'blue', signals: '演示：询问养老院入住政策时有抱怨' },
  ] as const;
  for (const [i, f] of risky.entries()) {
    const c = { ...seedContext(DEMO_COUNTY, 'county_leader') };
    const risk = await services.petitions.create(c, f.id, { ...levels[i], identifiedAt: hoursAgo(30 - i) });
    if (i === 2)
      await services.petitions.handle(c, risk.id, { kind: 'learned', note: '演示：电话了解情况，已解释政策' });
  }

  // Needs at every stage, some overdue, and a joint meeting deciding two of them.
  const departments = ['health', 'civil_affairs', 'hrss', 'housing', 'finance'] as const;
  const categories = {
    health: 'medical',
    civil_affairs: 'elderly_care',
    hrss: 'economic',
    housing: 'housing',
    finance: 'economic',
  } as const;
  const decided: string[] = [];
  for (let i = 0; i < 15; i += 1) {
    const f = families[(i * 23 + 7) % families.length];
    const department = departments[i % departments.length];
    const c = seedContext(DEMO_COUNTY, 'county_leader');
    const deadline = chinaDate(new Date(now.getTime() + (i % 3 === 0 ? 10 : 30) * 86_400_000));
    const need = await services.needs.create(c, {
      familyId: f.id,
      category: categories[department],
      department,
      description: `演示诉求：${['希望减免住院自付费用', '申请入住乡镇敬老院', '子女生前社保退费', '危房改造', '申请临时救助'][i % 5]}`,
      deadline,
    });
    if (i % 5 === 0)
      await services.needs.update(c, need.id, {
        version: 1,
        status: 'resolved',
        resolution: '演示：已办结',
        confirmedWithFamily: true,
      });
    else if (i % 5 === 1) await services.needs.update(c, need.id, { version: 1, status: 'referred' });
    else if (i % 5 === 2) decided.push(need.id);
    if (i % 7 === 3)
      await db
        .updateTable('needs')
        .set({ deadline: chinaDate(new Date(now.getTime() - 5 * 86_400_000)) })
        .where('id', '=', need.id)
        .execute();
  }
  await services.needs.createMeeting(seedContext(DEMO_COUNTY, 'county_leader'), {
    countyCode: DEMO_COUNTY,
    heldOn: chinaDate(new Date(now.getTime() - 7 * 86_400_000)),
    departments: ['health', 'civil_affairs', 'hrss', 'housing', 'finance'],
    minutes: '演示：研究特殊家庭突出困难，明确责任部门和办理时限',
    items: decided.map((needId) => ({ needId, decision: '演示：责任部门两周内答复并上门' })),
  });
}

/**
 * Work that waits for demo_township (and demo_village) on the archive page, in the demo township's first
 * untouched families: an event visited but not yet closed (结案) on a family whose petition risk was visited too
 * (处置, 已化解); a reported death of a couple's father (确认亡故, the archive stays) and of a lone parent
 * (确认亡故, the archive exits).
 */
async function seedArchiveWork(platform: Platform, services: Services, now: Date): Promise<void> {
  const { db } = platform;
  const { township } = await demoRegions(db);
  const c = seedContext(township.code, 'township_staff');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const candidates = await db
    .selectFrom('families as f')
    .innerJoin('assignments as a', (j) =>
      j.onRef('a.family_id', '=', 'f.id').on('a.ended_at', 'is', null).on('a.post', '=', 'village_cadre'),
    )
    .select(['f.id', 'a.contact_id'])
    .where('f.region_code', '>=', township.code)
    .where('f.region_code', '<=', `${township.code.slice(0, 9)}999`)
    .where('f.status', '=', 'active')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('major_events as e').select('e.id').whereRef('e.family_id', '=', 'f.id'))),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('petition_risks as p').select('p.id').whereRef('p.family_id', '=', 'f.id'))),
    )
    .orderBy('f.archive_no')
    .execute();
  const members = await db
    .selectFrom('family_members')
    .select(['family_id', 'relation'])
    .where('is_deceased', '=', 0)
    .where(
      'family_id',
      'in',
      candidates.map((f) => f.id),
    )
    .execute();
  const living = (id: string) =>
    members.filter((m) => m.family_id === id).map((m) => m.relation as 'father' | 'mother');
  const couples = candidates.filter((f) => living(f.id).length === 2);
  const lone = candidates.find((f) => living(f.id).length === 1);

  const [visited, widowing] = couples;
  if (visited) {
    await services.events.report(c, visited.id, {
      kind: 'serious_illness',
      affectedRelation: 'mother',
      occurredAt: hoursAgo(20),
      description: '演示：突发心梗住院，待结案',
    });
    await services.petitions.create(c, visited.id, {
      targetLevel: 'prefecture',
      scope: 'individual',
      riskLevel: 'yellow',
      signals: '演示：对住院报销比例不满，说要去市里反映',
      identifiedAt: hoursAgo(18),
    });
    // One home visit answers both the event and the risk's mandatory visit.
    await services.contactLogs.create(c, visited.id, {
      contactId: visited.contact_id,
      mode: 'home_visit',
      direction: 'outreach',
      occurredAt: hoursAgo(6),
      health: '母亲住院，病情稳定',
      notes: '演示：应急上门，了解报销诉求',
    });
  }
  if (widowing)
    await services.events.report(c, widowing.id, {
      kind: 'death',
      affectedRelation: 'father',
      occurredAt: hoursAgo(10),
      description: '演示：父亲病故，待确认',
    });
  if (lone)
    await services.events.report(c, lone.id, {
      kind: 'death',
      affectedRelation: living(lone.id)[0],
      occurredAt: hoursAgo(8),
      description: '演示：独居老人病故，待确认',
    });
}
