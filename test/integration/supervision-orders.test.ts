import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANKING_FIGURES } from '../../common/schemas/supervision-orders.js';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/** Issue 11 item 13: 通报 (rankings of the child regions by each dashboard figure) and 督办. */
let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let prefecture: Session;
let county: Session;
let countyLeader: Session;
let siblingCounty: Session;
let township: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  prefecture = await t.signIn('prefecture_staff', tree.prefecture);
  county = await t.signIn('county_staff', tree.county);
  countyLeader = await t.signIn('county_leader', tree.county);
  siblingCounty = await t.signIn('county_staff', tree.siblingCounty);
  township = await t.signIn('township_staff', tree.township);
  // Families in two townships of the county: one fully assigned and visited, the other not.
  const tc = await buildContact(township, 'township_cadre', tree.township);
  const vc = await buildContact(township, 'village_cadre', tree.village);
  for (let i = 0; i < 3; i += 1) {
    const f = (await township.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }))).json()
      .data as { id: string };
    if (i < 2) {
      await township.put(`/api/v1/families/${f.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
      const log = await township.post(`/api/v1/families/${f.id}/contact-logs`, {
        contactId: vc.id,
        mode: 'home_visit',
        occurredAt: t.clock.now().toISOString(),
      });
      expect(log.statusCode).toBe(201);
    }
  }
  const sibling = await t.signIn('township_staff', tree.siblingTownship);
  for (let i = 0; i < 2; i += 1)
    expect(
      (
        await sibling.post(
          '/api/v1/families',
          familyInput(`${tree.siblingTownship.slice(0, 9)}001`, { enteredAt: '2020-01-01' }),
        )
      ).statusCode,
    ).toBe(201);
});
afterAll(() => t.close());

type Row = { rank: number | null; regionCode: string; value: number; numerator: number; denominator: number };

describe('通报: child regions ranked by each dashboard figure', () => {
  it('takes every figure from the same definition as the dashboard: the numbers agree region by region', async () => {
    const rank = async (figure: string) =>
      (await county.get(`/api/v1/rankings?figure=${figure}`)).json().data as { children: Row[]; period: string };
    const visits = await rank('home_visit_rate');
    const monthly = (await county.get('/api/v1/compliance/monthly')).json().data;
    for (const ch of monthly.children as Array<{ regionCode: string; families: number; visited: number; rate: number }>)
      expect(visits.children.find((r) => r.regionCode === ch.regionCode)).toMatchObject({
        value: ch.rate,
        numerator: ch.visited,
        denominator: ch.families,
      });
    const posts = await rank('both_posts_rate');
    const coverage = (await county.get('/api/v1/coverage')).json().data;
    for (const ch of coverage.children as Array<{ regionCode: string; families: number; bothPosts: number }>)
      expect(posts.children.find((r) => r.regionCode === ch.regionCode)).toMatchObject({
        numerator: ch.bothPosts,
        denominator: ch.families,
      });
    const care = await rank('festival_care_rate');
    const summary = (await county.get('/api/v1/supervision/summary')).json().data;
    const [year, label] = care.period.split(' ');
    expect(label).toBe(summary.festival.label);
    const festival = (
      await county.get(`/api/v1/festival-care/coverage?year=${year}&festival=${summary.festival.festival}`)
    ).json().data;
    for (const ch of festival.children as Array<{ regionCode: string; rate: number; families: number }>)
      expect(care.children.find((r) => r.regionCode === ch.regionCode)).toMatchObject({
        value: ch.rate,
        denominator: ch.families,
      });
    // The best first; the township with visits above the one without.
    expect(visits.children[0]).toMatchObject({ rank: 1, regionCode: tree.township });
    expect(visits.children.find((r) => r.regionCode === tree.siblingTownship)?.rank).toBe(2);
  });

  it('exports every figure as a sheet, audited; outside scope 404', async () => {
    const res = await county.get('/api/v1/rankings/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const audited = await t.db
      .selectFrom('audit_events')
      .select('target_id')
      .where('action', '=', 'ranking.export')
      .execute();
    expect(audited.map((a) => a.target_id)).toContain(tree.county);
    expect((await county.get(`/api/v1/rankings?regionCode=${other.county}`)).statusCode).toBe(404);
    expect((await county.get('/api/v1/rankings?figure=nonsense')).json().error.details[0].path).toContain('figure');
    expect(RANKING_FIGURES.length).toBe(3);
  });
});

describe('督办: from a level to a lagging child region, in its todos until it replies', () => {
  it('lands in the child region’s todos and bell, and is closed by its reply', async () => {
    const due = chinaDate(new Date(t.clock.now().getTime() + 7 * 86_400_000));
    const created = await prefecture.post('/api/v1/supervision-orders', {
      regionCode: tree.county,
      title: '本月登门走访率偏低，请组织补访',
      figure: 'home_visit_rate',
      dueOn: due,
    });
    expect(created.statusCode).toBe(201);
    const order = created.json().data as { id: string; version: number; status: string };
    expect(order.status).toBe('open');

    const todos = (await countyLeader.get('/api/v1/todos')).json().data as Array<{
      kind: string;
      path: string;
      title: string;
    }>;
    const todo = todos.find((x) => x.kind === 'supervision_order');
    expect(todo).toMatchObject({ path: `/supervision-orders?order=${order.id}` });
    expect(todo?.title).toContain('走访率偏低');
    // Not in the sibling county's todos, and invisible to it.
    expect(
      ((await siblingCounty.get('/api/v1/todos')).json().data as Array<{ kind: string }>).some(
        (x) => x.kind === 'supervision_order',
      ),
    ).toBe(false);
    expect((await siblingCounty.get(`/api/v1/supervision-orders/${order.id}`)).statusCode).toBe(404);
    const bell = (await county.get('/api/v1/notifications')).json().data as Array<{ kind: string }>;
    expect(bell.some((n) => n.kind === 'supervision_order')).toBe(true);

    // The sender cannot reply for the child; an empty reply names the field; a stale version is 409.
    expect(
      (await prefecture.post(`/api/v1/supervision-orders/${order.id}/reply`, { reply: '已办理完毕', version: 1 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await county.post(`/api/v1/supervision-orders/${order.id}/reply`, { reply: '', version: 1 })).json().error
        .details[0].path,
    ).toBe('reply');
    expect(
      (await county.post(`/api/v1/supervision-orders/${order.id}/reply`, { reply: '已组织补访 12 户', version: 9 }))
        .statusCode,
    ).toBe(409);
    const replied = await county.post(`/api/v1/supervision-orders/${order.id}/reply`, {
      reply: '已组织补访 12 户，月底前完成',
      version: 1,
    });
    expect(replied.statusCode).toBe(200);
    expect(replied.json().data).toMatchObject({ status: 'closed', reply: '已组织补访 12 户，月底前完成' });
    expect(
      ((await countyLeader.get('/api/v1/todos')).json().data as Array<{ kind: string }>).some(
        (x) => x.kind === 'supervision_order',
      ),
    ).toBe(false);
    const sent = (await prefecture.get('/api/v1/supervision-orders?box=sent')).json().data as Array<{
      id: string;
      status: string;
    }>;
    expect(sent.find((o) => o.id === order.id)?.status).toBe('closed');
    expect(
      (await county.post(`/api/v1/supervision-orders/${order.id}/reply`, { reply: '再次答复内容', version: 2 }))
        .statusCode,
    ).toBe(409);
  });

  it('goes only to a direct child region, never back in time, and only from the levels that supervise', async () => {
    const due = chinaDate(new Date(t.clock.now().getTime() + 86_400_000));
    const grandchild = await prefecture.post('/api/v1/supervision-orders', {
      regionCode: tree.township,
      title: '督办',
      dueOn: due,
    });
    expect(grandchild.json().error.details[0]).toMatchObject({ path: 'regionCode', code: 'REGION_NOT_CHILD' });
    const past = await county.post('/api/v1/supervision-orders', {
      regionCode: tree.township,
      title: '督办',
      dueOn: '2020-01-01',
    });
    expect(past.json().error.details[0].path).toBe('dueOn');
    expect(
      (await township.post('/api/v1/supervision-orders', { regionCode: tree.village, title: '督办', dueOn: due }))
        .statusCode,
    ).toBe(403);
    expect(
      (await county.post('/api/v1/supervision-orders', { regionCode: other.township, title: '督办', dueOn: due }))
        .statusCode,
    ).toBe(404);
    const ok = await county.post('/api/v1/supervision-orders', {
      regionCode: tree.township,
      title: '双岗未配齐',
      dueOn: due,
    });
    expect(ok.statusCode).toBe(201);
    const received = (await township.get('/api/v1/supervision-orders?box=received')).json().data as Array<{
      id: string;
      abilities: { reply: boolean };
    }>;
    expect(received.find((o) => o.id === ok.json().data.id)?.abilities.reply).toBe(true);
  });
});
