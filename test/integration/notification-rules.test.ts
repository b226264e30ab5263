import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderStep } from '../../server/modules/stat-returns/stat-returns.service.js';
import { runExclusive } from '../../server/platform/jobs.js';
import { notificationJobs } from '../../server/services.js';
import { buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// The notification rules of R9–R11 that the notification centre did not yet have: returns awaiting review
// (in the submission's transaction) and the deadline reminders 7 / 3 / 1 day(s) before and when overdue
// (a scheduled job, exactly once), plus the overdue need's link to the work.
let t: TestApp;
let tree: RegionTree;
type Signed = Session & { account: { username: string; password: string } };
let township: Signed;
let otherTownship: Signed;
let leader: Signed;
let county: Signed;
let otherLeader: Signed;

interface Item {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
}
const bell = async (s: Session) => (await s.get('/api/v1/notifications?pageSize=100')).json().data as Item[];
const fresh = async (s: Signed): Promise<Signed> => Object.assign(await t.login(s.account), { account: s.account });

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  otherTownship = await t.signIn('township_staff', tree.siblingTownship);
  leader = await t.signIn('county_leader', tree.county);
  county = await t.signIn('county_staff', tree.county);
  otherLeader = await t.signIn('county_leader', tree.siblingCounty);
  const f = await township.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }));
  expect(f.statusCode, f.body).toBe(201);
});
afterAll(() => t.close());

describe('a return awaiting review', () => {
  it('tells the approving county leader in the submission, and nobody else', async () => {
    const created = await township.post('/api/v1/stat-returns', {
      template: 'quarterly',
      period: '2026-Q3',
      regionCode: tree.township,
    });
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json().data as { id: string; version: number };
    const submitted = await township.post(`/api/v1/stat-returns/${r.id}/submit`, { version: r.version });
    expect(submitted.statusCode, submitted.body).toBe(200);

    const review = (await bell(leader)).filter((n) => n.kind === 'return_review');
    expect(review).toHaveLength(1);
    expect(review[0]).toMatchObject({ link: `/stat-returns/${r.id}`, title: expect.stringContaining('2026-Q3') });
    for (const s of [county, otherLeader, township, otherTownship])
      expect((await bell(s)).some((n) => n.kind === 'return_review')).toBe(false);

    // Sent back and submitted again: a second review, a second notification.
    const back = await leader.post(`/api/v1/stat-returns/${r.id}/return`, {
      version: r.version + 1,
      reason: '补充说明',
    });
    expect(back.statusCode, back.body).toBe(200);
    const again = await township.post(`/api/v1/stat-returns/${r.id}/submit`, { version: r.version + 2 });
    expect(again.statusCode, again.body).toBe(200);
    expect((await bell(leader)).filter((n) => n.kind === 'return_review')).toHaveLength(2);

    // The 通知 page filters by kind on the server.
    const byKind = await leader.get('/api/v1/notifications?kind=return_review&pageSize=100');
    expect(byKind.json().page.total).toBe(2);
    expect((byKind.json().data as Item[]).every((n) => n.kind === 'return_review')).toBe(true);
    const badKind = await leader.get('/api/v1/notifications?kind=nonsense');
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.details[0].path).toBe('querystring.kind');
  });

  it('is not made when the submission fails (same transaction)', async () => {
    const before = (await bell(leader)).length;
    const created = await township.post('/api/v1/stat-returns', {
      template: 'quarterly',
      period: '2026-Q2',
      regionCode: tree.township,
    });
    const r = created.json().data as { id: string; version: number };
    const stale = await township.post(`/api/v1/stat-returns/${r.id}/submit`, { version: r.version + 5 });
    expect(stale.statusCode).toBe(409);
    expect((await bell(leader)).length).toBe(before);
  });
});

describe('deadline reminders', () => {
  it('knows the step of a deadline in China days', () => {
    const due = '2027-01-10T15:59:59.999Z'; // the end of 10 January in China
    expect(reminderStep(new Date('2027-01-01T02:00:00Z'), due)).toBeNull(); // 9 days
    expect(reminderStep(new Date('2027-01-03T02:00:00Z'), due)).toBe(7);
    expect(reminderStep(new Date('2027-01-07T02:00:00Z'), due)).toBe(3);
    expect(reminderStep(new Date('2027-01-09T17:00:00Z'), due)).toBe(1); // 01:00 on the 10th in China
    expect(reminderStep(new Date('2027-01-10T16:00:00Z'), due)).toBe('overdue');
  });

  it('reminds each office that owes a return 7, 3 and 1 day(s) before and once overdue, never twice', async () => {
    const job = notificationJobs(t.app.services).find((j) => j.name === 'remind-returns-due')!;
    expect(job).toBeDefined();
    const run = () => runExclusive(t.app.platform, job, 9_999);
    const stepsOf = async (s: Signed) =>
      (await bell(await fresh(s)))
        .filter((n) => n.kind === 'return_due' && n.title.includes('2026-Q4'))
        .map((n) => n.title);
    try {
      // The fourth quarter of 2026 is due at the end of 10 January 2027.
      t.clock.set('2026-12-31T02:00:00.000Z');
      await run();
      expect(await stepsOf(township)).toEqual([]);
      t.clock.set('2027-01-04T02:00:00.000Z');
      await run();
      await run();
      expect(await stepsOf(township)).toEqual([expect.stringContaining('7 天内到期')]);
      // Both townships' staff owe their return; the county (no quarterly return) and the leader do not.
      expect(await stepsOf(otherTownship)).toHaveLength(1);
      expect(await stepsOf(county)).toEqual([]);
      expect(await stepsOf(leader)).toEqual([]);

      // A submitted return stops the reminders of its office only.
      const s = await fresh(otherTownship);
      const created = (
        await s.post('/api/v1/stat-returns', {
          template: 'quarterly',
          period: '2026-Q4',
          regionCode: tree.siblingTownship,
        })
      ).json().data as { id: string; version: number };
      expect((await s.post(`/api/v1/stat-returns/${created.id}/submit`, { version: created.version })).statusCode).toBe(
        200,
      );

      t.clock.set('2027-01-08T02:00:00.000Z');
      // Two passes at once (two instances, or a slow pass met by the next): one notification each.
      await Promise.all([t.app.services.statReturns.remindDue(t.clock.now()), run()]);
      t.clock.set('2027-01-10T02:00:00.000Z');
      await run();
      t.clock.set('2027-01-11T02:00:00.000Z');
      await run();
      await run();
      const steps = await stepsOf(township);
      expect(steps).toHaveLength(4);
      expect(steps.filter((x) => x.includes('7 天内到期'))).toHaveLength(1);
      expect(steps.filter((x) => x.includes('3 天内到期'))).toHaveLength(1);
      expect(steps.filter((x) => x.includes('1 天内到期'))).toHaveLength(1);
      expect(steps.filter((x) => x.includes('已逾期'))).toHaveLength(1);
      expect(await stepsOf(otherTownship)).toHaveLength(1);
      const overdue = (await bell(await fresh(township))).find((n) => n.title.startsWith('报表已逾期'))!;
      expect(overdue.link).toBe('/stat-returns');
      const rows = await t.db.selectFrom('job_runs').selectAll().where('job', '=', 'remind-returns-due').execute();
      expect(rows).toHaveLength(1);
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });
});

describe('the right people only', () => {
  it('an escalated event reaches its township, then its county, never a sibling', async () => {
    const s = await fresh(township);
    const f = (await s.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }))).json().data;
    const e = await s.post(`/api/v1/families/${f.id}/events`, {
      kind: 'accident',
      occurredAt: t.clock.now().toISOString(),
    });
    expect(e.statusCode, e.body).toBe(201);
    try {
      t.clock.set(new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString());
      await t.app.services.events.escalateOverdue(t.clock.now());
      await t.app.services.events.escalateOverdue(t.clock.now());
      const escalations = async (who: Signed) =>
        (await bell(await fresh(who))).filter((n) => n.kind === 'event_escalated' && n.link === `/families/${f.id}`);
      expect(await escalations(leader)).toHaveLength(1);
      expect(await escalations(county)).toHaveLength(1);
      expect(await escalations(township)).toHaveLength(1);
      expect(await escalations(otherLeader)).toHaveLength(0);
      expect(await escalations(otherTownship)).toHaveLength(0);
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });

  it("a notice awaiting approval reaches its county's leader only", async () => {
    const staff = await fresh(county);
    const n = await staff.post('/api/v1/notices', {
      regionCode: tree.county,
      title: '关于发放扶助金的通知',
      body: '各乡镇：请按时发放。',
      channelIds: [],
      confidentiality: 'public',
      declaredNotClassified: true,
    });
    expect(n.statusCode, n.body).toBe(201);
    const id = n.json().data.id as string;
    expect((await staff.post(`/api/v1/notices/${id}/submit`, { version: 1 })).statusCode).toBe(200);
    const awaiting = async (who: Signed) =>
      (await bell(await fresh(who))).filter(
        (x) => x.kind === 'notice_awaiting_approval' && x.link === `/notices/${id}`,
      );
    expect(await awaiting(leader)).toHaveLength(1);
    expect(await awaiting(otherLeader)).toHaveLength(0);
    expect(await awaiting(county)).toHaveLength(0);
    expect(await awaiting(township)).toHaveLength(0);
  });
});

describe('an overdue need', () => {
  it('links to the family archive where the need is handled', async () => {
    const s = await fresh(township);
    const f = (await s.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }))).json().data;
    const need = await s.post('/api/v1/needs', {
      familyId: f.id,
      category: 'housing',
      department: 'housing',
      description: '危房改造',
      deadline: new Date(t.clock.now().getTime() + 24 * 3_600_000).toISOString().slice(0, 10),
    });
    expect(need.statusCode, need.body).toBe(201);
    try {
      t.clock.set(new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString());
      await t.app.services.notifications.remindOverdueNeeds(t.clock.now());
      const overdue = (await bell(await fresh(township))).filter((n) => n.kind === 'need_overdue');
      expect(overdue.map((n) => n.link)).toContain(`/families/${f.id}`);
      expect((await bell(await fresh(otherTownship))).some((n) => n.kind === 'need_overdue')).toBe(false);
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });
});

describe('the 8:00 digest', () => {
  it("computes each account's todos once a day, however often the job runs", async () => {
    let computed = 0;
    const countTodos = async () => {
      computed += 1;
      return 1;
    };
    try {
      t.clock.set('2026-12-09T00:05:00.000Z'); // 08:05 in China
      const first = await t.app.services.notifications.sendDigest(t.clock.now(), countTodos);
      expect(first).toBeGreaterThan(0);
      const perPass = computed;
      t.clock.set('2026-12-09T00:06:00.000Z');
      expect(await t.app.services.notifications.sendDigest(t.clock.now(), countTodos)).toBe(0);
      t.clock.set('2026-12-09T09:00:00.000Z');
      expect(await t.app.services.notifications.sendDigest(t.clock.now(), countTodos)).toBe(0);
      expect(computed).toBe(perPass);
      // The next morning: again, once.
      t.clock.set('2026-12-10T00:01:00.000Z');
      expect(await t.app.services.notifications.sendDigest(t.clock.now(), countTodos)).toBe(first);
      expect(computed).toBe(2 * perPass);
      const digests = (await bell(await fresh(township))).filter((n) => n.kind === 'digest');
      expect(digests).toHaveLength(2);

      // The scheduled job counts the real todos by kind: the township still owes its 2025 annual return.
      const job = notificationJobs(t.app.services).find((j) => j.name === 'notification-digest')!;
      t.clock.set('2026-12-11T00:01:00.000Z');
      await runExclusive(t.app.platform, job, 9_998);
      const today = (await bell(await fresh(township))).find((n) => n.kind === 'digest')!;
      expect(today.body).toContain('统计报表待上报 1 份');
      expect(today.title).toMatch(/^今日待办 \d+ 项$/);
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });
});
