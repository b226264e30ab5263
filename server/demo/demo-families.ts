import type { FamilyCreate, MemberInput } from '../../common/schemas/families.js';
import { makeIdNumber } from '../../common/validators/id-number.js';
import type { FamiliesService } from '../modules/families/families.service.js';
import type { Platform } from '../platform/context.js';
import { DEMO_COUNTY, seedContext } from './seed-demo.js';

/** A small deterministic generator (mulberry32): the same demo data at every first start. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SURNAMES =
  '张王李刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const FEMALE = '英兰芳秀珍华桂凤玉梅琴云莲';
const MALE = '国明建军伟强平德华林生福';

function pick<T>(rnd: () => number, items: readonly T[] | string): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

function date(rnd: () => number, fromYear: number, toYear: number): string {
  const y = fromYear + Math.floor(rnd() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(rnd() * 12);
  const d = 1 + Math.floor(rnd() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Clearly synthetic families for the demo county: names of the 张某英 kind, ID numbers with valid check
 * digits but sequence codes 900–999 (a range marked demo), every status represented. Written through the
 * families service, so archive numbers, encryption, history and audit are exactly as in real use.
 */
export async function seedDemoFamilies(
  platform: Platform,
  families: FamiliesService,
  count = 400,
  seed = 20_161_108,
): Promise<number> {
  const rnd = seededRandom(seed);
  const villages = await platform.db
    .selectFrom('regions')
    .select(['code', 'name', 'parent_code'])
    .where('level', '=', 'village')
    .where('code', '>=', DEMO_COUNTY)
    .where('code', '<=', `${DEMO_COUNTY.slice(0, 6)}999999`)
    .orderBy('code')
    .execute();
  const used = new Set<string>();
  const person = (sex: 'male' | 'female', from: number, to: number) => {
    for (;;) {
      const birthDate = date(rnd, from, to);
      const seq = 900 + 2 * Math.floor(rnd() * 50) + (sex === 'male' ? 1 : 0);
      const idNumber = makeIdNumber({ regionCode6: DEMO_COUNTY.slice(0, 6), birthDate, sequence: seq });
      if (used.has(idNumber)) continue;
      used.add(idNumber);
      return { birthDate, idNumber };
    }
  };
  let created = 0;
  for (let i = 0; i < count; i += 1) {
    // Villages near the township seat get more families, roughly like population.
    // The first dozen live in the demo village, so demo_village and demo_contact have families of their own.
    const village = i < 12 ? villages[0] : villages[Math.floor(Math.pow(rnd(), 1.3) * villages.length)];
    const surname = pick<string>(rnd, SURNAMES);
    const isBereaved = rnd() < 0.6;
    const motherP = person('female', 1948, 1975);
    const fatherP = person('male', 1945, 1972);
    const members: MemberInput[] = [];
    const hasFather = rnd() < 0.85;
    const hasMother = !hasFather || rnd() < 0.9;
    const phone = () => `1${pick(rnd, ['3', '5', '8'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
    if (hasMother)
      members.push({
        relation: 'mother',
        name: `${pick(rnd, SURNAMES)}某${pick(rnd, FEMALE)}`,
        idNumber: motherP.idNumber,
        phone: phone(),
        ethnicity: '01',
        health: pick(rnd, ['healthy', 'chronic', 'chronic', 'serious']),
        selfCare: pick(rnd, ['full', 'full', 'partial']),
      });
    if (hasFather)
      members.push({
        relation: 'father',
        name: `${surname}某${pick(rnd, MALE)}`,
        idNumber: fatherP.idNumber,
        phone: rnd() < 0.7 ? phone() : null,
        ethnicity: '01',
        health: pick(rnd, ['healthy', 'chronic', 'serious']),
        selfCare: 'full',
      });
    const childBirth = date(rnd, 1972, 2005);
    const input: FamilyCreate = {
      familyType: isBereaved ? 'bereaved' : 'disabled',
      regionCode: village.code,
      address: `${village.name}${1 + Math.floor(rnd() * 12)}组${1 + Math.floor(rnd() * 60)}号（演示地址）`,
      householdStatus: members.length === 2 ? 'both_alive' : 'widowed',
      livingSituation: members.length === 2 ? 'together' : 'alone',
      economicSituation: pick(rnd, ['average', 'average', 'difficult', 'minimum_living']),
      housingSituation: pick(rnd, ['owned', 'owned', 'owned', 'rented', 'dangerous']),
      isSpecialDifficulty: rnd() < 0.1,
      enteredAt: date(rnd, 2016, 2024),
      extra: { demo: true },
      members,
      child: isBereaved
        ? {
            name: `${surname}某${pick(rnd, MALE)}`,
            sex: rnd() < 0.6 ? 'male' : 'female',
            birthDate: childBirth,
            deathDate: date(rnd, Number(childBirth.slice(0, 4)) + 1, 2024),
            deathCause: pick(rnd, ['illness', 'accident', 'traffic', 'illness', 'other']),
          }
        : {
            name: `${surname}某${pick(rnd, MALE)}`,
            sex: rnd() < 0.6 ? 'male' : 'female',
            birthDate: childBirth,
            disabilityGrade: pick(rnd, [1, 2, 2, 3, 3, 4]),
            disabilityCategory: pick(rnd, ['4', '5', '6', '1']),
          },
    };
    if (input.child.deathDate && input.child.deathDate <= input.child.birthDate)
      input.child.deathDate = `${Number(childBirth.slice(0, 4)) + 1}-06-01`;
    const c = seedContext(village.parent_code!, 'township_staff');
    const family = await families.create(c, input);
    created += 1;
    const roll = rnd();
    if (roll < 0.05)
      await families.changeStatus(c, family.id, {
        version: 1,
        status: 'paused',
        reason: 'away',
        effectiveDate: '2025-03-01',
        note: '外出务工（演示）',
      });
    else if (roll < 0.1) {
      const reason = pick<'moved_out' | 'reborn_or_adopted' | 'both_parents_deceased' | 'other'>(rnd, [
        'moved_out',
        'reborn_or_adopted',
        'both_parents_deceased',
        'other',
      ]);
      await families.changeStatus(c, family.id, {
        version: 1,
        status: 'exited',
        reason,
        effectiveDate: '2025-06-30',
        note: '演示退出记录',
      });
    } else if (roll < 0.4) {
      await families.addAssistance(c, family.id, {
        item: 'festival',
        periodFrom: '2026-02',
        amount: 200,
        source: 'county',
        note: '春节慰问（演示）',
      });
    }
  }
  return created;
}
