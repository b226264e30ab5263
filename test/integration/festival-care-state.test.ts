import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAssignedFamily,
  buildContact,
  buildRegionTree,
  buildUser,
  TEST_PASSWORD,
  type RegionTree,
} from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// Issue 11 item 5: the visit form knows which festivals a family was already cared for.
let t: TestApp;
let tree: RegionTree;
let township: Session;
let contact: Session;
let vc: string;
let tc: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  const user = await buildUser(t.db, 'contact', tree.village);
  vc = (await buildContact(township, 'village_cadre', tree.village, { userId: user.id })).id;
  tc = (await buildContact(township, 'township_cadre', tree.township)).id;
  contact = await t.login({ username: user.username, password: TEST_PASSWORD });
});
afterAll(() => t.close());

async function family() {
  const { family: f } = await buildAssignedFamily(township, tree.village, {
    townshipContactId: tc,
    villageContactId: vc,
  });
  return f as { id: string };
}

describe('a family’s festival care', () => {
  it('lists what was recorded, late care with its reason included, and nothing for a family not cared for', async () => {
    const a = await family();
    const b = await family();
    expect((await contact.get(`/api/v1/families/${a.id}/festival-care`)).json().data).toEqual([]);
    const inWindow = await contact.post(`/api/v1/families/${a.id}/festival-care`, {
      year: 2026,
      festival: 'mid_autumn',
      manner: 'goods',
      caredOn: '2026-09-24',
    });
    expect(inWindow.statusCode).toBe(201);
    // Late: outside the window, accepted with a reason.
    const late = await contact.post(`/api/v1/families/${a.id}/festival-care`, {
      year: 2026,
      festival: 'dragon_boat',
      manner: 'phone',
      caredOn: '2026-07-20',
      outsideWindowReason: '端午期间家庭外出',
    });
    expect(late.statusCode).toBe(201);
    const care = (await contact.get(`/api/v1/families/${a.id}/festival-care`)).json().data;
    expect(care).toEqual([
      { year: 2026, festival: 'mid_autumn', manner: 'goods', caredOn: '2026-09-24', isOutsideWindow: false },
      { year: 2026, festival: 'dragon_boat', manner: 'phone', caredOn: '2026-07-20', isOutsideWindow: true },
    ]);
    expect((await township.get(`/api/v1/families/${a.id}/festival-care`)).json().data).toHaveLength(2);
    expect((await contact.get(`/api/v1/families/${b.id}/festival-care`)).json().data).toEqual([]);
  });
});
