import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, buildUser, TEST_PASSWORD, type RegionTree, type TestUser } from '../support/factories.js';
import { createTestApp, Session, type TestApp } from '../support/test-app.js';

// Issue 10 item 11: TOTP for the 三员 and county level and above, enrolled at first login.
let t: TestApp;
let tree: RegionTree;

beforeAll(async () => {
  t = await createTestApp({ config: { mfaRequiredRoles: ['county_staff', 'security_admin', 'sysadmin'] } });
  tree = await buildRegionTree(t.db);
});
afterAll(() => t.close());

function codeAt(secret: string, offsetSteps = 0): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    timestamp: t.clock.now().getTime() + offsetSteps * 30_000,
  });
}
function login(username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}
function verify(challenge: string, code: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/verify', payload: { challenge, code } });
}
function sessionOf(res: Awaited<ReturnType<typeof login>>, user: TestUser): Session {
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  return new Session(t.app, cookie, res.json().data.csrfToken, { ...user });
}

/** Signs in (password only: no factor yet) and enrols; returns the secret and the recovery codes. */
async function enrol(user: TestUser) {
  const s = sessionOf(await login(user.username, TEST_PASSWORD), user);
  const started = await s.post('/api/v1/auth/mfa/enrolment');
  expect(started.statusCode).toBe(200);
  const { secret, uri } = started.json().data as { secret: string; uri: string };
  expect(uri).toContain(`secret=${secret}`);
  const confirmed = await s.post('/api/v1/auth/mfa/enrolment/confirm', { code: codeAt(secret) });
  expect(confirmed.statusCode).toBe(200);
  t.clock.advanceMinutes(1);
  return { s, secret, recoveryCodes: confirmed.json().data.recoveryCodes as string[] };
}

describe('enrolment at first login', () => {
  it('a role that needs the factor gets a session that opens nothing but enrolment', async () => {
    const user = await buildUser(t.db, 'county_staff', tree.county);
    const res = await login(user.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.user).toMatchObject({ mfaEnrolmentDue: true, mfaEnabled: false });
    const s = sessionOf(res, user);
    const blocked = await s.get(`/api/v1/regions/${tree.county}`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.message).toMatch(/动态验证码/);
    const started = (await s.post('/api/v1/auth/mfa/enrolment')).json().data;
    const wrong = await s.post('/api/v1/auth/mfa/enrolment/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0]).toMatchObject({ path: 'code', code: 'MFA_CODE_WRONG' });
    const ok = await s.post('/api/v1/auth/mfa/enrolment/confirm', { code: codeAt(started.secret) });
    expect(ok.json().data.recoveryCodes).toHaveLength(10);
    expect((await s.get(`/api/v1/regions/${tree.county}`)).statusCode).toBe(200);
    expect((await s.get('/api/v1/auth/me')).json().data.user).toMatchObject({
      mfaEnrolmentDue: false,
      mfaEnabled: true,
    });
    // A second enrolment cannot replace the factor: only the security administrator resets it.
    expect((await s.post('/api/v1/auth/mfa/enrolment')).statusCode).toBe(409);
  });

  it('keeps the secret sealed and the recovery codes hashed in the database', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const { secret, recoveryCodes } = await enrol(user);
    const row = await t.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.mfa_secret).not.toContain(secret);
    expect(row.mfa_secret).toMatch(/^v1\./);
    const stored = await t.db.selectFrom('mfa_recovery_codes').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(10);
    const dump = JSON.stringify(stored);
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace('-', ''));
    }
  });
});

describe('login with a second factor', () => {
  it('answers a challenge instead of a session, then a session for the right code, once', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const { secret } = await enrol(user);
    const first = await login(user.username, TEST_PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toEqual({ mfaRequired: true, challenge: expect.any(String) });
    expect(first.headers['set-cookie']).toBeUndefined();
    const code = codeAt(secret);
    const done = await verify(first.json().data.challenge, code);
    expect(done.statusCode).toBe(200);
    expect(done.json().data.user).toMatchObject({ username: user.username, mfaEnabled: true });
    expect(String(done.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect((await sessionOf(done, user).get('/api/v1/auth/me')).statusCode).toBe(200);
    // The challenge is spent, and the same code does not open a second login (replay).
    expect((await verify(first.json().data.challenge, code)).statusCode).toBe(401);
    const again = await login(user.username, TEST_PASSWORD);
    const replay = await verify(again.json().data.challenge, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.details[0].code).toBe('MFA_CODE_WRONG');
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'changes'])
      .where('target_id', '=', user.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['auth.mfa_enrol', 'auth.password_step']));
    expect(audit.some((a) => a.action === 'auth.login' && String(a.changes).includes('totp'))).toBe(true);
  });

  it('takes a recovery code once', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const { recoveryCodes } = await enrol(user);
    const c1 = (await login(user.username, TEST_PASSWORD)).json().data.challenge;
    expect((await verify(c1, recoveryCodes[0]!.toLowerCase())).statusCode).toBe(200);
    const c2 = (await login(user.username, TEST_PASSWORD)).json().data.challenge;
    expect((await verify(c2, recoveryCodes[0]!)).statusCode).toBe(401);
    expect((await verify(c2, recoveryCodes[1]!)).statusCode).toBe(200);
  });

  it('rate-limits wrong codes: 429 with Retry-After, even with a fresh challenge', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const { secret } = await enrol(user);
    const challenge = (await login(user.username, TEST_PASSWORD)).json().data.challenge;
    for (let i = 0; i < 4; i += 1) expect((await verify(challenge, '000000')).statusCode).toBe(401);
    const fifth = await verify(challenge, '000000');
    expect(fifth.statusCode).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(60);
    const fresh = (await login(user.username, TEST_PASSWORD)).json().data.challenge;
    const blocked = await verify(fresh, codeAt(secret));
    expect(blocked.statusCode).toBe(429);
    t.clock.advanceMinutes(16);
    const later = (await login(user.username, TEST_PASSWORD)).json().data.challenge;
    expect((await verify(later, codeAt(secret))).statusCode).toBe(200);
  });

  it('expires a challenge after five minutes', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const { secret } = await enrol(user);
    const challenge = (await login(user.username, TEST_PASSWORD)).json().data.challenge;
    t.clock.advanceMinutes(6);
    const res = await verify(challenge, codeAt(secret));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('reset', () => {
  it('only by the security administrator, not for their own account, audited; the owner enrols again', async () => {
    const user = await buildUser(t.db, 'county_staff', tree.county);
    const { s } = await enrol(user);
    const sysadmin = await enrolledSession('sysadmin');
    expect((await sysadmin.post(`/api/v1/users/${user.id}/mfa-reset`)).statusCode).toBe(403);
    const security = await enrolledSession('security_admin');
    expect((await security.post(`/api/v1/users/${security.user.id}/mfa-reset`)).statusCode).toBe(403);
    const reset = await security.post(`/api/v1/users/${user.id}/mfa-reset`);
    expect(reset.statusCode).toBe(200);
    expect(reset.json().data.mfaEnabled).toBe(false);
    expect((await s.get('/api/v1/auth/me')).statusCode).toBe(401);
    const again = await login(user.username, TEST_PASSWORD);
    expect(again.json().data.user.mfaEnrolmentDue).toBe(true);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_username'])
      .where('target_id', '=', user.id)
      .where('action', '=', 'user.mfa_reset')
      .execute();
    expect(audit).toEqual([{ action: 'user.mfa_reset', actor_username: security.user.username }]);
  });
});

async function enrolledSession(role: 'sysadmin' | 'security_admin'): Promise<Session> {
  const user = await buildUser(t.db, role, tree.province);
  const { secret } = await enrol(user);
  const challenge = (await login(user.username, TEST_PASSWORD)).json().data.challenge;
  return sessionOf(await verify(challenge, codeAt(secret)), user);
}
