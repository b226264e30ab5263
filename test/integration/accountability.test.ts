import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/** Issue 15 part 6: 问责 — opened by a province-level petition inside its transaction, with the evidence. */
let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let township: Session;
let county: Session;
let prefecture: Session;
let province: Session;
let otherCounty: Session;
let familyId: string;
let townshipContact: { id: string };
let villageContact: { id: string };

async function newFamily(): Promise<string> {
  const f = await township.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }));
  expect(f.statusCode).toBe(201);
  return (f.json().data as { id: string }).id;
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  county = await t.signIn('county_staff', tree.county);
  prefecture = await t.signIn('prefecture_staff', tree.prefecture);
  province = await t.signIn('province_staff', tree.prefecture.slice(0, 2) + '0000000000');
  otherCounty = await t.signIn('county_staff', other.county);
  townshipContact = await buildContact(township, 'township_cadre', tree.township);
  villageContact = await buildContact(township, 'village_cadre', tree.village);
  familyId = await newFamily();
  await township.put(`/api/v1/families/${familyId}/assignments`, {
    townshipContactId: townshipContact.id,
    villageContactId: villageContact.id,
  });
  // Two home visits by the village contact, one petition risk visited late, one open need.
  for (const daysAgo of [10, 40])
    expect(
      (
        await township.post(`/api/v1/families/${familyId}/contact-logs`, {
          contactId: villageContact.id,
          mode: 'home_visit',
          occurredAt: new Date(t.clock.now().getTime() - daysAgo * 86_400_000).toISOString(),
        })
      ).statusCode,
    ).toBe(201);
  const risk = await township.post(`/api/v1/families/${familyId}/petition-risks`, {
    targetLevel: 'province',
    scope: 'individual',
    riskLevel: 'yellow',
    signals: '多次表示要到省里反映',
  });
  expect(risk.statusCode).toBe(201);
  const need = await township.post('/api/v1/needs', {
    familyId,
    category: 'medical',
    department: 'health',
    description: '住院费用报销',
    deadline: chinaDate(new Date(t.clock.now().getTime() + 30 * 86_400_000)),
  });
  expect([200, 201]).toContain(need.statusCode);
});
afterAll(() => t.close());

describe('问责: automatic case on a province-level petition', () => {
  it('a county-level petition opens nothing; a province-level one opens a case for the county with the evidence', async () => {
    const today = chinaDate(t.clock.now());
    const low = await county.post(`/api/v1/families/${familyId}/petition-events`, {
      level: 'county',
      form: 'visit',
      size: 1,
      occurredOn: today,
    });
    expect(low.statusCode).toBe(201);
    expect((await county.get('/api/v1/accountability-cases')).json().data).toHaveLength(0);

    const high = await county.post(`/api/v1/families/${familyId}/petition-events`, {
      level: 'beijing',
      form: 'visit',
      size: 2,
      occurredOn: today,
    });
    expect(high.statusCode).toBe(201);
    const list = (await county.get(`/api/v1/accountability-cases?regionCode=${tree.county}`)).json().data;
    expect(list).toHaveLength(1);
    const c = list[0];
    expect(c).toMatchObject({ familyId, trigger: 'petition_event', status: 'open', regionCode: tree.county });
    expect(c.evidence.petition).toMatchObject({ level: 'beijing', size: 2, occurredOn: today });
    expect(c.evidence.contacts.map((x: { contactId: string }) => x.contactId).sort()).toEqual(
      [townshipContact.id, villageContact.id].sort(),
    );
    expect(c.evidence.contacts.find((x: { contactId: string }) => x.contactId === villageContact.id).homeVisits).toBe(
      2,
    );
    expect(c.evidence.homeVisits).toHaveLength(2);
    expect(c.evidence.petitionRisks).toHaveLength(1);
    expect(c.evidence.openNeeds).toHaveLength(1);
    expect(c.evidence.openNeeds[0]).toMatchObject({ category: 'medical', isOverdue: false });
    expect(c.evidence.summary.join('')).toContain('双岗联系人已配齐');
    expect(c.abilities.conclude).toBe(true);
    // The city and the province see it; another county does not; a township (no need-to-know) gets 404.
    expect(
      (await prefecture.get('/api/v1/accountability-cases')).json().data.map((x: { id: string }) => x.id),
    ).toContain(c.id);
    expect((await province.get(`/api/v1/accountability-cases/${c.id}`)).statusCode).toBe(200);
    expect((await otherCounty.get(`/api/v1/accountability-cases/${c.id}`)).statusCode).toBe(404);
    expect((await township.get(`/api/v1/accountability-cases/${c.id}`)).statusCode).toBe(404);
    expect((await otherCounty.get(`/api/v1/accountability-cases?regionCode=${tree.county}`)).statusCode).toBe(404);
    // Every read audited, as a petition read.
    const reads = await t.db
      .selectFrom('audit_events')
      .select(['action', 'target_id'])
      .where('action', '=', 'accountability.read')
      .execute();
    expect(reads.filter((r) => r.target_id === familyId).length).toBeGreaterThanOrEqual(3);
    // In the county's todos, to conclude.
    const todos = (await county.get('/api/v1/todos')).json().data as Array<{ kind: string; path?: string }>;
    expect(todos.find((x) => x.kind === 'accountability_case')?.path).toBe(`/accountability?case=${c.id}`);
  });

  it('the case commits with the event or not at all', async () => {
    const before = await t.db.selectFrom('accountability_cases').select('id').execute();
    // A future date is refused before anything is written: no event, no case.
    const bad = await county.post(`/api/v1/families/${familyId}/petition-events`, {
      level: 'province',
      form: 'visit',
      size: 1,
      occurredOn: '2099-01-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(await t.db.selectFrom('accountability_cases').select('id').execute()).toHaveLength(before.length);
  });

  it('records a finding with measures and people, open → concluded; bad input names the field', async () => {
    const [c] = (await county.get('/api/v1/accountability-cases?status=open')).json().data;
    const missing = await county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
      finding: 'maybe',
      measures: '',
      version: c.version,
    });
    expect(missing.statusCode).toBe(400);
    const paths = (missing.json().error.details as Array<{ path: string }>).map((d) => d.path).join(',');
    expect(paths).toContain('finding');
    expect(paths).toContain('measures');
    const foreign = await buildContact(
      await t.signIn('township_staff', other.township),
      'village_cadre',
      other.village,
    );
    expect(
      (
        await county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
          finding: 'failed',
          measures: '约谈',
          people: [{ contactId: foreign.id, name: '外县人员' }],
          version: c.version,
        })
      ).json().error.details[0],
    ).toMatchObject({ path: 'people', code: 'CONTACT_UNKNOWN' });
    const done = await county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
      finding: 'failed',
      measures: '对村级联系人诫勉谈话，限期整改',
      people: [{ contactId: villageContact.id, name: '村级联系人', role: '村级联系人' }],
      version: c.version,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().data).toMatchObject({ status: 'concluded', finding: 'failed', abilities: { conclude: false } });
    expect(done.json().data.people[0].contactId).toBe(villageContact.id);
    const again = await county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
      finding: 'performed',
      measures: '不予追究',
      version: c.version + 1,
    });
    expect(again.statusCode).toBe(409);
    const rows = await t.db.selectFrom('accountability_case_contacts').selectAll().execute();
    expect(rows).toEqual([
      expect.objectContaining({ case_id: c.id, contact_id: villageContact.id, finding: 'failed' }),
    ]);
    const todos = (await county.get('/api/v1/todos')).json().data as Array<{ kind: string }>;
    expect(todos.filter((x) => x.kind === 'accountability_case')).toHaveLength(0);
  });

  it('opens a case by hand against a unit, with the unit’s evidence; a city is not a unit; a township may not', async () => {
    const res = await prefecture.post('/api/v1/accountability-cases', {
      regionCode: tree.township,
      reason: '抽样调查发现多户反映无人走访',
    });
    expect(res.statusCode).toBe(201);
    const c = res.json().data;
    expect(c).toMatchObject({
      trigger: 'manual',
      familyId: null,
      regionCode: tree.county,
      unitRegionCode: tree.township,
    });
    expect(c.evidence.unit).toMatchObject({ regionCode: tree.township, families: 1 });
    expect(c.evidence.contacts.length).toBe(2);
    expect(
      (
        await prefecture.post('/api/v1/accountability-cases', { regionCode: tree.prefecture, reason: '全市问题很多' })
      ).json().error.details[0].path,
    ).toContain('regionCode');
    expect(
      (await township.post('/api/v1/accountability-cases', { regionCode: tree.township, reason: '自查自纠' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await county.post('/api/v1/accountability-cases', { regionCode: other.township, reason: '越界启动' }))
        .statusCode,
    ).toBe(404);
    // A village query finds its county's cases about that unit only.
    const villageCases = (await county.get(`/api/v1/accountability-cases?regionCode=${tree.village}`)).json().data;
    expect(villageCases.map((x: { trigger: string }) => x.trigger)).toEqual(['petition_event']);
  });
});
