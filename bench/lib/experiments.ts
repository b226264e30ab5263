import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DatabaseHandle } from '../../server/platform/db/database.js';
import type { Database } from '../../server/platform/db/schema.js';

/**
 * A proposed fix, measured without touching the product: the SQLite handle openDatabase makes (same
 * file, same pragmas), except that better-sqlite3 statements are prepared once per SQL text and reused
 * (a bounded LRU). Kysely's SQLite driver calls `prepare` on every execution, and preparing costs tens of
 * microseconds per statement — a contact-log POST runs about a dozen.
 */
export function statementCachingHandle(url: string, capacity = 500): DatabaseHandle {
  const sqlite = new SqliteDatabase(url.replace(/^sqlite:/, ''), { fileMustExist: true });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  const cached = (source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(source);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  };
  Object.assign(sqlite, { prepare: cached });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    close: async () => {
      await db.destroy();
    },
  };
}
