/**
 * Issue 10 items 13 and 14: text a person could not have typed (controls, bidi overrides, lone surrogates) and
 * implausible dates and months are refused with a field error; a PATCH changes only what it names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAssignedFamily,
  buildContact,
  buildRegionTree,
  buildUser,
  familyInput,
  type RegionTree,
} from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tree: RegionTree;
let township: Session;
let county: Session;
let contactId: string;
let townshipContactId: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  county = await t.signIn('county_staff', tree.county);
  contactId = (await buildContact(township, 'village_cadre', tree.village)).id;
  townshipContactId = (await buildContact(township, 'township_cadre', tree.township)).id;
});
afterAll(() => t.close());

async function newFamily(overrides: Record<string, unknown> = {}) {
  const { family, assignments } = await buildAssignedFamily(
    township,
    tree.village,
    { townshipContactId, villageContactId: contactId },
    overrides,
  );
  return {
    ...(family as { id: string; version: number }),
    version: (assignments as { version?: number }).version ?? family.version,
  };
}

/** A raw JSON body: JSON.stringify writes a lone surrogate as the escape `\udXXX`, as an attacker would send it. */
function postRaw(session: Session, url: string, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

function expectFieldError(res: { statusCode: number; body: string; json(): unknown }, path: string) {
  expect(res.statusCode, res.body).toBe(400);
  const error = (res.json() as { error: { code: string; details: Array<{ path: string; message: string }> } }).error;
  expect(error.code).toBe('VALIDATION_FAILED');
  const detail = error.details.find((d) => d.path === path);
  expect(detail, JSON.stringify(error.details)).toBeDefined();
  expect(detail!.message).toMatch(/[\u4e00-\u9fff]/);
  return detail!;
}

describe('text fields refuse what no person types (item 13)', () => {
  it.each([
    ['a right-to-left override', '王\u202E五'],
    ['a bidi isolate', '王\u2067五'],
    ['a terminal escape', '王\u001b[31m五'],
    ['a NUL', '王\u0000五'],
    ['a C1 control', '王\u009b五'],
    ['a lone high surrogate', '王\ud800五'],
    ['a lone low surrogate', '王\udc00'],
  ])('refuses %s in a contact name, a family address and a log note', async (_what, bad) => {
    const contact = await postRaw(township, '/api/v1/contacts', {
      name: bad,
      phone: '13912345670',
      post: 'village_cadre',
      regionCode: tree.village,
    });
    // NUL is refused before validation by the input guard (http.ts); the rest by the field helpers, naming the field.
    expect(expectFieldError(contact, 'name').message).toMatch(/姓名|控制字符/);
    const family = await postRaw(township, '/api/v1/families', familyInput(tree.village, { address: bad }));
    expectFieldError(family, 'address');
    const member = await postRaw(
      township,
      '/api/v1/families',
      familyInput(tree.village, { extra: { 备注: bad } }) as Record<string, unknown>,
    );
    expect(member.statusCode).toBe(400);
    const f = await newFamily();
    const log = await postRaw(township, `/api/v1/families/${f.id}/contact-logs`, {
      contactId,
      mode: 'phone',
      occurredAt: t.clock.now().toISOString(),
      notes: bad,
    });
    expectFieldError(log, 'notes');
  });

  it('still takes ordinary Chinese text with line breaks, tabs and emoji (with joiners)', async () => {
    const f = await newFamily({ address: '保成路 8 号\t2 单元' });
    const res = await township.post(`/api/v1/families/${f.id}/contact-logs`, {
      contactId,
      mode: 'phone',
      occurredAt: t.clock.now().toISOString(),
      notes: '老人身体尚可。\n下次带降压药 👨‍👩‍👧 ✔',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data.notes).toBe('老人身体尚可。\n下次带降压药 👨‍👩‍👧 ✔');
  });
});

describe('dates and months are plausible (item 13)', () => {
  it('refuses a person dated before 1900 or after 2099, and a work record before 2016', async () => {
    for (const birthDate of ['0001-01-01', '0000-01-01', '1899-12-31', '2100-01-01']) {
      const res = await township.post(
        '/api/v1/families',
        familyInput(tree.village, { child: { name: '李明', sex: 'male', birthDate, deathDate: '2015-05-01' } }),
      );
      expectFieldError(res, 'child.birthDate');
    }
    const f = await newFamily();
    const old = await township.post(`/api/v1/families/${f.id}/contact-logs`, {
      contactId,
      mode: 'phone',
      occurredAt: '0001-01-01T00:00:00Z',
    });
    expectFieldError(old, 'occurredAt');
    const before2016 = await township.post(`/api/v1/families/${f.id}/events`, {
      kind: 'accident',
      occurredAt: '2015-12-31T08:00:00+08:00',
    });
    expectFieldError(before2016, 'occurredAt');
    const need = await township.post('/api/v1/needs', {
      familyId: f.id,
      category: 'medical',
      department: 'health',
      description: '住院报销',
      deadline: '0001-01-01',
    });
    expectFieldError(need, 'deadline');
    // A person from 1900 is still fine.
    expect(
      (
        await township.post(
          '/api/v1/families',
          familyInput(tree.village, {
            child: { name: '李明', sex: 'male', birthDate: '1900-01-01', deathDate: '1950-01-01' },
          }),
        )
      ).statusCode,
    ).toBe(201);
  });

  it('answers 400 for a month such as 0000-01 on every month parameter', async () => {
    for (const url of [
      '/api/v1/compliance/trend?month=0000-01',
      '/api/v1/compliance/monthly?month=0000-01',
      '/api/v1/compliance/overdue?month=1898-12',
      '/api/v1/compliance/contacts?month=2100-01',
      '/api/v1/compliance/overdue.xlsx?month=0000-01',
    ]) {
      const res = await county.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details[0].path).toMatch(/(^|\.)month$/);
    }
    expect((await county.get('/api/v1/compliance/trend?month=2026-01')).statusCode).toBe(200);
  });
});

/** Everything but what the change names and the bookkeeping a write moves on. */
function unchanged(before: Record<string, unknown>, after: Record<string, unknown>, changed: string[]) {
  const skip = new Set([...changed, 'version', 'updatedAt', 'revisions', 'abilities']);
  const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !skip.has(k)));
  expect(strip(after)).toEqual(strip(before));
}

describe('a PATCH changes only the fields it names (item 14)', () => {
  it('PATCH /contact-logs/{id} with only notes keeps direction and every other field', async () => {
    const f = await newFamily();
    const created = await township.post(`/api/v1/families/${f.id}/contact-logs`, {
      contactId,
      mode: 'home_visit',
      direction: 'family_initiated',
      occurredAt: t.clock.now().toISOString(),
      participants: '老两口',
      health: '血压偏高',
      selfCare: 'partial',
      mentalState: 'fair',
      demands: '想要一台助听器',
      policiesExplained: '特别扶助金标准',
      problemsCoordinated: ['medical'],
      followUps: '下周送药',
      notes: '初次走访',
    });
    expect(created.statusCode, created.body).toBe(201);
    const log = created.json().data;
    const res = await township.patch(`/api/v1/contact-logs/${log.id}`, { version: log.version, notes: '补记：已送药' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.notes).toBe('补记：已送药');
    expect(res.json().data.direction).toBe('family_initiated');
    const [stored] = (await township.get(`/api/v1/families/${f.id}/contact-logs`))
      .json()
      .data.filter((l: { id: string }) => l.id === log.id);
    unchanged(log, stored, ['notes']);
  });

  it('PATCH /families/{id} with only the address keeps the members, the child and every other field', async () => {
    const f = await newFamily({ currentAddress: '女儿家', isSpecialDifficulty: true, extra: { 房号: '3-2' } });
    const before = (await township.get(`/api/v1/families/${f.id}`)).json().data;
    const res = await township.patch(`/api/v1/families/${f.id}`, { version: before.version, address: '新华路 1 号' });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await township.get(`/api/v1/families/${f.id}`)).json().data;
    expect(after.address).toBe('新华路 1 号');
    unchanged(before, after, ['address']);
  });

  it('PATCH /contacts/{id} with only the title keeps the rest', async () => {
    const { id } = await buildContact(township, 'township_cadre', tree.township, {
      organization: '某镇政府',
      title: '副镇长',
    });
    const before = (await township.get(`/api/v1/contacts/${id}`)).json().data;
    const res = await township.patch(`/api/v1/contacts/${id}`, { version: before.version, title: '镇长' });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await township.get(`/api/v1/contacts/${id}`)).json().data;
    expect(after.title).toBe('镇长');
    unchanged(before, after, ['title']);
  });

  it('PATCH /needs/{id} with only the deadline keeps the rest', async () => {
    const f = await newFamily();
    const created = await township.post('/api/v1/needs', {
      familyId: f.id,
      category: 'medical',
      department: 'health',
      description: '住院报销',
      deadline: '2027-01-15',
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = created.json().data;
    const res = await township.patch(`/api/v1/needs/${before.id}`, { version: before.version, deadline: '2027-02-01' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.deadline).toBe('2027-02-01');
    unchanged(before, res.json().data, ['deadline']);
  });

  it('PATCH /users/{id} with only the display name keeps role, region and state', async () => {
    const admin = await t.signIn('sysadmin', tree.province);
    const user = await buildUser(t.db, 'village_staff', tree.village);
    const before = (await admin.get(`/api/v1/users/${user.id}`)).json().data;
    const res = await admin.patch(`/api/v1/users/${user.id}`, { version: before.version, displayName: '改名后' });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await admin.get(`/api/v1/users/${user.id}`)).json().data;
    expect(after.displayName).toBe('改名后');
    unchanged(before, after, ['displayName']);
  });

  it('PATCH /channels/{id} with only the size keeps the name, number, key and administrators', async () => {
    const created = await county.post('/api/v1/channels', {
      regionCode: tree.county,
      kind: 'wechat_group',
      name: '特殊家庭交流群',
      number: 'wx-2026',
      size: 40,
      createdOn: '2026-01-05',
      admins: [{ kind: 'family', name: '张敏', phone: '13912345678' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = (await county.get(`/api/v1/channels/${created.json().data.id}`)).json().data;
    const res = await county.patch(`/api/v1/channels/${before.id}`, { version: before.version, size: 42 });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await county.get(`/api/v1/channels/${before.id}`)).json().data;
    expect(after.size).toBe(42);
    expect(after.admins).toHaveLength(1);
    unchanged(before, after, ['size']);
  });

  it('PATCH /liaisons/{id} with only the name keeps the phone, the start and the term', async () => {
    const created = await township.post('/api/v1/liaisons', {
      regionCode: tree.township,
      name: '刘红',
      phone: '13812345678',
      startedOn: '2025-03-01',
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = (await township.get(`/api/v1/liaisons/${created.json().data.id}`)).json().data;
    const res = await township.patch(`/api/v1/liaisons/${before.id}`, { version: before.version, name: '刘洪' });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await township.get(`/api/v1/liaisons/${before.id}`)).json().data;
    expect(after.name).toBe('刘洪');
    expect(after.endedOn ?? null).toBeNull();
    unchanged(before, after, ['name']);
  });

  it('PATCH /notices/{id} with only the title keeps the body, channels and confidentiality', async () => {
    const created = await county.post('/api/v1/notices', {
      regionCode: tree.county,
      title: '关于开展年度体检的通知',
      body: '请各位按时参加体检。',
      channelIds: [],
      confidentiality: 'internal',
      declaredNotClassified: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = (await county.get(`/api/v1/notices/${created.json().data.id}`)).json().data;
    const res = await county.patch(`/api/v1/notices/${before.id}`, {
      version: before.version,
      title: '关于开展年度免费体检的通知',
      declaredNotClassified: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await county.get(`/api/v1/notices/${before.id}`)).json().data;
    expect(after.title).toBe('关于开展年度免费体检的通知');
    unchanged(before, after, ['title', 'history']);
  });

  it('PATCH /stat-returns/{id} with only the remarks keeps the manual figures and the preparer', async () => {
    const created = await township.post('/api/v1/stat-returns', {
      template: 'annual',
      period: '2025',
      regionCode: tree.township,
    });
    expect(created.statusCode, created.body).toBe(201);
    const first = await township.patch(`/api/v1/stat-returns/${created.json().data.id}`, {
      version: created.json().data.version,
      manual: { manual_local_funds: 12000 },
      preparedBy: '王芳',
    });
    expect(first.statusCode, first.body).toBe(200);
    const before = (await township.get(`/api/v1/stat-returns/${created.json().data.id}`)).json().data;
    const res = await township.patch(`/api/v1/stat-returns/${before.id}`, {
      version: before.version,
      remarks: '补录 3 月新增家庭',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await township.get(`/api/v1/stat-returns/${before.id}`)).json().data;
    expect(after.remarks).toBe('补录 3 月新增家庭');
    expect(after.figures.manual_local_funds).toBe(12000);
    expect(after.preparedBy).toBe('王芳');
    unchanged(before, after, ['remarks', 'history']);
  });
});
