import { makeIdNumber } from '../../common/validators/id-number.js';
import type { Role } from '../../common/roles.js';
import type { Db } from '../../server/platform/db/database.js';
import { insertAccount } from '../../server/modules/users/users.service.js';

export const TEST_PASSWORD = 'Test-Passw0rd!';
const TEST_PROVINCE = '990000000000';

let treeCounter = 0;
let userCounter = 0;

export interface RegionTree {
  province: string;
  prefecture: string;
  county: string;
  township: string;
  village: string;
  /** Same parent, different node, at each level below the prefecture. */
  siblingCounty: string;
  siblingTownship: string;
  siblingVillage: string;
}

/**
 * A fresh subtree of the test province 99: one prefecture with two counties, each with two townships of
 * two villages. Each call makes a new prefecture, so a second tree is "another branch" of the first.
 */
export async function buildRegionTree(db: Db): Promise<RegionTree> {
  treeCounter += 1;
  if (treeCounter > 99) throw new Error('buildRegionTree: at most 99 trees per test database');
  const pp = `99${String(treeCounter).padStart(2, '0')}`;
  const rows: Array<{ code: string; name: string; level: string; parent_code: string | null }> = [];
  const exists = await db.selectFrom('regions').select('code').where('code', '=', TEST_PROVINCE).executeTakeFirst();
  if (!exists) rows.push({ code: TEST_PROVINCE, name: '测试省', level: 'province', parent_code: null });
  const prefecture = `${pp}00000000`;
  rows.push({ code: prefecture, name: `测试市${treeCounter}`, level: 'prefecture', parent_code: TEST_PROVINCE });
  for (const c of ['01', '02']) {
    const county = `${pp}${c}000000`;
    rows.push({ code: county, name: `测试县${treeCounter}-${c}`, level: 'county', parent_code: prefecture });
    for (const t of ['001', '002']) {
      const township = `${pp}${c}${t}000`;
      rows.push({ code: township, name: `测试镇${treeCounter}-${c}-${t}`, level: 'township', parent_code: county });
      for (const v of ['001', '002']) {
        rows.push({
          code: `${pp}${c}${t}${v}`,
          name: `测试村${treeCounter}-${c}-${t}-${v}`,
          level: 'village',
          parent_code: township,
        });
      }
    }
  }
  await db.insertInto('regions').values(rows).execute();
  return {
    province: TEST_PROVINCE,
    prefecture,
    county: `${pp}01000000`,
    township: `${pp}01001000`,
    village: `${pp}01001001`,
    siblingCounty: `${pp}02000000`,
    siblingTownship: `${pp}01002000`,
    siblingVillage: `${pp}01001002`,
  };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
  regionCode: string;
}

export async function buildUser(db: Db, role: Role, regionCode: string, now = new Date()): Promise<TestUser> {
  userCounter += 1;
  const username = `u${userCounter}_${role}`.slice(0, 32);
  const id = await insertAccount(
    db,
    { username, displayName: `测试用户${userCounter}`, password: TEST_PASSWORD, role, regionCode },
    now,
  );
  return { id, username, password: TEST_PASSWORD, role, regionCode };
}

let personCounter = 0;

/** A valid, unique ID number for a person of that sex and birth date (sequence parity carries the sex). */
export function idNumberFor(sex: 'male' | 'female', birthDate: string, region6 = '420881'): string {
  personCounter += 1;
  const base = (personCounter * 2) % 1000;
  // 500 sequences per region and birth date: past them, the next region code keeps numbers unique.
  const region = String(Number(region6) + Math.floor(personCounter / 500)).padStart(6, '0');
  return makeIdNumber({ regionCode6: region, birthDate, sequence: sex === 'male' ? base + 1 : base });
}

let phoneCounter = 0;
export function phoneNumber(): string {
  phoneCounter += 1;
  return `139${String(10_000_000 + phoneCounter * 7919).slice(-8)}`;
}

/** The smallest family every client may create (DESIGN.md §5), in a village of the given tree. */
export function familyInput(village: string, overrides: Record<string, unknown> = {}) {
  return {
    familyType: 'bereaved',
    regionCode: village,
    address: '保成路 8 号',
    members: [
      { relation: 'mother', name: '张秀英', idNumber: idNumberFor('female', '1965-05-05'), phone: phoneNumber() },
    ],
    child: { name: '李明', sex: 'male', birthDate: '1990-03-01', deathDate: '2015-05-01' },
    ...overrides,
  };
}

/** A contact in the registry, written straight through the API as township or county staff would. */
export async function buildContact(
  session: {
    post(
      url: string,
      body?: Record<string, unknown>,
    ): Promise<{ statusCode: number; body: string; json(): { data: { id: string } } }>;
  },
  post: string,
  regionCode: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string }> {
  const res = await session.post('/api/v1/contacts', {
    name: `联系人${phoneCounter + 1}`,
    phone: phoneNumber(),
    post,
    regionCode,
    ...extra,
  });
  if (res.statusCode !== 201) throw new Error(`contact create failed: ${res.body}`);
  return res.json().data;
}

/** What the API factories need of a signed-in session (test-app's `Session`; no import, no cycle). */
interface ApiSession {
  post(url: string, body?: Record<string, unknown>): Promise<ApiResponse>;
  put(url: string, body: Record<string, unknown>): Promise<ApiResponse>;
}
interface ApiResponse {
  statusCode: number;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the fields it asserts on
  json(): any;
}

export interface AssignedFamily {
  /** The archive as the create answered it (its version is the one before the assignment moved it on). */
  family: { id: string; archiveNo: string; version: number } & Record<string, unknown>;
  /** What was posted: its members' full ID numbers and phones, for tests that search or reveal them. */
  input: ReturnType<typeof familyInput>;
  /** The assignment's answer: the family's current and past posts. */
  assignments: { current: Array<Record<string, unknown>>; history: Array<Record<string, unknown>> };
}

/**
 * A family of the village with both 双岗 posts held: created through the API (entered 2020-01-01 unless the
 * overrides say otherwise), then its township and village cadres assigned — as township staff would. Throws
 * with the answer when either step does not succeed (201, then 200).
 */
export async function buildAssignedFamily(
  session: ApiSession,
  village: string,
  contacts: { townshipContactId: string; villageContactId: string },
  overrides: Record<string, unknown> = {},
): Promise<AssignedFamily> {
  const input = familyInput(village, { enteredAt: '2020-01-01', ...overrides });
  const res = await session.post('/api/v1/families', input);
  if (res.statusCode !== 201) throw new Error(`family create failed: ${res.statusCode} ${res.body}`);
  const family = res.json().data as AssignedFamily['family'];
  const put = await session.put(`/api/v1/families/${family.id}/assignments`, {
    townshipContactId: contacts.townshipContactId,
    villageContactId: contacts.villageContactId,
  });
  if (put.statusCode !== 200) throw new Error(`assignment failed: ${put.statusCode} ${put.body}`);
  return { family, input, assignments: put.json().data as AssignedFamily['assignments'] };
}
