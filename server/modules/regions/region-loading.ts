import type { Db } from '../../platform/db/database.js';
import { readRegionFile } from '../../platform/regions/region-data.js';
import { countRegions, insertRegions } from './regions.repository.js';

/**
 * The start's region loader: on a new database (or one without regions) the trees of `provinces` are inserted,
 * rows already there skipped. Returns how many rows it inserted.
 */
export function regionTreeLoader(provinces: string[]) {
  return async (db: Db, { isNewDatabase }: { isNewDatabase: boolean }): Promise<number> => {
    let loaded = 0;
    if (isNewDatabase || (await countRegions(db)) === 0) {
      for (const province of provinces) loaded += await insertRegions(db, readRegionFile(province));
    }
    return loaded;
  };
}
