import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../server/platform/context.js';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
import { idNumberFor, phoneNumber } from '../support/factories.js';

// Issue 19: todos read a contact's overdue families through `overdueForContacts` (no count, no 双岗 contacts);
// its rows are the overdue list's rows for the contact, in the same order.
let s: ContactTeam;
let ctx: RequestContext;
const ids: Record<string, string> = {};

async function log(familyId: string, mode: 'home_visit' | 'phone', daysAgo: number) {
  const res = await s.contact.post(`/api/v1/families/${familyId}/contact-logs`, {
    contactId: s.contactId,
    mode,
    occurredAt: new Date(s.t.clock.now().getTime() - daysAgo * 86_400_000).toISOString(),
  });
  expect(res.statusCode, res.body).toBe(201);
}

beforeAll(async () => {
  s = await buildContactTeam({ userAtTestClock: true });
  ctx = {
    actor: {
      id: s.user.id,
      username: s.user.username,
      displayName: s.user.username,
      role: 'contact',
      regionCode: s.tree.village,
      regionLevel: 'village',
      sessionIdHash: '',
      mustChangePassword: false,
    },
  };
  const twoParents = {
    members: [
      { relation: 'father', name: '王建国', idNumber: idNumberFor('male', '1962-01-01'), phone: phoneNumber() },
      { relation: 'mother', name: '刘桂兰', idNumber: idNumberFor('female', '1964-02-02'), phone: phoneNumber() },
    ],
  };
  for (const key of ['never', 'neverToo', 'longAgo', 'lately', 'phoned', 'visited'])
    ids[key] = (await s.family(key === 'never' ? twoParents : {})).family.id;
  await log(ids.longAgo, 'home_visit', 70);
  await log(ids.lately, 'home_visit', 40);
  await log(ids.phoned, 'phone', 0.01);
  await log(ids.visited, 'home_visit', 0.01);
});
afterAll(() => s.t.close());

describe('overdueForContacts', () => {
  it('answers the overdue list’s rows for the contact, without the 双岗 contacts, in its order', async () => {
    const compliance = s.t.app.services.compliance;
    const full = await compliance.overdue(ctx, undefined, undefined, { page: 1, pageSize: 200 }, [s.contactId]);
    const lean = await compliance.overdueForContacts(ctx, [s.contactId]);
    expect(lean.month).toBe(full.month);
    expect(lean.data).toEqual(full.data.map(({ contacts: _contacts, ...f }) => f));
    // Never home-visited first (by archive number), then the longest ago; this month's visit is not overdue.
    const never = [ids.never, ids.neverToo, ids.phoned].sort((a, b) =>
      lean.data
        .find((f) => f.familyId === a)!
        .archiveNo.localeCompare(lean.data.find((f) => f.familyId === b)!.archiveNo),
    );
    expect(lean.data.map((f) => f.familyId)).toEqual([...never, ids.longAgo, ids.lately]);
    expect(lean.data.find((f) => f.familyId === ids.never)!.parentNames).toEqual(['王建国', '刘桂兰']);
    expect(lean.data.find((f) => f.familyId === ids.lately)!.lastHomeVisitAt).not.toBeNull();
    expect(lean.data.find((f) => f.familyId === ids.phoned)!.lastHomeVisitAt).toBeNull();
    // The first `limit` rows.
    expect((await compliance.overdueForContacts(ctx, [s.contactId], 2)).data).toEqual(lean.data.slice(0, 2));
  });

  it('names the visit list in /todos from the same read: full names in the title, masked beside', async () => {
    const todos = (await s.contact.get('/api/v1/todos')).json().data as Array<{
      kind: string;
      familyId: string;
      title: string;
      familyName: string;
    }>;
    const visits = todos.filter((t) => t.kind === 'visit_due');
    expect(visits.map((t) => t.familyId).sort()).toEqual(
      [ids.never, ids.neverToo, ids.phoned, ids.longAgo, ids.lately].sort(),
    );
    const never = visits.find((t) => t.familyId === ids.never)!;
    expect(never.title).toBe('王建国、刘桂兰');
    expect(never.familyName).toBe('王某国、刘某兰');
  });
});
