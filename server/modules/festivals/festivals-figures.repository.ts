import type { Executor } from '../../platform/db/database.js';

/** The campaigns of one festival whose date falls in the period (read only: none yet means no care). */
export function campaignsBetween(db: Executor, festival: string, from: string, to: string) {
  return db
    .selectFrom('festival_campaigns')
    .select(['id', 'year'])
    .where('festival', '=', festival)
    .where('festival_date', '>=', from)
    .where('festival_date', '<=', to)
    .execute();
}
