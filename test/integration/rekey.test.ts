import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { AuditAnchor, verifyAudit } from '../../server/platform/audit/anchor.js';
import { AuditLog } from '../../server/platform/audit/audit-log.js';
import { createBackup, type BackupDeps } from '../../server/platform/backup/backup.js';
import { BackupCheckError } from '../../server/platform/backup/format.js';
import { restoreBackup } from '../../server/platform/backup/restore.js';
import type { CryptoProvider } from '../../server/platform/crypto/crypto-provider.js';
import { loadKeySet } from '../../server/platform/crypto/keys.js';
import { createSoftwareCryptoProvider, tokenKeyId } from '../../server/platform/crypto/software-provider.js';
import type { DatabaseHandle } from '../../server/platform/db/database.js';
import { holdServingLock } from '../../server/platform/db/serving-lock.js';
import { withDatabaseKeyVersions } from '../../server/platform/rekey/key-versions.js';
import {
  rekey,
  RekeyInjectedFailure,
  RekeyRefusal,
  type RekeyDeps,
  type RekeyResult,
} from '../../server/platform/rekey/rekey.js';
import { auditDigestAt } from '../../server/platform/audit/audit-values.js';
import { buildContact, buildRegionTree, familyInput } from '../support/factories.js';
import { createTestApp, Session, TEST_MASTER_KEY, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/test-db.js';

/**
 * `npm run rekey` (issue 18 item 8) on the test dialect: refusals that touch nothing, a failure injected inside
 * the one transaction (and a killed CLI) leaving the old key whole, then a rotation after which the app runs with
 * only the new key — same archives, same searches, the append-only audit chain verifying from its first row to
 * its last under two key versions — the old key refused at start, and backups from before and after restoring.
 */
const NEW_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const THIRD_KEY = '5f4e3d2c1b0a99887766554433221100ffeeddccbbaa99887766554433221100';
const ROBOT_KEY = '693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa';
const keys = (hex: string) => loadKeySet({ masterKeyHex: hex, allowGenerate: false });
const providerOf = (hex: string) => createSoftwareCryptoProvider(keys(hex));

let t: TestApp;
let village: Session;
let dir: string;
let before: Map<string, unknown>;
let inputs: Array<{ id: string; idNumber: string; phone: string }>;
let backupBefore: string;
let rotated: RekeyResult;
let channelId: string;
const targets: TestDatabase[] = [];

function handle(): DatabaseHandle {
  // The test app's open database: an app built on it here must not close it.
  const p = t.app.platform;
  return { db: p.db, dialect: p.dialect, close: async () => undefined } as unknown as DatabaseHandle;
}

async function appWith(crypto: CryptoProvider) {
  return buildApp({ config: t.config, database: handle(), crypto, clock: t.clock });
}

function deps(over: Partial<RekeyDeps> = {}): RekeyDeps {
  const p = t.app.platform;
  return {
    db: p.db,
    dialect: p.dialect,
    databaseUrl: t.config.databaseUrl,
    clock: p.clock,
    from: p.crypto,
    to: keys(NEW_KEY),
    anchorFile: t.config.auditAnchorFile,
    backupDir: path.join(dir, 'backups'),
    withoutBackup: true,
    batchSize: 2,
    ...over,
  };
}

async function refusal(p: Promise<unknown>): Promise<RekeyRefusal> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RekeyRefusal);
  return e as RekeyRefusal;
}

/** Everything a rotation may change, to prove a refused or failed one changed nothing. */
async function snapshot() {
  return {
    members: await t.db.selectFrom('family_members').selectAll().orderBy('id').execute(),
    claims: await t.db.selectFrom('family_id_claims').selectAll().orderBy('id_number_idx').execute(),
    regionKeys: await t.db.selectFrom('region_keys').selectAll().orderBy('id').execute(),
    versions: await t.db.selectFrom('key_versions').selectAll().execute(),
    audit: await t.db.selectFrom('audit_events').select(['chain_seq', 'hash']).orderBy('chain_seq').execute(),
  };
}

async function backupDeps(crypto: CryptoProvider): Promise<BackupDeps> {
  const p = t.app.platform;
  return {
    crypto,
    clock: p.clock,
    audit: new AuditLog(crypto, p.dialect, p.clock),
    // The manifest carries the anchor's newest checkpoint: version 1 before the rotation, version 2 after.
    anchor: new AuditAnchor(t.config.auditAnchorFile, crypto, p.clock),
    dialect: p.dialect,
    databaseUrl: t.config.databaseUrl,
    db: p.db,
    backupDir: path.join(dir, 'backups'),
    keep: 0,
    appVersion: '0.1.0',
  };
}

async function emptyTarget(): Promise<string> {
  const d = await createTestDatabase();
  targets.push(d);
  return d.url;
}

/** Each family's detail as an archive reader sees it (masked), keyed by id. */
async function archives(session: Session): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const f of inputs) {
    const res = await session.get(`/api/v1/families/${f.id}`);
    expect(res.statusCode).toBe(200);
    out.set(f.id, res.json().data);
  }
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-rekey-'));
  const tree = await buildRegionTree(t.db);
  village = await t.signIn('village_staff', tree.village);
  inputs = [];
  for (let i = 0; i < 5; i++) {
    const input = familyInput(tree.village);
    const res = await village.post('/api/v1/families', input);
    expect(res.statusCode).toBe(201);
    inputs.push({ id: res.json().data.id, idNumber: input.members[0].idNumber, phone: input.members[0].phone });
  }
  // An update, so audit rows hold keyed digests of changed values.
  const f0 = (await village.get(`/api/v1/families/${inputs[0].id}`)).json().data;
  expect(
    (await village.patch(`/api/v1/families/${inputs[0].id}`, { version: f0.version, address: '新华路 1 号' }))
      .statusCode,
  ).toBe(200);
  const county = await t.signIn('county_staff', tree.county);
  expect((await county.get(`/api/v1/regions/${tree.county}/public-key`)).statusCode).toBe(200);
  // The other sealed places: a channel's robot key and a co-administrator's phone, a contact's phone, a failed
  // login's throttle rows (keyed by the username's blind index), an MFA recovery code (a keyed digest only).
  const channel = await county.post('/api/v1/channels', {
    regionCode: tree.county,
    kind: 'wecom_group',
    name: '特扶家庭群',
    robotKey: ROBOT_KEY,
    admins: [{ kind: 'family', name: '王芳', phone: '13912345678' }],
  });
  expect(channel.statusCode).toBe(201);
  channelId = channel.json().data.id;
  const township = await t.signIn('township_staff', tree.township);
  await buildContact(township, 'township_cadre', tree.township);
  const failed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: village.user.username, password: 'not-the-password-1A!' },
  });
  expect(failed.statusCode).toBe(401);
  await t.db
    .insertInto('mfa_recovery_codes')
    .values({ user_id: village.user.id, code_hash: 'f'.repeat(64), used_at: null })
    .execute();
  const p = t.app.platform;
  await p.audit.seal(p.db);
  await p.anchor.checkpoint(p.db, p.audit);
  before = await archives(village);
  backupBefore = (await createBackup(await backupDeps(p.crypto), 'cli')).file;
}, 120_000);

afterAll(async () => {
  await t?.close();
  for (const d of targets) await d.drop().catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`rekey (${TEST_DIALECT})`, () => {
  it('refuses a wrong current key, the same key, no fresh backup and a serving instance, touching nothing', async () => {
    const was = await snapshot();
    expect((await refusal(rekey(deps({ from: providerOf('ff'.repeat(32)) })))).check).toBe('wrong_key');
    expect((await refusal(rekey(deps({ to: keys(TEST_MASTER_KEY) })))).check).toBe('same_key');
    const stale = await refusal(rekey(deps({ withoutBackup: false, backupDir: path.join(dir, 'none') })));
    expect(stale.check).toBe('backup');
    const release = await holdServingLock(t.config.databaseUrl);
    try {
      const busy = await refusal(rekey(deps()));
      expect(busy.check).toBe('instances_running');
      expect(busy.message).toMatch(/stop every instance/);
    } finally {
      await release();
    }
    expect(await snapshot()).toEqual(was);
  });

  it('a failure inside the transaction, mid-way or just before the commit, leaves the old key whole', async () => {
    const was = await snapshot();
    await expect(rekey(deps({ failAfterValues: 3 }))).rejects.toBeInstanceOf(RekeyInjectedFailure);
    expect(await snapshot()).toEqual(was);
    // Everything re-sealed, the key versions and the rotation's audit row written — and still rolled back.
    await expect(rekey(deps({ failAfterValues: 1e9 }))).rejects.toThrow(/before the commit/);
    expect(await snapshot()).toEqual(was);
    // The old key still starts the app and opens every value.
    const app = await appWith(providerOf(TEST_MASTER_KEY));
    const s = new Session(app, village.cookie, village.csrfToken, village.user);
    const r = await s.post(`/api/v1/families/${inputs[1].id}/reveal`, {
      field: 'members.0.idNumber',
      reason: '办理特别扶助金，核对身份证号',
    });
    expect(r.json().data.value).toBe(inputs[1].idNumber);
    await app.close();
  });

  it('rotates in one commit: only the new key starts the app, archives and searches are the same', async () => {
    const auditBefore = await t.db.selectFrom('audit_events').select('chain_seq').execute();
    rotated = await rekey(deps({ withoutBackup: false }));
    expect(rotated).toMatchObject({ fromVersion: 1, toVersion: 2, regionKeys: 1, retiredVersions: 1 });
    expect(rotated.resealed['family_members.id_number_enc']).toBe(5);
    expect(rotated.resealed['channels.admins']).toBe(1);
    expect(rotated.resealed['channels.robot_key_enc']).toBe(1);
    expect(rotated.auditPosition).toBe(auditBefore.length + 1);

    // The old key, and a stranger's, are refused at start with a message saying what to do.
    await expect(appWith(providerOf(TEST_MASTER_KEY))).rejects.toThrow(
      /主密钥已轮换.*retired master key \(key version 1/,
    );
    await expect(appWith(providerOf(THIRD_KEY))).rejects.toThrow(/主密钥不符/);

    const app = await appWith(providerOf(NEW_KEY));
    expect(app.platform.crypto.keyVersion).toBe(2);
    // Sessions are kept (their ids are stored as unkeyed SM3 digests): the same user reads on.
    const s = new Session(app, village.cookie, village.csrfToken, village.user);
    expect(await archives(s)).toEqual(before);
    for (const f of inputs) {
      const reveal = await s.post(`/api/v1/families/${f.id}/reveal`, {
        field: 'members.0.idNumber',
        reason: '办理特别扶助金，核对身份证号',
      });
      expect(reveal.json().data.value).toBe(f.idNumber);
      const byId = (await s.post('/api/v1/families/search', { q: f.idNumber })).json();
      expect(byId.data.map((x: { id: string }) => x.id)).toEqual([f.id]);
      const byPhone = (await s.post('/api/v1/families/search', { q: f.phone })).json();
      expect(byPhone.data.map((x: { id: string }) => x.id)).toContain(f.id);
      const byTail = (await s.post('/api/v1/families/search', { q: f.idNumber.slice(-6) })).json();
      expect(byTail.data.map((x: { id: string }) => x.id)).toContain(f.id);
    }
    // Every value now names the new key id; the other sealed places moved too.
    const members = await t.db.selectFrom('family_members').select(['id_number_enc', 'phone_enc']).execute();
    for (const m of members) expect(tokenKeyId(m.id_number_enc)).toBe(rotated.toKeyId);
    const crypto = app.platform.crypto;
    const ch = await t.db
      .selectFrom('channels')
      .select(['robot_key_enc', 'admins'])
      .where('id', '=', channelId)
      .executeTakeFirstOrThrow();
    expect(crypto.decrypt(ch.robot_key_enc!, `channels.robot_key:${channelId}`)).toBe(ROBOT_KEY);
    const admin = (JSON.parse(ch.admins) as Array<{ phoneEnc: string }>)[0];
    expect(crypto.decrypt(admin.phoneEnc, `channels.admins:${channelId}:0`)).toBe('13912345678');
    const contacts = await t.db.selectFrom('contacts').select(['phone_enc']).execute();
    expect(contacts.length).toBeGreaterThan(0);
    for (const c of contacts) expect(tokenKeyId(c.phone_enc)).toBe(rotated.toKeyId);
    const throttle = await t.db
      .selectFrom('login_throttle')
      .select(['key', 'user_key'])
      .where('user_key', 'is not', null)
      .execute();
    const userKey = crypto.blindIndex('login_username', village.user.username.toLowerCase());
    expect(throttle.length).toBeGreaterThan(0);
    for (const r of throttle) {
      expect(r.user_key).toBe(userKey);
      expect(r.key.endsWith(userKey)).toBe(true);
    }
    expect(rotated.recoveryCodesCleared).toBe(1);
    expect(await t.db.selectFrom('mfa_recovery_codes').selectAll().execute()).toEqual([]);
    // The ID-number claim moved with the index: a second archive of the same parent is still refused.
    const first = (await s.get(`/api/v1/families/${inputs[0].id}`)).json().data;
    const dup = await s.post(
      '/api/v1/families',
      familyInput(village.user.regionCode, {
        members: [{ relation: 'mother', name: '张秀英', idNumber: inputs[0].idNumber, phone: inputs[0].phone }],
      }),
    );
    expect(first.id).toBe(inputs[0].id);
    expect(dup.statusCode).toBe(409);
    await app.close();
  });

  it('keeps the audit log append-only: rows verify first to last under their own key versions, the anchor too', async () => {
    const app = await appWith(providerOf(NEW_KEY));
    const p = app.platform;
    await p.audit.seal(p.db);
    const rows = await t.db.selectFrom('audit_events').selectAll().orderBy('chain_seq').execute();
    const rotation = rows.find((r) => r.action === 'key_rotation')!;
    expect(rotation.chain_seq).toBe(rotated.auditPosition);
    expect(rotation.key_version).toBe(2);
    expect(rows.filter((r) => r.chain_seq! < rotation.chain_seq!).every((r) => r.key_version === 1)).toBe(true);
    // No key material in the row: key ids and counts.
    expect(JSON.parse(rotation.changes!).facts).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      fromKeyId: rotated.fromKeyId,
    });
    expect(rotation.changes).not.toMatch(/[0-9a-f]{64}/);
    // New rows after the rotation are under version 2.
    const s = new Session(app, village.cookie, village.csrfToken, village.user);
    expect((await s.get(`/api/v1/families/${inputs[2].id}`)).statusCode).toBe(200);
    await s.post(`/api/v1/families/${inputs[2].id}/reveal`, {
      field: 'members.0.phone',
      reason: '电话回访，核对联系电话',
    });
    const v = await verifyAudit(p.db, p.audit, p.anchor);
    expect(v).toMatchObject({ ok: true, brokenAt: null, anchor: 'matches' });
    const total = await t.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(v.checked).toBe(Number(total.n));
    // The anchor file: version-1 lines before, a version-2 checkpoint written by the rotation.
    const lines = fs
      .readFileSync(t.config.auditAnchorFile!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ v: 2, kv: 2, count: rotated.auditPosition });
    expect(lines[0]).toMatchObject({ v: 1 });
    expect(new AuditAnchor(t.config.auditAnchorFile, p.crypto, t.clock).isValid(lines[0])).toBe(true);
    // The in-app check, as the auditor calls it.
    const auditor = await t.signIn('auditor', village.user.regionCode.slice(0, 2) + '0000000000');
    const inApp = await new Session(app, auditor.cookie, auditor.csrfToken, auditor.user).get(
      '/api/v1/audit-events/verify',
    );
    expect(inApp.json().data).toMatchObject({ ok: true, brokenAt: null });
    // A digest inside an old row checks under the retired version's index key, not under the new one.
    const update = rows.find((r) => r.action === 'family.update')!;
    const address = (JSON.parse(update.changes!).fields as Array<{ path: string; after: { digest: string } }>).find(
      (f) => f.path === 'address',
    )!;
    expect(auditDigestAt(p.crypto, '新华路 1 号', 1)).toBe(address.after.digest);
    expect(auditDigestAt(p.crypto, '新华路 1 号', 2)).not.toBe(address.after.digest);
    // Under the old key alone the chain fails at the rotation row; the rows before it still hold.
    const old = new AuditLog(providerOf(TEST_MASTER_KEY), p.dialect, t.clock);
    expect((await old.verify(p.db)).brokenAt).toBe(rotated.auditPosition);
    await app.close();
  });

  it('a backup from before restores with the old key only; one from after with the new key only', async () => {
    const refused = await restoreBackup(providerOf(NEW_KEY), t.clock, backupBefore, await emptyTarget()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(BackupCheckError);
    expect((refused as BackupCheckError).check).toBe('key');
    const oldUrl = await emptyTarget();
    const old = await restoreBackup(providerOf(TEST_MASTER_KEY), t.clock, backupBefore, oldUrl);
    expect(old.passed).toEqual(expect.arrayContaining(['audit_chain', 'audit_anchor']));

    const current = await withDatabaseKeyVersions(t.db, providerOf(NEW_KEY));
    const after = await createBackup(await backupDeps(current), 'cli');
    expect(after.manifest.keyVersion).toBe(2);
    expect(after.manifest.auditAnchor).toMatchObject({ v: 2, kv: 2 });
    const versioned = await restoreBackup(current, t.clock, after.file, await emptyTarget());
    expect(versioned.passed).toContain('audit_anchor');
    // The restored chain verifies across the rotation with the retired key kept (sealed) in the restored database.
    expect(versioned.auditChecked).toBeGreaterThan(rotated.auditPosition);
    const e = await restoreBackup(providerOf(TEST_MASTER_KEY), t.clock, after.file, await emptyTarget()).then(
      () => null,
      (x: unknown) => x,
    );
    expect((e as BackupCheckError).check).toBe('key');
  });

  it('rotates again: version 1 is re-sealed under the third key, the chain still verifies end to end', async () => {
    const from = await withDatabaseKeyVersions(t.db, providerOf(NEW_KEY));
    expect((await refusal(rekey(deps({ from, to: keys(TEST_MASTER_KEY) })))).message).toMatch(/used before/);
    const r = await rekey(deps({ from, to: keys(THIRD_KEY) }));
    expect(r).toMatchObject({ fromVersion: 2, toVersion: 3, retiredVersions: 2 });
    const versions = await t.db.selectFrom('key_versions').selectAll().orderBy('version').execute();
    expect(versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'retired'],
      [2, 'retired'],
      [3, 'current'],
    ]);
    expect(versions[2].sealed_keys).toBeNull();
    const app = await appWith(providerOf(THIRD_KEY));
    const p = app.platform;
    expect(await verifyAudit(p.db, p.audit, p.anchor)).toMatchObject({ ok: true, anchor: 'matches' });
    await expect(appWith(providerOf(NEW_KEY))).rejects.toThrow(/key version 2/);
    await app.close();
  });
});

describe(`npm run rekey, killed (${TEST_DIALECT})`, () => {
  it('killed inside its transaction leaves the old key working; run again it completes', async () => {
    const url = t.config.databaseUrl;
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: url,
      GUANHUAI_MASTER_KEY: THIRD_KEY,
      GUANHUAI_NEW_MASTER_KEY: NEW_KEY.replace(/^a1/, 'b2'),
      AUDIT_ANCHOR_FILE: t.config.auditAnchorFile!,
      BACKUP_DIR: path.join(dir, 'backups'),
    };
    const run = (extra: Record<string, string>) =>
      spawn(process.execPath, ['--import', 'tsx', 'server/cli/rekey.ts', '--without-backup'], {
        env: { ...env, ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const child = run({ GUANHUAI_REKEY_TEST_PAUSE_AFTER: '3' });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('PAUSED')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before pausing: ${output}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Nothing of the rotation is left: the third key still starts the app and opens the values.
    expect((await t.db.selectFrom('key_versions').select('version').execute()).length).toBe(3);
    const app = await appWith(providerOf(THIRD_KEY));
    const s = new Session(app, village.cookie, village.csrfToken, village.user);
    const r = await s.post(`/api/v1/families/${inputs[3].id}/reveal`, {
      field: 'members.0.idNumber',
      reason: '办理特别扶助金，核对身份证号',
    });
    expect(r.json().data.value).toBe(inputs[3].idNumber);
    await app.close();

    const again = run({});
    let text = '';
    again.stdout.on('data', (d: Buffer) => (text += d.toString()));
    again.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise((r) => again.once('exit', r));
    expect(text.trim().split('\n').at(-1)).toMatch(/^OK key version 3 → 4/);
    expect(code).toBe(0);
    const next = await appWith(providerOf(NEW_KEY.replace(/^a1/, 'b2')));
    const p = next.platform;
    expect(await verifyAudit(p.db, p.audit, p.anchor)).toMatchObject({ ok: true });
    await next.close();
  }, 60_000);
});

describe(`npm run rekey beside the real server process (${TEST_DIALECT})`, () => {
  it('is refused while the server serves; the server started with a retired key exits with the reason', async () => {
    const current = NEW_KEY.replace(/^a1/, 'b2');
    const port = 39_000 + Math.floor(Math.random() * 1_000);
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      GUANHUAI_DEMO: 'false',
      SERVE_WEB: 'false',
      PORT: String(port),
      DATA_DIR: dir,
      DATABASE_URL: t.config.databaseUrl,
      AUDIT_ANCHOR_FILE: t.config.auditAnchorFile!,
      BACKUP_DIR: path.join(dir, 'backups'),
    };
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...env, GUANHUAI_MASTER_KEY: current },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    server.stdout.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr.on('data', (d: Buffer) => (log += d.toString()));
    try {
      for (let i = 0; ; i++) {
        const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (i > 150 || server.exitCode !== null) throw new Error(`server did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/rekey.ts', '--without-backup'], {
        env: { ...env, GUANHUAI_MASTER_KEY: current, GUANHUAI_NEW_MASTER_KEY: THIRD_KEY.replace(/^5f/, '6e') },
        encoding: 'utf8',
      });
      expect(cli.status).toBe(1);
      expect(cli.stdout.trim().split('\n').at(-1)).toMatch(/^FAILED instances_running: .*stop every instance first/);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    }
    // Started with the key version 3 retired, the process exits 1 before it serves, saying what to do.
    const stale = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...env, GUANHUAI_MASTER_KEY: THIRD_KEY },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(stale.status).toBe(1);
    expect(stale.stderr + stale.stdout).toMatch(/主密钥已轮换 .*key version 3.*start with the current key \(version 4/);
  }, 90_000);
});
