/**
 * Issue 10 item 16, the approval half: an account past the hourly reveal limit asks the township; township staff
 * over the family (or the county above) approve or reject — never their own request, version-checked, audited,
 * 404 outside their region; an approved request lets its requester see that one value once, within its time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tree: RegionTree;
let familyId: string;
let idNumber: string;

beforeAll(async () => {
  t = await createTestApp({ config: { reveal: { perHour: 2, burstPerMinute: 0, approvalHours: 24 } } });
  tree = await buildRegionTree(t.db);
  const township = await t.signIn('township_staff', tree.township);
  const input = familyInput(tree.village);
  const res = await township.post('/api/v1/families', input);
  expect(res.statusCode, res.body).toBe(201);
  familyId = res.json().data.id;
  idNumber = (input as { members: Array<{ idNumber: string }> }).members[0].idNumber;
});
afterAll(() => t.close());

const FIELD = 'members.0.idNumber';
const reveal = (s: Session, field = FIELD) =>
  s.post(`/api/v1/families/${familyId}/reveal`, { field, reason: '办理特别扶助金，核对身份证号' });
const ask = (s: Session, body: Record<string, unknown> = {}) =>
  s.post(`/api/v1/families/${familyId}/reveal-requests`, { field: FIELD, reason: '核对扶助金发放对象身份', ...body });

/** A village officer who has used up the hour. */
async function villageAtLimit(): Promise<Session & { account: { id: string } }> {
  const village = await t.signIn('village_staff', tree.village);
  expect((await reveal(village)).statusCode).toBe(200);
  expect((await reveal(village)).statusCode).toBe(200);
  expect((await reveal(village)).statusCode).toBe(429);
  return village;
}

async function audited(action: string, requestId: string) {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['changes', 'actor_id'])
    .where('action', '=', action)
    .execute();
  return rows.filter((r) => JSON.parse(r.changes!).facts?.requestId === requestId);
}

describe('filing a request', () => {
  it('is for an account past its hour only, with a reason that says something, one open request per value', async () => {
    const fresh = await t.signIn('village_staff', tree.village);
    const early = await ask(fresh);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('INVALID_STATE');

    const village = await villageAtLimit();
    const vague = await ask(village, { reason: '..' });
    expect(vague.statusCode).toBe(400);
    expect(vague.json().error.details[0].path).toBe('reason');
    const badField = await ask(village, { field: 'members.0.name' });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.details[0].path).toBe('field');
    // A field that holds nothing cannot be asked for (the child of this family has no disability card).
    const empty = await ask(village, { field: 'child.disabilityCertNo' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].code).toBe('FIELD_EMPTY');

    const filed = await ask(village);
    expect(filed.statusCode, filed.body).toBe(201);
    const request = filed.json().data;
    expect(request).toMatchObject({
      familyId,
      field: FIELD,
      status: 'pending',
      version: 1,
      fieldLabel: '第一位成员身份证号码',
    });
    expect(request.abilities.decide).toBe(false);
    const again = await ask(village);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_EXISTS');
    expect(await audited('reveal_request.create', request.id)).toHaveLength(1);

    // The requester sees its own request (the dialog's state); another village officer does not.
    const mine = await village.get(`/api/v1/reveal-requests?familyId=${familyId}&mine=true`);
    expect(mine.json().data.map((r: { id: string }) => r.id)).toEqual([request.id]);
    const others = await (await t.signIn('village_staff', tree.village)).get('/api/v1/reveal-requests');
    expect(others.json().data).toEqual([]);
  });

  it('answers 404 for a family outside the requester’s region and 403 for a role that may not reveal', async () => {
    const elsewhere = await t.signIn('village_staff', tree.siblingVillage);
    expect((await ask(elsewhere)).statusCode).toBe(404);
    const prefecture = await t.signIn('prefecture_staff', tree.prefecture);
    expect((await ask(prefecture)).statusCode).toBe(403);
  });
});

describe('deciding', () => {
  it('lets township staff approve once, version-checked; the requester then sees that one value once', async () => {
    const village = await villageAtLimit();
    const request = (await ask(village)).json().data;
    const township = await t.signIn('township_staff', tree.township);

    // In the township's todos and list, decidable.
    const todos = (await township.get('/api/v1/todos')).json().data as Array<{ kind: string; familyId: string }>;
    expect(todos.some((x) => x.kind === 'reveal_request' && x.familyId === familyId)).toBe(true);
    const listed = (await township.get('/api/v1/reveal-requests?status=pending')).json().data;
    expect(listed.find((r: { id: string }) => r.id === request.id).abilities.decide).toBe(true);

    // Outside the family's region: 404, the same body as for an id that does not exist.
    const sibling = await t.signIn('township_staff', tree.siblingTownship);
    const outside = await sibling.post(`/api/v1/reveal-requests/${request.id}/approve`, { version: 1 });
    const unknown = await sibling.post('/api/v1/reveal-requests/00000000-0000-4000-8000-000000000000/approve', {
      version: 1,
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.body.replace(/"requestId":"[^"]+"/, '')).toBe(unknown.body.replace(/"requestId":"[^"]+"/, ''));
    // The requester's own village colleagues may not decide; a stale version is refused.
    expect((await village.post(`/api/v1/reveal-requests/${request.id}/approve`, { version: 1 })).statusCode).toBe(403);
    const stale = await township.post(`/api/v1/reveal-requests/${request.id}/approve`, { version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');

    const approved = await township.post(`/api/v1/reveal-requests/${request.id}/approve`, { version: 1 });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().data).toMatchObject({ status: 'approved', version: 2, decidedByName: expect.any(String) });
    const expiresAt = Date.parse(approved.json().data.expiresAt);
    expect(expiresAt - t.clock.now().getTime()).toBe(24 * 3_600_000);
    const twice = await township.post(`/api/v1/reveal-requests/${request.id}/reject`, { version: 2, reason: '重复' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('INVALID_STATE');
    expect(await audited('reveal_request.approve', request.id)).toHaveLength(1);

    // Another field is still over the limit; the approved one opens once.
    expect((await reveal(village, 'members.0.phone')).statusCode).toBe(429);
    const seen = await reveal(village);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().data.value).toBe(idNumber);
    expect((await reveal(village)).statusCode).toBe(429);
    const mine = (await village.get(`/api/v1/reveal-requests?familyId=${familyId}&mine=true`)).json().data;
    expect(mine[0]).toMatchObject({ id: request.id, status: 'used', usedAt: expect.any(String) });
    const reveals = await t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'family.reveal')
      .where('actor_id', '=', village.account.id)
      .where('outcome', '=', 'success')
      .execute();
    expect(reveals.filter((r) => JSON.parse(r.changes!).facts.revealRequest === request.id)).toHaveLength(1);
  });

  it('never lets the requester approve their own request; the county above may', async () => {
    const township = await t.signIn('township_staff', tree.township);
    const revealTodos = async () =>
      ((await township.get('/api/v1/todos')).json().data as Array<{ kind: string }>).filter(
        (x) => x.kind === 'reveal_request',
      ).length;
    const before = await revealTodos();
    for (let i = 0; i < 2; i += 1) expect((await reveal(township)).statusCode).toBe(200);
    const request = (await ask(township)).json().data;
    // Not in the requester's own todos.
    expect(await revealTodos()).toBe(before);
    expect(request.abilities.decide).toBe(false);
    const own = await township.post(`/api/v1/reveal-requests/${request.id}/approve`, { version: 1 });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toContain('本人');
    const county = await t.signIn('county_staff', tree.county);
    const approved = await county.post(`/api/v1/reveal-requests/${request.id}/approve`, {
      version: 1,
      reason: '核实属实',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await reveal(township)).statusCode).toBe(200);
  });

  it('rejects with a reason the requester reads; the reveal stays refused', async () => {
    const village = await villageAtLimit();
    const request = (await ask(village)).json().data;
    const township = await t.signIn('township_staff', tree.township);
    const noReason = await township.post(`/api/v1/reveal-requests/${request.id}/reject`, { version: 1 });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('reason');
    const rejected = await township.post(`/api/v1/reveal-requests/${request.id}/reject`, {
      version: 1,
      reason: '已于上周核对，无需再次查看',
    });
    expect(rejected.statusCode).toBe(200);
    const mine = (await village.get(`/api/v1/reveal-requests?familyId=${familyId}&mine=true`)).json().data;
    expect(mine[0]).toMatchObject({ status: 'rejected', decisionReason: '已于上周核对，无需再次查看' });
    expect((await reveal(village)).statusCode).toBe(429);
    expect(await audited('reveal_request.reject', request.id)).toHaveLength(1);
  });

  it('expires an approval not used in time', async () => {
    const village = await villageAtLimit();
    const request = (await ask(village)).json().data;
    const township = await t.signIn('township_staff', tree.township);
    expect((await township.post(`/api/v1/reveal-requests/${request.id}/approve`, { version: 1 })).statusCode).toBe(200);
    t.clock.advanceMinutes(25 * 60);
    const again = await t.login(village.account as never);
    // A new hour: two reveals of its own, then the expired approval does not open a third.
    expect((await reveal(again)).statusCode).toBe(200);
    expect((await reveal(again)).statusCode).toBe(200);
    expect((await reveal(again)).statusCode).toBe(429);
    const mine = (await again.get(`/api/v1/reveal-requests?familyId=${familyId}&mine=true&status=expired`)).json().data;
    expect(mine.map((r: { id: string }) => r.id)).toEqual([request.id]);
  });
});
