import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { createSoftwareCryptoProvider } from './crypto/software-provider.js';
import { loadKeySet } from './crypto/keys.js';
import type { CryptoProvider } from './crypto/crypto-provider.js';
import { openDatabase, type DatabaseHandle, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { withStartupLock } from './db/startup-lock.js';

export interface Prepared {
  database: DatabaseHandle;
  crypto: CryptoProvider;
  /** True when this start created the schema: demo data is only ever loaded into a new database. */
  isNewDatabase: boolean;
  regionsLoaded: number;
}

/**
 * What a start loads after the migrations (the region trees, `modules/regions/region-loading.ts`): the floor runs it
 * under its lock but does not know what it loads, so that the platform imports no module.
 */
export type ReferenceLoader = (db: Db, info: { isNewDatabase: boolean }) => Promise<number>;

/** Keys come from GUANHUAI_MASTER_KEY; only demo mode may generate and keep a local key file. */
export function cryptoFromConfig(config: Config): CryptoProvider {
  if (!config.isDemo && !config.masterKeyHex)
    throw new Error('GUANHUAI_MASTER_KEY is required outside demo mode (64 hex characters, kept outside the database)');
  // Production takes the key from the environment only: a key file beside the data is read by whoever reads the data.
  if (config.isProduction && !config.masterKeyHex)
    throw new Error('GUANHUAI_MASTER_KEY is required with NODE_ENV=production (a key file is not used there)');
  return createSoftwareCryptoProvider(
    loadKeySet({
      masterKeyHex: config.masterKeyHex,
      keyFile: config.isProduction ? undefined : config.keyFile,
      allowGenerate: config.isDemo,
    }),
  );
}

/**
 * Opens the database, applies pending migrations and runs `loadReference` (the region tree(s) it does not have
 * yet) — all under the startup lock (`db/startup-lock.ts`), with `firstStart` (demo seeding) inside it too, so
 * instances started at once on a new database take turns instead of colliding. `server/prepare-database.ts`
 * passes the regions module's loader; call that one.
 */
export async function openPreparedDatabase<T = undefined>(
  url: string,
  loadReference: ReferenceLoader | undefined,
  firstStart?: (prepared: Omit<Prepared, 'crypto'>) => Promise<T>,
): Promise<Omit<Prepared, 'crypto'> & { started: T }> {
  const database = openDatabase(url);
  try {
    return await withStartupLock(url, async () => {
      const applied = await migrateToLatest(database.db as unknown as Kysely<unknown>, database.dialect);
      const isNewDatabase = applied.includes('0001-foundation');
      const regionsLoaded = loadReference ? await loadReference(database.db, { isNewDatabase }) : 0;
      const prepared = { database, isNewDatabase, regionsLoaded };
      const started = (firstStart ? await firstStart(prepared) : undefined) as T;
      return { ...prepared, started };
    });
  } catch (e) {
    await database.close().catch(() => undefined);
    throw e;
  }
}
