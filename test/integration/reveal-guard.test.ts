/**
 * Issue 10 item 16: a reveal needs a reason that says something; an account sees at most 20 full values an hour
 * (then 429 telling it to ask the township, the refusal audited and the auditor alerted once); ten within a
 * minute alert the auditor as a burst; parallel reveals cannot slip past the count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tree: RegionTree;
let township: Session;
let familyId: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  const res = await township.post('/api/v1/families', familyInput(tree.village));
  expect(res.statusCode, res.body).toBe(201);
  familyId = res.json().data.id;
});
afterAll(() => t.close());

const reveal = (s: Session, reason = '办理特别扶助金，核对身份证号') =>
  s.post(`/api/v1/families/${familyId}/reveal`, { field: 'members.0.idNumber', reason });

async function auditRows(action: string, actorId: string) {
  return t.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'changes', 'target_id'])
    .where('action', '=', action)
    .where('actor_id', '=', actorId)
    .execute();
}

describe('the reason', () => {
  it.each(['..', '....', '1234', '啊啊啊啊', 'aaaa', '核对', '  . .  '])(
    'refuses "%s" with a field error',
    async (reason) => {
      const village = await t.signIn('village_staff', tree.village);
      const res = await reveal(village, reason);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details[0].path).toBe('reason');
      expect(res.json().error.details[0].message).toContain('请写明查看原因');
      // Nothing was revealed, so nothing counts.
      expect(await auditRows('family.reveal', village.account.id)).toEqual([]);
    },
  );

  it('takes a short real reason', async () => {
    const village = await t.signIn('village_staff', tree.village);
    expect((await reveal(village, '核对身份')).statusCode).toBe(200);
  });
});

describe('the hourly rate and the auditor’s alerts', () => {
  it('refuses the 21st reveal of the hour with 429 naming the township; alerts once; the next hour is open again', async () => {
    const village = await t.signIn('village_staff', tree.village);
    for (let i = 0; i < 20; i += 1) expect((await reveal(village)).statusCode, `reveal ${i + 1}`).toBe(200);
    const refused = await reveal(village);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(refused.json().error.message).toContain('乡镇');
    expect((await reveal(village)).statusCode).toBe(429);

    const reveals = await auditRows('family.reveal', village.account.id);
    expect(reveals.filter((r) => r.outcome === 'success')).toHaveLength(20);
    expect(reveals.filter((r) => r.outcome === 'denied')).toHaveLength(2);
    // One alert for the hour, however many refusals; one burst alert for the twenty within a minute.
    const alerts = await auditRows('security.reveal_rate_exceeded', village.account.id);
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0].changes!)).toEqual({ v: 1, facts: { revealsLastHour: 20, perHour: 20 } });
    expect(await auditRows('security.reveal_burst', village.account.id)).toHaveLength(1);

    // The auditor reads both.
    const auditor = await t.signIn('auditor', tree.province);
    for (const action of ['security.reveal_rate_exceeded', 'security.reveal_burst']) {
      const list = await auditor.get(`/api/v1/audit-events?action=${action}`);
      expect(list.statusCode).toBe(200);
      expect(list.json().data.map((e: { targetId: string }) => e.targetId)).toContain(village.account.id);
    }

    t.clock.advanceMinutes(61);
    // (The session has gone idle meanwhile: sign in again.)
    expect((await reveal(await t.login(village.account))).statusCode).toBe(200);
  });

  it('alerts a burst at ten reveals within a minute, not at nine spread over more', async () => {
    const village = await t.signIn('village_staff', tree.village);
    for (let i = 0; i < 9; i += 1) {
      expect((await reveal(village)).statusCode).toBe(200);
      t.clock.advance(7_000);
    }
    // Nine in 63 s: the first has left the minute, so the tenth makes nine within it.
    expect((await reveal(village)).statusCode).toBe(200);
    expect(await auditRows('security.reveal_burst', village.account.id)).toHaveLength(0);
  });

  it('lets exactly 20 of 30 parallel reveals through', async () => {
    const village = await t.signIn('village_staff', tree.village);
    const codes = await Promise.all(Array.from({ length: 30 }, () => reveal(village).then((r) => r.statusCode)));
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    expect(codes.filter((c) => c === 429)).toHaveLength(10);
  });

  it('follows REVEAL_RATE_PER_HOUR', async () => {
    const small = await createTestApp({ config: { reveal: { perHour: 2, burstPerMinute: 0, approvalHours: 24 } } });
    try {
      const other = await buildRegionTree(small.db);
      const s = await small.signIn('township_staff', other.township);
      const f = (await s.post('/api/v1/families', familyInput(other.village))).json().data.id;
      const one = () => s.post(`/api/v1/families/${f}/reveal`, { field: 'members.0.phone', reason: '电话回访核对' });
      expect([(await one()).statusCode, (await one()).statusCode, (await one()).statusCode]).toEqual([200, 200, 429]);
    } finally {
      await small.close();
    }
  });
});
