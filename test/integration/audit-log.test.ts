import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AuditChanges } from '../../common/schemas/audit.js';
import { auditSecurityEvent, flushSecurityEvents } from '../../server/platform/audit/security-events.js';
import { buildContact, buildUser, familyInput, TEST_PASSWORD } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';
import type { Session } from '../support/test-app.js';

/** Issue 10 items 3, 9, 10 and issue 11 item 12: what the audit log holds, who reads which part of it. */
const app = useAppWithTree({ otherTree: true, sessions: { township: ['township_staff', 'township'] } });

interface Event {
  seq: number;
  action: string;
  actionLabel: string;
  category: string | null;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  targetRegionCode: string | null;
  actorUsername: string | null;
  outcome: string;
  occurredAt: string;
  changes: {
    v: number;
    fields?: Array<{ path: string; before?: unknown; after?: unknown }>;
    facts?: Record<string, unknown>;
  } | null;
}

async function events(auditor: Session, query = ''): Promise<Event[]> {
  const res = await auditor.get(`/api/v1/audit-events?pageSize=200${query}`);
  expect(res.statusCode).toBe(200);
  return res.json().data as Event[];
}

async function createFamily(session: Session, village: string, overrides: Record<string, unknown> = {}) {
  const res = await session.post('/api/v1/families', familyInput(village, overrides));
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: string; archiveNo: string; version: number };
}

describe('what an audit row holds (item 3)', () => {
  it('records which fields changed, ID and phone numbers as masks, everything personal as digests', async () => {
    const f = await createFamily(app.township, app.tree.village, { address: '钟祥路 99 号' });
    const patched = await app.township.patch(`/api/v1/families/${f.id}`, {
      version: f.version,
      address: '郢中街道 12 号',
      members: [{ relation: 'mother', name: '张桂香', phone: '13900001111' }],
    });
    expect(patched.statusCode).toBe(200);
    const rows = await app.t.db
      .selectFrom('audit_events')
      .select(['action', 'changes', 'target_region_code'])
      .where('target_id', '=', f.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['family.create', 'family.update']);
    for (const r of rows) {
      expect(r.target_region_code).toBe(app.tree.village);
      expect(AuditChanges.safeParse(JSON.parse(r.changes!)).success).toBe(true);
      for (const secret of [
        '张秀英',
        '张桂香',
        '钟祥路',
        '郢中街道',
        '1965-05-05',
        '1990-03-01',
        '李明',
        '13900001111',
      ])
        expect(r.changes).not.toContain(secret);
    }
    const update = JSON.parse(rows[1].changes!) as {
      v: 1;
      fields: Array<{ path: string; before: unknown; after: unknown }>;
    };
    expect(update.v).toBe(1);
    const byPath = Object.fromEntries(update.fields.map((x) => [x.path, x]));
    expect(byPath.address.after).toEqual({ digest: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(byPath.address.before).not.toEqual(byPath.address.after);
    expect(byPath['members.mother.name'].after).toEqual({ digest: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(byPath['members.mother.phone'].after).toEqual({ mask: expect.stringContaining('*') });
    // A verifier holding the key can still match a value: the same name always digests the same.
    const created = JSON.parse(rows[0].changes!) as typeof update;
    const createdName = created.fields.find((x) => x.path === 'members.mother.name')!.after;
    expect(createdName).toEqual(byPath['members.mother.name'].before);
  });

  it('keeps codes in clear where they are codes: a status change says from what to what', async () => {
    const f = await createFamily(app.township, app.tree.village, { enteredAt: '2020-01-01' });
    const res = await app.township.post(`/api/v1/families/${f.id}/status`, {
      version: f.version,
      status: 'paused',
      reason: 'other',
      effectiveDate: '2026-01-01',
      note: '家属要求暂停，另有隐情',
    });
    expect(res.statusCode).toBe(200);
    const row = await app.t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('target_id', '=', f.id)
      .where('action', '=', 'family.status')
      .executeTakeFirstOrThrow();
    const fields = (JSON.parse(row.changes!) as { fields: Array<{ path: string; before: unknown; after: unknown }> })
      .fields;
    expect(fields.find((x) => x.path === 'status')).toEqual({
      path: 'status',
      before: { value: 'active' },
      after: { value: 'paused' },
    });
    expect(row.changes).not.toContain('隐情');
  });
});

describe('who reads which events (item 3, issue 11 item 12)', () => {
  it("scopes the auditor to events whose target is in the auditor's subtree, logins by the actor's region", async () => {
    const inside = await createFamily(app.township, app.tree.village);
    const otherTownship = await app.t.signIn('township_staff', app.other.township);
    const outside = await createFamily(otherTownship, app.other.village);
    const countyAuditor = await app.t.signIn('auditor', app.tree.county);
    const seen = await events(countyAuditor);
    expect(seen.some((e) => e.targetId === inside.id)).toBe(true);
    expect(seen.some((e) => e.targetId === outside.id)).toBe(false);
    // Logins: the county auditor sees the township user's login (below the county), not the other branch's.
    expect(seen.some((e) => e.action === 'auth.login' && e.actorUsername === app.township.user.username)).toBe(true);
    expect(seen.some((e) => e.actorUsername === otherTownship.user.username)).toBe(false);
    const provinceAuditor = await app.t.signIn('auditor', app.tree.province);
    const all = await events(provinceAuditor);
    expect(all.some((e) => e.targetId === outside.id)).toBe(true);
    expect(all.some((e) => e.targetId === inside.id)).toBe(true);
  });

  it('names actions in Chinese and targets by archive number or account, never by a member', async () => {
    const f = await createFamily(app.township, app.tree.village);
    const auditor = await app.t.signIn('auditor', app.tree.county);
    const list = await events(auditor);
    const created = list.find((e) => e.action === 'family.create' && e.targetId === f.id)!;
    expect(created).toMatchObject({
      actionLabel: '建档',
      category: 'family',
      targetType: 'family',
      targetLabel: f.archiveNo,
      targetRegionCode: app.tree.village,
    });
    const login = list.find((e) => e.action === 'auth.login' && e.actorUsername === auditor.user.username)!;
    expect(login).toMatchObject({ actionLabel: '登录', targetLabel: auditor.user.username });
    const body = JSON.stringify(list);
    for (const name of ['张秀英', '李明', '保成路']) expect(body).not.toContain(name);
  });

  it('filters by category and by time', async () => {
    const auditor = await app.t.signIn('auditor', app.tree.county);
    const auth = await events(auditor, '&category=auth');
    expect(auth.length).toBeGreaterThan(0);
    expect(auth.every((e) => e.category === 'auth')).toBe(true);
    const family = await events(auditor, '&category=family');
    expect(family.every((e) => e.category === 'family')).toBe(true);
    const future = new Date(app.t.clock.now().getTime() + 86_400_000).toISOString();
    expect(await events(auditor, `&from=${encodeURIComponent(future)}`)).toEqual([]);
    const past = new Date(app.t.clock.now().getTime() - 86_400_000).toISOString();
    expect((await events(auditor, `&to=${encodeURIComponent(past)}`)).length).toBe(0);
    expect((await auditor.get('/api/v1/audit-events?category=nonsense')).statusCode).toBe(400);
  });

  it('keeps the log from every other role, the 三员 included', async () => {
    for (const role of ['sysadmin', 'security_admin', 'county_staff', 'province_staff'] as const) {
      const s = await app.t.signIn(role, app.tree.province);
      expect((await s.get('/api/v1/audit-events')).statusCode).toBe(403);
      expect((await s.get('/api/v1/audit-events.xlsx')).statusCode).toBe(403);
    }
  });

  it('exports the filtered log as xlsx, formula-safe, and audits the export', async () => {
    // A hostile value that reaches the log: the address a failed login came from.
    await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '=cmd|calc',
      payload: { username: app.township.user.username, password: 'Wrong-Passw0rd!' },
    });
    const auditor = await app.t.signIn('auditor', app.tree.county);
    const res = await auditor.get('/api/v1/audit-events.xlsx?category=auth');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      '序号',
      '时间',
      '操作人',
      '角色',
      '类别',
      '操作',
      '对象',
      '对象所在区划',
      '结果',
      'IP',
      '详情',
    ]);
    const values: unknown[][] = [];
    sheet.eachRow((row, i) => i > 1 && values.push((row.values as unknown[]).slice(1)));
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((r) => r[4] === '登录与会话')).toBe(true);
    const ips = values.map((r) => String(r[9] ?? ''));
    expect(ips).toContain("'=cmd|calc");
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.formula).toBeUndefined()));
    const exported = (await events(auditor, '&category=audit')).find((e) => e.action === 'audit.export');
    expect(exported).toMatchObject({
      actorUsername: auditor.user.username,
      actionLabel: '导出审计日志',
      changes: { v: 1, facts: { rowCount: values.length, category: 'auth' } },
    });
  });
});

describe('petition reads wherever they happen (item 9)', () => {
  it("audits GET /todos naming a family's petition risk as a petition read of that family", async () => {
    const user = await buildUser(app.t.db, 'contact', app.tree.village);
    const villageContact = await buildContact(app.township, 'village_cadre', app.tree.village, { userId: user.id });
    const townshipContact = await buildContact(app.township, 'township_cadre', app.tree.township);
    const f = await createFamily(app.township, app.tree.village);
    await app.township.put(`/api/v1/families/${f.id}/assignments`, {
      townshipContactId: townshipContact.id,
      villageContactId: villageContact.id,
    });
    const contact = await app.t.login({ username: user.username, password: TEST_PASSWORD });
    const risk = await contact.post(`/api/v1/families/${f.id}/petition-risks`, {
      targetLevel: 'beijing',
      scope: 'individual',
      riskLevel: 'orange',
      signals: '多次表示要进京',
    });
    expect(risk.statusCode).toBe(201);
    const reads = () =>
      app.t.db
        .selectFrom('audit_events')
        .select(['changes', 'actor_username'])
        .where('action', '=', 'petition.read')
        .where('target_id', '=', f.id)
        .execute();
    const before = (await reads()).length;
    const todos = (await contact.get('/api/v1/todos')).json().data as Array<{ kind: string; familyId: string }>;
    expect(todos.some((x) => x.kind === 'petition_visit' && x.familyId === f.id)).toBe(true);
    const after = await reads();
    expect(after.length).toBe(before + 1);
    expect(JSON.parse(after.at(-1)!.changes!)).toEqual({ v: 1, facts: { what: 'todos' } });
    expect(after.at(-1)!.actor_username).toBe(user.username);

    // The county leader's alert names the family too.
    const leader = await app.t.signIn('county_leader', app.tree.county);
    const alerts = (await leader.get('/api/v1/todos')).json().data as Array<{ kind: string; familyId: string }>;
    expect(alerts.some((x) => x.kind === 'petition_alert' && x.familyId === f.id)).toBe(true);
    expect((await reads()).some((r) => r.actor_username === leader.user.username)).toBe(true);
  });
});

describe('denials leave a trace, one row per actor and minute (item 10)', () => {
  async function securityRows(action: string, username: string) {
    await flushSecurityEvents(app.t.app.platform, app.t.clock.now(), true);
    return app.t.db
      .selectFrom('audit_events')
      .select(['changes', 'outcome', 'target_region_code', 'actor_region_code'])
      .where('action', '=', action)
      .where('actor_username', '=', username)
      .execute();
  }

  it('counts out-of-scope 404s: fifty probes in a minute are one row with a count', async () => {
    const otherTownship = await app.t.signIn('township_staff', app.other.township);
    const outside = await createFamily(otherTownship, app.other.village);
    const prober = await app.t.signIn('township_staff', app.tree.township);
    for (let i = 0; i < 50; i += 1) {
      const res = await prober.get(`/api/v1/families/${i === 0 ? outside.id : crypto.randomUUID()}`);
      expect(res.statusCode).toBe(404);
    }
    const rows = await securityRows('security.not_found', prober.user.username);
    expect(rows).toHaveLength(1);
    expect(rows[0].outcome).toBe('denied');
    expect(rows[0].target_region_code).toBe(app.tree.township);
    expect(JSON.parse(rows[0].changes!)).toMatchObject({
      v: 1,
      facts: { kind: 'not_found', count: 50, method: 'GET', route: '/api/v1/families/:id' },
    });
  });

  it('a new minute opens a new row', async () => {
    const prober = await app.t.signIn('county_staff', app.tree.county);
    const outside = await app.t.signIn('township_staff', app.other.township);
    const f = await createFamily(outside, app.other.village);
    await prober.get(`/api/v1/families/${f.id}`);
    app.t.clock.advance(61_000);
    await prober.get(`/api/v1/families/${f.id}`);
    await prober.get(`/api/v1/families/${f.id}`);
    const rows = await securityRows('security.not_found', prober.user.username);
    expect(rows.map((r) => (JSON.parse(r.changes!) as { facts: { count: number } }).facts.count)).toEqual([1, 2]);
  });

  it('counts role 403s and CSRF rejections', async () => {
    const village = await app.t.signIn('village_staff', app.tree.village);
    const f = await createFamily(app.township, app.tree.village);
    expect((await village.get(`/api/v1/assignments/bulk?regionCode=${app.tree.village}`)).statusCode).toBe(403);
    const noToken = await app.t.app.inject({
      method: 'POST',
      url: `/api/v1/families/${f.id}/reveal`,
      headers: { cookie: village.cookie },
      payload: { field: 'members.0.idNumber', reason: '核对身份信息' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_REJECTED');
    expect(await securityRows('security.forbidden', village.user.username)).toHaveLength(1);
    const csrf = await securityRows('security.csrf_rejected', village.user.username);
    expect(JSON.parse(csrf[0].changes!)).toMatchObject({ facts: { kind: 'csrf_rejected', count: 1, method: 'POST' } });
  });

  it('offers auditSecurityEvent to throttling and lockouts: anonymous sources counted by address and username', async () => {
    const origin = { ip: '203.0.113.9', username: 'nobody_here' };
    for (let i = 0; i < 30; i += 1)
      await auditSecurityEvent(app.t.app.platform, {
        kind: 'throttled',
        origin,
        method: 'POST',
        route: '/api/v1/auth/login',
      });
    await flushSecurityEvents(app.t.app.platform, app.t.clock.now(), true);
    const rows = await app.t.db
      .selectFrom('audit_events')
      .select(['changes', 'ip', 'actor_username'])
      .where('action', '=', 'security.throttled')
      .where('ip', '=', origin.ip)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_username).toBe('nobody_here');
    expect(JSON.parse(rows[0].changes!)).toMatchObject({ facts: { kind: 'throttled', count: 30 } });
    // A province auditor reads events that name no region; the label is Chinese.
    const auditor = await app.t.signIn('auditor', app.tree.province);
    const seen = await events(auditor, '&category=security');
    expect(seen.find((e) => e.action === 'security.throttled')).toMatchObject({ actionLabel: '操作过频被限制' });
  });
});
