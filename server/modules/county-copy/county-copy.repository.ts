import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RegionRange } from '../../platform/scope.js';

/**
 * What the county's electronic copy holds: its archives and work records, each table with how its rows belong
 * to the county. Left out on purpose: accounts, sessions and keys (users, region_keys, …), the audit log (the
 * auditor's), derived search indexes, and the R16 sample lists (no county may know in advance which of its
 * families the province samples).
 */
type Via = { region: true } | { family: true } | { fk: string; parent: string };

export const COUNTY_COPY_TABLES: ReadonlyArray<{ table: string; via: Via }> = [
  { table: 'families', via: { region: true } },
  { table: 'family_members', via: { family: true } },
  { table: 'family_children', via: { family: true } },
  { table: 'family_assistance', via: { family: true } },
  { table: 'family_history', via: { family: true } },
  { table: 'family_medical_services', via: { region: true } },
  { table: 'family_imports', via: { region: true } },
  { table: 'assistance_rates', via: { region: true } },
  { table: 'contacts', via: { region: true } },
  { table: 'assignments', via: { family: true } },
  { table: 'contact_logs', via: { family: true } },
  { table: 'contact_log_revisions', via: { fk: 'log_id', parent: 'contact_logs' } },
  { table: 'major_events', via: { region: true } },
  { table: 'event_escalations', via: { fk: 'event_id', parent: 'major_events' } },
  { table: 'festival_care', via: { region: true } },
  { table: 'needs', via: { region: true } },
  { table: 'petition_risks', via: { region: true } },
  { table: 'petition_events', via: { region: true } },
  { table: 'petition_handlings', via: { fk: 'risk_id', parent: 'petition_risks' } },
  { table: 'liaisons', via: { region: true } },
  { table: 'liaison_reports', via: { region: true } },
  { table: 'liaison_subsidies', via: { region: true } },
  { table: 'partner_organizations', via: { region: true } },
  { table: 'pairings', via: { region: true } },
  { table: 'pairing_activities', via: { family: true } },
  { table: 'trainings', via: { region: true } },
  { table: 'training_attendance', via: { fk: 'training_id', parent: 'trainings' } },
  { table: 'stat_returns', via: { region: true } },
  { table: 'stat_return_events', via: { fk: 'return_id', parent: 'stat_returns' } },
  { table: 'channels', via: { region: true } },
  { table: 'notices', via: { region: true } },
  { table: 'notice_steps', via: { fk: 'notice_id', parent: 'notices' } },
  { table: 'survey_discrepancies', via: { region: true } },
];

function predicate(via: Via, range: RegionRange): RawBuilder<unknown> {
  if ('region' in via) return sql`region_code between ${range.from} and ${range.to}`;
  if ('family' in via)
    return sql`family_id in (select id from families where region_code between ${range.from} and ${range.to})`;
  const parent = COUNTY_COPY_TABLES.find((t) => t.table === via.parent)!;
  return sql`${sql.ref(via.fk)} in (select id from ${sql.table(via.parent)} where ${predicate(parent.via, range)})`;
}

/** The table's rows that belong to the county's subtree, read in one statement. */
export async function countyRows(
  db: Executor,
  table: string,
  range: RegionRange,
): Promise<Array<Record<string, unknown>>> {
  const spec = COUNTY_COPY_TABLES.find((t) => t.table === table);
  if (!spec) throw new Error(`not a county-copy table: ${table}`);
  const { rows } = await sql<
    Record<string, unknown>
  >`select * from ${sql.table(table)} where ${predicate(spec.via, range)}`.execute(db);
  return rows;
}

export function findRegion(db: Executor, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}
