import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// 中秋节 2026 is 2026-09-25, its care window 2026-09-15 … 2026-09-30; the test clock stands at 2026-11-28.
const CAMPAIGN = 'year=2026&festival=mid_autumn';
const STATUSES = ['not_cared', 'cared', 'declined'] as const;

interface Coverage {
  families: number;
  cared: number;
  declined: number;
  children: Array<{ regionCode: string; families: number; cared: number; declined: number }>;
}
interface CareFamily {
  familyId: string;
  archiveNo: string;
  regionCode: string;
  regionName: string;
  parentNames: string[];
  contacts: Array<{ contactId: string; post: string; name: string }>;
  care: { manner: string; caredOn: string } | null;
}

let t: TestApp;
let tree: RegionTree;
let township: Session;
let otherTownship: Session;
let county: Session;
const f: Record<'cared' | 'declined' | 'notYet' | 'unassigned' | 'otherTownship' | 'exited' | 'otherCounty', string> =
  {} as never;
const inputs: Record<string, ReturnType<typeof familyInput>> = {};
let townshipContact: { id: string; name: string };
let villageContact: { id: string; name: string };

async function createFamily(session: Session, key: keyof typeof f, village: string): Promise<string> {
  const input = familyInput(village, { enteredAt: '2020-01-01' });
  const res = await session.post('/api/v1/families', input);
  expect(res.statusCode, res.body).toBe(201);
  inputs[key] = input;
  f[key] = res.json().data.id;
  return f[key];
}

async function care(session: Session, familyId: string, festival: string, manner: string, caredOn: string) {
  const res = await session.post(`/api/v1/families/${familyId}/festival-care`, {
    year: 2026,
    festival,
    manner,
    amount: manner === 'money' ? 300 : null,
    caredOn,
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function coverage(session: Session, regionCode: string): Promise<Coverage> {
  const res = await session.get(`/api/v1/festival-care/coverage?${CAMPAIGN}&regionCode=${regionCode}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}

async function list(session: Session, query: string) {
  return session.get(`/api/v1/festival-care/families?${CAMPAIGN}&${query}`);
}

async function listAll(session: Session, regionCode: string, status: string) {
  const res = await list(session, `regionCode=${regionCode}&status=${status}&pageSize=200`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { data: CareFamily[]; page: { total: number } };
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  otherTownship = await t.signIn('township_staff', tree.siblingTownship);
  county = await t.signIn('county_staff', tree.county);
  const countyNeighbour = await t.signIn('township_staff', `${tree.siblingCounty.slice(0, 6)}001000`);

  townshipContact = { id: '', name: '乡镇联系人甲' };
  villageContact = { id: '', name: '村联系人乙' };
  townshipContact.id = (
    await buildContact(township, 'township_cadre', tree.township, { name: townshipContact.name })
  ).id;
  villageContact.id = (await buildContact(township, 'village_cadre', tree.village, { name: villageContact.name })).id;

  for (const key of ['cared', 'declined', 'notYet', 'exited'] as const) {
    await createFamily(township, key, tree.village);
    const res = await township.put(`/api/v1/families/${f[key]}/assignments`, {
      townshipContactId: townshipContact.id,
      villageContactId: villageContact.id,
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  await createFamily(township, 'unassigned', tree.siblingVillage);
  await createFamily(otherTownship, 'otherTownship', `${tree.siblingTownship.slice(0, 9)}001`);
  await createFamily(countyNeighbour, 'otherCounty', `${tree.siblingCounty.slice(0, 6)}001001`);

  await care(township, f.cared, 'mid_autumn', 'money', '2026-09-24');
  await care(township, f.declined, 'mid_autumn', 'declined', '2026-09-20');
  await care(otherTownship, f.otherTownship, 'mid_autumn', 'phone', '2026-09-25');
  // Care at another festival of the year does not count for 中秋.
  await care(township, f.notYet, 'dragon_boat', 'home_visit', '2026-06-19');
  // An exited family leaves both the figures and the lists, even when it had been cared for.
  await care(township, f.exited, 'mid_autumn', 'goods', '2026-09-24');
  const exited = (await township.get(`/api/v1/families/${f.exited}`)).json().data;
  const exit = await township.post(`/api/v1/families/${f.exited}/status`, {
    version: exited.version,
    status: 'exited',
    reason: 'moved_out',
    effectiveDate: '2026-11-01',
  });
  expect(exit.statusCode, exit.body).toBe(200);
});
afterAll(() => t.close());

describe('festival care family lists (R6)', () => {
  it('lists the families of each status in a county, the same families coverage counts', async () => {
    const ids = async (status: string) => (await listAll(county, tree.county, status)).data.map((r) => r.familyId);
    expect((await ids('not_cared')).sort()).toEqual([f.notYet, f.unassigned].sort());
    expect((await ids('cared')).sort()).toEqual([f.cared, f.otherTownship].sort());
    expect(await ids('declined')).toEqual([f.declined]);

    const cov = await coverage(county, tree.county);
    expect(cov).toMatchObject({ families: 5, cared: 2, declined: 1 });
  });

  it('agrees with /coverage for the region and for every child region, at each level', async () => {
    for (const region of [tree.county, tree.township, tree.siblingTownship, tree.village, tree.siblingVillage]) {
      const cov = await coverage(county, region);
      const totals = async (code: string) => {
        const [notCared, cared, declined] = await Promise.all(
          STATUSES.map(async (s) => (await listAll(county, code, s)).page.total),
        );
        return { notCared, cared, declined };
      };
      expect(await totals(region)).toEqual({
        notCared: cov.families - cov.cared - cov.declined,
        cared: cov.cared,
        declined: cov.declined,
      });
      for (const child of cov.children) {
        expect(await totals(child.regionCode)).toEqual({
          notCared: child.families - child.cared - child.declined,
          cared: child.cared,
          declined: child.declined,
        });
      }
    }
  });

  it('shows the parents’ names, the region, the 双岗 contacts by name and the care, and no ID number or phone', async () => {
    const res = await list(county, `regionCode=${tree.township}`);
    const body = res.json() as { data: CareFamily[]; page: { total: number } };
    const row = body.data.find((r) => r.familyId === f.notYet)!;
    expect(row).toMatchObject({
      regionCode: tree.village,
      regionName: expect.stringContaining('测试村'),
      parentNames: ['张秀英'],
      care: null,
    });
    expect(row.archiveNo).toMatch(/^TS\d{16}$/);
    expect(row.contacts).toEqual([
      { contactId: townshipContact.id, post: 'township_cadre', name: townshipContact.name },
      { contactId: villageContact.id, post: 'village_cadre', name: villageContact.name },
    ]);
    expect(body.data.find((r) => r.familyId === f.unassigned)!.contacts).toEqual([]);
    expect(Object.keys(row).sort()).toEqual(
      ['archiveNo', 'care', 'contacts', 'familyId', 'familyType', 'parentNames', 'regionCode', 'regionName'].sort(),
    );
    for (const input of Object.values(inputs)) {
      const member = input.members[0];
      expect(res.body).not.toContain(member.idNumber);
      expect(res.body).not.toContain(member.phone);
    }
    // Not even the masks of ID numbers (`420***********122X`) or phones (`139****5678`).
    expect(res.body).not.toContain('**');

    const cared = (await listAll(county, tree.county, 'cared')).data.find((r) => r.familyId === f.cared)!;
    expect(cared.care).toEqual({ manner: 'money', caredOn: '2026-09-24' });
    const declined = (await listAll(county, tree.county, 'declined')).data[0];
    expect(declined.care).toEqual({ manner: 'declined', caredOn: '2026-09-20' });
  });

  it('defaults to the families not yet cared for in the signed-in user’s region, paged by archive number', async () => {
    const village = await t.signIn('village_staff', tree.village);
    const mine = await list(village, '');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().data.map((r: CareFamily) => r.familyId)).toEqual([f.notYet]);

    const all = (await listAll(county, tree.county, 'not_cared')).data.map((r) => r.archiveNo);
    expect(all).toEqual([...all].sort());
    const second = (await list(county, `regionCode=${tree.county}&pageSize=1&page=2`)).json();
    expect(second.page).toEqual({ page: 2, pageSize: 1, total: 2 });
    expect(second.data.map((r: CareFamily) => r.archiveNo)).toEqual([all[1]]);
  });

  it('answers 404 for a region outside the user’s, 403 for a role without compliance.read, 401 without a session', async () => {
    const neighbour = await t.signIn('county_staff', tree.siblingCounty);
    for (const region of [tree.county, tree.township, tree.village]) {
      const res = await list(neighbour, `regionCode=${region}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.body).not.toContain(f.notYet);
    }
    // The neighbour's own list never carries this county's families, and coverage refuses the same way.
    const own = (await listAll(neighbour, tree.siblingCounty, 'not_cared')).data.map((r) => r.familyId);
    expect(own).toEqual([f.otherCounty]);
    expect(
      (await neighbour.get(`/api/v1/festival-care/coverage?${CAMPAIGN}&regionCode=${tree.county}`)).statusCode,
    ).toBe(404);

    const elsewhere = await buildRegionTree(t.db);
    const prefecture = await t.signIn('prefecture_staff', elsewhere.prefecture);
    expect((await list(prefecture, `regionCode=${tree.county}`)).statusCode).toBe(404);
    const village = await t.signIn('village_staff', tree.village);
    expect((await list(village, `regionCode=${tree.siblingVillage}`)).statusCode).toBe(404);

    const contact = await t.signIn('contact', tree.village);
    const refused = await list(contact, `regionCode=${tree.village}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    const admin = await t.signIn('sysadmin', tree.county);
    expect((await list(admin, `regionCode=${tree.county}`)).statusCode).toBe(403);

    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/festival-care/families?${CAMPAIGN}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('names the bad parameter', async () => {
    const status = await list(county, 'status=overdue');
    expect(status.statusCode).toBe(400);
    expect(status.json().error.details[0]).toMatchObject({ path: 'querystring.status' });
    const region = await list(county, 'regionCode=4208');
    expect(region.json().error.details[0]).toMatchObject({ path: 'querystring.regionCode' });
    const festival = await county.get('/api/v1/festival-care/families?year=2026&festival=qingming');
    expect(festival.json().error.details[0]).toMatchObject({ path: 'querystring.festival' });
  });
});
