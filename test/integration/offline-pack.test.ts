/**
 * GET /api/v1/offline-pack (issue #17): what a phone keeps for field use without signal — the user's todos and
 * their families' visit-form fields, with masked names and phones, never an ID number or a full phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../common/mask.js';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
import { buildAssignedFamily } from '../support/factories.js';
import { buildContact } from '../support/factories.js';
let s: ContactTeam;
let otherContactId: string;

beforeAll(async () => {
  s = await buildContactTeam({ userAtTestClock: true });
  otherContactId = (await buildContact(s.township, 'village_cadre', s.tree.village)).id;
});
afterAll(() => s.t.close());

async function family(villageContactId: string) {
  const { family: f, input } = await buildAssignedFamily(s.township, s.tree.village, {
    townshipContactId: s.townshipContactId,
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
    const mine = await family(s.contactId);
    const notMine = await family(otherContactId);
    const res = await s.contact.get('/api/v1/offline-pack');
    expect(res.statusCode, res.body).toBe(200);
    const pack = res.json().data as Pack;
    expect(pack.userId).toBe(s.contact.user.id);
    expect(pack.generatedAt).toBe(s.t.clock.now().toISOString());
    const ids = pack.families.map((f) => f.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(notMine.id);
    const f = pack.families.find((x) => x.id === mine.id)!;
    const mother = mine.input.members[0]!;
    expect(f.members.map((m) => m.name)).toEqual([maskName(mother.name)]);
    expect(f.regionName.length).toBeGreaterThan(0);
    expect(f.contacts.find((c) => c.contactId === s.contactId)?.isMine).toBe(true);
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
    expect((await s.township.get('/api/v1/offline-pack')).statusCode).toBe(200);
    const county = await s.t.signIn('county_staff', s.tree.county);
    const refused = await county.get('/api/v1/offline-pack');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');
    expect((await s.t.app.inject({ method: 'GET', url: '/api/v1/offline-pack' })).statusCode).toBe(401);
  });
});
