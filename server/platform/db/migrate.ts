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
  };
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Unordered: capabilities land in parallel, so a later-numbered migration may already be applied.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
