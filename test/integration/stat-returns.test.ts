import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact, buildRegionTree, familyInput, idNumberFor, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// The test clock stands at 2026-11-28 (China time 10:00): the annual return of 2025 is past its township
// deadline (2026-03-31), the year 2026 and its fourth quarter are running.

interface Ret {
  id: string;
  status: string;
  version: number;
  figures: Record<string, number>;
  checks: Array<{ code: string; severity: string; message: string }>;
  timeliness: string | null;
  submittedAt: string | null;
  dueAt: string;
  returnReason: string | null;
  abilities: Record<string, boolean>;
  history: Array<{ action: string; toStatus: string; reason: string | null }>;
}

let t: TestApp;
let tree: RegionTree;
let township: Session;
let county: Session;
let leader: Session;
let city: Session;
let province: Session;
const siblingVillage = () => `${tree.siblingTownship.slice(0, 9)}001`;

async function family(session: Session, village: string, overrides: Record<string, unknown> = {}) {
  const res = await session.post('/api/v1/families', familyInput(village, { enteredAt: '2020-01-01', ...overrides }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; version: number };
}

async function create(session: Session, template: string, period: string, regionCode: string) {
  const res = await session.post('/api/v1/stat-returns', { template, period, regionCode });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as Ret;
}

async function get(session: Session, id: string) {
  const res = await session.get(`/api/v1/stat-returns/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Ret;
}

async function act(session: Session, id: string, step: string, body: Record<string, unknown>) {
  return session.post(`/api/v1/stat-returns/${id}/${step}`, body);
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  county = await t.signIn('county_staff', tree.county);
  leader = await t.signIn('county_leader', tree.county);
  city = await t.signIn('prefecture_staff', tree.prefecture);
  province = await t.signIn('province_staff', tree.province);
  // Township 1: A and B in the count all along, C new in 2025, D left in 2025. Township 2: E.
  await family(township, tree.village);
  await family(township, tree.village, {
    familyType: 'disabled',
    child: { name: '李强', sex: 'male', birthDate: '1992-03-01', disabilityGrade: 2 },
  });
  await family(township, tree.village, { enteredAt: '2025-06-01' });
  const d = await family(township, tree.village);
  const exit = await township.post(`/api/v1/families/${d.id}/status`, {
    version: d.version,
    status: 'exited',
    reason: 'moved_out',
    effectiveDate: '2025-08-01',
  });
  expect(exit.statusCode, exit.body).toBe(200);
  const other = await t.signIn('township_staff', tree.siblingTownship);
  await family(other, siblingVillage());
});

afterAll(async () => {
  await t.close();
});

describe('a return computed from the archive', () => {
  let annual: Ret;

  it('computes every figure of the township annual return as of the year end', async () => {
    annual = await create(township, 'annual', '2025', tree.township);
    expect(annual.status).toBe('draft');
    expect(annual.dueAt).toBe('2026-03-31T15:59:59.999Z');
    expect(annual.figures).toMatchObject({
      families_active_start: 3,
      families_new: 1,
      families_exited: 1,
      families_active: 3,
      families_bereaved: 2,
      families_disabled: 1,
      // Three living mothers born 1965, each 49 in 2014: 590 + 590 (bereaved) + 460 (disabled) yuan a month.
      special_assistance_people: 3,
      special_assistance_amount: 1640,
      major_events: 0,
    });
    expect(annual.checks.filter((c) => c.severity === 'error')).toEqual([]);
    expect(annual.abilities).toMatchObject({ submit: true, approve: false });
  });

  it('refuses the same return twice with the existing id', async () => {
    const res = await township.post('/api/v1/stat-returns', {
      template: 'annual',
      period: '2025',
      regionCode: tree.township,
    });
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.code).toBe('ALREADY_EXISTS');
    expect(error.details[0].path).toBe('id');
    expect(error.message).toContain(annual.id);
  });

  it('refuses bad periods, templates, regions and roles, storing nothing', async () => {
    const bad = async (session: Session, body: Record<string, unknown>, status: number, path?: string) => {
      const res = await session.post('/api/v1/stat-returns', body);
      expect(res.statusCode, res.body).toBe(status);
      if (path) expect(res.json().error.details[0].path).toBe(path);
      return res.json().error;
    };
    expect(
      (await bad(township, { template: 'annual', period: '2027', regionCode: tree.township }, 400, 'period')).details[0]
        .code,
    ).toBe('PERIOD_FUTURE');
    await bad(township, { template: 'annual', period: '2026-Q3', regionCode: tree.township }, 400, 'period');
    await bad(township, { template: 'monthly', period: '2025', regionCode: tree.township }, 400, 'template');
    await bad(township, { template: 'annual', period: '25', regionCode: tree.township }, 400, 'period');
    await bad(county, { template: 'quarterly', period: '2026-Q3', regionCode: tree.county }, 400, 'template');
    await bad(township, { template: 'annual', period: '2025', regionCode: tree.siblingTownship }, 404);
    // The county may read the township's return but not compile it.
    await bad(county, { template: 'quarterly', period: '2026-Q3', regionCode: tree.township }, 403);
    const list = await county.get(`/api/v1/stat-returns?regionCode=${tree.county}`);
    expect(list.json().data.map((r: Ret) => r.id)).toEqual([annual.id]);
  });

  it('freezes the figures at submission and shows what changed since', async () => {
    const submitted = await act(township, annual.id, 'submit', { version: annual.version });
    expect(submitted.statusCode, submitted.body).toBe(200);
    annual = submitted.json().data;
    expect(annual.status).toBe('submitted');
    // Submitted on 2026-11-28, after the township deadline of 31 March.
    expect(annual.timeliness).toBe('late');
    await family(township, tree.village, { enteredAt: '2025-03-01' });
    annual = await get(township, annual.id);
    expect(annual.figures.families_new).toBe(1);
    const changes = (await township.get(`/api/v1/stat-returns/${annual.id}/changes`)).json().data.changes;
    expect(changes).toContainEqual(expect.objectContaining({ code: 'families_new', frozen: 1, live: 2 }));
    expect(changes).toContainEqual(expect.objectContaining({ code: 'families_active', frozen: 3, live: 4 }));
  });

  it('runs the chain: only the county leader approves or sends back, with versions and reasons', async () => {
    const again = await act(township, annual.id, 'submit', { version: annual.version });
    expect(again.json().error.code).toBe('INVALID_STATE');
    expect((await act(township, annual.id, 'submit', { version: annual.version - 1 })).json().error.code).toBe(
      'VERSION_CONFLICT',
    );
    expect((await act(township, annual.id, 'approve', { version: annual.version })).statusCode).toBe(403);
    expect((await act(county, annual.id, 'approve', { version: annual.version })).statusCode).toBe(403);
    expect((await act(city, annual.id, 'approve', { version: annual.version })).statusCode).toBe(403);
    const noReason = await act(leader, annual.id, 'return', { version: annual.version, reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('reason');
    const back = await act(leader, annual.id, 'return', { version: annual.version, reason: '新增家庭未录入' });
    expect(back.statusCode, back.body).toBe(200);
    annual = await get(township, annual.id);
    expect(annual.status).toBe('returned');
    expect(annual.returnReason).toBe('新增家庭未录入');
    expect(annual.figures.families_new).toBe(2);

    const patch = await township.patch(`/api/v1/stat-returns/${annual.id}`, {
      version: annual.version,
      manual: { manual_local_funds: 12000 },
      remarks: '补录 3 月新增家庭',
      preparedBy: '王芳',
    });
    expect(patch.statusCode, patch.body).toBe(200);
    annual = patch.json().data;
    expect(annual.status).toBe('draft');
    expect(annual.figures.manual_local_funds).toBe(12000);
    const negative = await township.patch(`/api/v1/stat-returns/${annual.id}`, {
      version: annual.version,
      manual: { manual_local_funds: -1 },
    });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.details[0].path).toBe('manual.manual_local_funds');
    const unknown = await township.patch(`/api/v1/stat-returns/${annual.id}`, {
      version: annual.version,
      manual: { families_active: 9 },
    });
    expect(unknown.json().error.details[0].path).toBe('manual.families_active');

    annual = (await act(township, annual.id, 'submit', { version: annual.version })).json().data;
    expect(annual.status).toBe('submitted');
    expect(annual.timeliness).toBe('late');
    const ok = await act(leader, annual.id, 'approve', { version: annual.version });
    expect(ok.statusCode, ok.body).toBe(200);
    annual = ok.json().data;
    expect(annual.status).toBe('approved');
    expect(annual.abilities.reopen).toBe(true);
    expect(annual.history.map((h) => h.action)).toEqual([
      'created',
      'submitted',
      'returned',
      'updated',
      'submitted',
      'approved',
    ]);
    const locked = await township.patch(`/api/v1/stat-returns/${annual.id}`, { version: annual.version, remarks: 'x' });
    expect(locked.json().error.code).toBe('INVALID_STATE');
    const audit = await t.db.selectFrom('audit_events').select('action').where('target_id', '=', annual.id).execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['statReturn.create', 'statReturn.returned', 'statReturn.approved']),
    );
  });

  it('makes the county give a reason for a missing township and explain a sum that differs', async () => {
    let c = await create(county, 'annual', '2025', tree.county);
    expect(c.dueAt).toBe('2026-04-30T15:59:59.999Z');
    expect(c.checks).toContainEqual(
      expect.objectContaining({ code: `child_missing.${tree.siblingTownship}`, severity: 'error' }),
    );
    const blocked = await act(county, c.id, 'submit', { version: c.version });
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().error.details.map((d: { path: string }) => d.path)).toContain(
      `missingReasons.${tree.siblingTownship}`,
    );
    const unexplained = await act(county, c.id, 'submit', {
      version: c.version,
      missingReasons: { [tree.siblingTownship]: '系统故障，纸质报表已报' },
    });
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.json().error.details[0].path).toBe('explanations.sum_children');
    const done = await act(county, c.id, 'submit', {
      version: c.version,
      missingReasons: { [tree.siblingTownship]: '系统故障，纸质报表已报' },
      explanations: { sum_children: '含未报乡镇的家庭' },
    });
    expect(done.statusCode, done.body).toBe(200);
    c = done.json().data;
    // The county's own figure covers both townships: 4 in township 1 and E in township 2.
    expect(c.figures.families_active).toBe(5);

    const rates = (
      await county.get(`/api/v1/reporting-rates?template=annual&period=2025&regionCode=${tree.county}`)
    ).json().data;
    expect(rates).toMatchObject({ expected: 2, submitted: 1, onTime: 0, late: 1, missing: 1 });
    expect(rates.children).toContainEqual(
      expect.objectContaining({
        regionCode: tree.siblingTownship,
        status: 'none',
        timeliness: 'missing',
        missingReason: '系统故障，纸质报表已报',
      }),
    );
    const cityRates = (
      await city.get(`/api/v1/reporting-rates?template=annual&period=2025&regionCode=${tree.prefecture}`)
    ).json().data;
    // The sibling county holds no family: it is not expected to report.
    expect(cityRates).toMatchObject({ expected: 1, submitted: 1, late: 1 });

    // Sent back by the city, the county's draft asks again for the reason of the township still missing (the
    // April reason does not carry over by itself): a resubmission without it is refused, with it accepted.
    const back = await act(city, c.id, 'return', { version: c.version, reason: '请核实未报乡镇' });
    expect(back.statusCode, back.body).toBe(200);
    const again = await get(county, c.id);
    expect(again.checks).toContainEqual(
      expect.objectContaining({ code: `child_missing.${tree.siblingTownship}`, severity: 'error' }),
    );
    const bare = await act(county, c.id, 'submit', { version: again.version, explanations: { sum_children: '同上' } });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.details[0].path).toBe(`missingReasons.${tree.siblingTownship}`);
    const resubmitted = await act(county, c.id, 'submit', {
      version: again.version,
      missingReasons: { [tree.siblingTownship]: '系统故障，纸质报表已报' },
      explanations: { sum_children: '含未报乡镇的家庭' },
    });
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    c = resubmitted.json().data;

    // The county leader reopens the township while the county's return is not approved…
    const township1 = (await county.get(`/api/v1/stat-returns?regionCode=${tree.county}&template=annual`))
      .json()
      .data.find((r: Ret & { regionCode: string }) => r.regionCode === tree.township) as Ret;
    const reopened = await act(leader, township1.id, 'reopen', { version: township1.version, reason: '数据有误' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().data.status).toBe('returned');
    let r1 = (await act(township, township1.id, 'submit', { version: reopened.json().data.version })).json().data;
    r1 = (await act(leader, r1.id, 'approve', { version: r1.version })).json().data;
    // …but not once the city approved the county's.
    expect((await act(leader, c.id, 'approve', { version: c.version })).statusCode).toBe(403);
    const approved = await act(city, c.id, 'approve', { version: c.version });
    expect(approved.statusCode, approved.body).toBe(200);
    const late = await act(leader, r1.id, 'reopen', { version: r1.version, reason: '再改' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('INVALID_STATE');
  });

  it('answers 404 outside scope, 403 in scope to roles that read no returns', async () => {
    const other = await buildRegionTree(t.db);
    const stranger = await t.signIn('county_leader', other.county);
    expect((await stranger.get(`/api/v1/stat-returns/${annual.id}`)).statusCode).toBe(404);
    expect((await act(stranger, annual.id, 'reopen', { version: annual.version, reason: 'x' })).statusCode).toBe(404);
    const admin = await t.signIn('sysadmin', tree.province);
    expect((await admin.get(`/api/v1/stat-returns/${annual.id}`)).statusCode).toBe(403);
    expect((await province.get(`/api/v1/stat-returns/${annual.id}`)).statusCode).toBe(200);
  });

  it('lists the due return and the review in the todos of the right people', async () => {
    const q = await create(township, 'quarterly', '2026-Q3', tree.township);
    const todos = (await township.get('/api/v1/todos')).json().data as Array<{ kind: string; path?: string }>;
    expect(todos).toContainEqual(expect.objectContaining({ kind: 'stat_return_due', path: `/stat-returns/${q.id}` }));
    await act(township, q.id, 'submit', { version: q.version });
    expect(
      ((await township.get('/api/v1/todos')).json().data as Array<{ kind: string }>).map((x) => x.kind),
    ).not.toContain('stat_return_due');
    const review = (await leader.get('/api/v1/todos')).json().data as Array<{ kind: string; path?: string }>;
    expect(review).toContainEqual(
      expect.objectContaining({ kind: 'stat_return_review', path: `/stat-returns/${q.id}` }),
    );
    expect(
      ((await county.get('/api/v1/todos')).json().data as Array<{ kind: string }>).map((x) => x.kind),
    ).not.toContain('stat_return_review');
  });
});

describe('deadlines', () => {
  it('is on time up to the end of the 10th day after the quarter, late a moment later', async () => {
    const d = await buildRegionTree(t.db);
    const s1 = await t.signIn('township_staff', d.township);
    const s2 = await t.signIn('township_staff', d.siblingTownship);
    await family(s1, d.village);
    await family(s2, `${d.siblingTownship.slice(0, 9)}001`);
    t.clock.set('2026-10-10T15:59:59.000Z');
    try {
      const a = await create(s1, 'quarterly', '2026-Q3', d.township);
      expect(a.dueAt).toBe('2026-10-10T15:59:59.999Z');
      expect((await act(s1, a.id, 'submit', { version: a.version })).json().data.timeliness).toBe('on_time');
      t.clock.set('2026-10-10T16:00:00.000Z');
      const b = await create(s2, 'quarterly', '2026-Q3', d.siblingTownship);
      expect((await act(s2, b.id, 'submit', { version: b.version })).json().data.timeliness).toBe('late');
      const leaderD = await t.signIn('county_leader', d.county);
      const rates = (
        await leaderD.get(`/api/v1/reporting-rates?template=quarterly&period=2026-Q3&regionCode=${d.county}`)
      ).json().data;
      expect(rates).toMatchObject({ expected: 2, submitted: 2, onTime: 1, late: 1, missing: 0 });
    } finally {
      t.clock.set('2026-11-28T02:00:00.000Z');
    }
  });

  it('sends a province-direct unit to the province by 15 May', async () => {
    const rows = [
      { code: '999000000000', name: '省直辖县级行政区划', level: 'prefecture', parent_code: '990000000000' },
      { code: '999004000000', name: '测试直管市', level: 'county', parent_code: '999000000000' },
      { code: '999004001000', name: '测试直管镇', level: 'township', parent_code: '999004000000' },
      { code: '999004001001', name: '测试直管村', level: 'village', parent_code: '999004001000' },
    ];
    await t.db.insertInto('regions').values(rows).execute();
    const ts = await t.signIn('township_staff', '999004001000');
    await family(ts, '999004001001', {
      members: [
        { relation: 'mother', name: '赵兰', idNumber: idNumberFor('female', '1960-02-02'), phone: '13907150001' },
      ],
    });
    const unit = await t.signIn('county_staff', '999004000000');
    const r = await create(unit, 'annual', '2025', '999004000000');
    expect(r.dueAt).toBe('2026-05-15T15:59:59.999Z');
    const submitted = (
      await act(unit, r.id, 'submit', { version: r.version, missingReasons: { '999004001000': '乡镇纸质报送' } })
    ).json().data as Ret;
    expect(submitted.status).toBe('submitted');
    expect((await act(city, r.id, 'approve', { version: submitted.version })).statusCode).toBe(404);
    const ok = await act(province, r.id, 'approve', { version: submitted.version });
    expect(ok.statusCode, ok.body).toBe(200);
    const rates = (await province.get('/api/v1/reporting-rates?template=annual&period=2025')).json().data;
    expect(rates.children.map((c: { regionCode: string }) => c.regionCode)).toEqual(
      expect.arrayContaining([tree.prefecture, '999004000000']),
    );
    expect(rates.children.map((c: { regionCode: string }) => c.regionCode)).not.toContain('999000000000');
  });
});

describe('one definition for the dashboard and the return', () => {
  it('gives the live return the dashboard figures of coverage, visits and festival care', async () => {
    const d = await buildRegionTree(t.db);
    const ts = await t.signIn('township_staff', d.township);
    const tc = await buildContact(ts, 'township_cadre', d.township);
    const vc = await buildContact(ts, 'village_cadre', d.village);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await family(ts, d.village)).id);
    for (const id of ids.slice(0, 2)) {
      const put = await ts.put(`/api/v1/families/${id}/assignments`, {
        townshipContactId: tc.id,
        villageContactId: vc.id,
      });
      expect(put.statusCode, put.body).toBe(200);
    }
    const log = await ts.post(`/api/v1/families/${ids[0]}/contact-logs`, {
      contactId: tc.id,
      mode: 'home_visit',
      occurredAt: '2026-11-20T02:00:00.000Z',
    });
    expect(log.statusCode, log.body).toBe(201);
    const care = await ts.post(`/api/v1/families/${ids[1]}/festival-care`, {
      year: 2026,
      festival: 'mid_autumn',
      manner: 'goods',
      caredOn: '2026-09-20',
    });
    expect(care.statusCode, care.body).toBe(201);

    const quarter = await create(ts, 'quarterly', '2026-Q4', d.township);
    const year = await create(ts, 'annual', '2026', d.township);
    const coverage = (await ts.get(`/api/v1/coverage?regionCode=${d.township}`)).json().data;
    expect(quarter.figures.families_active).toBe(coverage.families);
    expect(quarter.figures.families_both_posts).toBe(coverage.bothPosts);
    expect(quarter.figures.families_both_posts).toBe(2);
    const months = await Promise.all(
      ['2026-10', '2026-11'].map(
        async (m) => (await ts.get(`/api/v1/compliance/monthly?regionCode=${d.township}&month=${m}`)).json().data,
      ),
    );
    const visited = months.reduce((s, m) => s + m.visited, 0);
    const counted = months.reduce((s, m) => s + m.families, 0);
    expect(quarter.figures.home_visit_family_months).toBe(visited);
    expect(quarter.figures.home_visit_rate).toBe(Math.round((visited / counted) * 1000) / 10);
    expect(quarter.figures.home_visit_rate).toBe(33.3);
    const festival = (
      await ts.get(`/api/v1/festival-care/coverage?year=2026&festival=mid_autumn&regionCode=${d.township}`)
    ).json().data;
    expect(year.figures.festival_care_mid_autumn).toBe(festival.cared);
    expect(year.figures.festival_care_mid_autumn).toBe(1);
    // The mid-autumn festival of 2026 (25 September) is not in the fourth quarter.
    expect(quarter.figures.festival_care_mid_autumn).toBe(0);
  });
});
