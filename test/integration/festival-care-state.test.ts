import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
// Issue 11 item 5: the visit form knows which festivals a family was already cared for.
let s: ContactTeam;

beforeAll(async () => {
  s = await buildContactTeam();
});
afterAll(() => s.t.close());

async function family() {
  const { family: f } = await s.family();
  return f as { id: string };
}

describe('a family’s festival care', () => {
  it('lists what was recorded, late care with its reason included, and nothing for a family not cared for', async () => {
    const a = await family();
    const b = await family();
    expect((await s.contact.get(`/api/v1/families/${a.id}/festival-care`)).json().data).toEqual([]);
    const inWindow = await s.contact.post(`/api/v1/families/${a.id}/festival-care`, {
      year: 2026,
      festival: 'mid_autumn',
      manner: 'goods',
      caredOn: '2026-09-24',
    });
    expect(inWindow.statusCode).toBe(201);
    // Late: outside the window, accepted with a reason.
    const late = await s.contact.post(`/api/v1/families/${a.id}/festival-care`, {
      year: 2026,
      festival: 'dragon_boat',
      manner: 'phone',
      caredOn: '2026-07-20',
      outsideWindowReason: '端午期间家庭外出',
    });
    expect(late.statusCode).toBe(201);
    const care = (await s.contact.get(`/api/v1/families/${a.id}/festival-care`)).json().data;
    expect(care).toEqual([
      { year: 2026, festival: 'mid_autumn', manner: 'goods', caredOn: '2026-09-24', isOutsideWindow: false },
      { year: 2026, festival: 'dragon_boat', manner: 'phone', caredOn: '2026-07-20', isOutsideWindow: true },
    ]);
    expect((await s.township.get(`/api/v1/families/${a.id}/festival-care`)).json().data).toHaveLength(2);
    expect((await s.contact.get(`/api/v1/families/${b.id}/festival-care`)).json().data).toEqual([]);
  });
});
