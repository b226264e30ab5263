import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../common/validators/id-number.js';
import { buildRegionTree, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { rosterCsv, rosterRow, runImport, uploadImport } from '../support/uploads.js';

/** Issue 10 items 2 and 6: no ID-number oracle across regions, and one archive per household, enforced. */

let t: TestApp;
let tree: RegionTree;
let city2: RegionTree;
let here: Session; // township staff, tree.township (county 01)
let there: Session; // township staff in the sibling county (same city)
let farAway: Session; // township staff in another city
let prefecture: Session;
let province: Session;
let hereCounty: Session;
let thereCounty: Session;

let sequence = 0;
/** A new ID number of a woman born on `birthDate`: two of them differ only in the sequence code. */
function woman(birthDate = '1964-04-04'): string {
  sequence += 2;
  return makeIdNumber({ regionCode6: '420881', birthDate, sequence: sequence % 1000 });
}

function family(village: string, idNumber: string, extra: Record<string, unknown> = {}) {
  return {
    familyType: 'bereaved',
    regionCode: village,
    address: '团结路 1 号',
    enteredAt: '2021-01-01',
    members: [{ relation: 'mother', name: '陈桂兰', idNumber, phone: '13900001111' }],
    child: { name: '陈亮', sex: 'male', birthDate: '1988-02-02', deathDate: '2012-06-06' },
    ...extra,
  };
}

async function create(session: Session, body: Record<string, unknown>) {
  const res = await session.post('/api/v1/families', body);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json().data as { id: string; archiveNo: string; version: number };
}

/** An answer with what must differ between two archives (ids, archive numbers, times) blanked. */
function normalised(body: string): string {
  return body
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/TS\d{16}/g, '<archiveNo>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
}

async function duplicatesSeenBy(session: Session, query = '') {
  const res = await session.get(`/api/v1/duplicate-archives${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Array<{
    id: string;
    status: string;
    supervisingCode: string;
    version: number;
    newArchive: { familyId: string; archiveNo: string; memberName: string; idNumber: string } | null;
    existingArchive: { familyId: string; archiveNo: string } | null;
  }>;
}

beforeAll(async () => {
  t = await createTestApp({ config: { importValidate: { limit: 3, windowMinutes: 60 } } });
  tree = await buildRegionTree(t.db);
  city2 = await buildRegionTree(t.db);
  here = await t.signIn('township_staff', tree.township);
  there = await t.signIn('township_staff', `${tree.siblingCounty.slice(0, 6)}001000`);
  farAway = await t.signIn('township_staff', city2.township);
  prefecture = await t.signIn('prefecture_staff', tree.prefecture);
  province = await t.signIn('province_staff', tree.province);
  hereCounty = await t.signIn('county_staff', tree.county);
  thereCounty = await t.signIn('county_staff', tree.siblingCounty);
});
afterAll(() => t.close());

const thereVillage = () => `${tree.siblingCounty.slice(0, 6)}001001`;

describe('an ID number archived outside the actor’s scope', () => {
  it('answers a create exactly as for a fresh number (byte for byte, bar ids and times)', async () => {
    const archived = woman();
    await create(there, family(thereVillage(), archived));
    const dup = await here.post('/api/v1/families', family(tree.village, archived));
    const fresh = await here.post('/api/v1/families', family(tree.village, woman()));
    expect(dup.statusCode).toBe(201);
    expect(fresh.statusCode).toBe(201);
    expect(normalised(dup.body)).toBe(normalised(fresh.body));
    expect(dup.body).not.toContain('其他地区');
    // …and so do the archive, its history, and the creator's own list.
    const [a, b] = [dup.json().data.id, fresh.json().data.id];
    for (const path of ['', '/history'])
      expect(normalised((await here.get(`/api/v1/families/${a}${path}`)).body)).toBe(
        normalised((await here.get(`/api/v1/families/${b}${path}`)).body),
      );
  });

  it('answers a validate-only import row exactly as for a fresh number', async () => {
    const archived = woman('1966-06-06');
    await create(there, family(thereVillage(), archived));
    const row = rosterRow(tree.village, 90_000);
    const asFile = (id: string) => ({ name: 'a.csv', content: Buffer.from(rosterCsv([{ ...row, 母亲身份证号: id }])) });
    const dupJob = await runImport(t, here, asFile(archived), 'validate');
    const freshJob = await runImport(t, here, asFile(woman('1966-06-06')), 'validate');
    expect(dupJob).toMatchObject({ status: 'done', accepted: 1, rejected: 0 });
    expect(normalised(JSON.stringify(dupJob))).toBe(normalised(JSON.stringify(freshJob)));
  });

  it('flags the pair to the city, which lists it; neither county sees it', async () => {
    const archived = woman('1961-01-21');
    const old = await create(there, family(thereVillage(), archived));
    const fresh = await create(here, family(tree.village, archived));
    const flags = (await duplicatesSeenBy(prefecture)).filter((d) => d.newArchive?.familyId === fresh.id);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      status: 'pending',
      supervisingCode: tree.prefecture,
      existingArchive: { familyId: old.id, archiveNo: old.archiveNo },
      newArchive: { archiveNo: fresh.archiveNo, memberName: '陈桂兰', idNumber: '420***************' },
    });
    expect((await duplicatesSeenBy(province)).some((d) => d.id === flags[0].id)).toBe(true);
    for (const county of [hereCounty, thereCounty])
      expect((await duplicatesSeenBy(county)).some((d) => d.id === flags[0].id)).toBe(false);
    // The supervising level's filter: a county's code for a county officer only; the city's is outside it.
    expect((await hereCounty.get(`/api/v1/duplicate-archives?regionCode=${tree.prefecture}`)).statusCode).toBe(404);
    expect((await here.get('/api/v1/duplicate-archives')).statusCode).toBe(403);
  });

  it('flags a pair across cities to the province, not to either city', async () => {
    const archived = woman('1960-10-10');
    await create(farAway, family(city2.village, archived));
    const fresh = await create(here, family(tree.village, archived));
    const seen = (await duplicatesSeenBy(province)).find((d) => d.newArchive?.familyId === fresh.id);
    expect(seen?.supervisingCode).toBe(tree.province);
    expect((await duplicatesSeenBy(prefecture)).some((d) => d.newArchive?.familyId === fresh.id)).toBe(false);
  });

  it('flags a pair inside one county to that county’s staff', async () => {
    const archived = woman('1963-03-13');
    const sibling = await t.signIn('township_staff', tree.siblingTownship);
    await create(sibling, family(`${tree.siblingTownship.slice(0, 9)}001`, archived));
    const fresh = await create(here, family(tree.village, archived));
    const seen = (await duplicatesSeenBy(hereCounty)).find((d) => d.newArchive?.familyId === fresh.id);
    expect(seen?.supervisingCode).toBe(tree.county);
  });

  it('treats an ID number changed to one archived elsewhere as a fresh one too, and flags it', async () => {
    const archived = woman('1962-02-12');
    await create(there, family(thereVillage(), archived));
    const mine = await create(here, family(tree.village, woman('1962-02-12')));
    const res = await here.patch(`/api/v1/families/${mine.id}`, {
      version: mine.version,
      members: [{ relation: 'mother', idNumber: archived }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await duplicatesSeenBy(prefecture)).some((d) => d.newArchive?.familyId === mine.id)).toBe(true);
  });

  it('still refuses a duplicate inside the actor’s own scope, naming the archive', async () => {
    const archived = woman('1967-07-07');
    const old = await create(here, family(tree.village, archived));
    const again = await here.post('/api/v1/families', family(tree.siblingVillage, archived));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0]).toMatchObject({ path: 'members.0.idNumber', code: 'DUPLICATE_ID_NUMBER' });
    expect(again.json().error.message).toContain(old.archiveNo);
  });
});

describe('resolving a flagged duplicate', () => {
  async function flagged() {
    const archived = woman('1959-09-09');
    const old = await create(there, family(thereVillage(), archived));
    const fresh = await create(here, family(tree.village, archived));
    const flag = (await duplicatesSeenBy(prefecture, '?status=pending')).find(
      (d) => d.newArchive?.familyId === fresh.id,
    )!;
    return { archived, old, fresh, flag };
  }

  it('transfer: the older archive exits as moved out, the new one is kept and owns the number', async () => {
    const { archived, old, fresh, flag } = await flagged();
    const res = await prefecture.post(`/api/v1/duplicate-archives/${flag.id}/resolve`, {
      resolution: 'transfer',
      reason: '核实已迁入本县',
      version: flag.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ status: 'transferred', reason: '核实已迁入本县' });
    const before = (await thereCounty.get(`/api/v1/families/${old.id}`)).json().data;
    expect(before).toMatchObject({ status: 'exited', statusReason: 'moved_out' });
    expect((await here.get(`/api/v1/families/${fresh.id}`)).json().data.status).toBe('active');
    const history = (await thereCounty.get(`/api/v1/families/${old.id}/history`)).json().data;
    expect(history.map((h: { action: string }) => h.action)).toContain('duplicate');
    // The new archive owns the number now: a third archive of it in another city is flagged against it.
    const third = await create(farAway, family(city2.village, archived));
    const seen = (await duplicatesSeenBy(province)).find((d) => d.newArchive?.familyId === third.id);
    expect(seen?.existingArchive?.familyId).toBeDefined();
    // Resolved once: a second resolution is refused.
    const again = await prefecture.post(`/api/v1/duplicate-archives/${flag.id}/resolve`, {
      resolution: 'reject',
      reason: '重复提交测试',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE');
  });

  it('reject: the new archive exits with the reason, the older one is untouched', async () => {
    const { old, fresh, flag } = await flagged();
    const res = await prefecture.post(`/api/v1/duplicate-archives/${flag.id}/resolve`, {
      resolution: 'reject',
      reason: '户籍仍在原县，不予重复建档',
    });
    expect(res.statusCode, res.body).toBe(200);
    const rejected = (await here.get(`/api/v1/families/${fresh.id}`)).json().data;
    expect(rejected).toMatchObject({ status: 'exited', statusReason: 'other' });
    expect(rejected.statusNote).toContain('户籍仍在原县，不予重复建档');
    expect((await thereCounty.get(`/api/v1/families/${old.id}`)).json().data.status).toBe('active');
  });

  it('refuses a stale version, a short reason, a role that may not resolve and anyone outside the level', async () => {
    const { flag } = await flagged();
    const url = `/api/v1/duplicate-archives/${flag.id}/resolve`;
    const stale = await prefecture.post(url, {
      resolution: 'reject',
      reason: '不予建档理由',
      version: flag.version + 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const short = await prefecture.post(url, { resolution: 'reject', reason: '不' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].path).toBe('reason');
    const leader = await t.signIn('county_leader', tree.prefecture.slice(0, 4) + '01000000');
    expect((await leader.post(url, { resolution: 'reject', reason: '不予建档理由' })).statusCode).toBe(404);
    expect((await hereCounty.post(url, { resolution: 'reject', reason: '不予建档理由' })).statusCode).toBe(404);
    const otherCity = await t.signIn('prefecture_staff', city2.prefecture);
    expect((await otherCity.post(url, { resolution: 'reject', reason: '不予建档理由' })).statusCode).toBe(404);
    expect(
      (
        await prefecture.post('/api/v1/duplicate-archives/nope/resolve', {
          resolution: 'reject',
          reason: '不予建档理由',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('parallel creations of one household', () => {
  it('20 simultaneous creates with one parent ID number make one archive; the others get the duplicate answer', async () => {
    const id = woman('1958-08-18');
    const village = await t.signIn('village_staff', tree.village);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => village.post('/api/v1/families', family(tree.village, id))),
    );
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, ...Array(19).fill(409)]);
    const winner = answers.find((r) => r.statusCode === 201)!.json().data.archiveNo;
    for (const r of answers.filter((a) => a.statusCode === 409)) {
      expect(r.json().error.details[0]).toMatchObject({ path: 'members.0.idNumber', code: 'DUPLICATE_ID_NUMBER' });
      expect(r.json().error.message).toContain(winner);
    }
    const found = (await village.post('/api/v1/families/search', { q: id })).json();
    expect(found.page.total).toBe(1);
  });

  it('20 simultaneous creates of a number archived elsewhere make one new archive and one flag', async () => {
    const id = woman('1957-07-17');
    await create(there, family(thereVillage(), id));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => here.post('/api/v1/families', family(tree.village, id))),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, ...Array(19).fill(409)]);
    const created = answers.find((r) => r.statusCode === 201)!.json().data.id;
    const flags = (await duplicatesSeenBy(prefecture)).filter((d) => d.newArchive?.familyId === created);
    expect(flags).toHaveLength(1);
    expect((await here.post('/api/v1/families/search', { q: id })).json().page.total).toBe(1);
  });
});

// Last: it moves the clock on past every session's idle timeout.
describe('validate-only imports are rate-limited per account', () => {
  it('answers 429 with Retry-After beyond the limit, for that account only', async () => {
    const importer = await t.signIn('township_staff', tree.township);
    const file = () => ({ name: 'a.csv', content: Buffer.from(rosterCsv([rosterRow(tree.village, 91_000)])) });
    for (let i = 0; i < 3; i += 1) expect((await uploadImport(t, importer, file(), 'validate')).statusCode).toBe(202);
    const refused = await uploadImport(t, importer, file(), 'validate');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    const someoneElse = await t.signIn('township_staff', tree.township);
    expect((await uploadImport(t, someoneElse, file(), 'validate')).statusCode).toBe(202);
    // An hour on, the account may validate again (signed in anew: the session has idled out meanwhile).
    t.clock.advance(61 * 60_000);
    const later = await t.login(importer.account);
    expect((await uploadImport(t, later, file(), 'validate')).statusCode).toBe(202);
  });
});
