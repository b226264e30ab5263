import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/** Issue 11 item 7: the daily bulk tasks — 双岗 in bulk, a village's 联系卡, village staff's report and roster. */
let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let township: Session;
let village: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  village = await t.signIn('village_staff', tree.village);
});
afterAll(() => t.close());

async function newFamily(villageCode = tree.village, name = '钱秀兰') {
  const input = familyInput(villageCode, { enteredAt: '2020-01-01' });
  (input.members[0] as { name: string }).name = name;
  const res = await township.post('/api/v1/families', input);
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: string; version: number; archiveNo: string };
}

type Row = {
  familyId: string;
  version: number;
  familyName: string;
  township: { contactId: string } | null;
  village: { contactId: string } | null;
};
const roster = async () =>
  (await township.get(`/api/v1/assignments/bulk?regionCode=${tree.village}`)).json().data as Row[];

describe('批量安排双岗', () => {
  it('assigns one township and one village cadre to the chosen families, keeping posts not replaced, in one audited operation', async () => {
    const [a, b, c] = [await newFamily(), await newFamily(), await newFamily()];
    const tc = await buildContact(township, 'township_cadre', tree.township);
    const vc = await buildContact(township, 'village_cadre', tree.village);
    const vcOld = await buildContact(township, 'village_cadre', tree.village);
    // c already has its village cadre; the bulk run replaces only the township post there.
    await township.put(`/api/v1/families/${c.id}/assignments`, {
      townshipContactId: (await buildContact(township, 'township_cadre', tree.township)).id,
      villageContactId: vcOld.id,
    });
    const before = await roster();
    const row = (id: string) => before.find((r) => r.familyId === id)!;
    expect(row(a.id)).toMatchObject({ township: null, village: null, familyName: '钱某兰' });
    expect(row(c.id).village?.contactId).toBe(vcOld.id);

    const auditBefore = await t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'assignment.bulk_set')
      .execute();
    const first = await township.post('/api/v1/assignments/bulk', {
      regionCode: tree.village,
      townshipContactId: tc.id,
      villageContactId: vc.id,
      families: [a, b].map((f) => ({ familyId: f.id, version: row(f.id).version })),
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().data.changed).toBe(2);
    const onlyTownship = await township.post('/api/v1/assignments/bulk', {
      regionCode: tree.village,
      townshipContactId: tc.id,
      families: [{ familyId: c.id, version: row(c.id).version }],
    });
    expect(onlyTownship.statusCode).toBe(200);
    const after = await roster();
    const now = (id: string) => after.find((r) => r.familyId === id)!;
    for (const f of [a, b])
      expect(now(f.id)).toMatchObject({ township: { contactId: tc.id }, village: { contactId: vc.id } });
    expect(now(c.id)).toMatchObject({ township: { contactId: tc.id }, village: { contactId: vcOld.id } });
    expect(now(a.id).version).toBe(row(a.id).version + 1);
    const auditAfter = await t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'assignment.bulk_set')
      .execute();
    expect(auditAfter.length - auditBefore.length).toBe(2);
  });

  it('is all or nothing: a stale version or a family of another village refuses the whole request, naming the family', async () => {
    const [a, b] = [await newFamily(), await newFamily()];
    const tc = await buildContact(township, 'township_cadre', tree.township);
    const vc = await buildContact(township, 'village_cadre', tree.village);
    const rows = await roster();
    const version = (id: string) => rows.find((r) => r.familyId === id)!.version;
    // b changes under the user's feet.
    await township.put(`/api/v1/families/${b.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
    const stale = await township.post('/api/v1/assignments/bulk', {
      regionCode: tree.village,
      townshipContactId: tc.id,
      villageContactId: vc.id,
      families: [
        { familyId: a.id, version: version(a.id) },
        { familyId: b.id, version: version(b.id) },
      ],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    expect(stale.json().error.details).toEqual([expect.objectContaining({ path: 'families.1.version' })]);
    expect(stale.json().error.details[0].message).toContain(b.archiveNo);
    // Nothing was written for a.
    expect((await roster()).find((r) => r.familyId === a.id)!.township).toBeNull();

    const sibling = await newFamily(tree.siblingVillage);
    const mixed = await township.post('/api/v1/assignments/bulk', {
      regionCode: tree.village,
      townshipContactId: tc.id,
      families: [
        { familyId: a.id, version: version(a.id) },
        { familyId: sibling.id, version: sibling.version },
      ],
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.details[0]).toMatchObject({ path: 'families.1.familyId', code: 'FAMILY_UNKNOWN' });
    const noPost = await township.post('/api/v1/assignments/bulk', {
      regionCode: tree.village,
      families: [{ familyId: a.id, version: version(a.id) }],
    });
    expect(noPost.statusCode).toBe(400);
    expect(noPost.json().error.details[0].path).toBe('townshipContactId');
    const wrongPost = await township.post('/api/v1/assignments/bulk', {
      regionCode: tree.village,
      villageContactId: tc.id,
      families: [{ familyId: a.id, version: version(a.id) }],
    });
    expect(wrongPost.json().error.details[0]).toMatchObject({ path: 'villageContactId', code: 'POST_MISMATCH' });
    expect((await roster()).find((r) => r.familyId === a.id)!.township).toBeNull();
  });

  it('answers 404 outside scope and 403 to a role that may not assign', async () => {
    expect((await township.get(`/api/v1/assignments/bulk?regionCode=${other.village}`)).statusCode).toBe(404);
    expect((await village.get(`/api/v1/assignments/bulk?regionCode=${tree.village}`)).statusCode).toBe(403);
    const level = await township.get(`/api/v1/assignments/bulk?regionCode=${tree.township}`);
    expect(level.json().error.details[0].code).toBe('REGION_NOT_VILLAGE');
  });
});

describe('联系卡 for a village', () => {
  it("prints every family's card with the family's masked name and the contacts' phones, audited once", async () => {
    const f = await newFamily(tree.village, '孙玉琴');
    const tc = await buildContact(township, 'township_cadre', tree.township);
    const vc = await buildContact(township, 'village_cadre', tree.village);
    await township.put(`/api/v1/families/${f.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
    const res = await village.get(`/api/v1/contact-cards?regionCode=${tree.village}`);
    expect(res.statusCode).toBe(200);
    const cards = res.json().data as Array<{
      familyId: string;
      familyName: string;
      contacts: Array<{ phone: string }>;
    }>;
    const card = cards.find((c) => c.familyId === f.id)!;
    expect(card.familyName).toBe('孙某琴');
    expect(res.body).not.toContain('孙玉琴');
    expect(card.contacts).toHaveLength(2);
    for (const c of card.contacts) expect(c.phone).toMatch(/^1\d{10}$/);
    const one = (await village.get(`/api/v1/families/${f.id}/contact-card`)).json().data;
    expect(one.familyName).toBe('孙某琴');
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['action', 'target_id'])
      .where('action', '=', 'family.contact_cards')
      .execute();
    expect(audited).toContainEqual({ action: 'family.contact_cards', target_id: tree.village });
    expect((await village.get(`/api/v1/contact-cards?regionCode=${other.village}`)).statusCode).toBe(404);
  });
});

describe('village staff', () => {
  it('report a 信访苗头 from the visit page but cannot read the register', async () => {
    const f = await newFamily();
    const res = await village.post(`/api/v1/families/${f.id}/petition-risks`, {
      targetLevel: 'county',
      scope: 'individual',
      riskLevel: 'yellow',
      signals: '走访时反映补贴未到位',
    });
    expect(res.statusCode).toBe(201);
    expect((await village.get(`/api/v1/families/${f.id}/petition-risks`)).statusCode).toBe(404);
    expect((await township.get(`/api/v1/families/${f.id}/petition-risks`)).json().data.risks).toHaveLength(1);
  });

  it("export their own village's masked roster, and nothing beyond it", async () => {
    await newFamily();
    const res = await village.get('/api/v1/families/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect((await village.get(`/api/v1/families/export.xlsx?regionCode=${tree.siblingVillage}`)).statusCode).toBe(404);
  });
});
