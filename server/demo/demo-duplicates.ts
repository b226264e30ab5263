import { makeIdNumber } from '../../common/validators/id-number.js';
import type { FamiliesService } from '../modules/families/families.service.js';
import type { Platform } from '../platform/context.js';
import { levelOfCode } from '../platform/scope.js';
import { DEMO_COUNTY, DEMO_PREFECTURE, seedContext } from './seed-demo.js';

async function firstChild(platform: Platform, code: string, not?: string): Promise<string> {
  let q = platform.db.selectFrom('regions').select('code').where('parent_code', '=', code);
  if (not) q = q.where('code', '<>', not);
  const row = await q.orderBy('code').executeTakeFirstOrThrow();
  return row.code;
}

/**
 * One cross-county duplicate in the demo city (issue 10 item 2): a mother archived in a neighbouring county
 * and archived again by the demo township cadre, who was told nothing. demo_prefecture finds it on
 * 重复建档核查 and resolves it. Written through the families service, as in real use.
 */
export async function seedDemoDuplicate(platform: Platform, families: FamiliesService): Promise<void> {
  const otherCounty = await firstChild(platform, DEMO_PREFECTURE, DEMO_COUNTY);
  const otherTownship = await firstChild(platform, otherCounty);
  const otherVillage = await firstChild(platform, otherTownship);
  const cadre = await platform.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'region_code'])
    .where('username', '=', 'demo_township')
    .executeTakeFirstOrThrow();
  const demoVillage = await firstChild(platform, cadre.region_code);
  // Sequence codes 900–999 mark demo ID numbers (demo-families.ts).
  const mother = makeIdNumber({ regionCode6: otherCounty.slice(0, 6), birthDate: '1962-08-16', sequence: 998 });
  const input = (regionCode: string, address: string) => ({
    familyType: 'bereaved' as const,
    regionCode,
    address,
    enteredAt: '2019-04-01',
    extra: { demo: true },
    members: [{ relation: 'mother' as const, name: '魏某兰', idNumber: mother }],
    child: { name: '魏某强', sex: 'male' as const, birthDate: '1986-05-20', deathDate: '2017-09-03' },
  });
  await families.create(
    seedContext(otherTownship, 'township_staff'),
    input(otherVillage, '原户籍地 3 组 12 号（演示地址）'),
  );
  // The second archive is the demo township cadre's own (a real account: the flag names who created it).
  await families.create(
    {
      actor: {
        id: cadre.id,
        username: cadre.username,
        displayName: cadre.display_name,
        role: 'township_staff',
        regionCode: cadre.region_code,
        regionLevel: levelOfCode(cadre.region_code),
        sessionIdHash: '',
        mustChangePassword: false,
      },
      requestId: 'demo-seed',
    },
    input(demoVillage, '迁入地 5 组 8 号（演示地址）'),
  );
}
