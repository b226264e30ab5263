import { describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';

const app = useAppWithTree();

function login(username: string, password: string) {
  return app.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}

describe('login', () => {
  it('answers the user and a CSRF token, and sets an HttpOnly SameSite=Strict cookie with a 256-bit id', async () => {
    const user = await buildUser(app.t.db, 'county_staff', app.tree.county);
    const res = await login(user.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data.user).toMatchObject({
      username: user.username,
      role: 'county_staff',
      regionCode: app.tree.county,
      mustChangePassword: false,
    });
    expect(body.data.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const token = cookie.split(';')[0].split('=')[1];
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(body.data.user).not.toHaveProperty('passwordHash');
  });

  it('gives an unknown user and a wrong password the same answer', async () => {
    const user = await buildUser(app.t.db, 'county_staff', app.tree.county);
    const wrong = await login(user.username, 'Wrong-Passw0rd!');
    const unknown = await login('nobody_here', 'Wrong-Passw0rd!');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('locks the account after 5 failures in a row, for 15 minutes or until an admin unlocks it', async () => {
    const user = await buildUser(app.t.db, 'township_staff', app.tree.township);
    for (let i = 0; i < 5; i += 1) expect((await login(user.username, 'Wrong-Passw0rd!')).statusCode).toBe(401);
    const locked = await login(user.username, TEST_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    app.t.clock.advanceMinutes(16);
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);

    for (let i = 0; i < 5; i += 1) await login(user.username, 'Wrong-Passw0rd!');
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(423);
    const admin = await app.t.signIn('sysadmin', app.tree.province);
    expect((await admin.post(`/api/v1/users/${user.id}/unlock`)).statusCode).toBe(200);
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('resets the failure count after a successful login', async () => {
    const user = await buildUser(app.t.db, 'township_staff', app.tree.township);
    for (let i = 0; i < 4; i += 1) await login(user.username, 'Wrong-Passw0rd!');
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i += 1) await login(user.username, 'Wrong-Passw0rd!');
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('issues a new session id at each login and ends the previous one', async () => {
    const user = await buildUser(app.t.db, 'county_staff', app.tree.county);
    const first = await app.t.login(user);
    const res = await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: first.cookie },
      payload: { username: user.username, password: TEST_PASSWORD },
    });
    const second = String(res.headers['set-cookie']).split(';')[0];
    expect(second).not.toBe(first.cookie);
    expect((await first.get('/api/v1/auth/me')).statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('needs a session for every API route but health and login', async () => {
    expect((await app.t.app.inject({ method: 'GET', url: '/api/v1/auth/me' })).json().error.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await app.t.app.inject({ method: 'GET', url: `/api/v1/regions/${app.tree.county}` })).statusCode).toBe(401);
    expect((await app.t.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });

  it('ends after 30 idle minutes', async () => {
    const s = await app.t.signIn('county_staff', app.tree.county);
    app.t.clock.advanceMinutes(29);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(200);
    app.t.clock.advanceMinutes(29);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(200);
    app.t.clock.advanceMinutes(31);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('ends 12 hours after login however busy', async () => {
    const s = await app.t.signIn('county_staff', app.tree.county);
    for (let i = 0; i < 24; i += 1) {
      app.t.clock.advanceMinutes(29);
      expect((await s.get('/api/v1/auth/me')).statusCode).toBe(200);
    }
    app.t.clock.advanceMinutes(29);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('ends at logout', async () => {
    const s = await app.t.signIn('county_staff', app.tree.county);
    expect((await s.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('ends at once when an admin disables the account', async () => {
    const s = await app.t.signIn('county_staff', app.tree.county);
    const admin = await app.t.signIn('sysadmin', app.tree.province);
    const user = (await admin.get(`/api/v1/users/${s.account.id}`)).json().data;
    const res = await admin.patch(`/api/v1/users/${s.account.id}`, { version: user.version, isDisabled: true });
    expect(res.statusCode).toBe(200);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(s.account.username, TEST_PASSWORD)).statusCode).toBe(401);
  });

  it('rejects a state change without the CSRF token', async () => {
    const s = await app.t.signIn('county_staff', app.tree.county);
    const res = await app.t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_REJECTED');
    const wrong = await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) },
    });
    expect(wrong.json().error.code).toBe('CSRF_REJECTED');
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('passwords', () => {
  it('makes an admin-created account change its password before anything else', async () => {
    const admin = await app.t.signIn('sysadmin', app.tree.province);
    const created = await admin.post('/api/v1/users', {
      username: 'new_cadre',
      displayName: '新干部',
      password: 'First-Pass1',
      role: 'township_staff',
      regionCode: app.tree.township,
    });
    expect(created.statusCode).toBe(201);
    // 三员 separation: the account waits for the security administrator before it can sign in.
    const pending = await login('new_cadre', 'First-Pass1');
    expect(pending.statusCode).toBe(403);
    expect(pending.json().error.details[0].code).toBe('ACCOUNT_PENDING');
    const security = await app.t.signIn('security_admin', app.tree.province);
    expect((await security.post(`/api/v1/users/${created.json().data.id}/approve`)).statusCode).toBe(200);
    const s = await app.t.login({ username: 'new_cadre', password: 'First-Pass1' });
    expect((await s.get('/api/v1/auth/me')).json().data.user.mustChangePassword).toBe(true);
    expect((await s.get(`/api/v1/regions/${app.tree.township}`)).statusCode).toBe(403);
    const weak = await s.post('/api/v1/auth/password', { currentPassword: 'First-Pass1', newPassword: 'abcdefgh' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details[0]).toMatchObject({ path: 'newPassword', code: 'PASSWORD_TOO_SIMPLE' });
    expect(
      (await s.post('/api/v1/auth/password', { currentPassword: 'First-Pass1', newPassword: 'Second-Pass2' }))
        .statusCode,
    ).toBe(204);
    expect((await s.get(`/api/v1/regions/${app.tree.township}`)).statusCode).toBe(200);
  });

  it('counts a wrong current password towards lockout: the fifth locks the account and ends every session', async () => {
    const user = await buildUser(app.t.db, 'township_staff', app.tree.township);
    const s = await app.t.login({ username: user.username, password: TEST_PASSWORD });
    const other = await app.t.login({ username: user.username, password: TEST_PASSWORD });
    const attempt = () =>
      s.post('/api/v1/auth/password', { currentPassword: 'Wrong-Passw0rd!', newPassword: 'Third-Pass3x' });
    for (let i = 0; i < 4; i += 1) {
      const wrong = await attempt();
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details[0]).toMatchObject({ path: 'currentPassword', code: 'PASSWORD_WRONG' });
    }
    const fifth = await attempt();
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await other.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(user.username, TEST_PASSWORD)).statusCode).toBe(423);
    const failures = await app.t.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('target_id', '=', user.id)
      .where('action', 'in', ['auth.password_change', 'auth.lockout'])
      .execute();
    expect(failures.filter((f) => f.action === 'auth.password_change' && f.outcome === 'failure')).toHaveLength(5);
    expect(failures.filter((f) => f.action === 'auth.lockout')).toHaveLength(1);
  });

  it('starts the count again after a successful change', async () => {
    const user = await buildUser(app.t.db, 'township_staff', app.tree.township);
    const s = await app.t.login({ username: user.username, password: TEST_PASSWORD });
    for (let i = 0; i < 4; i += 1)
      await s.post('/api/v1/auth/password', { currentPassword: 'Wrong-Passw0rd!', newPassword: 'Third-Pass3x' });
    expect(
      (await s.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Third-Pass3x' }))
        .statusCode,
    ).toBe(204);
    expect((await login(user.username, 'Wrong-Passw0rd!')).statusCode).toBe(401);
    expect((await login(user.username, 'Third-Pass3x')).statusCode).toBe(200);
  });
});
