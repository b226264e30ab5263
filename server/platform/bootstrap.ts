import type { Kysely } from 'kysely';
import { insertRegions, countRegions } from '../modules/regions/regions.repository.js';
import type { Config } from './config.js';
import { createSoftwareCryptoProvider } from './crypto/software-provider.js';
import { loadKeySet } from './crypto/keys.js';
import type { CryptoProvider } from './crypto/crypto-provider.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { withStartupLock } from './db/startup-lock.js';
import { readRegionFile } from './regions/region-data.js';

export interface Prepared {
  database: DatabaseHandle;
  crypto: CryptoProvider;
  /** True when this start created the schema: demo data is only ever loaded into a new database. */
  isNewDatabase: boolean;
  regionsLoaded: number;
}

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
 * Opens the database, applies pending migrations and loads the region tree(s) it does not have yet — all under
 * the startup lock (`db/startup-lock.ts`), with `firstStart` (demo seeding) inside it too, so instances started
 * at once on a new database take turns instead of colliding.
 */
export async function prepareDatabase<T = undefined>(
  url: string,
  provinces: string[] = ['42'],
  firstStart?: (prepared: Omit<Prepared, 'crypto'>) => Promise<T>,
): Promise<Omit<Prepared, 'crypto'> & { started: T }> {
  const database = openDatabase(url);
  try {
    return await withStartupLock(url, async () => {
      const applied = await migrateToLatest(database.db as unknown as Kysely<unknown>, database.dialect);
      let regionsLoaded = 0;
      if (applied.includes('0001-foundation') || (await countRegions(database.db)) === 0) {
        for (const province of provinces) regionsLoaded += await insertRegions(database.db, readRegionFile(province));
      }
      const prepared = { database, isNewDatabase: applied.includes('0001-foundation'), regionsLoaded };
      const started = (firstStart ? await firstStart(prepared) : undefined) as T;
      return { ...prepared, started };
    });
  } catch (e) {
    await database.close().catch(() => undefined);
    throw e;
  }
}
