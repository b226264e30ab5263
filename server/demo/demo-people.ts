import type { Services } from '../services.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { seededRandom } from './demo-families.js';
import { DEMO_COUNTY, DEMO_PREFECTURE, demoRegions, seedContext } from './seed-demo.js';

const PICK_NAMES = ['周桂芳', '刘淑英', '陈国华', '杨秀兰', '吴德明', '黄玉珍', '赵建国', '孙美华', '徐光荣', '马春兰'];

/**
 * The people around the families (R12–R15) in the demo county, through the services: the liaison
 * programme switched on with some townships short and one over; subsidies and reports; the county's
 * staffing complete and a neighbour county's not; partner organisations with some families paired; a
 * county training this year that left some contacts untrained (the demo township's among them); and
 * family-doctor signing and priority access for part of the families.
 */
export async function seedDemoPeople(platform: Platform, services: Services, now: Date, seed = 20_161_201) {
  const rnd = seededRandom(seed);
  const { db } = platform;
  const today = chinaDate(now);
  const year = today.slice(0, 4);
  // Dates of this year's demo work, never after today (a demo started in January still seeds).
  const past = (day: string) => (day <= today ? day : today);
  const month = Number(today.slice(5, 7));
  const lastMonths = [1, 2, 3].map((back) => {
    const d = new Date(Date.UTC(Number(year), month - 1 - back, 1));
    return d.toISOString().slice(0, 7);
  });
  const lastQuarter = (() => {
    const q = Math.floor((month - 1) / 3);
    return q === 0 ? `${Number(year) - 1}-Q4` : `${year}-Q${q}`;
  })();
  const county = seedContext(DEMO_COUNTY, 'county_staff');
  const { township: demoTownship } = await demoRegions(db);
  const townships = await db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('parent_code', '=', DEMO_COUNTY)
    .orderBy('code')
    .execute();

  // 联络员: 2, 1, 3, 4, 2 in the first townships, none in the rest (short).
  await services.liaisons.setProgramme(county, DEMO_COUNTY, { isRunning: true });
  const counts = [2, 1, 3, 4, 2];
  let n = 0;
  for (const [i, t] of townships.slice(0, counts.length).entries()) {
    const c = seedContext(t.code, 'township_staff');
    for (let k = 0; k < counts[i]; k += 1) {
      const liaison = await services.liaisons.create(c, {
        regionCode: t.code,
        name: PICK_NAMES[n++ % PICK_NAMES.length],
        phone: `1390717${String(1000 + n).slice(-4)}`,
        startedOn: `${Number(year) - 1}-03-01`,
      });
      for (const period of lastMonths)
        await services.liaisons.addSubsidy(c, liaison.id, {
          period,
          kind: 'phone',
          amount: 50,
          payerRegionCode: DEMO_COUNTY,
          paidOn: past(`${period}-25`),
        });
      await services.liaisons.addSubsidy(c, liaison.id, {
        period: lastQuarter,
        kind: 'transport',
        amount: 150,
        payerRegionCode: t.code,
        paidOn: today,
      });
      await services.liaisons.addReport(c, liaison.id, {
        reportedOn: past(`${year}-03-15`),
        content: '演示：转达了几户家庭对养老服务补贴政策的疑问，已请乡镇工作人员上门解释',
      });
    }
  }

  // 县级人员配备: the demo county complete; the next county of the city has only a leader.
  const leader = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'demo_county_leader')
    .executeTakeFirst();
  await services.countyStaffing.set(county, DEMO_COUNTY, {
    leader: leader ? { userId: leader.id } : { name: '王建设' },
    staff: [{ name: '李红梅' }, { name: '张卫东' }],
  });
  const neighbour = await db
    .selectFrom('regions')
    .select('code')
    .where('parent_code', '=', DEMO_PREFECTURE)
    .where('code', '!=', DEMO_COUNTY)
    .orderBy('code')
    .executeTakeFirst();
  if (neighbour)
    await services.countyStaffing.set(seedContext(neighbour.code, 'county_staff'), neighbour.code, {
      leader: { name: '演示领导' },
      staff: [],
    });

  // 结对帮扶: two county organisations and a township social-work station; about a third of families paired.
  const orgs = [
    await services.partners.createOrganization(county, {
      regionCode: DEMO_COUNTY,
      kind: 'womens_federation',
      name: '钟祥市妇联',
      contactPerson: '刘主席',
    }),
    await services.partners.createOrganization(county, {
      regionCode: DEMO_COUNTY,
      kind: 'family_planning_association',
      name: '钟祥市计生协',
    }),
    await services.partners.createOrganization(county, {
      regionCode: demoTownship.code,
      kind: 'social_work',
      name: `${demoTownship.name}社工站`,
    }),
  ];
  const families = await db
    .selectFrom('families')
    .select(['id', 'region_code', 'entered_at'])
    .where('region_code', '>=', DEMO_COUNTY)
    .where('region_code', '<=', `${DEMO_COUNTY.slice(0, 6)}999999`)
    .where('status', '=', 'active')
    .orderBy('archive_no')
    .execute();
  const kinds = ['emotional_support', 'daily_care', 'medical_escort'] as const;
  const signOn = (entered: string, day: string) => past(entered > day ? entered : day);
  for (const f of families) {
    const c = seedContext(`${f.region_code.slice(0, 9)}000`, 'township_staff');
    const r = rnd();
    if (r < 0.35) {
      const org =
        f.region_code.startsWith(demoTownship.code.slice(0, 9)) && r < 0.1 ? orgs[2] : orgs[Math.floor(r * 6) % 2];
      const pairing = await services.partners.createPairing(c, f.id, {
        organizationId: org.id,
        kind: kinds[Math.floor(r * 30) % kinds.length],
        startedOn: signOn(f.entered_at, `${year}-02-01`),
      });
      if (r < 0.2)
        await services.partners.addActivity(c, pairing.id, {
          occurredOn: signOn(f.entered_at, `${year}-05-20`),
          kind: pairing.kind,
          note: '演示：上门陪伴、帮助打扫卫生',
        });
    }
    // 家庭医生签约 for about 70 %, 绿色通道 for about 40 %.
    if (rnd() < 0.7)
      await services.medicalServices.record(c, f.id, {
        kind: 'family_doctor',
        institution: '镇卫生院',
        doctor: '家庭医生团队',
        startedOn: signOn(f.entered_at, `${year}-01-15`),
        expiresOn: `${year}-12-31`,
      });
    if (rnd() < 0.4)
      await services.medicalServices.record(c, f.id, {
        kind: 'priority_access',
        arrangement: 'card',
        institution: '钟祥市人民医院',
        startedOn: signOn(f.entered_at, `${year}-03-01`),
      });
  }

  // 培训: one county session this year; two contacts in three of every township attended (by position, not by
  // chance, so every township keeps several untrained contacts whatever the seed draws elsewhere).
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'region_code'])
    .where('region_code', '>=', DEMO_COUNTY)
    .where('region_code', '<=', `${DEMO_COUNTY.slice(0, 6)}999999`)
    .where('is_active', '=', 1)
    .orderBy('region_code')
    .orderBy('id')
    .execute();
  const seen = new Map<string, number>();
  const attendees = contacts
    .filter((x) => {
      const township = x.region_code.slice(0, 9);
      const position = seen.get(township) ?? 0;
      seen.set(township, position + 1);
      return position % 3 !== 2;
    })
    .map((x) => x.id);
  const heldOn = past(`${year}-04-18`);
  await services.trainings.create(county, {
    regionCode: DEMO_COUNTY,
    title: '全市特殊家庭联系人业务培训',
    heldOn,
    topics: ['policy', 'counselling', 'mass_work'],
    trainer: '市卫健局',
    hours: 3,
    attendeeContactIds: attendees,
  });
}
