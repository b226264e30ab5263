/**
 * The audit hash chain against an attacker with DDL rights (GB/T 22239 8.1.4.3 L3-CES1-14): the
 * append-only trigger is dropped, one stored row is edited or deleted, and `npm run audit:verify` (the real
 * CLI, spawned against the test database) must exit 1 naming that row; an intact chain exits 0.
 */
import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventTable } from '../../server/platform/db/schema.js';
import { buildContact, buildRegionTree, buildUser, familyInput, type RegionTree } from '../support/factories.js';
import { AuditLog } from '../../server/platform/audit/audit-log.js';
import { systemClock } from '../../server/platform/clock.js';
import { createTestApp, TEST_MASTER_KEY, testCrypto, type TestApp } from '../support/test-app.js';
import { TEST_DIALECT } from '../support/test-db.js';

let t: TestApp;
let tree: RegionTree;
let total: number;

/** `tsx scripts/audit-verify.ts` (what `npm run audit:verify` runs) against the test database. */
function auditVerify(): { status: number | null; out: string } {
  const r = spawnSync('npx', ['tsx', 'scripts/audit-verify.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: t.config.databaseUrl,
      GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
      GUANHUAI_DEMO: 'false',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The same walk in-process (cheap), for the checks between the CLI runs. */
function inProcessVerify() {
  return new AuditLog(testCrypto(), TEST_DIALECT, systemClock).verify(t.db);
}

async function dropGuard(): Promise<void> {
  if (TEST_DIALECT === 'sqlite') {
    await sql`drop trigger if exists audit_events_no_update`.execute(t.db);
    await sql`drop trigger if exists audit_events_no_delete`.execute(t.db);
  } else await sql`alter table audit_events disable trigger audit_events_no_change`.execute(t.db);
}

async function row(seq: number): Promise<AuditEventTable> {
  return t.db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  // A few dozen real audit rows: logins, archives, contacts, assignments, logs, a failed login.
  const township = await t.signIn('township_staff', tree.township);
  const family = (await township.post('/api/v1/families', familyInput(tree.village))).json().data;
  const tc = await buildContact(township, 'township_cadre', tree.township);
  const vc = await buildContact(township, 'village_cadre', tree.village);
  await township.put(`/api/v1/families/${family.id}/assignments`, {
    townshipContactId: tc.id,
    villageContactId: vc.id,
  });
  for (let i = 0; i < 10; i += 1)
    await township.post(`/api/v1/families/${family.id}/contact-logs`, {
      contactId: vc.id,
      mode: i % 2 ? 'phone' : 'home_visit',
      occurredAt: new Date(t.clock.now().getTime() - i * 3_600_000).toISOString(),
    });
  const user = await buildUser(t.db, 'village_staff', tree.village);
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: user.username, password: 'wrong-Passw0rd' },
  });
  await township.post(`/api/v1/families/${family.id}/reveal`, { field: 'members.0.idNumber', reason: '核对身份' });
  total = Number(
    (
      await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
});
afterAll(() => t.close());

describe('npm run audit:verify on the test database', () => {
  it('an untouched chain: exit 0, every row checked', () => {
    expect(total).toBeGreaterThan(15);
    const r = auditVerify();
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(`已校验 ${total} 条`);
  });

  it('the append-only guard refuses UPDATE and DELETE while it stands', async () => {
    await expect(sql`update audit_events set outcome = 'success' where seq = 1`.execute(t.db)).rejects.toThrow();
    await expect(sql`delete from audit_events where seq = 1`.execute(t.db)).rejects.toThrow();
  });

  it('one edited field of one row (guard dropped): exit 1 at that row; restoring it heals the chain', async () => {
    await dropGuard();
    const k = Math.floor(total / 2);
    const original = await row(k);
    await t.db.updateTable('audit_events').set({ actor_username: 'someone_else' }).where('seq', '=', k).execute();
    const r = auditVerify();
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain(`第 ${k} 条起链断开`);
    expect(r.out).toContain(`之前 ${k - 1} 条完好`);

    await t.db
      .updateTable('audit_events')
      .set({ actor_username: original.actor_username })
      .where('seq', '=', k)
      .execute();
    expect(await inProcessVerify()).toMatchObject({ ok: true, checked: total });
  });

  it('a row whose MAC was recomputed without the key (plain SHA-256) is still caught', async () => {
    const k = 3;
    const original = await row(k);
    const { createHash } = await import('node:crypto');
    await t.db
      .updateTable('audit_events')
      .set({ outcome: 'failure', hash: createHash('sha256').update('forged').digest('hex') })
      .where('seq', '=', k)
      .execute();
    const r = auditVerify();
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain(`第 ${k} 条起链断开`);
    await t.db
      .updateTable('audit_events')
      .set({ outcome: original.outcome, hash: original.hash })
      .where('seq', '=', k)
      .execute();
    expect(await inProcessVerify()).toMatchObject({ ok: true, checked: total });
  });

  it('one deleted row in the middle: exit 1 at its index', async () => {
    const k = total - 4;
    await t.db.deleteFrom('audit_events').where('seq', '=', k).execute();
    const r = auditVerify();
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain(`第 ${k} 条起链断开`);
  });
});
