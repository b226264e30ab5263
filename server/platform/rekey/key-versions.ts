import type { CryptoProvider } from '../crypto/crypto-provider.js';
import type { Executor } from '../db/database.js';
import type { KeyVersionTable } from '../db/schema.js';

/**
 * The master key given against the database's key versions (migration 0029, written by `npm run rekey`). Every
 * process that writes or verifies audit rows takes its provider from here — the server (buildApp, under the
 * startup lock), `npm run backup`/`restore`/`audit:verify`, `admin:create` — so new rows carry the current version
 * and old ones verify under the retired keys.
 */

/** The key given is not this database's current master key. The message says which it is and what to do. */
export class KeyVersionError extends Error {
  override readonly name = 'KeyVersionError';
  constructor(
    readonly reason: 'retired_key' | 'unknown_key' | 'sealed_keys',
    message: string,
  ) {
    super(message);
  }
}

/** The rows of key_versions, oldest first; none before the first rotation or before migration 0029. */
export async function readKeyVersions(db: Executor): Promise<KeyVersionTable[]> {
  try {
    return await db.selectFrom('key_versions').selectAll().orderBy('version').execute();
  } catch (e) {
    // The table comes with migration 0029: a database not migrated yet is at version 1.
    if (/key_versions/.test(e instanceof Error ? e.message : '')) return [];
    throw e;
  }
}

/**
 * `crypto` (made from GUANHUAI_MASTER_KEY) at this database's current key version, holding the retired versions'
 * audit, anchor and index keys. Throws KeyVersionError when the key is a retired one or not this database's.
 */
export async function withDatabaseKeyVersions(db: Executor, crypto: CryptoProvider): Promise<CryptoProvider> {
  const rows = await readKeyVersions(db);
  if (rows.length === 0) return crypto;
  const current = rows.find((r) => r.state === 'current');
  if (current && current.key_id === crypto.keyId) {
    const retired = rows
      .filter((r) => r.state === 'retired')
      .map((r) => ({ version: r.version, keyId: r.key_id, sealed: r.sealed_keys ?? '' }));
    try {
      return crypto.withKeyVersions(current.version, retired);
    } catch {
      throw new KeyVersionError(
        'sealed_keys',
        `密钥版本记录无法打开 the retired key versions in key_versions do not open under GUANHUAI_MASTER_KEY (key version ${current.version}): the table was changed, or restored from another deployment`,
      );
    }
  }
  const retired = rows.find((r) => r.key_id === crypto.keyId);
  const now = current ? `version ${current.version}, key id ${current.key_id}` : 'unknown';
  if (retired)
    throw new KeyVersionError(
      'retired_key',
      `主密钥已轮换 GUANHUAI_MASTER_KEY is a retired master key (key version ${retired.version}, retired ${retired.retired_at ?? '?'} by npm run rekey): ` +
        `start with the current key (${now}). The retired key only opens backups made before that rotation.`,
    );
  throw new KeyVersionError(
    'unknown_key',
    `主密钥不符 GUANHUAI_MASTER_KEY is not this database's master key (its key id is ${crypto.keyId}; the database is on ${now})`,
  );
}
