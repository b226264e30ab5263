import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, scrubPushText } from '../../common/mask.js';
import { afterQuietHours } from '../../server/modules/notifications/notifications.service.js';
import { buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// The bell (R10 part 5): notifications computed in the cause's transaction, for the right people only.
let t: TestApp;
let tree: RegionTree;
type Signed = Awaited<ReturnType<TestApp['signIn']>>;
let township: Signed;
let leader: Signed;
let otherLeader: Signed;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  leader = await t.signIn('county_leader', tree.county);
  otherLeader = await t.signIn('county_leader', tree.siblingCounty);
});
afterAll(() => t.close());

/** The clock moves by days here: the same account signs in again (its session timed out). */
async function relogin(s: Signed): Promise<Signed> {
  return Object.assign(await t.login(s.account), { account: s.account });
}

async function family(): Promise<{ id: string; archiveNo: string }> {
  const res = await township.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }));
  expect(res.statusCode).toBe(201);
  return res.json().data;
}
type Item = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  isUrgent: boolean;
  readAt: string | null;
};
const bell = async (s: Session, q = '') =>
  (await s.get(`/api/v1/notifications?pageSize=100${q}`)).json().data as Item[];

describe('notifications where the work happens', () => {
  it('alerts the county leader at once to a province-level tendency, with no name in the text', async () => {
    const f = await family();
    const res = await township.post(`/api/v1/families/${f.id}/petition-risks`, {
      targetLevel: 'province',
      scope: 'individual',
      riskLevel: 'red',
      signals: '张秀英扬言去省里上访',
    });
    expect(res.statusCode).toBe(201);
    const alert = (await bell(leader, '&unread=true')).find((n) => n.kind === 'petition_alert');
    expect(alert).toMatchObject({
      isUrgent: true,
      link: `/families/${f.id}`,
      title: expect.stringContaining(f.archiveNo),
    });
    expect(JSON.stringify(alert)).not.toContain('张秀英');
    expect((await bell(otherLeader)).some((n) => n.kind === 'petition_alert')).toBe(false);
    expect((await bell(township)).some((n) => n.kind === 'petition_alert')).toBe(false);
  });

  it('tells the township staff when an event escalates, once per level', async () => {
    const f = await family();
    const res = await township.post(`/api/v1/families/${f.id}/events`, {
      kind: 'accident',
      occurredAt: t.clock.now().toISOString(),
    });
    expect(res.statusCode).toBe(201);
    const escalated = (await bell(township)).filter(
      (n) => n.kind === 'event_escalated' && n.link === `/families/${f.id}`,
    );
    expect(escalated).toHaveLength(1);
    t.clock.advance(3 * 24 * 3_600_000);
    await t.app.services.events.escalateOverdue(t.clock.now());
    await t.app.services.events.escalateOverdue(t.clock.now());
    township = await relogin(township);
    leader = await relogin(leader);
    expect(
      (await bell(leader)).filter((n) => n.kind === 'event_escalated' && n.link === `/families/${f.id}`),
    ).toHaveLength(1);
  });

  it('reminds of an overdue need once, and reads and unreads', async () => {
    const f = await family();
    const need = await township.post('/api/v1/needs', {
      familyId: f.id,
      category: 'housing',
      department: 'housing',
      description: '危房改造',
      deadline: new Date(t.clock.now().getTime() + 24 * 3_600_000).toISOString().slice(0, 10),
    });
    expect(need.statusCode).toBe(201);
    t.clock.advance(3 * 24 * 3_600_000);
    await t.app.services.notifications.remindOverdueNeeds(t.clock.now());
    await t.app.services.notifications.remindOverdueNeeds(t.clock.now());
    // The one who registered the need (township staff) and the township's staff: the same person here.
    township = await relogin(township);
    leader = await relogin(leader);
    const creator = township;
    const overdue = (await bell(creator)).filter((n) => n.kind === 'need_overdue');
    expect(overdue).toHaveLength(1);

    const count = (await creator.get('/api/v1/notifications/unread-count')).json().data.unread;
    const read = await creator.post(`/api/v1/notifications/${overdue[0].id}/read`);
    expect(read.json().data.readAt).toEqual(expect.any(String));
    expect((await creator.get('/api/v1/notifications/unread-count')).json().data.unread).toBe(count - 1);
    expect((await bell(creator, '&unread=true')).some((n) => n.id === overdue[0].id)).toBe(false);
    expect((await leader.post(`/api/v1/notifications/${overdue[0].id}/read`)).statusCode).toBe(404);
    await creator.post('/api/v1/notifications/read-all');
    expect((await creator.get('/api/v1/notifications/unread-count')).json().data.unread).toBe(0);
  });

  it('sends the 8:00 digest once a day', async () => {
    t.clock.set('2026-12-03T23:30:00.000Z'); // 07:30 in China
    const { account } = await t.signIn('township_staff', tree.township);
    const countTodos = async () => 2;
    expect(await t.app.services.notifications.sendDigest(t.clock.now(), countTodos)).toBe(0);
    t.clock.set('2026-12-04T00:01:00.000Z'); // 08:01
    expect(await t.app.services.notifications.sendDigest(t.clock.now(), countTodos)).toBeGreaterThan(0);
    expect(await t.app.services.notifications.sendDigest(t.clock.now(), countTodos)).toBe(0);
    const digest = (await bell(await t.login(account))).filter((n) => n.kind === 'digest');
    expect(digest).toHaveLength(1);
    expect(digest[0].title).toBe('今日待办 2 项');
  });
});

describe('preferences', () => {
  it('are per user, version-checked, and offer only what the deployment configured', async () => {
    township = await relogin(township);
    const s = await t.signIn('county_leader', tree.county);
    const prefs = (await s.get('/api/v1/notification-preferences')).json().data;
    expect(prefs).toMatchObject({
      channels: ['in_app'],
      digest: true,
      version: 1,
      providers: { wecomApp: false, sms: null },
    });
    const body = {
      version: 1,
      kinds: ['notice_awaiting_approval'],
      channels: ['sms'],
      quietFrom: '22:00',
      quietTo: '07:00',
      digest: false,
    };
    const sms = await s.put('/api/v1/notification-preferences', body);
    expect(sms.statusCode).toBe(400);
    expect(sms.json().error.details[0]).toMatchObject({ path: 'channels.0', code: 'PROVIDER_NOT_CONFIGURED' });
    const saved = await s.put('/api/v1/notification-preferences', { ...body, channels: ['in_app'] });
    expect(saved.json().data).toMatchObject({
      kinds: ['notice_awaiting_approval'],
      quietFrom: '22:00',
      digest: false,
      version: 2,
    });
    expect((await s.put('/api/v1/notification-preferences', { ...body, channels: [] })).statusCode).toBe(409);

    // A kind turned off does not ring; an urgent alert still does.
    const f = await family();
    await township.post(`/api/v1/families/${f.id}/petition-risks`, {
      targetLevel: 'beijing',
      scope: 'group',
      riskLevel: 'orange',
      signals: '进京',
    });
    const mine = await bell(s);
    expect(mine.some((n) => n.kind === 'petition_alert')).toBe(true);
    const escalation = await township.post(`/api/v1/families/${(await family()).id}/events`, {
      kind: 'death',
      occurredAt: t.clock.now().toISOString(),
    });
    expect(escalation.statusCode).toBe(201);
  });
});

describe('pushed text', () => {
  it('never carries a full name, an ID number or a phone', () => {
    expect(maskName('张秀英')).toBe('张某英');
    expect(maskName('李明')).toBe('李某');
    expect(maskName('欧阳娜娜')).toBe('欧某某娜');
    const scrubbed = scrubPushText('家属 42010219650505122X 电话 13807150000');
    expect(scrubbed).toBe(`家属 ${maskIdNumber('42010219650505122X')} 电话 138****0000`);
    expect(scrubbed).not.toMatch(/\d{8}/);
  });

  it('waits out quiet hours, across midnight', () => {
    const at = (iso: string) => afterQuietHours(new Date(iso), '22:00', '07:00').toISOString();
    expect(at('2026-12-01T15:00:00.000Z')).toBe('2026-12-01T23:00:00.000Z'); // 23:00 China → 07:00
    expect(at('2026-12-01T03:00:00.000Z')).toBe('2026-12-01T03:00:00.000Z'); // 11:00: at once
  });
});
