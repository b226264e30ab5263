import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '../../common/mask.js';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
// Issue 11 item 3: every todo about a family names it (masked) beside its archive number.
let s: ContactTeam;

beforeAll(async () => {
  s = await buildContactTeam();
});
afterAll(() => s.t.close());

async function family() {
  const { family: f } = await s.family();
  return f as { id: string; archiveNo: string };
}

interface Todo {
  kind: string;
  familyId: string;
  archiveNo: string;
  familyName: string;
  title: string;
  detail: string;
}

describe('todos name the family', () => {
  it('two events of the same kind in one village are told apart by the family’s masked name and archive number', async () => {
    const [a, b] = [await family(), await family()];
    const at = new Date(s.t.clock.now().getTime() - 3_600_000).toISOString();
    for (const f of [a, b]) {
      const res = await s.contact.post(`/api/v1/families/${f.id}/events`, {
        kind: 'serious_illness',
        affectedRelation: 'mother',
        occurredAt: at,
        description: '住院',
      });
      expect(res.statusCode).toBe(201);
    }
    const todos = (await s.contact.get('/api/v1/todos')).json().data as Todo[];
    const events = todos.filter((x) => x.kind === 'event_response' && [a.id, b.id].includes(x.familyId));
    expect(events).toHaveLength(2);
    expect(events[0].title).toBe(events[1].title);
    for (const e of events) {
      const names = await s.t.db
        .selectFrom('family_members')
        .select('name')
        .where('family_id', '=', e.familyId)
        .orderBy('position')
        .execute();
      expect(e.familyName).toBe(names.map((n) => maskName(n.name)).join('、'));
      expect(e.familyName).toMatch(/某/);
      // No full name of a parent in the item.
      for (const n of names) expect(JSON.stringify(e)).not.toContain(n.name);
    }
    const shown = events.map((e) => `${e.familyName} · ${e.archiveNo} · ${e.title}`);
    expect(new Set(shown).size).toBe(2);
    // Every item about a family carries its name; the visit list's too.
    for (const x of todos.filter((x) => x.familyId)) expect(x.familyName, x.kind).not.toBe('');
  });
});
