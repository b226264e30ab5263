import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, buildUser, TEST_PASSWORD, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// Issue 10 item 4: no one of the 三员 reaches family data or another 三员's account alone.
let t: TestApp;
let tree: RegionTree;
let sysadmin: Session;
let security: Session;
let auditor: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  sysadmin = await t.signIn('sysadmin', tree.province);
  security = await t.signIn('security_admin', tree.province);
  auditor = await t.signIn('auditor', tree.province);
});
afterAll(() => t.close());

let n = 0;
function login(username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}
async function create(body: Record<string, unknown> = {}) {
  n += 1;
  const res = await sysadmin.post('/api/v1/users', {
    username: `appr_${n}`,
    displayName: '待审批',
    role: 'province_staff',
    regionCode: tree.province,
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: string; username: string; initialPassword?: string; version: number };
}
async function auditActions(targetId: string) {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_username', 'outcome', 'changes'])
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
  return rows;
}

describe('abilities', () => {
  it('the session carries the policy actions of the role, which the web menu follows', async () => {
    const me = (await security.get('/api/v1/auth/me')).json().data.user;
    expect(me.abilities).toEqual(expect.arrayContaining(['user.approve', 'user.read', 'user.unlock', 'user.mfaReset']));
    expect(me.abilities).not.toContain('user.manage');
    expect(me.abilities).not.toContain('family.read');
    expect((await auditor.get('/api/v1/auth/me')).json().data.user.abilities).toEqual(
      expect.arrayContaining(['audit.read', 'user.approve']),
    );
    expect((await sysadmin.get('/api/v1/auth/me')).json().data.user.abilities).not.toContain('user.approve');
  });
});

describe('a new account', () => {
  it('waits for the security administrator; the sysadmin cannot approve it, nor can the auditor', async () => {
    const user = await create({ password: 'Known-Pass1' });
    const before = await login(user.username, 'Known-Pass1');
    expect(before.statusCode).toBe(403);
    expect(before.json().error.details[0].code).toBe('ACCOUNT_PENDING');
    // A wrong password on a pending account answers like any wrong password: nothing about its state.
    expect((await login(user.username, 'Wrong-Pass1')).json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await sysadmin.post(`/api/v1/users/${user.id}/approve`)).statusCode).toBe(403);
    expect((await auditor.post(`/api/v1/users/${user.id}/approve`)).statusCode).toBe(403);
    const queue = (await security.get('/api/v1/user-approvals')).json().data as Array<{ id: string }>;
    expect(queue.map((u) => u.id)).toContain(user.id);
    expect((await auditor.get('/api/v1/user-approvals')).json().data.map((u: { id: string }) => u.id)).not.toContain(
      user.id,
    );

    const approved = await security.post(`/api/v1/users/${user.id}/approve`, { version: user.version });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().data.pendingChange).toBeNull();
    expect((await security.post(`/api/v1/users/${user.id}/approve`)).statusCode).toBe(409);

    // The owner claims it: until the password is their own, nothing else answers.
    const owner = await t.login({ username: user.username, password: 'Known-Pass1' });
    expect((await owner.get(`/api/v1/regions/${tree.province}`)).statusCode).toBe(403);
    expect((await owner.get('/api/v1/families')).statusCode).toBe(403);
    expect(
      (await owner.post('/api/v1/auth/password', { currentPassword: 'Known-Pass1', newPassword: 'Owner-Pass2' }))
        .statusCode,
    ).toBe(204);
    expect((await owner.get(`/api/v1/regions/${tree.province}`)).statusCode).toBe(200);

    const actions = await auditActions(user.id);
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.create', 'auth.login', 'user.approve', 'auth.password_change']),
    );
    expect(actions.find((a) => a.action === 'user.approve')!.actor_username).toBe(security.user.username);
    expect(actions.find((a) => a.action === 'auth.login' && a.outcome === 'denied')!.changes).toContain(
      'pending_approval',
    );
  });

  it('gets a server-chosen initial password shown once to the creator, never again', async () => {
    const user = await create();
    expect(user.initialPassword).toMatch(/^[A-Z]{4}-[a-z]{4}-\d{4}$/);
    const again = (await sysadmin.get(`/api/v1/users/${user.id}`)).json().data;
    expect(again).not.toHaveProperty('initialPassword');
    expect(again.isUnclaimed).toBe(true);
    const list = await sysadmin.get(`/api/v1/users?q=${user.username}`);
    expect(list.body).not.toContain(user.initialPassword);
    await security.post(`/api/v1/users/${user.id}/approve`);
    expect((await login(user.username, user.initialPassword!)).statusCode).toBe(200);
  });

  it('stays disabled when the security administrator refuses it', async () => {
    const user = await create({ password: 'Known-Pass1' });
    const refused = await security.post(`/api/v1/users/${user.id}/reject`, { reason: '非本单位人员' });
    expect(refused.statusCode).toBe(200);
    expect(refused.json().data).toMatchObject({ isDisabled: true, pendingChange: null });
    expect((await login(user.username, 'Known-Pass1')).json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await auditActions(user.id)).map((a) => a.action)).toContain('user.reject');
  });
});

describe('a role or region change and a re-enable', () => {
  it('take effect only once approved; the account cannot sign in meanwhile', async () => {
    const account = await buildUser(t.db, 'county_staff', tree.county);
    const live = await t.login(account);
    const current = (await sysadmin.get(`/api/v1/users/${account.id}`)).json().data;
    const changed = await sysadmin.patch(`/api/v1/users/${account.id}`, {
      version: current.version,
      role: 'prefecture_staff',
      regionCode: tree.prefecture,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data).toMatchObject({
      role: 'county_staff',
      regionCode: tree.county,
      pendingChange: { kind: 'update', role: 'prefecture_staff', regionCode: tree.prefecture },
    });
    expect((await live.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(account.username, TEST_PASSWORD)).statusCode).toBe(403);
    // A second change cannot be stacked on the first.
    const stacked = await sysadmin.patch(`/api/v1/users/${account.id}`, {
      version: changed.json().data.version,
      role: 'county_leader',
    });
    expect(stacked.statusCode).toBe(409);

    const approved = await security.post(`/api/v1/users/${account.id}/approve`);
    expect(approved.json().data).toMatchObject({ role: 'prefecture_staff', regionCode: tree.prefecture });
    const s = await t.login(account);
    expect(s.user).toMatchObject({ role: 'prefecture_staff', regionCode: tree.prefecture });
  });

  it('a disable is at once for an ordinary account; the re-enable waits for approval', async () => {
    const account = await buildUser(t.db, 'township_staff', tree.township);
    let v = (await sysadmin.get(`/api/v1/users/${account.id}`)).json().data.version;
    const disabled = await sysadmin.patch(`/api/v1/users/${account.id}`, { version: v, isDisabled: true });
    expect(disabled.json().data.isDisabled).toBe(true);
    v = disabled.json().data.version;
    const reenabled = await sysadmin.patch(`/api/v1/users/${account.id}`, { version: v, isDisabled: false });
    expect(reenabled.json().data).toMatchObject({ isDisabled: true, pendingChange: { enable: true } });
    expect((await login(account.username, TEST_PASSWORD)).statusCode).toBe(403);
    await security.post(`/api/v1/users/${account.id}/approve`);
    expect((await login(account.username, TEST_PASSWORD)).statusCode).toBe(200);
  });
});

describe('the 三员 on each other', () => {
  it('the sysadmin resetting the auditor’s password needs the security administrator: until then the old one works', async () => {
    const target = await buildUser(t.db, 'auditor', tree.prefecture);
    const v = (await sysadmin.get(`/api/v1/users/${target.id}`)).json().data.version;
    const reset = await sysadmin.patch(`/api/v1/users/${target.id}`, { version: v, password: 'Sysadmin-Knows1' });
    expect(reset.json().data.pendingChange).toMatchObject({ passwordReset: true, approverRole: 'security_admin' });
    expect((await login(target.username, 'Sysadmin-Knows1')).statusCode).toBe(401);
    const auditorSession = await t.login(target);
    expect((await auditorSession.get('/api/v1/auth/me')).statusCode).toBe(200);

    expect((await security.post(`/api/v1/users/${target.id}/approve`)).statusCode).toBe(200);
    expect((await auditorSession.get('/api/v1/auth/me')).statusCode).toBe(401);
    const s = await t.login({ username: target.username, password: 'Sysadmin-Knows1' });
    expect((await s.get('/api/v1/auth/me')).json().data.user.mustChangePassword).toBe(true);
  });

  it('the sysadmin disabling the security administrator needs the auditor; the security administrator cannot approve it', async () => {
    const target = await buildUser(t.db, 'security_admin', tree.prefecture);
    const targetSession = await t.login(target);
    const v = (await sysadmin.get(`/api/v1/users/${target.id}`)).json().data.version;
    const res = await sysadmin.patch(`/api/v1/users/${target.id}`, { version: v, isDisabled: true });
    expect(res.json().data).toMatchObject({
      isDisabled: false,
      pendingChange: { disable: true, approverRole: 'auditor' },
    });
    expect((await targetSession.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await targetSession.post(`/api/v1/users/${target.id}/approve`)).statusCode).toBe(403);
    expect((await security.post(`/api/v1/users/${target.id}/approve`)).statusCode).toBe(403);
    expect((await security.get('/api/v1/user-approvals')).json().data.map((u: { id: string }) => u.id)).not.toContain(
      target.id,
    );
    expect((await auditor.get('/api/v1/user-approvals')).json().data.map((u: { id: string }) => u.id)).toContain(
      target.id,
    );
    const approved = await auditor.post(`/api/v1/users/${target.id}/approve`);
    expect(approved.json().data.isDisabled).toBe(true);
    expect((await targetSession.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('turning an account into a security administrator is approved by the auditor', async () => {
    const target = await buildUser(t.db, 'contact', tree.prefecture);
    const v = (await sysadmin.get(`/api/v1/users/${target.id}`)).json().data.version;
    const res = await sysadmin.patch(`/api/v1/users/${target.id}`, { version: v, role: 'security_admin' });
    expect(res.json().data.pendingChange).toMatchObject({ role: 'security_admin', approverRole: 'auditor' });
    expect((await security.post(`/api/v1/users/${target.id}/approve`)).statusCode).toBe(403);
    expect((await auditor.post(`/api/v1/users/${target.id}/approve`)).json().data.role).toBe('security_admin');
  });

  it('refuses a stale version on approval', async () => {
    const user = await create({ password: 'Known-Pass1' });
    const res = await security.post(`/api/v1/users/${user.id}/approve`, { version: user.version + 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('VERSION_CONFLICT');
  });
});
