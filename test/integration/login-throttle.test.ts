import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { flushSecurityEvents } from '../../server/platform/audit/security-events.js';
import { buildRegionTree, buildUser, TEST_PASSWORD, type RegionTree } from '../support/factories.js';
import { createTestApp, testCrypto, type TestApp } from '../support/test-app.js';
import { TEST_DIALECT } from '../support/test-db.js';

// Issue 10 item 7: failures throttle the source; an account locks for everyone only under a wide attack.
let t: TestApp;
let tree: RegionTree;
let source = 0;

beforeAll(async () => {
  t = await createTestApp({
    config: {
      loginThrottle: {
        ipThreshold: 20,
        windowMinutes: 15,
        accountThreshold: 12,
        accountSources: 3,
        accountMinutes: 15,
      },
      adminAllowedNetworks: ['10.99.0.0/16'],
    },
  });
  tree = await buildRegionTree(t.db);
});
afterAll(() => t.close());

/** Each test attacks from its own addresses, so the per-source counts of one do not spill into another. */
function newSource(): string {
  source += 1;
  return `192.0.2.${source}`;
}
function login(username: string, password: string, ip: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });
}
function withoutRequestId(body: string) {
  return body.replace(/"requestId":"[^"]+"/, '');
}

describe('one source guessing one account', () => {
  it('gets 423 with Retry-After after 5 failures, while the owner signs in from elsewhere and keeps the session', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const owner = newSource();
    const attacker = newSource();
    const live = await login(user.username, TEST_PASSWORD, owner);
    const cookie = String(live.headers['set-cookie']).split(';')[0];
    for (let i = 0; i < 5; i += 1)
      expect((await login(user.username, 'Wrong-Passw0rd!', attacker)).statusCode).toBe(401);
    const locked = await login(user.username, TEST_PASSWORD, attacker);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // Someone else's guesses end no session and lock nobody out elsewhere.
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie }, remoteAddress: owner });
    expect(me.statusCode).toBe(200);
    expect((await login(user.username, TEST_PASSWORD, owner)).statusCode).toBe(200);
  });

  it('blocks the pair for twice as long at each further round', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const attacker = newSource();
    for (let i = 0; i < 5; i += 1) await login(user.username, 'Wrong-Passw0rd!', attacker);
    const first = Number((await login(user.username, 'x', attacker)).headers['retry-after']);
    t.clock.advanceMinutes(16);
    for (let i = 0; i < 5; i += 1) await login(user.username, 'Wrong-Passw0rd!', attacker);
    const second = Number((await login(user.username, 'x', attacker)).headers['retry-after']);
    expect(second).toBeGreaterThan(first * 1.9);
  });
});

describe('an unknown username', () => {
  it('walks exactly the same steps as a known one, 423 included', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const ip = newSource();
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const a = await login(user.username, 'Wrong-Passw0rd!', ip);
      const b = await login('nobody_at_all', 'Wrong-Passw0rd!', ip);
      known.push(`${a.statusCode} ${a.headers['retry-after'] ?? ''} ${withoutRequestId(a.body)}`);
      unknown.push(`${b.statusCode} ${b.headers['retry-after'] ?? ''} ${withoutRequestId(b.body)}`);
    }
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toMatch(/^423 /);
  });
});

describe('a username that is not text', () => {
  it('is refused as a field error before any counting (the keys are HMACs of well-formed text)', async () => {
    const res = await login('\ud800x', 'Wrong-Passw0rd!', newSource());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('username');
  });
});

describe('one source spraying many usernames', () => {
  it('waits a growing delay per failure past the threshold: 429 with Retry-After', async () => {
    const ip = newSource();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await login(`spray_${i}`, 'Wrong-Passw0rd!', ip)).statusCode);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const throttled = await login('spray_next', 'Wrong-Passw0rd!', ip);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error.code).toBe('RATE_LIMITED');
    const firstWait = Number(throttled.headers['retry-after']);
    expect(firstWait).toBeGreaterThanOrEqual(1);
    // The right password of a real account is refused too while the source waits (nothing is even checked).
    const user = await buildUser(t.db, 'village_staff', tree.village);
    expect((await login(user.username, TEST_PASSWORD, ip)).statusCode).toBe(429);
    t.clock.advanceMinutes(1);
    expect((await login('spray_more', 'Wrong-Passw0rd!', ip)).statusCode).toBe(401);
    t.clock.advanceMinutes(1);
    expect((await login('spray_more', 'Wrong-Passw0rd!', ip)).statusCode).toBe(401);
    const later = await login('spray_next', 'Wrong-Passw0rd!', ip);
    expect(later.statusCode).toBe(429);
    expect(Number(later.headers['retry-after'])).toBeGreaterThan(firstWait);
    // Another address is not slowed down by this one.
    expect((await login(user.username, TEST_PASSWORD, newSource())).statusCode).toBe(200);
    // The block's start is reported through auditSecurityEvent: one `security.throttled` row once its minute is over.
    await flushSecurityEvents(t.app.platform, t.clock.now(), true);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'changes']).where('ip', '=', ip).execute();
    const throttledRows = audit.filter((a) => a.action === 'security.throttled');
    expect(throttledRows).toHaveLength(1);
    expect(JSON.parse(throttledRows[0].changes!)).toMatchObject({ facts: { kind: 'throttled', count: 1 } });
    expect(audit.some((a) => a.action === 'auth.throttle')).toBe(false);
  });
});

describe('a wide attack on one account', () => {
  it('locks it for everyone only after many failures from many sources; live sessions survive', async () => {
    const user = await buildUser(t.db, 'county_staff', tree.county);
    const owner = newSource();
    const cookie = String((await login(user.username, TEST_PASSWORD, owner)).headers['set-cookie']).split(';')[0];
    // 12 failures from 2 sources: not enough sources (the 3 after source a's own block are not even counted).
    const [a, b, c] = [newSource(), newSource(), newSource()];
    for (const ip of [a, b]) for (let i = 0; i < 4; i += 1) await login(user.username, 'Wrong-Passw0rd!', ip);
    for (let i = 0; i < 4; i += 1) await login(user.username, 'Wrong-Passw0rd!', a);
    expect((await login(user.username, TEST_PASSWORD, newSource())).statusCode).toBe(200);
    // A third source makes it wide: now a fresh address meets the lock too.
    for (let i = 0; i < 4; i += 1) await login(user.username, 'Wrong-Passw0rd!', c);
    const fresh = await login(user.username, TEST_PASSWORD, newSource());
    expect(fresh.statusCode).toBe(423);
    expect(fresh.headers['retry-after']).toBeDefined();
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie }, remoteAddress: owner });
    expect(me.statusCode).toBe(200);

    // The security administrator sees it and unlocks it; every count is gone.
    const security = await t.signIn('security_admin', tree.province).catch(() => null);
    expect(security).toBeNull(); // 三员 only from ADMIN_ALLOWED_NETWORKS: inject's default 127.0.0.1 is outside.
    const admin = await buildUser(t.db, 'security_admin', tree.province);
    const adminLogin = await login(admin.username, TEST_PASSWORD, '10.99.1.2');
    expect(adminLogin.statusCode).toBe(200);
    const headers = {
      cookie: String(adminLogin.headers['set-cookie']).split(';')[0],
      'x-csrf-token': adminLogin.json().data.csrfToken,
    };
    const viewed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/users/${user.id}`,
      headers,
      remoteAddress: '10.99.1.2',
    });
    expect(viewed.json().data).toMatchObject({ failedAttempts: 12, blockedSources: 1 });
    expect(viewed.json().data.lockedUntil).not.toBeNull();
    const unlocked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/unlock`,
      headers,
      remoteAddress: '10.99.1.2',
      payload: {},
    });
    expect(unlocked.json().data).toMatchObject({ failedAttempts: 0, blockedSources: 0, lockedUntil: null });
    expect((await login(user.username, TEST_PASSWORD, a)).statusCode).toBe(200);
  });
});

describe('ADMIN_ALLOWED_NETWORKS', () => {
  it('lets the 三员 sign in and work only from the configured networks', async () => {
    const admin = await buildUser(t.db, 'sysadmin', tree.province);
    const outside = await login(admin.username, TEST_PASSWORD, '203.0.113.7');
    expect(outside.statusCode).toBe(401);
    expect(outside.json().error.code).toBe('INVALID_CREDENTIALS');
    const inside = await login(admin.username, TEST_PASSWORD, '10.99.3.4');
    expect(inside.statusCode).toBe(200);
    const cookie = String(inside.headers['set-cookie']).split(';')[0];
    const me = (ip: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie }, remoteAddress: ip });
    expect((await me('10.99.3.4')).statusCode).toBe(200);
    expect((await me('203.0.113.7')).statusCode).toBe(401);
    // Other roles are not bound to the admin networks.
    const staff = await buildUser(t.db, 'county_staff', tree.county);
    expect((await login(staff.username, TEST_PASSWORD, '203.0.113.7')).statusCode).toBe(200);
  });
});

describe('several instances', () => {
  it('share the counts: a block made through one app is met through another on the same database', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const ip = newSource();
    for (let i = 0; i < 5; i += 1) await login(user.username, 'Wrong-Passw0rd!', ip);
    const second = await buildApp({
      config: t.config,
      database: { db: t.db, dialect: TEST_DIALECT, close: async () => {} },
      crypto: testCrypto(),
      clock: t.clock,
    });
    await second.ready();
    const res = await second.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password: TEST_PASSWORD },
      remoteAddress: ip,
    });
    expect(res.statusCode).toBe(423);
    await second.close();
  });
});

describe('housekeeping', () => {
  it('prunes rows nobody failed on for a day, keeping those that still block', async () => {
    const { createLoginThrottle } = await import('../../server/modules/users/login-throttle.js');
    const throttle = createLoginThrottle(t.app.platform);
    const ip = newSource();
    await login('prune_me', 'Wrong-Passw0rd!', ip);
    const count = async () =>
      (await t.db.selectFrom('login_throttle').select('key').where('key', '=', `ip:${ip}`).execute()).length;
    expect(await count()).toBe(1);
    t.clock.advanceMinutes(25 * 60);
    expect(await throttle.prune(t.db)).toBeGreaterThan(0);
    expect(await count()).toBe(0);
  });
});
