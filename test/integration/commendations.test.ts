import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/** Issue 15 part 7: 表彰 — candidates ranked from the records, nomination within a quota, exclusion rule. */
let t: TestApp;
let tree: RegionTree;
let township: Session;
let county: Session;
let city: Session;
let province: Session;
let good: { id: string };
let lazy: { id: string };
let tc: { id: string };
let year: number;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  county = await t.signIn('county_staff', tree.county);
  city = await t.signIn('prefecture_staff', tree.prefecture);
  province = await t.signIn('province_staff', tree.prefecture.slice(0, 2) + '0000000000');
  year = Number(chinaDate(t.clock.now()).slice(0, 4));
  tc = await buildContact(township, 'township_cadre', tree.township);
  good = await buildContact(township, 'village_cadre', tree.village);
  lazy = await buildContact(township, 'village_cadre', tree.village);
  for (const vc of [good, lazy]) {
    const f = (await township.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }))).json()
      .data as { id: string };
    await township.put(`/api/v1/families/${f.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
    if (vc === good)
      expect(
        (
          await township.post(`/api/v1/families/${f.id}/contact-logs`, {
            contactId: vc.id,
            mode: 'home_visit',
            occurredAt: t.clock.now().toISOString(),
          })
        ).statusCode,
      ).toBe(201);
    else {
      // The lazy contact's family petitions in Beijing; the review finds 履职不到位 and names them.
      await county.post(`/api/v1/families/${f.id}/petition-events`, {
        level: 'beijing',
        form: 'visit',
        size: 1,
        occurredOn: chinaDate(t.clock.now()),
      });
      const [c] = (await county.get('/api/v1/accountability-cases?status=open')).json().data;
      const done = await county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
        finding: 'failed',
        measures: '诫勉谈话',
        people: [{ contactId: vc.id, name: '村级联系人' }],
        version: c.version,
      });
      expect(done.statusCode).toBe(200);
    }
  }
});
afterAll(() => t.close());

type Candidate = {
  rank: number;
  contactId: string;
  score: number;
  isExcluded: boolean;
  evidence: { visits: { rate: number; visited: number }; provincePetitions: number; trainings: number };
};

describe('表彰: candidates ranked from the evidence', () => {
  it('ranks the city’s contacts; the visit figure is the compliance module’s; the petition and finding show', async () => {
    const res = await city.get(`/api/v1/commendation-candidates?regionCode=${tree.prefecture}&year=${year}`);
    expect(res.statusCode).toBe(200);
    const rows = res.json().data as Candidate[];
    const ids = rows.map((r) => r.contactId);
    expect(ids).toEqual(expect.arrayContaining([good.id, lazy.id, tc.id]));
    const g = rows.find((r) => r.contactId === good.id)!;
    const l = rows.find((r) => r.contactId === lazy.id)!;
    expect(g.rank).toBeLessThan(l.rank);
    expect(g.score).toBeGreaterThan(l.score);
    expect(l.evidence.provincePetitions).toBe(1);
    expect(l.isExcluded).toBe(true);
    expect(g.isExcluded).toBe(false);
    // This month's visit figure equals the 走访督导 per-contact table (/compliance/contacts).
    const month = chinaDate(t.clock.now()).slice(0, 7);
    const byContact = (
      await city.get(`/api/v1/compliance/contacts?regionCode=${tree.prefecture}&month=${month}`)
    ).json().data as Array<{ contactId: string; visited: number }>;
    const thisMonth = byContact.find((r) => r.contactId === good.id)!.visited;
    expect(thisMonth).toBe(1);
    // Only this year's months up to now are summed; the visit was logged this month.
    expect(g.evidence.visits.visited).toBe(thisMonth);
    // Only a city is ranked; a county may not read it; a future year is refused.
    expect(
      (await city.get(`/api/v1/commendation-candidates?regionCode=${tree.county}`)).json().error.details[0].path,
    ).toContain('regionCode');
    expect((await county.get(`/api/v1/commendation-candidates?regionCode=${tree.county}`)).statusCode).toBe(403);
    expect((await city.get(`/api/v1/commendation-candidates?year=${year + 1}`)).json().error.details[0].path).toContain(
      'year',
    );
  });

  it('refuses to nominate a contact with a 履职不到位 finding this year, with a clear error, storing nothing', async () => {
    const res = await city.post('/api/v1/commendation-nominations', {
      regionCode: tree.prefecture,
      year,
      contactId: lazy.id,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'contactId', code: 'CONTACT_EXCLUDED' });
    expect(res.json().error.details[0].message).toContain('履职不到位');
    expect(await t.db.selectFrom('commendation_nominees').selectAll().execute()).toHaveLength(0);
    expect(await t.db.selectFrom('commendation_lists').selectAll().execute()).toHaveLength(0);
  });

  it('nominates within the quota, submits, the province approves, the city publishes', async () => {
    const res = await city.post('/api/v1/commendation-nominations', {
      regionCode: tree.prefecture,
      year,
      contactId: good.id,
      reason: '走访到位',
    });
    expect(res.statusCode).toBe(201);
    let list = res.json().data;
    expect(list).toMatchObject({ status: 'draft', quota: 1, regionCode: tree.prefecture });
    expect(list.nominees.map((n: { contactId: string }) => n.contactId)).toEqual([good.id]);
    const over = await city.post('/api/v1/commendation-nominations', {
      regionCode: tree.prefecture,
      year,
      contactId: tc.id,
    });
    expect(over.json().error.details[0].code).toBe('QUOTA_EXCEEDED');
    expect(
      (await province.post(`/api/v1/commendation-lists/${list.id}/approve`, { version: list.version })).statusCode,
    ).toBe(409);
    list = (await city.post(`/api/v1/commendation-lists/${list.id}/submit`, { version: list.version })).json().data;
    expect(list.status).toBe('submitted');
    expect(
      (await city.post(`/api/v1/commendation-lists/${list.id}/approve`, { version: list.version })).statusCode,
    ).toBe(403);
    list = (await province.post(`/api/v1/commendation-lists/${list.id}/approve`, { version: list.version })).json()
      .data;
    expect(list.status).toBe('approved');
    list = (await city.post(`/api/v1/commendation-lists/${list.id}/publish`, { version: list.version })).json().data;
    expect(list).toMatchObject({ status: 'published', abilities: { nominate: false } });
    const got = (await province.get(`/api/v1/commendation-lists?regionCode=${tree.prefecture}&year=${year}`)).json()
      .data;
    expect(got.id).toBe(list.id);
    const audited = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'commendation.%')
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual([
      'commendation.approve',
      'commendation.list',
      'commendation.nominate',
      'commendation.publish',
      'commendation.submit',
    ]);
  });
});
