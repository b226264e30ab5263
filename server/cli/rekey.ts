// `npm run rekey`: rotates GUANHUAI_MASTER_KEY (platform/rekey, docs/operations.md "Key rotation"). Reads the
// server's configuration (DATABASE_URL, DATA_DIR, AUDIT_ANCHOR_FILE, BACKUP_DIR; the current key from
// GUANHUAI_MASTER_KEY or, outside production, the demo key file) and the new key from GUANHUAI_NEW_MASTER_KEY or
// GUANHUAI_NEW_MASTER_KEY_FILE (a key file {"version":1,"masterKeyHex":"…"}) — from the environment or a file, like
// every other secret here, never an argument, never printed. Stop every instance first. The last line starts `OK`
// on success; otherwise `FAILED <check>: …` and exit 1, and nothing was changed.
//   --without-backup   skip the "fresh backup under the current key" check (warns)
import fs from 'node:fs';
import { systemClock } from '../platform/clock.js';
import { loadConfig } from '../platform/config.js';
import { createSoftwareCryptoProvider } from '../platform/crypto/software-provider.js';
import { withStartupLock } from '../platform/db/startup-lock.js';
import { loadKeySet, type KeySet } from '../platform/crypto/keys.js';
import { openDatabase } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { withDatabaseKeyVersions } from '../platform/rekey/key-versions.js';
import { rekey, RekeyRefusal } from '../platform/rekey/rekey.js';
import type { Kysely } from 'kysely';

const out = (line: string) => void process.stdout.write(`${line}\n`);
const fail = (check: string, message: string): never => {
  out(`FAILED ${check}: ${message}`);
  process.exit(1);
};
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Tests only (NODE_ENV=test): stop inside the transaction after N values, for the test that kills the process. */
function testPause() {
  const n = Number(process.env.GUANHUAI_REKEY_TEST_PAUSE_AFTER);
  if (process.env.NODE_ENV !== 'test' || !Number.isInteger(n) || n < 1) return {};
  return {
    pauseAfterValues: {
      values: n,
      pause: () => {
        out('PAUSED');
        // Held open (a timer keeps the process alive) until the test kills it.
        return new Promise<void>(() => setInterval(() => undefined, 1_000));
      },
    },
  };
}

const config = loadConfig();
const fromKeyFile = !config.masterKeyHex;
let next: KeySet;
let nextHex: string | undefined;
try {
  const hex = process.env.GUANHUAI_NEW_MASTER_KEY?.trim();
  const file = process.env.GUANHUAI_NEW_MASTER_KEY_FILE?.trim();
  if (!hex && !file)
    throw new Error(
      'set GUANHUAI_NEW_MASTER_KEY to the new key (64 hex characters: `openssl rand -hex 32`) or GUANHUAI_NEW_MASTER_KEY_FILE to a key file',
    );
  next = loadKeySet(hex ? { masterKeyHex: hex, allowGenerate: false } : { keyFile: file, allowGenerate: false });
  nextHex = hex ?? (JSON.parse(fs.readFileSync(file!, 'utf8')) as { masterKeyHex: string }).masterKeyHex;
} catch (e) {
  fail('new_key', message(e));
}

const database = openDatabase(config.databaseUrl);
try {
  let from;
  try {
    // The key in use, checked against the database's key versions (a retired or foreign key is refused here).
    if (config.isProduction && !config.masterKeyHex)
      throw new Error('GUANHUAI_MASTER_KEY is required with NODE_ENV=production (a key file is not used there)');
    const current = loadKeySet({
      masterKeyHex: config.masterKeyHex,
      keyFile: config.isProduction ? undefined : config.keyFile,
      allowGenerate: false,
    });
    await withStartupLock(config.databaseUrl, () =>
      migrateToLatest(database.db as unknown as Kysely<unknown>, database.dialect),
    );
    from = await withDatabaseKeyVersions(database.db, createSoftwareCryptoProvider(current));
  } catch (e) {
    fail('current_key', message(e));
  }
  const withoutBackup = process.argv.includes('--without-backup');
  if (withoutBackup)
    console.error(
      '警告 warning: --without-backup: no fresh backup was checked. Backups made before this rotation open only with the current key: keep it offline until they expire.',
    );
  const r = await rekey({
    db: database.db,
    dialect: database.dialect,
    databaseUrl: config.databaseUrl,
    clock: systemClock,
    from: from!,
    to: next!,
    anchorFile: config.auditAnchorFile,
    backupDir: config.backup.dir,
    withoutBackup,
    progress: out,
    ...testPause(),
  });
  if (fromKeyFile) {
    // Outside production the key file held the current key: it now holds the new one, and the old one is kept
    // beside it (mode 0600) for the backups made before — move it offline.
    const aside = `${config.keyFile}.v${r.fromVersion}.retired`;
    fs.copyFileSync(config.keyFile, aside);
    fs.chmodSync(aside, 0o600);
    const tmp = `${config.keyFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ version: 1, masterKeyHex: nextHex }, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, config.keyFile);
    out(`key file ${config.keyFile} now holds the new key; the old one is in ${aside} (backups made before need it)`);
  }
  out(
    `OK key version ${r.fromVersion} → ${r.toVersion} (${r.fromKeyId} → ${r.toKeyId}): ${r.sealedValues} sealed values, ` +
      `${r.regionKeys} region keys, ${r.retiredVersions} retired key version(s) kept sealed, ${r.recoveryCodesCleared} MFA recovery codes cleared, ` +
      `audit row ${r.auditPosition}, ${r.durationMs} ms. Start every instance with GUANHUAI_MASTER_KEY set to the new key, then run npm run backup.`,
  );
} catch (e) {
  if (e instanceof RekeyRefusal) fail(e.check, message(e));
  fail('rekey', `${message(e)} — the transaction was rolled back: the database is as it was, under the current key`);
} finally {
  await database.close();
}
