import { describe, expect, it } from 'vitest';
import { familyInput } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';

// What the 诉求办理 and 联席会议 pages need from the server (R11); the basic flow is in responses.test.ts.
const app = useAppWithTree({
  sessions: { township: ['township_staff', 'township'], county: ['county_staff', 'county'] },
});

interface NeedBody {
  id: string;
  familyId: string;
  archiveNo: string;
  status: string;
  deadline: string;
  version: number;
}

async function need(village: string, description: string, deadline = '2026-12-31'): Promise<NeedBody> {
  const created = await app.township.post('/api/v1/families', familyInput(village, { enteredAt: '2020-01-01' }));
  if (created.statusCode !== 201) throw new Error(created.body);
  const family = created.json().data as { id: string };
  const res = await app.township.post('/api/v1/needs', {
    familyId: family.id,
    category: 'housing',
    department: 'housing',
    description,
    deadline,
  });
  expect(res.statusCode).toBe(201);
  return res.json().data as NeedBody;
}

describe('the needs list', () => {
  it('filters still-open or closed needs, and pages in a stable order', async () => {
    const village = `${app.tree.township.slice(0, 9)}002`;
    const a = await need(village, '甲：危房', '2026-12-10');
    const b = await need(village, '乙：危房', '2026-12-10');
    const c = await need(village, '丙：危房', '2026-12-10');
    const started = await app.township.patch(`/api/v1/needs/${b.id}`, { version: 1, status: 'in_progress' });
    expect(started.json().data.status).toBe('in_progress');
    const gone = await app.township.patch(`/api/v1/needs/${c.id}`, {
      version: 1,
      status: 'unresolvable',
      statusReason: '家庭已搬离',
    });
    expect(gone.statusCode).toBe(200);

    const region = `regionCode=${village}`;
    const open = (await app.county.get(`/api/v1/needs?${region}&isClosed=false`)).json();
    expect(open.data.map((n: NeedBody) => n.id).sort()).toEqual([a.id, b.id].sort());
    expect(open.page.total).toBe(2);
    const closed = (await app.county.get(`/api/v1/needs?${region}&isClosed=true`)).json();
    expect(closed.data.map((n: NeedBody) => n.id)).toEqual([c.id]);

    // Same deadline everywhere: one per page still shows each need exactly once.
    const pages = [];
    for (const page of [1, 2, 3])
      pages.push((await app.county.get(`/api/v1/needs?${region}&pageSize=1&page=${page}`)).json());
    expect(new Set(pages.map((p) => p.data[0].id)).size).toBe(3);
    expect((await app.county.get(`/api/v1/needs?${region}&isClosed=maybe`)).statusCode).toBe(400);
  });

  it('moves the deadline only to today or later, and audits the change', async () => {
    const n = await need(app.tree.village, '逾期后延期');
    const past = await app.county.patch(`/api/v1/needs/${n.id}`, { version: 1, deadline: '2026-11-01' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details[0]).toMatchObject({ path: 'deadline', message: '办理期限不能早于今天' });
    const moved = await app.county.patch(`/api/v1/needs/${n.id}`, {
      version: 1,
      deadline: '2027-01-15',
      department: 'civil_affairs',
    });
    expect(moved.json().data).toMatchObject({ deadline: '2027-01-15', department: 'civil_affairs', version: 2 });
    const audit = await app.t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'need.update')
      .where('target_id', '=', n.familyId)
      .execute();
    expect(audit.map((row) => JSON.parse(String(row.changes)).facts)).toContainEqual(
      expect.objectContaining({ deadline: ['2026-12-31', '2027-01-15'], department: ['housing', 'civil_affairs'] }),
    );
    // The stale version is refused, never silently applied.
    const stale = await app.county.patch(`/api/v1/needs/${n.id}`, { version: 1, status: 'referred' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
  });

  it('answers a stale form with 409 even when its step no longer fits, and a wrong step with the field', async () => {
    const n = await need(app.tree.village, '先被别人办结');
    expect(n.archiveNo).toMatch(/^TS/);
    const done = await app.township.patch(`/api/v1/needs/${n.id}`, {
      version: 1,
      status: 'resolved',
      resolution: '已解决',
      confirmedWithFamily: true,
    });
    expect(done.json().data).toMatchObject({
      status: 'resolved',
      archiveNo: n.archiveNo,
      regionName: '测试村1-01-001-001',
    });
    const stale = await app.county.patch(`/api/v1/needs/${n.id}`, { version: 1, status: 'in_progress' });
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const wrong = await app.county.patch(`/api/v1/needs/${n.id}`, { version: 2, status: 'in_progress' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'status', message: '诉求状态不能这样变更' });
  });
});

describe('joint meetings', () => {
  it("answers each decision with the need's description, archive number and status, and the county's name", async () => {
    const n = await need(app.tree.village, '申请临时救助');
    const created = await app.county.post('/api/v1/joint-meetings', {
      countyCode: app.tree.county,
      heldOn: '2026-11-27',
      departments: ['civil_affairs', 'finance'],
      minutes: '研究临时救助',
      items: [{ needId: n.id, decision: '民政部门一周内入户核查' }],
    });
    expect(created.statusCode).toBe(201);
    const expected = {
      countyCode: app.tree.county,
      countyName: expect.stringMatching(/^测试县/),
      heldOn: '2026-11-27',
      departments: ['civil_affairs', 'finance'],
      items: [
        {
          needId: n.id,
          decision: '民政部门一周内入户核查',
          familyId: n.familyId,
          archiveNo: n.archiveNo,
          category: 'housing',
          department: 'housing',
          description: '申请临时救助',
          status: 'open',
        },
      ],
    };
    expect(created.json().data).toMatchObject(expected);
    const listed = (await app.county.get('/api/v1/joint-meetings')).json().data;
    expect(listed.find((m: { id: string }) => m.id === created.json().data.id)).toMatchObject(expected);
    // The prefecture reads its counties' meetings; the sibling county sees none of them.
    const prefecture = await app.t.signIn('prefecture_staff', app.tree.prefecture);
    expect((await prefecture.get('/api/v1/joint-meetings')).json().data.map((m: { id: string }) => m.id)).toContain(
      created.json().data.id,
    );
    const sibling = await app.t.signIn('county_staff', app.tree.siblingCounty);
    expect((await sibling.get('/api/v1/joint-meetings')).json().data).toEqual([]);
    expect((await sibling.get(`/api/v1/joint-meetings?countyCode=${app.tree.county}`)).statusCode).toBe(404);
  });

  it('refuses the same need twice on one agenda, and a need of another county, naming the item', async () => {
    const n = await need(app.tree.village, '重复议题');
    const twice = await app.county.post('/api/v1/joint-meetings', {
      countyCode: app.tree.county,
      heldOn: '2026-11-27',
      departments: ['health', 'housing'],
      items: [
        { needId: n.id, decision: '一' },
        { needId: n.id, decision: '二' },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details[0].path).toBe('items.1.needId');

    const otherCounty = await app.t.signIn('township_staff', `${app.tree.siblingCounty.slice(0, 6)}001000`);
    const family = (
      await otherCounty.post(
        '/api/v1/families',
        familyInput(`${app.tree.siblingCounty.slice(0, 6)}001001`, { enteredAt: '2020-01-01' }),
      )
    ).json().data as { id: string };
    const foreign = (
      await otherCounty.post('/api/v1/needs', {
        familyId: family.id,
        category: 'medical',
        department: 'health',
        description: '外县诉求',
        deadline: '2026-12-31',
      })
    ).json().data as NeedBody;
    const leader = await app.t.signIn('county_leader', app.tree.county);
    const wrong = await leader.post('/api/v1/joint-meetings', {
      countyCode: app.tree.county,
      heldOn: '2026-11-27',
      departments: ['health', 'housing'],
      items: [{ needId: foreign.id, decision: '越权' }],
    });
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'items.0.needId', message: '诉求不存在或不属于本县' });
    const one = await leader.post('/api/v1/joint-meetings', {
      countyCode: app.tree.county,
      heldOn: '2026-11-27',
      departments: ['health'],
      items: [],
    });
    expect(one.json().error.details[0]).toMatchObject({ path: 'departments', message: '联席会议至少两个部门参加' });
    // Nothing was half-written by the refusals.
    const meetings = (await leader.get('/api/v1/joint-meetings')).json().data as Array<{ items: unknown[] }>;
    expect(meetings.every((m) => m.items.length > 0)).toBe(true);
  });
});
