import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
import { familyInput, idNumberFor } from '../support/factories.js';
import type { Session } from '../support/test-app.js';
let s: ContactTeam;
let county: Session;
let leader: Session;

beforeAll(async () => {
  s = await buildContactTeam();
  county = await s.t.signIn('county_staff', s.tree.county);
  leader = await s.t.signIn('county_leader', s.tree.county);
});
afterAll(() => s.t.close());

async function family(overrides: Record<string, unknown> = {}, assign = true) {
  const f = (
    await s.township.post('/api/v1/families', familyInput(s.tree.village, { enteredAt: '2020-01-01', ...overrides }))
  ).json().data;
  if (assign)
    await s.township.put(`/api/v1/families/${f.id}/assignments`, {
      townshipContactId: s.townshipContactId,
      villageContactId: s.contactId,
    });
  return (await s.township.get(`/api/v1/families/${f.id}`)).json().data as {
    id: string;
    version: number;
    members: Array<{ relation: string }>;
  };
}

const hoursAgo = (h: number) => new Date(s.t.clock.now().getTime() - h * 3_600_000).toISOString();

describe('festivals (R6)', () => {
  it('computes 春节, 端午 and 中秋 from the lunar calendar', async () => {
    const expected: Record<number, string[]> = {
      2025: ['2025-01-29', '2025-05-31', '2025-10-06'],
      2026: ['2026-02-17', '2026-06-19', '2026-09-25'],
      2027: ['2027-02-06', '2027-06-09', '2027-09-15'],
    };
    for (const [year, dates] of Object.entries(expected)) {
      const res = await county.get(`/api/v1/festivals?year=${year}`);
      expect(res.json().map((f: { date: string }) => f.date)).toEqual(dates);
    }
    const spring = (await county.get('/api/v1/festivals?year=2026')).json()[0];
    expect(spring).toMatchObject({ festival: 'spring_festival', windowFrom: '2026-02-07', windowTo: '2026-02-22' });
    expect((await county.get('/api/v1/festivals?year=1800')).statusCode).toBe(400);
  });

  it('records care in the window, "declined" as its own outcome, and outside the window only with a reason', async () => {
    const a = await family();
    const b = await family();
    const ok = await s.contact.post(`/api/v1/families/${a.id}/festival-care`, {
      year: 2026,
      festival: 'mid_autumn',
      manner: 'money',
      amount: 200,
      caredOn: '2026-09-24',
    });
    expect(ok.statusCode).toBe(201);
    const late = await s.contact.post(`/api/v1/families/${b.id}/festival-care`, {
      year: 2026,
      festival: 'mid_autumn',
      manner: 'declined',
      caredOn: '2026-11-01',
    });
    expect(late.json().error.details[0]).toMatchObject({ path: 'outsideWindowReason', code: 'OUTSIDE_WINDOW' });
    const withReason = await s.contact.post(`/api/v1/families/${b.id}/festival-care`, {
      year: 2026,
      festival: 'mid_autumn',
      manner: 'declined',
      caredOn: '2026-11-01',
      outsideWindowReason: '节前外出探亲',
    });
    expect(withReason.json().data).toMatchObject({ manner: 'declined', isOutsideWindow: true });
    const twice = await s.contact.post(`/api/v1/families/${a.id}/festival-care`, {
      year: 2026,
      festival: 'mid_autumn',
      manner: 'phone',
      caredOn: '2026-09-25',
    });
    expect(twice.statusCode).toBe(400);
    const cov = (
      await county.get(`/api/v1/festival-care/coverage?year=2026&festival=mid_autumn&regionCode=${s.tree.county}`)
    ).json().data;
    expect(cov.cared).toBeGreaterThanOrEqual(1);
    expect(cov.declined).toBeGreaterThanOrEqual(1);
    expect(cov.children.find((c: { regionCode: string }) => c.regionCode === s.tree.township).families).toBe(
      cov.families,
    );
  });
});

describe('major events (R5)', () => {
  it('sets a 24-hour deadline, is answered by a home visit, and closes with its follow-up', async () => {
    const f = await family();
    const res = await s.contact.post(`/api/v1/families/${f.id}/events`, {
      kind: 'serious_illness',
      affectedRelation: 'mother',
      occurredAt: hoursAgo(2),
      description: '突发脑梗住院',
    });
    expect(res.statusCode).toBe(201);
    const event = res.json().data;
    expect(Date.parse(event.responseDueAt) - s.t.clock.now().getTime()).toBe(24 * 3_600_000);
    expect(
      (await s.contact.get('/api/v1/todos'))
        .json()
        .data.some((x: { kind: string; familyId: string }) => x.kind === 'event_response' && x.familyId === f.id),
    ).toBe(true);
    const early = await s.contact.post(`/api/v1/events/${event.id}/close`, { version: 1, followUp: '已协调' });
    expect(early.json().error.details[0].code).toBe('NOT_VISITED');
    await s.contact.post(`/api/v1/families/${f.id}/contact-logs`, {
      contactId: s.contactId,
      mode: 'home_visit',
      occurredAt: hoursAgo(1),
    });
    const visited = (await s.contact.get(`/api/v1/families/${f.id}/events`)).json().data[0];
    expect(visited).toMatchObject({ status: 'responded', responseLogId: expect.any(String) });
    const closed = await s.contact.post(`/api/v1/events/${event.id}/close`, {
      version: visited.version,
      followUp: '协助办理住院护理补贴',
    });
    expect(closed.json().data).toMatchObject({ status: 'closed', followUp: '协助办理住院护理补贴' });
  });

  it('escalates an unanswered event to the township, then the county, with a visible trail', async () => {
    const f = await family();
    const event = (
      await s.contact.post(`/api/v1/families/${f.id}/events`, { kind: 'accident', occurredAt: hoursAgo(1) })
    ).json().data;
    s.t.clock.advance(25 * 3_600_000);
    expect(await s.t.app.services.events.escalateOverdue(s.t.clock.now())).toBeGreaterThanOrEqual(1);
    const ts = await s.t.signIn('township_staff', s.tree.township);
    expect(
      (await ts.get('/api/v1/todos'))
        .json()
        .data.some((x: { kind: string; familyId: string }) => x.kind === 'event_response' && x.familyId === f.id),
    ).toBe(true);
    const cs = await s.t.signIn('county_staff', s.tree.county);
    expect((await cs.get('/api/v1/todos')).json().data.some((x: { familyId: string }) => x.familyId === f.id)).toBe(
      false,
    );
    s.t.clock.advance(24 * 3_600_000);
    await s.t.app.services.events.escalateOverdue(s.t.clock.now());
    const cs2 = await s.t.signIn('county_staff', s.tree.county);
    expect((await cs2.get('/api/v1/todos')).json().data.some((x: { familyId: string }) => x.familyId === f.id)).toBe(
      true,
    );
    const trail = (await cs2.get(`/api/v1/families/${f.id}/events`))
      .json()
      .data.find((e: { id: string }) => e.id === event.id);
    expect(trail.escalations.map((e: { level: number }) => e.level)).toEqual([1, 2]);
    s.t.clock.advance(-49 * 3_600_000);
  });

  it('sends an event on a family without contacts to the township at once', async () => {
    const f = await family({}, false);
    const event = (
      await s.township.post(`/api/v1/families/${f.id}/events`, { kind: 'disaster', occurredAt: hoursAgo(1) })
    ).json().data;
    expect(event.escalationLevel).toBe(1);
    expect(
      (await s.township.get('/api/v1/todos')).json().data.some((x: { familyId: string }) => x.familyId === f.id),
    ).toBe(true);
  });

  it('updates the archive after a confirmed parent death; both parents gone → the archive exits', async () => {
    const f = await family({
      members: [
        { relation: 'mother', name: '母亲甲', idNumber: idNumberFor('female', '1950-01-01') },
        {
          relation: 'father',
          name: '父亲甲',
          idNumber: idNumberFor('male', '1948-01-01'),
          isDeceased: true,
          deathDate: '2020-05-01',
        },
      ],
    });
    const event = (
      await s.contact.post(`/api/v1/families/${f.id}/events`, {
        kind: 'death',
        affectedRelation: 'mother',
        occurredAt: hoursAgo(5),
      })
    ).json().data;
    expect((await s.contact.post(`/api/v1/events/${event.id}/confirm-death`, { version: 1 })).statusCode).toBe(403);
    const res = await s.township.post(`/api/v1/events/${event.id}/confirm-death`, { version: 1 });
    expect(res.statusCode).toBe(200);
    const archive = (await s.township.get(`/api/v1/families/${f.id}`)).json().data;
    expect(archive.members.find((m: { relation: string }) => m.relation === 'mother').isDeceased).toBe(true);
    expect(archive).toMatchObject({ status: 'exited', statusReason: 'both_parents_deceased' });
  });

  it('refuses an event in the future', async () => {
    const f = await family();
    const res = await s.contact.post(`/api/v1/families/${f.id}/events`, {
      kind: 'accident',
      occurredAt: new Date(s.t.clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect(res.json().error.details[0]).toMatchObject({ path: 'occurredAt', code: 'DATE_FUTURE' });
  });
});

describe('petition risk (R7)', () => {
  it('alerts the county leader at once for a province-level or red risk, and a home visit answers the mandatory visit', async () => {
    const f = await family();
    const res = await s.contact.post(`/api/v1/families/${f.id}/petition-risks`, {
      targetLevel: 'beijing',
      scope: 'group',
      riskLevel: 'orange',
      signals: '联络其他失独家庭拟集体进京',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ isLeaderAlerted: true, status: 'open' });
    expect(
      (await leader.get('/api/v1/todos'))
        .json()
        .data.some((x: { kind: string; familyId: string }) => x.kind === 'petition_alert' && x.familyId === f.id),
    ).toBe(true);
    const red = (
      await s.contact.post(`/api/v1/families/${f.id}/petition-risks`, {
        targetLevel: 'county',
        scope: 'individual',
        riskLevel: 'red',
        signals: '情绪激动',
      })
    ).json().data;
    expect(Date.parse(red.visitDueAt) - s.t.clock.now().getTime()).toBe(12 * 3_600_000);
    await s.contact.post(`/api/v1/families/${f.id}/contact-logs`, {
      contactId: s.contactId,
      mode: 'home_visit',
      occurredAt: s.t.clock.now().toISOString(),
    });
    const risks = (await s.contact.get(`/api/v1/families/${f.id}/petition-risks`)).json().data.risks;
    expect(risks.every((r: { visitedAt: string | null }) => r.visitedAt !== null)).toBe(true);
    const handled = await s.township.post(`/api/v1/petition-risks/${red.id}/handlings`, {
      kind: 'counselled',
      note: '上门疏导，情绪平稳',
      resolve: true,
    });
    expect(handled.json().data).toMatchObject({ status: 'resolved' });
  });

  it('keeps petition data need-to-know: 404 for a village officer, and every read audited', async () => {
    const f = await family();
    await s.township.post(`/api/v1/families/${f.id}/petition-risks`, {
      targetLevel: 'province',
      scope: 'individual',
      riskLevel: 'yellow',
      signals: '多次表示要去省里',
    });
    const village = await s.t.signIn('village_staff', s.tree.village);
    expect((await village.get(`/api/v1/families/${f.id}/petition-risks`)).statusCode).toBe(404);
    const before = await s.t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'petition.read')
      .where('target_id', '=', f.id)
      .execute();
    expect((await county.get(`/api/v1/families/${f.id}/petition-risks`)).statusCode).toBe(200);
    const after = await s.t.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'petition.read')
      .where('target_id', '=', f.id)
      .execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('refuses a risk on an exited family', async () => {
    const f = await family();
    await s.township.post(`/api/v1/families/${f.id}/status`, {
      version: f.version,
      status: 'exited',
      reason: 'moved_out',
      effectiveDate: '2026-11-01',
    });
    const res = await s.township.post(`/api/v1/families/${f.id}/petition-risks`, {
      targetLevel: 'county',
      scope: 'individual',
      riskLevel: 'blue',
      signals: 'x',
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('needs and joint meetings (R11)', () => {
  it('routes a need to a department, refuses an unknown one, and resolves it only when confirmed with the family', async () => {
    const f = await family();
    const bad = await s.contact.post('/api/v1/needs', {
      familyId: f.id,
      category: 'medical',
      department: 'police',
      description: '住院费用',
      deadline: '2026-12-31',
    });
    expect(bad.json().error.details[0].path).toBe('department');
    const need = (
      await s.contact.post('/api/v1/needs', {
        familyId: f.id,
        category: 'medical',
        department: 'health',
        description: '希望开通就医绿色通道',
        deadline: '2026-12-31',
      })
    ).json().data;
    const referred = (await s.township.patch(`/api/v1/needs/${need.id}`, { version: 1, status: 'referred' })).json()
      .data;
    const noConfirm = await county.patch(`/api/v1/needs/${need.id}`, {
      version: referred.version,
      status: 'resolved',
      resolution: '已开通',
    });
    expect(noConfirm.json().error.details[0].path).toBe('confirmedWithFamily');
    const done = await county.patch(`/api/v1/needs/${need.id}`, {
      version: referred.version,
      status: 'resolved',
      resolution: '已开通',
      confirmedWithFamily: true,
    });
    expect(done.json().data).toMatchObject({ status: 'resolved', isOverdue: false });
    const byDept = (await county.get('/api/v1/needs/by-department'))
      .json()
      .data.find((d: { department: string }) => d.department === 'health');
    expect(byDept).toMatchObject({ resolved: 1 });
  });

  it('holds a joint meeting with a decision per need, and lists overdue needs for the township', async () => {
    const f = await family();
    const need = (
      await s.township.post('/api/v1/needs', {
        familyId: f.id,
        category: 'housing',
        department: 'housing',
        description: '危房改造',
        deadline: '2026-11-30',
      })
    ).json().data;
    s.t.clock.advance(5 * 86_400_000);
    const ts = await s.t.signIn('township_staff', s.tree.township);
    expect(
      (await ts.get('/api/v1/todos'))
        .json()
        .data.some((x: { kind: string; familyId: string }) => x.kind === 'need_overdue' && x.familyId === f.id),
    ).toBe(true);
    const cs = await s.t.signIn('county_leader', s.tree.county);
    const meeting = await cs.post('/api/v1/joint-meetings', {
      countyCode: s.tree.county,
      heldOn: '2026-12-02',
      departments: ['health', 'housing', 'civil_affairs'],
      minutes: '研究危房改造',
      items: [{ needId: need.id, decision: '住建部门月底前完成鉴定' }],
    });
    expect(meeting.statusCode).toBe(201);
    expect((await cs.get('/api/v1/joint-meetings')).json().data[0].items[0]).toMatchObject({ needId: need.id });
    s.t.clock.advance(-5 * 86_400_000);
  });
});

describe('supervision summary', () => {
  it('shows events by age, festival coverage, risks by colour and needs by department', async () => {
    const summary = (await county.get('/api/v1/supervision/summary')).json().data;
    expect(summary.events.open).toBeGreaterThanOrEqual(1);
    expect(summary.events.byAge.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(summary.events.open);
    expect(summary.festival.label).toMatch(/春节|端午节|中秋节/);
    expect(summary.risks).not.toBeNull();
    expect(summary.needs.length).toBeGreaterThan(0);
    const village = await s.t.signIn('village_staff', s.tree.village);
    expect((await village.get('/api/v1/supervision/summary')).json().data.risks).toBeNull();
  });
});
