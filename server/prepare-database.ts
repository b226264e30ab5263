import { regionTreeLoader } from './modules/regions/region-loading.js';
import { openPreparedDatabase, type Prepared } from './platform/bootstrap.js';

/**
 * Opens the database, applies pending migrations and loads the region tree(s) of `provinces` it does not have
 * yet, then runs `firstStart` (demo seeding) — all under the startup lock. The platform does the opening and the
 * lock; the regions module knows how to load its trees (the floor does not import the house).
 */
export function prepareDatabase<T = undefined>(
  url: string,
  provinces: string[] = ['42'],
  firstStart?: (prepared: Omit<Prepared, 'crypto'>) => Promise<T>,
): Promise<Omit<Prepared, 'crypto'> & { started: T }> {
  return openPreparedDatabase(url, regionTreeLoader(provinces), firstStart);
}
