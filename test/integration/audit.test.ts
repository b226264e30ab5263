import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.js';
import { flushSecurityEvents } from '../../server/platform/audit/security-events.js';
import { useAppWithTree } from '../support/contact-team.js';
import { TEST_DIALECT } from '../support/test-db.js';

const app = useAppWithTree();

describe('audit log', () => {
  it('records logins, failures, lockouts and writes, readable by the auditor only', async () => {
    const user = await buildUser(app.t.db, 'county_staff', app.tree.county);
    for (let i = 0; i < 5; i += 1)
      await app.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password: 'Wrong-Passw0rd!' },
      });
    const admin = await app.t.signIn('sysadmin', app.tree.province);
    await admin.post('/api/v1/users', {
      username: 'audited_new',
      displayName: '新账户',
      password: 'Strong-Pass1',
      role: 'county_staff',
      regionCode: app.tree.county,
    });

    // The lockout is a security event: written as one row when its minute is over (here: flushed now).
    await flushSecurityEvents(app.t.app.platform, app.t.clock.now(), true);
    const auditor = await app.t.signIn('auditor', app.tree.province);
    const events = (await auditor.get('/api/v1/audit-events?pageSize=200')).json().data as Array<{
      action: string;
      outcome: string;
      actorUsername: string;
      changes: unknown;
    }>;
    expect(
      events.filter((e) => e.action === 'auth.login' && e.outcome === 'failure' && e.actorUsername === user.username),
    ).toHaveLength(5);
    expect(events.some((e) => e.action === 'security.locked_out' && e.actorUsername === user.username)).toBe(true);
    const create = events.find((e) => e.action === 'user.create');
    expect(create).toMatchObject({
      actorUsername: admin.user.username,
      changes: { v: 1, facts: { username: 'audited_new', role: 'county_staff' } },
    });
    expect(JSON.stringify(events)).not.toContain('Strong-Pass1');

    expect((await admin.get('/api/v1/audit-events')).statusCode).toBe(403);
    const county = await app.t.signIn('county_staff', app.tree.county);
    expect((await county.get('/api/v1/audit-events')).statusCode).toBe(403);
  });

  it('cannot be changed through the database without the chain showing where', async () => {
    const auditor = await app.t.signIn('auditor', app.tree.province);
    const before = (await auditor.get('/api/v1/audit-events/verify')).json().data;
    expect(before).toMatchObject({ ok: true, brokenAt: null });
    expect(before.checked).toBeGreaterThan(3);

    // The table refuses updates; an attacker with DDL rights drops the guard first.
    await expect(sql`update audit_events set outcome = 'success' where seq = 2`.execute(app.t.db)).rejects.toThrow();
    if (TEST_DIALECT === 'sqlite') await sql`drop trigger audit_events_no_update`.execute(app.t.db);
    else await sql`alter table audit_events disable trigger audit_events_no_change`.execute(app.t.db);
    await sql`update audit_events set actor_username = 'someone_else' where seq = 3`.execute(app.t.db);

    const after = (await auditor.get('/api/v1/audit-events/verify')).json().data;
    expect(after).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
