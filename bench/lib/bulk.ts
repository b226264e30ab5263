import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { dialectOf, type Dialect } from '../../server/platform/db/database.js';
import type { Database } from '../../server/platform/db/schema.js';

/**
 * Bulk loading through the raw drivers: better-sqlite3 prepared multi-row INSERTs inside big transactions,
 * PostgreSQL `INSERT … SELECT * FROM unnest($1::text[], …)` (one array parameter per column, COPY-like).
 * Secondary indexes are dropped before the load and re-created afterwards from their own stored
 * definitions, so the loaded database ends with exactly the schema the migrations made.
 */
export interface BulkLoader {
  dialect: Dialect;
  /** Kysely over the same connection(s), for the product's own bulk statements (rebuildMonths). */
  db: Kysely<Database>;
  insert(table: string, rows: object[]): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the table's non-constraint indexes and returns what re-creates them. */
  dropIndexes(table: string): Promise<IndexDef[]>;
  createIndex(def: IndexDef): Promise<void>;
  close(): Promise<void>;
}

export interface IndexDef {
  name: string;
  table: string;
  sql: string;
}

export function openLoader(url: string): BulkLoader {
  return dialectOf(url) === 'postgres' ? openPostgresLoader(url) : openSqliteLoader(url.replace(/^sqlite:/, ''));
}

function openSqliteLoader(file: string): BulkLoader {
  const sqlite = new SqliteDatabase(file);
  // Loading only: an interrupted load is thrown away (the seed marks completion last), so no sync needed.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -1048576');
  sqlite.pragma('temp_store = MEMORY');
  const statements = new Map<string, SqliteDatabase.Statement>();
  const ROWS_PER_STATEMENT = 64;
  const statement = (table: string, columns: string[], rows: number) => {
    const key = `${table}|${columns.join(',')}|${rows}`;
    let s = statements.get(key);
    if (!s) {
      const tuple = `(${columns.map(() => '?').join(',')})`;
      s = sqlite.prepare(
        `insert into ${table} (${columns.join(',')}) values ${Array.from({ length: rows }, () => tuple).join(',')}`,
      );
      statements.set(key, s);
    }
    return s;
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    dialect: 'sqlite',
    db,
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]);
      let i = 0;
      for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
        const params: unknown[] = [];
        for (let r = i; r < i + ROWS_PER_STATEMENT; r += 1)
          for (const c of columns) params.push((rows[r] as Record<string, unknown>)[c]);
        statement(table, columns, ROWS_PER_STATEMENT).run(params);
      }
      const one = statement(table, columns, 1);
      for (; i < rows.length; i += 1) one.run(columns.map((c) => (rows[i] as Record<string, unknown>)[c]));
    },
    async begin() {
      sqlite.exec('begin');
    },
    async commit() {
      sqlite.exec('commit');
    },
    async exec(sql) {
      sqlite.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return sqlite.prepare(sql).all(params) as T[];
    },
    async dropIndexes(table) {
      const defs = sqlite
        .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`)
        .all(table) as Array<{ name: string; sql: string }>;
      for (const d of defs) sqlite.exec(`drop index ${d.name}`);
      return defs.map((d) => ({ name: d.name, table, sql: d.sql }));
    },
    async createIndex(def) {
      sqlite.exec(def.sql);
    },
    async close() {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      await db.destroy();
    },
  };
}

function openPostgresLoader(url: string): BulkLoader {
  // One connection for the load (a transaction must stay on it); no waiting for the WAL flush while loading.
  const settings = '-c synchronous_commit=off -c maintenance_work_mem=512MB -c work_mem=64MB';
  const pool = new pg.Pool({ connectionString: url, max: 1, options: settings });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let client: pg.PoolClient | null = null;
  const run = async (sql: string, params?: unknown[]) => (client ?? pool).query(sql, params);
  const columnTypes = new Map<string, Map<string, string>>();
  const typesOf = async (table: string) => {
    let types = columnTypes.get(table);
    if (!types) {
      const r = await run(
        `select column_name, data_type from information_schema.columns where table_schema = current_schema() and table_name = $1`,
        [table],
      );
      types = new Map(
        (r.rows as Array<{ column_name: string; data_type: string }>).map((c) => [c.column_name, c.data_type]),
      );
      columnTypes.set(table, types);
    }
    return types;
  };
  return {
    dialect: 'postgres',
    db,
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]);
      const types = await typesOf(table);
      const arrays = columns.map((c) => rows.map((r) => (r as Record<string, unknown>)[c]));
      const casts = columns.map((c, i) => `$${i + 1}::${types.get(c) ?? 'text'}[]`);
      await run(`insert into ${table} (${columns.join(',')}) select * from unnest(${casts.join(',')})`, arrays);
    },
    async begin() {
      client = await pool.connect();
      await client.query('begin');
    },
    async commit() {
      if (!client) return;
      await client.query('commit');
      client.release();
      client = null;
    },
    async exec(sql) {
      await run(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await run(sql, params)).rows as T[];
    },
    async dropIndexes(table) {
      const r = await pool.query<{ name: string; sql: string }>(
        `select i.relname as name, pg_get_indexdef(x.indexrelid) as sql
           from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
          where t.relname = $1 and t.relnamespace = current_schema()::regnamespace
            and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
        [table],
      );
      for (const d of r.rows) await pool.query(`drop index ${d.name}`);
      return r.rows.map((d) => ({ name: d.name, table, sql: d.sql }));
    },
    async createIndex(def) {
      await pool.query(def.sql);
    },
    async close() {
      await db.destroy();
    },
  };
}
