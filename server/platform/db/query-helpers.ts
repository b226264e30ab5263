import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { RegionRange } from '../scope.js';

/** A code column: `region_code`, `f.region_code`, `sf.county_code`, `r.code`… */
export type CodeColumn = `${string}code`;

/**
 * `column` lies in the region subtree `range` (a closed range of 12-digit codes, indexable by a plain btree):
 * the one spelling of the scope filter. `.where(inRange('f.region_code', range))` compiles to exactly the
 * `>= from and <= to` pair it replaces, so plans and SQL snapshots do not move.
 */
export function inRange(column: CodeColumn, range: RegionRange): RawBuilder<SqlBool> {
  const ref = sql.ref(column);
  return sql<SqlBool>`${ref} >= ${range.from} and ${ref} <= ${range.to}`;
}

/**
 * The unit a code lies in, as its first `digits` digits: the key of a figure grouped by unit (the
 * assessment's one pass over every county). `digits` is inlined so PostgreSQL matches it in GROUP BY.
 */
export function unitPrefix(column: CodeColumn, digits: number): RawBuilder<string> {
  return sql<string>`substr(${sql.ref(column)}, 1, ${sql.lit(digits)})`;
}

/** One page of a list: 1-based page number and its size. */
export interface Page {
  page: number;
  pageSize: number;
}

/** What paging needs of a select builder. */
interface Pageable {
  limit(limit: number): { offset(offset: number): unknown };
}

/** `.$call(paginate(page))`: the page's rows of an ordered list (offset paging, as every list pages today). */
export function paginate(page: Page) {
  return <QB extends Pageable>(qb: QB): QB => qb.limit(page.pageSize).offset((page.page - 1) * page.pageSize) as QB;
}
