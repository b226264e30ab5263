import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Plans at 1M families (issue 19 item 0), PostgreSQL: the roll-ups group `family_months` by
 * `substr(region_code, 1, <digits>)` (compliance.repository `rollup`, `trend`), an expression PostgreSQL keeps no
 * statistics on, so it guessed 118,283 groups for the 11 provinces of the national roll-up at 1M families, chose
 * to sort a million index entries (spilling 8 MB to disk in each worker) and took 602 ms. With expression
 * statistics for each level's prefix it knows the groups are few and aggregates in a hash as it scans: 198 ms
 * (EXPLAIN ANALYZE in bench/results/plans/national-1m, before and after). Statistics only: no index, nothing for
 * a write to keep; ANALYZE (autovacuum's or this migration's) fills them. SQLite plans these by index order
 * already and has no such statistics.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const digits of [2, 4, 6, 9]) {
    await sql`create statistics if not exists ${sql.raw(`family_months_prefix${digits}_stats`)}
      on (substr(region_code, 1, ${sql.lit(digits)})) from family_months`.execute(db);
  }
  await sql`analyze family_months`.execute(db);
}
