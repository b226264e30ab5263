import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './database.js';
import * as foundation from './migrations/0001-foundation.js';
import * as families from './migrations/0002-families.js';
import * as contacts from './migrations/0003-contacts.js';
import * as familyImports from './migrations/0004-family-imports.js';
import * as responses from './migrations/0005-responses.js';
import * as auditSealing from './migrations/0006-audit-sealing.js';
import * as accountSecurity from './migrations/0009-account-security.js';
import * as people from './migrations/0013-people.js';
import * as duplicateArchives from './migrations/0007-duplicate-archives.js';
import * as regionKeys from './migrations/0012-region-keys.js';
import * as statReturns from './migrations/0011-stat-returns.js';
import * as passwordHistoryAndReveals from './migrations/0008-password-history-and-reveals.js';
import * as channels from './migrations/0014-channels.js';
import * as auditScopeAnchor from './migrations/0010-audit-scope-anchor.js';
import * as idempotencyKeys from './migrations/0020-idempotency-keys.js';
import * as revealRequests from './migrations/0015-reveal-requests.js';
import * as sampleSurveys from './migrations/0018-sample-surveys.js';
import * as nameSearch from './migrations/0019-name-search.js';
import * as supervisionOrders from './migrations/0019-supervision-orders.js';
import * as backups from './migrations/0021-backups.js';
import * as accountContact from './migrations/0017-account-contact.js';
import * as supervisionCases from './migrations/0023-supervision-cases.js';
import * as returnsIndexes from './migrations/0025-returns-indexes.js';
import * as pgPlans from './migrations/0027-pg-plans.js';
import * as assessments from './migrations/0026-assessments.js';
import * as keyVersions from './migrations/0029-key-versions.js';
import * as returnFigures from './migrations/0030-return-figures.js';
import * as rollupStatistics from './migrations/0031-rollup-statistics.js';
import * as countyMonths from './migrations/0032-county-months.js';

/** Migrations in order. Each gets the dialect for the rare piece that differs. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-foundation': {
      up: async (db) => {
        await foundation.up(db);
        await foundation.appendOnlyAudit(db, dialect);
      },
    },
    '0002-families': { up: (db) => families.up(db, dialect) },
    '0003-contacts': { up: (db) => contacts.up(db, dialect) },
    '0004-family-imports': { up: (db) => familyImports.up(db) },
    '0005-responses': { up: (db) => responses.up(db) },
    '0006-audit-sealing': { up: (db) => auditSealing.up(db, dialect) },
    '0009-account-security': { up: (db) => accountSecurity.up(db) },
    '0013-people': { up: (db) => people.up(db) },
    '0007-duplicate-archives': { up: (db) => duplicateArchives.up(db) },
    '0012-region-keys': { up: (db) => regionKeys.up(db) },
    '0011-stat-returns': { up: (db) => statReturns.up(db) },
    '0008-password-history-and-reveals': { up: (db) => passwordHistoryAndReveals.up(db) },
    '0014-channels': { up: (db) => channels.up(db, dialect) },
    '0010-audit-scope-anchor': { up: (db) => auditScopeAnchor.up(db, dialect) },
    '0020-idempotency-keys': { up: (db) => idempotencyKeys.up(db) },
    '0015-reveal-requests': { up: (db) => revealRequests.up(db) },
    '0018-sample-surveys': { up: (db) => sampleSurveys.up(db) },
    '0019-name-search': { up: (db) => nameSearch.up(db) },
    '0019-supervision-orders': { up: (db) => supervisionOrders.up(db) },
    '0021-backups': { up: (db) => backups.up(db) },
    '0017-account-contact': { up: (db) => accountContact.up(db) },
    '0023-supervision-cases': { up: (db) => supervisionCases.up(db) },
    '0025-returns-indexes': { up: (db) => returnsIndexes.up(db) },
    '0027-pg-plans': { up: (db) => pgPlans.up(db) },
    '0026-assessments': { up: (db) => assessments.up(db) },
    '0029-key-versions': { up: (db) => keyVersions.up(db, dialect) },
    '0030-return-figures': { up: (db) => returnFigures.up(db) },
    '0031-rollup-statistics': { up: (db) => rollupStatistics.up(db, dialect) },
    '0032-county-months': { up: (db) => countyMonths.up(db, dialect) },
  };
}

/** Every migration this build knows: a backup that names another one is of a newer schema. */
export function knownMigrations(dialect: Dialect): string[] {
  return Object.keys(migrations(dialect)).sort();
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Unordered: capabilities land in parallel, so a later-numbered migration may already be applied.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
