import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Role } from '../../common/roles.js';
import { insertAccount } from '../modules/users/users.service.js';
import type { Db } from '../platform/db/database.js';
import { levelOfCode, type Actor } from '../platform/scope.js';

/** The demo county: 钟祥市 (荆门市), about 400 special families in reality. */
export const DEMO_COUNTY = '420881000000';
export const DEMO_PREFECTURE = '420800000000';
export const DEMO_PROVINCE = '420000000000';

export interface DemoLogin {
  username: string;
  role: Role;
  regionCode: string;
  regionName: string;
}

/** A password that satisfies the default policy (upper, lower, digit, symbol). */
function randomDemoPassword(): string {
  return `Demo-${randomBytes(6).toString('base64url')}-${(randomBytes(2).readUInt16BE(0) % 90) + 10}a`;
}

/**
 * The demo password: DEMO_PASSWORD, or one generated at first start and kept beside the database
 * (demo mode only) so later starts can print it again.
 */
export function demoPassword(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = demoPasswordFile(dataDir);
  if (fs.existsSync(file)) {
    // Tighten a file an earlier version left readable by others.
    fs.chmodSync(file, 0o600);
    return fs.readFileSync(file, 'utf8').trim();
  }
  const password = randomDemoPassword();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another instance starting at the same moment wrote it first: theirs is the password.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw e;
  }
  return password;
}

export function demoPasswordFile(dataDir: string): string {
  return path.join(dataDir, 'demo-password.txt');
}

async function firstChild(db: Db, code: string): Promise<{ code: string; name: string }> {
  const row = await db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('parent_code', '=', code)
    .orderBy('code')
    .executeTakeFirst();
  if (!row) throw new Error(`Region ${code} has no children: is the Hubei tree loaded?`);
  return row;
}

async function regionName(db: Db, code: string): Promise<string> {
  const row = await db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirstOrThrow();
  return row.name;
}

/** The demo township and village: the first of each under 钟祥市, so every start picks the same. */
export async function demoRegions(db: Db) {
  const township = await firstChild(db, DEMO_COUNTY);
  const village = await firstChild(db, township.code);
  return { township, village };
}

/** Demo accounts, one per role at the level its name says. Loaded only into a new demo database. */
export async function seedDemoAccounts(db: Db, password: string, now: Date): Promise<DemoLogin[]> {
  const { township, village } = await demoRegions(db);
  const accounts: Array<[string, Role, string, string]> = [
    ['demo_province', 'province_staff', DEMO_PROVINCE, '演示省级工作人员'],
    ['demo_prefecture', 'prefecture_staff', DEMO_PREFECTURE, '演示市州工作人员'],
    ['demo_county', 'county_staff', DEMO_COUNTY, '演示县级工作人员'],
    ['demo_county_leader', 'county_leader', DEMO_COUNTY, '演示县级分管领导'],
    ['demo_township', 'township_staff', township.code, '演示乡镇工作人员'],
    ['demo_village', 'village_staff', village.code, '演示村级工作人员'],
    ['demo_contact', 'contact', village.code, '演示联系人'],
    ['demo_sysadmin', 'sysadmin', DEMO_PROVINCE, '演示系统管理员'],
    ['demo_security', 'security_admin', DEMO_PROVINCE, '演示安全管理员'],
    ['demo_auditor', 'auditor', DEMO_PROVINCE, '演示安全审计员'],
  ];
  const logins: DemoLogin[] = [];
  await db.transaction().execute(async (trx) => {
    for (const [username, role, regionCode, displayName] of accounts) {
      await insertAccount(trx, { username, displayName, password, role, regionCode }, now);
    }
  });
  for (const [username, role, regionCode] of accounts)
    logins.push({ username, role, regionCode, regionName: await regionName(db, regionCode) });
  return logins;
}

export async function listDemoLogins(db: Db): Promise<DemoLogin[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('regions as r', 'r.code', 'u.region_code')
    .select(['u.username', 'u.role', 'u.region_code', 'r.name'])
    .where('u.username', 'like', 'demo_%')
    .orderBy('u.username')
    .execute();
  return rows.map((r) => ({
    username: r.username,
    role: r.role as Role,
    regionCode: r.region_code,
    regionName: r.name,
  }));
}

/** The synthetic actor demo data is written as (audit rows show "demo-seed"). */
export function seedContext(regionCode: string, role: Actor['role']): { actor: Actor; requestId: string } {
  return {
    actor: {
      id: 'demo-seed',
      username: 'demo-seed',
      displayName: '演示数据',
      role,
      regionCode,
      regionLevel: levelOfCode(regionCode),
      sessionIdHash: '',
      mustChangePassword: false,
    },
    requestId: 'demo-seed',
  };
}
