/**
 * GET /api/v1/offline-pack (issue #17): what a phone keeps for field use without signal — the user's todos and
 * their families' visit-form fields, with masked names and phones, never an ID number or a full phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../common/mask.js';
import {
  buildAssignedFamily,
  buildContact,
  buildRegionTree,
  buildUser,
  TEST_PASSWORD,
  type RegionTree,
} from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tree: RegionTree;
let township: Session;
let contact: Session;
let contactId: string;
let otherContactId: string;
let townshipContactId: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  const user = await buildUser(t.db, 'contact', tree.village, t.clock.now());
  contactId = (await buildContact(township, 'village_cadre', tree.village, { userId: user.id })).id;
  otherContactId = (await buildContact(township, 'village_cadre', tree.village)).id;
  townshipContactId = (await buildContact(township, 'township_cadre', tree.township)).id;
  contact = await t.login({ username: user.username, password: TEST_PASSWORD });
});
afterAll(() => t.close());

async function family(villageContactId: string) {
  const { family: f, input } = await buildAssignedFamily(township, tree.village, {
    townshipContactId,
    villageContactId,
  });
  return { id: f.id, input };
}

interface Pack {
  userId: string;
  generatedAt: string;
  todos: Array<{ kind: string; familyId: string }>;
  families: Array<{
    id: string;
    regionName: string;
    members: Array<{ name: string }>;
    contacts: Array<{ contactId: string; isMine: boolean; phone: string }>;
  }>;
  truncated: boolean;
}

describe('GET /offline-pack', () => {
  it("holds the contact's own families with masked names and phones, and no ID number or full phone", async () => {
    const mine = await family(contactId);
    const notMine = await family(otherContactId);
    const res = await contact.get('/api/v1/offline-pack');
    expect(res.statusCode, res.body).toBe(200);
    const pack = res.json().data as Pack;
    expect(pack.userId).toBe(contact.user.id);
    expect(pack.generatedAt).toBe(t.clock.now().toISOString());
    const ids = pack.families.map((f) => f.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(notMine.id);
    const f = pack.families.find((x) => x.id === mine.id)!;
    const mother = mine.input.members[0]!;
    expect(f.members.map((m) => m.name)).toEqual([maskName(mother.name)]);
    expect(f.regionName.length).toBeGreaterThan(0);
    expect(f.contacts.find((c) => c.contactId === contactId)?.isMine).toBe(true);
    for (const c of f.contacts) expect(c.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    // What is due: this month's home visit is among the todos of that family.
    expect(pack.todos.some((td) => td.familyId === mine.id && td.kind === 'visit_due')).toBe(true);
    // Nothing personal beyond the masks: no ID number, phone, full name or address anywhere in the answer.
    expect(res.body).not.toContain(mother.idNumber);
    expect(res.body).not.toContain(mother.phone);
    expect(res.body).not.toContain(mother.name);
    expect(res.body).not.toContain(mine.input.address);
    expect(res.body).not.toMatch(/(?<!\d)\d{17}[\dX](?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(pack.truncated).toBe(false);
  });

  it('is for those who log visits: other roles are refused, the anonymous are asked to sign in', async () => {
    expect((await township.get('/api/v1/offline-pack')).statusCode).toBe(200);
    const county = await t.signIn('county_staff', tree.county);
    const refused = await county.get('/api/v1/offline-pack');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/offline-pack' })).statusCode).toBe(401);
  });
});
