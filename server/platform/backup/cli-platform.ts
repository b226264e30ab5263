import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditLog } from '../audit/audit-log.js';
import { cryptoFromConfig } from '../bootstrap.js';
import { systemClock } from '../clock.js';
import { loadConfig, type Config } from '../config.js';
import type { CryptoProvider } from '../crypto/crypto-provider.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { KeyVersionError, withDatabaseKeyVersions } from '../rekey/key-versions.js';

/** What `npm run backup` and `npm run restore` share with the server: its configuration, keys and database. */
export interface CliPlatform {
  config: Config;
  crypto: CryptoProvider;
  database: DatabaseHandle;
  audit: AuditLog;
  appVersion: string;
}

/** The checkout the code runs from (the folder of guanhuai's package.json), from server/ or from dist/server/. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p) && (JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string }).name === 'guanhuai')
      return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function appVersion(): string {
  const p = path.join(repoRoot(), 'package.json');
  return fs.existsSync(p)
    ? ((JSON.parse(fs.readFileSync(p, 'utf8')) as { version?: string }).version ?? '0.0.0')
    : '0.0.0';
}

/**
 * `liveKey: false` (`restore --to`, which needs no live database): a key the live database has retired is
 * accepted too — that is how a backup made before a rotation is restored, with the old key.
 */
export async function openCliPlatform(opts: { liveKey?: boolean } = {}): Promise<CliPlatform> {
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl);
  const bare = cryptoFromConfig(config);
  let crypto: CryptoProvider;
  try {
    crypto = await withDatabaseKeyVersions(database.db, bare);
  } catch (e) {
    if (opts.liveKey === false && e instanceof KeyVersionError) crypto = bare;
    else {
      await database.close();
      throw e;
    }
  }
  return {
    config,
    crypto,
    database,
    audit: new AuditLog(crypto, database.dialect, systemClock),
    appVersion: appVersion(),
  };
}
