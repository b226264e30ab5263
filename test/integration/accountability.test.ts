import { beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContact, familyInput } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';
import type { Session } from '../support/test-app.js';

/** Issue 15 part 6: 问责 — opened by a province-level petition inside its transaction, with the evidence. */
const app = useAppWithTree({
  otherTree: true,
  sessions: {
    township: ['township_staff', 'township'],
    county: ['county_staff', 'county'],
    prefecture: ['prefecture_staff', 'prefecture'],
    province: ['province_staff', 'province'],
  },
});
let otherCounty: Session;
let familyId: string;
let townshipContact: { id: string };
let villageContact: { id: string };

async function newFamily(): Promise<string> {
  const f = await app.township.post('/api/v1/families', familyInput(app.tree.village, { enteredAt: '2020-01-01' }));
  expect(f.statusCode).toBe(201);
  return (f.json().data as { id: string }).id;
}

beforeAll(async () => {
  otherCounty = await app.t.signIn('county_staff', app.other.county);
  townshipContact = await buildContact(app.township, 'township_cadre', app.tree.township);
  villageContact = await buildContact(app.township, 'village_cadre', app.tree.village);
  familyId = await newFamily();
  await app.township.put(`/api/v1/families/${familyId}/assignments`, {
    townshipContactId: townshipContact.id,
    villageContactId: villageContact.id,
  });
  // Two home visits by the village contact, one petition risk visited late, one open need.
  for (const daysAgo of [10, 40])
    expect(
      (
        await app.township.post(`/api/v1/families/${familyId}/contact-logs`, {
          contactId: villageContact.id,
          mode: 'home_visit',
          occurredAt: new Date(app.t.clock.now().getTime() - daysAgo * 86_400_000).toISOString(),
        })
      ).statusCode,
    ).toBe(201);
  const risk = await app.township.post(`/api/v1/families/${familyId}/petition-risks`, {
    targetLevel: 'province',
    scope: 'individual',
    riskLevel: 'yellow',
    signals: '多次表示要到省里反映',
  });
  expect(risk.statusCode).toBe(201);
  const need = await app.township.post('/api/v1/needs', {
    familyId,
    category: 'medical',
    department: 'health',
    description: '住院费用报销',
    deadline: chinaDate(new Date(app.t.clock.now().getTime() + 30 * 86_400_000)),
  });
  expect([200, 201]).toContain(need.statusCode);
});

describe('问责: automatic case on a province-level petition', () => {
  it('a county-level petition opens nothing; a province-level one opens a case for the county with the evidence', async () => {
    const today = chinaDate(app.t.clock.now());
    const low = await app.county.post(`/api/v1/families/${familyId}/petition-events`, {
      level: 'county',
      form: 'visit',
      size: 1,
      occurredOn: today,
    });
    expect(low.statusCode).toBe(201);
    expect((await app.county.get('/api/v1/accountability-cases')).json().data).toHaveLength(0);

    const high = await app.county.post(`/api/v1/families/${familyId}/petition-events`, {
      level: 'beijing',
      form: 'visit',
      size: 2,
      occurredOn: today,
    });
    expect(high.statusCode).toBe(201);
    const list = (await app.county.get(`/api/v1/accountability-cases?regionCode=${app.tree.county}`)).json().data;
    expect(list).toHaveLength(1);
    const c = list[0];
    expect(c).toMatchObject({ familyId, trigger: 'petition_event', status: 'open', regionCode: app.tree.county });
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
      (await app.prefecture.get('/api/v1/accountability-cases')).json().data.map((x: { id: string }) => x.id),
    ).toContain(c.id);
    expect((await app.province.get(`/api/v1/accountability-cases/${c.id}`)).statusCode).toBe(200);
    expect((await otherCounty.get(`/api/v1/accountability-cases/${c.id}`)).statusCode).toBe(404);
    expect((await app.township.get(`/api/v1/accountability-cases/${c.id}`)).statusCode).toBe(404);
    expect((await otherCounty.get(`/api/v1/accountability-cases?regionCode=${app.tree.county}`)).statusCode).toBe(404);
    // Every read audited, as a petition read.
    const reads = await app.t.db
      .selectFrom('audit_events')
      .select(['action', 'target_id'])
      .where('action', '=', 'accountability.read')
      .execute();
    expect(reads.filter((r) => r.target_id === familyId).length).toBeGreaterThanOrEqual(3);
    // In the county's todos, to conclude.
    const todos = (await app.county.get('/api/v1/todos')).json().data as Array<{ kind: string; path?: string }>;
    expect(todos.find((x) => x.kind === 'accountability_case')?.path).toBe(`/accountability?case=${c.id}`);
  });

  it('the case commits with the event or not at all', async () => {
    const before = await app.t.db.selectFrom('accountability_cases').select('id').execute();
    // A future date is refused before anything is written: no event, no case.
    const bad = await app.county.post(`/api/v1/families/${familyId}/petition-events`, {
      level: 'province',
      form: 'visit',
      size: 1,
      occurredOn: '2099-01-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(await app.t.db.selectFrom('accountability_cases').select('id').execute()).toHaveLength(before.length);
  });

  it('records a finding with measures and people, open → concluded; bad input names the field', async () => {
    const [c] = (await app.county.get('/api/v1/accountability-cases?status=open')).json().data;
    const missing = await app.county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
      finding: 'maybe',
      measures: '',
      version: c.version,
    });
    expect(missing.statusCode).toBe(400);
    const paths = (missing.json().error.details as Array<{ path: string }>).map((d) => d.path).join(',');
    expect(paths).toContain('finding');
    expect(paths).toContain('measures');
    const foreign = await buildContact(
      await app.t.signIn('township_staff', app.other.township),
      'village_cadre',
      app.other.village,
    );
    expect(
      (
        await app.county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
          finding: 'failed',
          measures: '约谈',
          people: [{ contactId: foreign.id, name: '外县人员' }],
          version: c.version,
        })
      ).json().error.details[0],
    ).toMatchObject({ path: 'people', code: 'CONTACT_UNKNOWN' });
    const done = await app.county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
      finding: 'failed',
      measures: '对村级联系人诫勉谈话，限期整改',
      people: [{ contactId: villageContact.id, name: '村级联系人', role: '村级联系人' }],
      version: c.version,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().data).toMatchObject({ status: 'concluded', finding: 'failed', abilities: { conclude: false } });
    expect(done.json().data.people[0].contactId).toBe(villageContact.id);
    const again = await app.county.post(`/api/v1/accountability-cases/${c.id}/conclude`, {
      finding: 'performed',
      measures: '不予追究',
      version: c.version + 1,
    });
    expect(again.statusCode).toBe(409);
    const rows = await app.t.db.selectFrom('accountability_case_contacts').selectAll().execute();
    expect(rows).toEqual([
      expect.objectContaining({ case_id: c.id, contact_id: villageContact.id, finding: 'failed' }),
    ]);
    const todos = (await app.county.get('/api/v1/todos')).json().data as Array<{ kind: string }>;
    expect(todos.filter((x) => x.kind === 'accountability_case')).toHaveLength(0);
  });

  it('opens a case by hand against a unit, with the unit’s evidence; a city is not a unit; a township may not', async () => {
    const res = await app.prefecture.post('/api/v1/accountability-cases', {
      regionCode: app.tree.township,
      reason: '抽样调查发现多户反映无人走访',
    });
    expect(res.statusCode).toBe(201);
    const c = res.json().data;
    expect(c).toMatchObject({
      trigger: 'manual',
      familyId: null,
      regionCode: app.tree.county,
      unitRegionCode: app.tree.township,
    });
    expect(c.evidence.unit).toMatchObject({ regionCode: app.tree.township, families: 1 });
    expect(c.evidence.contacts.length).toBe(2);
    expect(
      (
        await app.prefecture.post('/api/v1/accountability-cases', {
          regionCode: app.tree.prefecture,
          reason: '全市问题很多',
        })
      ).json().error.details[0].path,
    ).toContain('regionCode');
    expect(
      (await app.township.post('/api/v1/accountability-cases', { regionCode: app.tree.township, reason: '自查自纠' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.county.post('/api/v1/accountability-cases', { regionCode: app.other.township, reason: '越界启动' }))
        .statusCode,
    ).toBe(404);
    // A village query finds its county's cases about that unit only.
    const villageCases = (await app.county.get(`/api/v1/accountability-cases?regionCode=${app.tree.village}`)).json()
      .data;
    expect(villageCases.map((x: { trigger: string }) => x.trigger)).toEqual(['petition_event']);
  });
});
