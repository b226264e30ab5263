import { randomUUID } from 'node:crypto';
import type { Post } from '../../common/schemas/contacts.js';
import { previousMonths } from '../modules/compliance/compliance.service.js';
import type { Services } from '../services.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import type { ContactLogTable } from '../platform/db/schema.js';
import { levelOfCode } from '../platform/scope.js';
import { seededRandom } from './demo-families.js';
import { DEMO_COUNTY, demoRegions, seedContext } from './seed-demo.js';

const SURNAMES = '张王李刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董';
const GIVEN = '建华国强志明红梅丽娟海军春燕文斌';

/**
 * Demo contacts for the demo county (two township cadres per township, a cadre per village, a county
 * leader), every family given its 双岗 (a few left without, so the gap views have something to show),
 * and a year of plausible contact logs, so the dashboards are alive on first start. demo_contact is the
 * village cadre of the demo village, with some of their families still due this month.
 */
export async function seedDemoContacts(
  platform: Platform,
  services: Services,
  now: Date,
  seed = 20_161_109,
): Promise<{ contacts: number; logs: number }> {
  const rnd = seededRandom(seed);
  const { db } = platform;
  const name = () =>
    `${SURNAMES[Math.floor(rnd() * SURNAMES.length)]}${GIVEN[Math.floor(rnd() * GIVEN.length)]}（演示）`;
  const phone = () => `13${Math.floor(rnd() * 10)}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
  const { village: demoVillage } = await demoRegions(db);
  const demoContactUser = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'demo_contact')
    .executeTakeFirst();

  const families = await db
    .selectFrom('families')
    .select(['id', 'region_code', 'status', 'is_special_difficulty', 'version'])
    .where('region_code', '>=', DEMO_COUNTY)
    .where('region_code', '<=', `${DEMO_COUNTY.slice(0, 6)}999999`)
    .where('status', '<>', 'exited')
    .orderBy('archive_no')
    .execute();
  const townships = [...new Set(families.map((f) => `${f.region_code.slice(0, 9)}000`))];
  const villages = [...new Set(families.map((f) => f.region_code))];
  let contacts = 0;
  const make = async (post: Post, regionCode: string, userId?: string) => {
    contacts += 1;
    const township =
      regionCode.length === 12 && levelOfCode(regionCode) === 'village' ? `${regionCode.slice(0, 9)}000` : regionCode;
    const role = levelOfCode(regionCode) === 'county' ? 'county_leader' : 'township_staff';
    return services.contacts.create(seedContext(role === 'county_leader' ? DEMO_COUNTY : township, role), {
      name: name(),
      phone: phone(),
      post,
      regionCode,
      organization:
        post === 'county_leader' ? '钟祥市卫生健康局' : post === 'township_cadre' ? '乡镇人民政府' : '村（居）民委员会',
      title: post === 'county_leader' ? '副局长' : post === 'township_cadre' ? '包村干部' : '村委委员',
      userId: userId ?? null,
    });
  };
  const leader = await make('county_leader', DEMO_COUNTY);
  const townshipCadres = new Map<string, string[]>();
  for (const t of townships)
    townshipCadres.set(t, [(await make('township_cadre', t)).id, (await make('township_cadre', t)).id]);
  const villageCadres = new Map<string, string>();
  for (const v of villages)
    villageCadres.set(v, (await make('village_cadre', v, v === demoVillage.code ? demoContactUser?.id : undefined)).id);

  const assigned: Array<{ id: string; contacts: string[] }> = [];
  for (const [i, f] of families.entries()) {
    if (i % 37 === 5) continue; // a few families without posts: the gap views show them
    const township = `${f.region_code.slice(0, 9)}000`;
    const cadres = townshipCadres.get(township)!;
    const tc = cadres[i % cadres.length];
    const vc = villageCadres.get(f.region_code)!;
    const withLeader = f.is_special_difficulty === 1 && i % 5 !== 0;
    await services.contacts.setAssignments(seedContext(DEMO_COUNTY, 'county_leader'), f.id, {
      townshipContactId: tc,
      villageContactId: vc,
      ...(withLeader ? { countyLeaderContactId: leader.id } : {}),
    });
    assigned.push({ id: f.id, contacts: [vc, tc] });
  }

  // A year of logs, written in bulk (synthetic history, not acts to audit), then the fact rows rebuilt.
  const months = previousMonths(chinaDate(now).slice(0, 7), 12);
  const today = chinaDate(now);
  const rows: ContactLogTable[] = [];
  for (const f of assigned) {
    for (const month of months) {
      const isCurrent = month === months[months.length - 1];
      const lastDay = isCurrent ? Number(today.slice(8, 10)) : 28;
      const at = (kind: 'home_visit' | 'phone') => {
        const day = 1 + Math.floor(rnd() * lastDay);
        const hour = 9 + Math.floor(rnd() * 8);
        const iso = new Date(
          `${month}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00+08:00`,
        );
        return {
          iso: iso.getTime() > now.getTime() ? new Date(now.getTime() - 3_600_000).toISOString() : iso.toISOString(),
          kind,
        };
      };
      const visits: Array<{ iso: string; kind: 'home_visit' | 'phone' }> = [];
      if (rnd() < (isCurrent ? 0.55 : 0.9)) visits.push(at('home_visit'));
      for (let k = 0; k < 2; k += 1) if (rnd() < 0.6) visits.push(at('phone'));
      for (const v of visits) {
        const stamp = new Date().toISOString();
        rows.push({
          id: randomUUID(),
          family_id: f.id,
          contact_id: v.kind === 'home_visit' ? f.contacts[rnd() < 0.7 ? 0 : 1] : f.contacts[0],
          mode: v.kind,
          direction: rnd() < 0.15 ? 'family_initiated' : 'outreach',
          occurred_at: v.iso,
          month: chinaDate(new Date(v.iso)).slice(0, 7),
          participants: null,
          health: ['身体尚可', '血压偏高，按时服药', '腿脚不便', '近期感冒已好转'][Math.floor(rnd() * 4)],
          self_care: 'full',
          mental_state: ['stable', 'stable', 'fair', 'attention'][Math.floor(rnd() * 4)],
          demands:
            rnd() < 0.2
              ? ['希望协助办理住院护理补贴', '咨询特扶金发放时间', '希望安排健康体检'][Math.floor(rnd() * 3)]
              : null,
          policies_explained: rnd() < 0.3 ? '宣传特别扶助政策及就医绿色通道' : null,
          problems_coordinated: rnd() < 0.1 ? JSON.stringify(['medical']) : null,
          follow_ups: null,
          notes: '演示记录',
          is_on_behalf: 0,
          created_by: 'demo-seed',
          created_at: stamp,
          updated_at: stamp,
          version: 1,
        });
      }
    }
  }
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto('contact_logs')
      .values(rows.slice(i, i + 400))
      .execute();
  await services.facts.rebuild(db, months);
  return { contacts, logs: rows.length };
}
