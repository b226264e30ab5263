import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../server/platform/clock.js';
import { subtreeRange } from '../../server/platform/scope.js';
import { buildContact, buildUser, familyInput, phoneNumber } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';
import { multipartBody } from '../support/uploads.js';

// County staffing (R13), partners and pairings (R14), training (R15) and the 三个全覆盖 on the archive.
const app = useAppWithTree({
  otherTree: true,
  sessions: {
    township: ['township_staff', 'township'],
    county: ['county_staff', 'county'],
    prefecture: ['prefecture_staff', 'prefecture'],
  },
});

async function family(village = app.tree.village, overrides: Record<string, unknown> = {}) {
  const res = await app.township.post(
    '/api/v1/families',
    familyInput(village, { enteredAt: '2020-01-01', ...overrides }),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; version: number };
}

describe('county staffing (R13)', () => {
  it('keeps the history and checks every county for the city', async () => {
    const leaderUser = await buildUser(app.t.db, 'county_leader', app.tree.county);
    const first = await app.county.put(`/api/v1/county-staffing/${app.tree.county}`, {
      leader: { userId: leaderUser.id },
      staff: [{ name: '张敏' }],
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().data).toMatchObject({ hasLeader: true, staffCount: 1, complete: true, version: 1 });
    expect(first.json().data.leader.name).toBe('测试用户' + leaderUser.username.match(/^u(\d+)/)![1]);

    const stale = await app.county.put(`/api/v1/county-staffing/${app.tree.county}`, {
      leader: null,
      staff: [],
      version: 9,
    });
    expect(stale.statusCode).toBe(409);
    const second = await app.county.put(`/api/v1/county-staffing/${app.tree.county}`, {
      leader: { userId: leaderUser.id },
      staff: [{ name: '李华' }, { name: '王芳' }],
      version: 1,
    });
    const body = second.json().data;
    expect(body.staff.map((s: { name: string }) => s.name).sort()).toEqual(['李华', '王芳']);
    // 张敏 left: her row has an end date, nothing is deleted.
    expect(body.history.find((h: { name: string }) => h.name === '张敏').endedOn).toBe('2026-11-28');
    expect(body.history).toHaveLength(4);

    const three = await app.county.put(`/api/v1/county-staffing/${app.tree.county}`, {
      leader: null,
      staff: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
    });
    expect(three.json().error.details[0].path).toBe('staff');
    const foreign = await buildUser(app.t.db, 'county_staff', app.tree.siblingCounty);
    const wrongCounty = await app.county.put(`/api/v1/county-staffing/${app.tree.county}`, {
      leader: { userId: foreign.id },
      staff: [],
    });
    expect(wrongCounty.json().error.details[0].path).toBe('leader.userId');
    const admin = await buildUser(app.t.db, 'sysadmin', app.tree.county);
    const adminAsStaff = await app.county.put(`/api/v1/county-staffing/${app.tree.county}`, {
      leader: null,
      staff: [{ userId: admin.id }],
    });
    expect(adminAsStaff.json().error.details[0].path).toBe('staff.0.userId');
    expect(
      (await app.county.put(`/api/v1/county-staffing/${app.tree.siblingCounty}`, { leader: null, staff: [] }))
        .statusCode,
    ).toBe(404);
    expect((await app.township.get(`/api/v1/county-staffing?regionCode=${app.tree.township}`)).statusCode).toBe(403);

    const list = (await app.prefecture.get(`/api/v1/county-staffing?regionCode=${app.tree.prefecture}`)).json();
    expect(list.data).toEqual([
      expect.objectContaining({ regionCode: app.tree.county, complete: true, staffCount: 2 }),
      expect.objectContaining({ regionCode: app.tree.siblingCounty, complete: false, hasLeader: false, staffCount: 0 }),
    ]);
    const gaps = (
      await app.prefecture.get(`/api/v1/county-staffing?regionCode=${app.tree.prefecture}&complete=false`)
    ).json();
    expect(gaps.data.map((c: { regionCode: string }) => c.regionCode)).toEqual([app.tree.siblingCounty]);
    const province = await app.t.signIn('province_staff', app.tree.province);
    const summary = (await province.get(`/api/v1/county-staffing/summary?regionCode=${app.tree.province}`)).json().data;
    expect(summary.children.find((c: { regionCode: string }) => c.regionCode === app.tree.prefecture)).toMatchObject({
      counties: 2,
      complete: 1,
    });
    expect(summary.children.find((c: { regionCode: string }) => c.regionCode === app.other.prefecture)).toMatchObject({
      counties: 2,
      complete: 0,
    });
  });
});

describe('partners and pairings (R14)', () => {
  it('pairs families with an organisation or a volunteer and counts paired families by region', async () => {
    const org = await app.county.post('/api/v1/partner-organizations', {
      regionCode: app.tree.county,
      kind: 'womens_federation',
      name: '县妇联',
      contactPerson: '刘主席',
    });
    expect(org.statusCode, org.body).toBe(201);
    const orgId = org.json().data.id as string;
    const villageOrg = await app.county.post('/api/v1/partner-organizations', {
      regionCode: app.tree.village,
      kind: 'other',
      name: '村组织',
    });
    expect(villageOrg.json().error.details[0].path).toBe('regionCode');
    // A township sees the county's organisation to pair with.
    const seen = (await app.township.get('/api/v1/partner-organizations')).json();
    expect(seen.data.map((o: { id: string }) => o.id)).toContain(orgId);

    const a = await family(app.tree.village);
    const b = await family(app.tree.siblingVillage);
    await family(app.tree.siblingVillage);
    const paired = await app.township.post(`/api/v1/families/${a.id}/pairings`, {
      organizationId: orgId,
      kind: 'emotional_support',
      startedOn: '2026-03-01',
    });
    expect(paired.statusCode, paired.body).toBe(201);
    const second = await app.township.post(`/api/v1/families/${a.id}/pairings`, {
      volunteerName: '志愿者小陈',
      kind: 'medical_escort',
      startedOn: '2026-05-01',
    });
    expect(second.statusCode).toBe(201);
    const none = await app.township.post(`/api/v1/families/${b.id}/pairings`, {
      kind: 'daily_care',
      startedOn: '2026-05-01',
    });
    expect(none.json().error.details[0].path).toBe('organizationId');
    const future = await app.township.post(`/api/v1/families/${b.id}/pairings`, {
      volunteerName: '某',
      kind: 'daily_care',
      startedOn: '2027-01-01',
    });
    expect(future.json().error.details[0].path).toBe('startedOn');

    const activity = await app.township.post(`/api/v1/pairings/${paired.json().data.id}/activities`, {
      occurredOn: '2026-04-02',
      kind: 'emotional_support',
      note: '陪同聊天两小时',
    });
    expect(activity.statusCode, activity.body).toBe(201);
    const onArchive = (await app.township.get(`/api/v1/families/${a.id}/pairings`)).json().data;
    expect(onArchive).toHaveLength(2);
    expect(
      onArchive.find((p: { organizationName: string | null }) => p.organizationName === '县妇联').activities,
    ).toHaveLength(1);

    const coverage = (await app.county.get(`/api/v1/pairings/coverage?regionCode=${app.tree.township}`)).json().data;
    expect(coverage).toMatchObject({ families: 3, paired: 1, pairings: 2 });
    expect(coverage.children).toEqual([
      expect.objectContaining({ regionCode: app.tree.village, families: 1, paired: 1 }),
      expect.objectContaining({ regionCode: app.tree.siblingVillage, families: 2, paired: 0 }),
    ]);
    const list = (await app.county.get(`/api/v1/pairings?regionCode=${app.tree.county}&kind=medical_escort`)).json();
    expect(list.page.total).toBe(1);

    // An exited family takes no new pairing.
    const exited = await app.township.post(`/api/v1/families/${b.id}/status`, {
      version: b.version,
      status: 'exited',
      reason: 'moved_out',
      effectiveDate: '2026-11-01',
    });
    expect(exited.statusCode, exited.body).toBe(200);
    const refused = await app.township.post(`/api/v1/families/${b.id}/pairings`, {
      organizationId: orgId,
      kind: 'daily_care',
      startedOn: '2026-06-01',
    });
    expect(refused.json().error.details[0]).toMatchObject({ path: 'familyId', code: 'FAMILY_EXITED' });
    const otherFamily = await (
      await app.t.signIn('township_staff', app.other.township)
    ).post('/api/v1/families', familyInput(app.other.village));
    expect((await app.township.get(`/api/v1/families/${otherFamily.json().data.id}/pairings`)).statusCode).toBe(404);
  });
});

describe('training (R15)', () => {
  it('records sessions with attendance and shrinks the untrained list; refuses foreign attendees with 404', async () => {
    const tc = await buildContact(app.township, 'township_cadre', app.tree.township);
    const v1 = await buildContact(app.township, 'village_cadre', app.tree.village);
    const v2 = await buildContact(app.township, 'village_cadre', app.tree.siblingVillage);
    const elsewhere = await buildContact(
      await app.t.signIn('township_staff', app.other.township),
      'township_cadre',
      app.other.township,
    );

    const before = (
      await app.township.get(`/api/v1/trainings/coverage?regionCode=${app.tree.township}&year=2026`)
    ).json().data;
    expect(before.trained).toBe(0);
    expect(before.untrained.map((u: { contactId: string }) => u.contactId)).toEqual(
      expect.arrayContaining([tc.id, v1.id, v2.id]),
    );

    const base = {
      regionCode: app.tree.township,
      title: '扶助政策培训',
      heldOn: '2026-06-15',
      topics: ['policy', 'mass_work'],
    };
    const foreign = await app.township.post('/api/v1/trainings', {
      ...base,
      attendeeContactIds: [tc.id, elsewhere.id],
    });
    expect(foreign.statusCode).toBe(404);
    const dup = await app.township.post('/api/v1/trainings', { ...base, attendeeContactIds: [tc.id, tc.id] });
    expect(dup.json().error.details[0].path).toBe('attendeeContactIds.1');
    const future = await app.township.post('/api/v1/trainings', {
      ...base,
      heldOn: '2026-12-01',
      attendeeContactIds: [],
    });
    expect(future.json().error.details[0].path).toBe('heldOn');
    const village = await app.township.post('/api/v1/trainings', {
      ...base,
      regionCode: app.tree.village,
      attendeeContactIds: [],
    });
    expect(village.json().error.details[0].path).toBe('regionCode');
    const noTopic = await app.township.post('/api/v1/trainings', { ...base, topics: [], attendeeContactIds: [] });
    expect(noTopic.json().error.details[0].path).toBe('topics');
    expect((await app.township.get('/api/v1/trainings?year=2026')).json().page.total).toBe(0);

    const created = await app.township.post('/api/v1/trainings', {
      ...base,
      trainer: '县卫健局',
      hours: 2,
      attendeeContactIds: [tc.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const training = created.json().data;
    expect(training).toMatchObject({ attendeeCount: 1, hours: 2, topics: ['policy', 'mass_work'] });

    const mid = (await app.county.get(`/api/v1/trainings/coverage?regionCode=${app.tree.county}&year=2026`)).json()
      .data;
    expect(mid.trained).toBe(1);
    expect(mid.untrained.map((u: { contactId: string }) => u.contactId)).not.toContain(tc.id);
    expect(mid.regions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ regionCode: app.tree.county, sessions: 0 }),
        expect.objectContaining({ regionCode: app.tree.township, sessions: 1 }),
        expect.objectContaining({ regionCode: app.tree.siblingTownship, sessions: 0 }),
      ]),
    );
    // Another year starts from nobody trained.
    expect(
      (await app.county.get(`/api/v1/trainings/coverage?regionCode=${app.tree.county}&year=2025`)).json().data.trained,
    ).toBe(0);

    const marked = await app.township.put(`/api/v1/trainings/${training.id}/attendance`, {
      version: training.version,
      contactIds: [tc.id, v1.id],
    });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json().data.attendeeCount).toBe(2);
    const staleMark = await app.township.put(`/api/v1/trainings/${training.id}/attendance`, {
      version: training.version,
      contactIds: [tc.id],
    });
    expect(staleMark.statusCode).toBe(409);

    // A sign-in sheet: v2 by name and phone; a duplicate row and an unknown person refuse the whole sheet.
    const v2Row = (await app.township.get(`/api/v1/contacts/${v2.id}`)).json().data as { name: string };
    const v2Phone = await app.t.db
      .selectFrom('contacts')
      .select('phone_enc')
      .where('id', '=', v2.id)
      .executeTakeFirstOrThrow();
    const phone = app.t.app.platform.crypto.decrypt(v2Phone.phone_enc, `contacts:${v2.id}:phone`);
    const sheet = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('签到表');
      ws.addRow(['序号', '姓名', '手机号码']);
      rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const upload = async (content: Buffer, mode: string) => {
      const { payload, contentType } = multipartBody({ mode }, { name: '签到表.xlsx', content });
      return app.t.app.inject({
        method: 'POST',
        url: `/api/v1/trainings/${training.id}/attendance-import`,
        headers: { cookie: app.township.cookie, 'x-csrf-token': app.township.csrfToken, 'content-type': contentType },
        payload,
      });
    };
    const bad = await upload(
      await sheet([
        [v2Row.name, phone],
        [v2Row.name, phone],
        ['无此人', phoneNumber()],
      ]),
      'commit',
    );
    expect(bad.statusCode, bad.body).toBe(200);
    expect(bad.json().data).toMatchObject({ total: 3, accepted: 0, rejected: 2 });
    expect(bad.json().data.errors.map((e: { row: number }) => e.row)).toEqual([3, 4]);
    expect(bad.json().data.errors[0].message).toContain('重复');
    expect((await app.township.get(`/api/v1/trainings/${training.id}`)).json().data.attendeeCount).toBe(2);

    const good = await upload(await sheet([[v2Row.name, phone]]), 'commit');
    expect(good.json().data).toMatchObject({ total: 1, accepted: 1, rejected: 0 });
    expect(good.json().data.training.attendeeCount).toBe(3);

    const after = (
      await app.township.get(`/api/v1/trainings/coverage?regionCode=${app.tree.township}&year=2026`)
    ).json().data;
    expect(after.trained).toBe(3);
    expect(after.untrained.map((u: { contactId: string }) => u.contactId)).not.toContain(v2.id);
    expect(after.contacts - after.trained).toBe(after.untrainedTotal);
    const history = (await app.county.get(`/api/v1/contacts/${v2.id}/trainings`)).json().data;
    expect(history).toMatchObject({
      isTrainedThisYear: true,
      trainings: [expect.objectContaining({ id: training.id })],
    });
    expect((await app.county.get(`/api/v1/contacts/${elsewhere.id}/trainings`)).statusCode).toBe(404);
    const page = (
      await app.township.get(`/api/v1/trainings/untrained?regionCode=${app.tree.township}&year=2026`)
    ).json();
    expect(page.page.total).toBe(after.untrainedTotal);
  });

  it('puts the untrained contacts in the township’s todos in the last quarter only', async () => {
    const fresh = await buildContact(app.township, 'village_cadre', app.tree.village, { name: '新来的村干部' });
    expect(fresh.id).toBeTruthy();
    const todos = (await app.township.get('/api/v1/todos')).json().data as Array<{
      kind: string;
      title: string;
      path?: string;
    }>;
    const due = todos.find((x) => x.kind === 'training_due');
    expect(due?.path).toBe('/trainings?tab=untrained');
    expect(due?.title).toMatch(/^1 名联系人/);
    expect(
      (await app.county.get('/api/v1/todos')).json().data.some((x: { kind: string }) => x.kind === 'training_due'),
    ).toBe(false);
    app.t.clock.set('2026-07-01T02:00:00Z');
    try {
      const summer = (await app.township.get('/api/v1/todos')).json().data as Array<{ kind: string }>;
      expect(summer.some((x) => x.kind === 'training_due')).toBe(false);
    } finally {
      app.t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });
});

describe('family doctor and priority medical access (三个全覆盖)', () => {
  it('records both with their own history and counts them beside 双岗 coverage', async () => {
    const f = await family(app.tree.siblingVillage, { enteredAt: '2021-03-01' });
    const early = await app.township.post(`/api/v1/families/${f.id}/medical-services`, {
      kind: 'family_doctor',
      institution: '镇卫生院',
      doctor: '黄医生',
      startedOn: '2021-02-01',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details[0]).toMatchObject({ path: 'startedOn', code: 'DATE_ORDER' });
    const noDoctor = await app.township.post(`/api/v1/families/${f.id}/medical-services`, {
      kind: 'family_doctor',
      institution: '镇卫生院',
      startedOn: '2025-02-01',
    });
    expect(noDoctor.json().error.details[0].path).toBe('doctor');
    expect((await app.township.get(`/api/v1/families/${f.id}/medical-services`)).json().data.history).toHaveLength(0);

    const signed = await app.township.post(`/api/v1/families/${f.id}/medical-services`, {
      kind: 'family_doctor',
      institution: '镇卫生院',
      doctor: '黄医生',
      startedOn: '2025-02-01',
      expiresOn: '2026-01-31',
    });
    expect(signed.statusCode, signed.body).toBe(201);
    // The signing expired: not counted until renewed.
    const coverageOf = async () =>
      (await app.county.get(`/api/v1/medical-services/coverage?regionCode=${app.tree.township}`)).json().data;
    const lapsed = await coverageOf();
    expect(lapsed.familyDoctor).toBe(0);
    const renewed = await app.township.post(`/api/v1/families/${f.id}/medical-services`, {
      kind: 'family_doctor',
      institution: '镇卫生院',
      doctor: '黄医生',
      startedOn: '2026-02-01',
      expiresOn: '2027-01-31',
    });
    expect(renewed.json().data.familyDoctor.startedOn).toBe('2026-02-01');
    expect(renewed.json().data.history).toHaveLength(2);
    expect(renewed.json().data.history[1].endedOn).toBe('2026-02-01');
    const access = await app.township.post(`/api/v1/families/${f.id}/medical-services`, {
      kind: 'priority_access',
      arrangement: 'card',
      institution: '县人民医院',
      startedOn: '2026-03-01',
    });
    expect(access.json().data.priorityAccess.institution).toBe('县人民医院');

    const covered = await coverageOf();
    expect(covered.familyDoctor).toBe(1);
    expect(covered.priorityAccess).toBe(1);
    const posts = (await app.county.get(`/api/v1/coverage?regionCode=${app.tree.township}`)).json().data;
    expect(covered.families).toBe(posts.families);
    expect(covered.bothPosts).toBe(posts.bothPosts);
    expect(
      covered.children.find((c: { regionCode: string }) => c.regionCode === app.tree.siblingVillage),
    ).toMatchObject({
      familyDoctor: 1,
      priorityAccess: 1,
    });
    const contact = await app.t.signIn('contact', app.tree.township);
    expect((await contact.get(`/api/v1/families/${f.id}/medical-services`)).statusCode).toBe(404);
    expect(
      (
        await app.county.post(`/api/v1/families/${f.id}/medical-services`, {
          kind: 'priority_access',
          arrangement: 'card',
          institution: 'x',
          startedOn: '2026-03-01',
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('indicators for the statistical returns', () => {
  it('compute what the coverage endpoints show', async () => {
    const asOf = chinaDate(app.t.clock.now());
    // Through the returns' registry: what a 2026 annual return computes while the year runs.
    const byCode = async (code: string, regionCode: string) =>
      app.t.app.services.indicators.get(code)!.compute({
        db: app.t.db,
        regionCode,
        range: subtreeRange(regionCode),
        from: '2026-01-01',
        to: '2026-12-31',
        asOf,
        isLive: true,
      });
    const c = app.tree.county;
    const staffing = (await app.prefecture.get(`/api/v1/county-staffing?regionCode=${c}`)).json().data;
    const pairings = (await app.county.get(`/api/v1/pairings/coverage?regionCode=${c}`)).json().data;
    const trainings = (await app.county.get(`/api/v1/trainings/coverage?regionCode=${c}&year=2026`)).json().data;
    const medical = (await app.county.get(`/api/v1/medical-services/coverage?regionCode=${c}`)).json().data;
    const liaisons = (await app.county.get(`/api/v1/liaisons/coverage?regionCode=${c}`)).json().data;
    const money = (await app.county.get(`/api/v1/liaison-subsidies/totals?regionCode=${c}&year=2026`)).json().data;
    expect(await byCode('county_staffing_complete', c)).toBe(
      staffing.filter((s: { complete: boolean }) => s.complete).length,
    );
    expect(await byCode('families_paired', c)).toBe(pairings.paired);
    expect(await byCode('partner_pairings', c)).toBe(pairings.pairings);
    expect(await byCode('contacts_trained', c)).toBe(trainings.trained);
    expect(await byCode('trainings_held', c)).toBe(
      trainings.regions.reduce((s: number, r: { sessions: number }) => s + r.sessions, 0),
    );
    expect(await byCode('families_family_doctor_signed', c)).toBe(medical.familyDoctor);
    expect(await byCode('families_priority_medical_access', c)).toBe(medical.priorityAccess);
    expect(await byCode('liaisons_active', c)).toBe(liaisons.liaisons);
    expect(await byCode('liaison_subsidy_amount', c)).toBe(money.total);
    // And they are not all zero: the figures above were made by this file's tests.
    expect(await byCode('families_paired', c)).toBe(1);
    expect(await byCode('contacts_trained', c)).toBe(3);
    expect(await byCode('county_staffing_complete', app.tree.prefecture)).toBe(1);
  });
});
