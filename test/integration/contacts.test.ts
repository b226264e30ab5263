import { beforeAll, describe, expect, it } from 'vitest';
import { buildContact, buildRegionTree, buildUser, familyInput, TEST_PASSWORD } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';
import type { Session } from '../support/test-app.js';

const app = useAppWithTree({
  otherTree: true,
  sessions: { township: ['township_staff', 'township'], countyLeader: ['county_leader', 'county'] },
});

async function newFamily(village = app.tree.village, overrides: Record<string, unknown> = {}) {
  const res = await app.township.post(
    '/api/v1/families',
    familyInput(village, { enteredAt: '2020-01-01', ...overrides }),
  );
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: string; version: number };
}

describe('contact registry', () => {
  it('registers contacts at the level of their post, phones masked', async () => {
    const res = await app.township.post('/api/v1/contacts', {
      name: '刘干部',
      phone: '13912345678',
      post: 'township_cadre',
      regionCode: app.tree.township,
      organization: '某镇政府',
      title: '副镇长',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      name: '刘干部',
      phone: '139****5678',
      post: 'township_cadre',
      familyCount: 0,
      isActive: true,
    });
    const wrongLevel = await app.township.post('/api/v1/contacts', {
      name: '王',
      phone: '13912345679',
      post: 'village_cadre',
      regionCode: app.tree.township,
    });
    expect(wrongLevel.json().error.details[0]).toMatchObject({ path: 'regionCode', code: 'REGION_LEVEL' });
    const outside = await app.township.post('/api/v1/contacts', {
      name: '王',
      phone: '13912345679',
      post: 'village_cadre',
      regionCode: app.other.village,
    });
    expect(outside.json().error.details[0].path).toBe('regionCode');
    const badPhone = await app.township.post('/api/v1/contacts', {
      name: '王',
      phone: '12345',
      post: 'village_cadre',
      regionCode: app.tree.village,
    });
    expect(badPhone.json().error.details[0].path).toBe('phone');
  });
});

describe('dual-post assignments', () => {
  it('gives a family its township and village posts, and lists the history when a post changes', async () => {
    const family = await newFamily();
    const tc = await buildContact(app.township, 'township_cadre', app.tree.township);
    const vc = await buildContact(app.township, 'village_cadre', app.tree.village);
    const vc2 = await buildContact(app.township, 'village_cadre', app.tree.village);
    const doctor = await buildContact(app.township, 'family_doctor', app.tree.village);
    const first = await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: vc.id,
      helperContactIds: [doctor.id],
    });
    expect(first.statusCode).toBe(200);
    expect(
      first
        .json()
        .data.current.map((a: { post: string }) => a.post)
        .sort(),
    ).toEqual(['family_doctor', 'township_cadre', 'village_cadre']);
    const second = await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: vc2.id,
      reason: '村干部换届',
    });
    const data = second.json().data;
    expect(data.current.find((a: { post: string }) => a.post === 'village_cadre').contactId).toBe(vc2.id);
    expect(data.current.some((a: { post: string }) => a.post === 'family_doctor')).toBe(false);
    const closed = data.history.find((a: { contactId: string }) => a.contactId === vc.id);
    expect(closed).toMatchObject({ endReason: '村干部换届', endedAt: expect.any(String) });
  });

  it('refuses a contact from another county, the wrong post, or an exited family — naming the field', async () => {
    const family = await newFamily();
    const tc = await buildContact(app.township, 'township_cadre', app.tree.township);
    const vc = await buildContact(app.township, 'village_cadre', app.tree.village);
    const otherTownship = await app.t.signIn('township_staff', app.other.township);
    const foreign = await buildContact(otherTownship, 'village_cadre', app.other.village);
    const r1 = await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: foreign.id,
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.details[0].path).toBe('villageContactId');
    const r2 = await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: vc.id,
      villageContactId: vc.id,
    });
    expect(r2.json().error.details[0]).toMatchObject({ path: 'townshipContactId', code: 'POST_MISMATCH' });
    const siblingVillageContact = await buildContact(app.township, 'village_cadre', app.tree.siblingVillage);
    const r3 = await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: siblingVillageContact.id,
    });
    expect(r3.json().error.details[0]).toMatchObject({ path: 'villageContactId', code: 'CONTACT_REGION' });
    await app.township.post(`/api/v1/families/${family.id}/status`, {
      version: family.version,
      status: 'exited',
      reason: 'moved_out',
      effectiveDate: '2026-11-01',
    });
    const r4 = await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: vc.id,
    });
    expect(r4.statusCode).toBe(400);
    expect(
      (await app.t.db.selectFrom('assignments').select('id').where('family_id', '=', family.id).execute()).length,
    ).toBe(0);
  });

  it('lets one of several concurrent reassignments win; the others get 409 and nothing half-written', async () => {
    const family = await newFamily();
    const vc = await buildContact(app.township, 'village_cadre', app.tree.village);
    const cadres = await Promise.all(
      Array.from({ length: 5 }, () => buildContact(app.township, 'township_cadre', app.tree.township)),
    );
    const results = await Promise.all(
      cadres.map((tc) =>
        app.township.put(`/api/v1/families/${family.id}/assignments`, {
          townshipContactId: tc.id,
          villageContactId: vc.id,
          version: family.version,
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409]);
    const active = await app.t.db
      .selectFrom('assignments')
      .select('post')
      .where('family_id', '=', family.id)
      .where('ended_at', 'is', null)
      .execute();
    expect(active.map((a) => a.post).sort()).toEqual(['township_cadre', 'village_cadre']);
  });

  it('hands all of a transferred cadre’s families to a successor in one step', async () => {
    const tc = await buildContact(app.township, 'township_cadre', app.tree.township);
    const successor = await buildContact(app.township, 'township_cadre', app.tree.township);
    const vc = await buildContact(app.township, 'village_cadre', app.tree.village);
    const fams = [await newFamily(), await newFamily(), await newFamily()];
    for (const f of fams)
      await app.township.put(`/api/v1/families/${f.id}/assignments`, {
        townshipContactId: tc.id,
        villageContactId: vc.id,
      });
    const res = await app.township.post(`/api/v1/contacts/${tc.id}/handover`, {
      successorContactId: successor.id,
      reason: '工作调动',
    });
    expect(res.json().data.moved).toBe(3);
    expect((await app.township.get(`/api/v1/contacts/${tc.id}`)).json().data.familyCount).toBe(0);
    expect((await app.township.get(`/api/v1/contacts/${successor.id}`)).json().data.familyCount).toBe(3);
    const history = (await app.township.get(`/api/v1/families/${fams[0].id}/assignments`)).json().data.history;
    expect(history.find((h: { contactId: string }) => h.contactId === tc.id).endReason).toBe('工作调动');
  });

  it('reports coverage with gaps, and special-difficulty families without a county leader (R2)', async () => {
    const t2 = await buildRegionTree(app.t.db);
    const ts = await app.t.signIn('township_staff', t2.township);
    const tc = await buildContact(ts, 'township_cadre', t2.township);
    const vc = await buildContact(ts, 'village_cadre', t2.village);
    const covered = (await ts.post('/api/v1/families', familyInput(t2.village))).json().data;
    await ts.post('/api/v1/families', familyInput(t2.village));
    const special = (await ts.post('/api/v1/families', familyInput(t2.village, { isSpecialDifficulty: true }))).json()
      .data;
    await ts.put(`/api/v1/families/${covered.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
    await ts.put(`/api/v1/families/${special.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
    const leaderSession = await app.t.signIn('county_leader', t2.county);
    const cov = (await leaderSession.get(`/api/v1/coverage?regionCode=${t2.county}`)).json().data;
    expect(cov).toMatchObject({
      families: 3,
      bothPosts: 2,
      missingTownshipPost: 1,
      missingVillagePost: 1,
      specialDifficulty: 1,
      specialDifficultyWithoutCountyLeader: 1,
    });
    expect(cov.children.find((c: { regionCode: string }) => c.regionCode === t2.township).families).toBe(3);
    const leader = await buildContact(leaderSession, 'county_leader', t2.county);
    await leaderSession.put(`/api/v1/families/${special.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: vc.id,
      countyLeaderContactId: leader.id,
    });
    const after = (await leaderSession.get(`/api/v1/coverage?regionCode=${t2.county}`)).json().data;
    expect(after.specialDifficultyWithoutCountyLeader).toBe(0);
    const gaps = (await leaderSession.get(`/api/v1/coverage/gaps?kind=missing_village&regionCode=${t2.county}`)).json();
    expect(gaps.page.total).toBe(1);
  });

  it('prints a contact card with both contacts’ names and phones (R3)', async () => {
    const family = await newFamily();
    const tc = await buildContact(app.township, 'township_cadre', app.tree.township, {
      phone: '13800001111',
      name: '乡镇联系人',
    });
    const vc = await buildContact(app.township, 'village_cadre', app.tree.village, {
      phone: '0724-4221234',
      name: '村联系人',
    });
    await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: vc.id,
    });
    const card = (await app.township.get(`/api/v1/families/${family.id}/contact-card`)).json().data;
    expect(card.contacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '乡镇联系人', phone: '13800001111', post: 'township_cadre' }),
        expect.objectContaining({ name: '村联系人', phone: '0724-4221234', post: 'village_cadre' }),
      ]),
    );
  });
});

describe('contact logs and live compliance', () => {
  let family: { id: string; version: number };
  let contactSession: Session;
  let vcId: string;
  let tcId: string;
  beforeAll(async () => {
    family = await newFamily(app.tree.siblingVillage);
    const user = await buildUser(app.t.db, 'contact', app.tree.siblingVillage);
    const vc = await buildContact(app.township, 'village_cadre', app.tree.siblingVillage, { userId: user.id });
    const tc = await buildContact(app.township, 'township_cadre', app.tree.township);
    vcId = vc.id;
    tcId = tc.id;
    await app.township.put(`/api/v1/families/${family.id}/assignments`, {
      townshipContactId: tc.id,
      villageContactId: vc.id,
    });
    contactSession = await app.t.login({ username: user.username, password: TEST_PASSWORD });
  });

  it('shows a contact only their own families, with the visit due this month', async () => {
    const mine = (await contactSession.get('/api/v1/families')).json();
    expect(mine.data.map((f: { id: string }) => f.id)).toEqual([family.id]);
    const todos = (await contactSession.get('/api/v1/todos')).json().data;
    expect(todos).toEqual([expect.objectContaining({ kind: 'visit_due', familyId: family.id })]);
    const notMine = await newFamily(app.tree.siblingVillage);
    expect((await contactSession.get(`/api/v1/families/${notMine.id}`)).statusCode).toBe(404);
    expect(
      (
        await contactSession.post(`/api/v1/families/${notMine.id}/contact-logs`, {
          contactId: vcId,
          mode: 'home_visit',
          occurredAt: app.t.clock.now().toISOString(),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('counts a home visit in every level’s figures on the next request', async () => {
    const province = await app.t.signIn('province_staff', app.tree.province);
    const before = (await province.get(`/api/v1/compliance/monthly?regionCode=${app.tree.province}`)).json().data;
    const res = await contactSession.post(`/api/v1/families/${family.id}/contact-logs`, {
      contactId: vcId,
      mode: 'home_visit',
      occurredAt: new Date(app.t.clock.now().getTime() - 3_600_000).toISOString(),
      health: '血压偏高',
      mentalState: 'fair',
      demands: '希望办理住院护理补贴',
      problemsCoordinated: ['medical'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ mode: 'home_visit', isOnBehalf: false, problemsCoordinated: ['medical'] });
    const after = (await province.get(`/api/v1/compliance/monthly?regionCode=${app.tree.province}`)).json().data;
    expect(after.visited).toBe(before.visited + 1);
    const county = (await app.countyLeader.get('/api/v1/compliance/monthly')).json().data;
    const row = county.children.find((c: { regionCode: string }) => c.regionCode === app.tree.township);
    expect(row.visited).toBeGreaterThanOrEqual(1);
    expect(row.rate).toBeCloseTo(row.visited / row.families, 4);
    expect((await contactSession.get('/api/v1/todos')).json().data).toEqual([]);
    const byContact = (
      await app.countyLeader.get(`/api/v1/compliance/contacts?regionCode=${app.tree.siblingVillage}`)
    ).json().data;
    expect(byContact.find((c: { contactId: string }) => c.contactId === vcId)).toMatchObject({
      families: 1,
      visited: 1,
    });
  });

  it('refuses a visit dated tomorrow, a family that exited, and a contact not assigned', async () => {
    const tomorrow = new Date(app.t.clock.now().getTime() + 86_400_000).toISOString();
    const r1 = await contactSession.post(`/api/v1/families/${family.id}/contact-logs`, {
      contactId: vcId,
      mode: 'home_visit',
      occurredAt: tomorrow,
    });
    expect(r1.json().error.details[0]).toMatchObject({ path: 'occurredAt', code: 'DATE_FUTURE' });
    const r2 = await app.township.post(`/api/v1/families/${family.id}/contact-logs`, {
      contactId: 'nobody',
      mode: 'phone',
      occurredAt: app.t.clock.now().toISOString(),
    });
    expect(r2.json().error.details[0].path).toBe('contactId');
    const gone = await newFamily(app.tree.siblingVillage);
    const fresh = (await app.township.get(`/api/v1/families/${gone.id}`)).json().data;
    await app.township.put(`/api/v1/families/${gone.id}/assignments`, {
      townshipContactId: tcId,
      villageContactId: vcId,
    });
    const v = (await app.township.get(`/api/v1/families/${gone.id}`)).json().data.version;
    expect(v).toBeGreaterThan(fresh.version);
    await app.township.post(`/api/v1/families/${gone.id}/status`, {
      version: v,
      status: 'exited',
      reason: 'moved_out',
      effectiveDate: '2026-11-01',
    });
    // The exit ended the contact's assignment: the family is no longer theirs to see.
    const r3 = await contactSession.post(`/api/v1/families/${gone.id}/contact-logs`, {
      contactId: vcId,
      mode: 'home_visit',
      occurredAt: app.t.clock.now().toISOString(),
    });
    expect(r3.statusCode).toBe(404);
    const r4 = await app.township.post(`/api/v1/families/${gone.id}/contact-logs`, {
      contactId: vcId,
      mode: 'home_visit',
      occurredAt: app.t.clock.now().toISOString(),
    });
    expect(r4.json().error.details[0].code).toBe('FAMILY_EXITED');
  });

  it('records staff logging on a contact’s behalf as such, and lets the author correct a log within 7 days', async () => {
    const res = await app.township.post(`/api/v1/families/${family.id}/contact-logs`, {
      contactId: tcId,
      mode: 'phone',
      direction: 'family_initiated',
      occurredAt: app.t.clock.now().toISOString(),
      demands: '询问政策',
    });
    const log = res.json().data;
    expect(log).toMatchObject({ isOnBehalf: true, direction: 'family_initiated' });
    const edit = await app.township.patch(`/api/v1/contact-logs/${log.id}`, { version: 1, demands: '询问特扶政策' });
    expect(edit.json().data).toMatchObject({ demands: '询问特扶政策', version: 2, revisions: 1 });
    expect((await contactSession.patch(`/api/v1/contact-logs/${log.id}`, { version: 2, notes: 'x' })).statusCode).toBe(
      403,
    );
    const eightDaysAgo = new Date(app.t.clock.now().getTime() - 8 * 86_400_000).toISOString();
    await app.t.db.updateTable('contact_logs').set({ created_at: eightDaysAgo }).where('id', '=', log.id).execute();
    const late = await app.township.patch(`/api/v1/contact-logs/${log.id}`, { version: 2, demands: '再改' });
    expect(late.statusCode).toBe(403);
  });

  it('lists the families nobody visited this month with their contacts, and a 12-month trend', async () => {
    const overdue = (
      await app.countyLeader.get(`/api/v1/compliance/overdue?regionCode=${app.tree.county}&pageSize=200`)
    ).json();
    expect(overdue.data.some((f: { familyId: string }) => f.familyId === family.id)).toBe(false);
    expect(overdue.page.total).toBeGreaterThan(0);
    expect(overdue.data[0].contacts).toBeInstanceOf(Array);
    const trend = (await app.countyLeader.get('/api/v1/compliance/trend')).json().data;
    expect(trend).toHaveLength(12);
    expect(trend[11].month).toBe(app.t.clock.now().toISOString().slice(0, 7));
    expect(trend[11].visited).toBeGreaterThanOrEqual(1);
  });
});
