import SqliteDatabase from 'better-sqlite3';
import type { CompiledQuery, KyselyPlugin, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import pg from 'pg';
import { PG_SESSION_OPTIONS, type DatabaseHandle } from '../../server/platform/db/database.js';

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A handle over the same database whose Kysely records every statement it compiles while recording is
 * on: the exact SQL and parameters an endpoint issues, to replay through the bare driver as its floor.
 */
export function capturingHandle(database: DatabaseHandle) {
  let recorded: Array<{ statement: Statement; ran: boolean }> | null = null;
  const executor = database.db.getExecutor();
  type QueryId = Parameters<typeof executor.compileQuery>[1];
  // Kysely also hands a plugin every subquery builder it turns into a node (`selectFrom(sub.as('x'))`): only a
  // statement that ran — one whose result comes back — is kept, or the bare replay would run the subquery on
  // its own as well (the 双岗 coverage's inner select was replayed so, 1.4 s of SQLite at 100k). Kept in the
  // order compiled, so concurrent statements keep a stable order.
  const pending = new Map<QueryId, { statement: Statement; ran: boolean }>();
  const plugin: KyselyPlugin = {
    transformQuery(args: { node: RootOperationNode; queryId: QueryId }) {
      if (recorded) {
        const c: CompiledQuery = executor.compileQuery(args.node, args.queryId);
        const entry = { statement: { sql: c.sql, parameters: c.parameters }, ran: false };
        recorded.push(entry);
        pending.set(args.queryId, entry);
      }
      return args.node;
    },
    async transformResult(args: { result: QueryResult<UnknownRow>; queryId: QueryId }) {
      const entry = pending.get(args.queryId);
      if (entry) entry.ran = true;
      pending.delete(args.queryId);
      return args.result;
    },
  };
  const handle: DatabaseHandle = {
    db: database.db.withPlugin(plugin),
    dialect: database.dialect,
    close: async () => {},
  };
  return {
    handle,
    start() {
      recorded = [];
      pending.clear();
    },
    stop(): Statement[] {
      const out = (recorded ?? []).filter((e) => e.ran).map((e) => e.statement);
      recorded = null;
      pending.clear();
      return out;
    },
  };
}

/** Only reads are replayed: a session touch or a first-of-month insert is not part of the floor. */
export function isRead(s: Statement): boolean {
  return /^\s*(select|with)\b/i.test(s.sql);
}

export interface Replayer {
  run(statements: Statement[]): Promise<number>;
  /** The rows each statement returns, to check that a rewrite answers the same. */
  rows(statements: Statement[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** The bare driver: better-sqlite3 with statements prepared once, or one pg client. Returns rows read. */
export async function openReplayer(url: string): Promise<Replayer> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // The app's own session settings, so the floor runs the same plans.
    const client = new pg.Client({ connectionString: url, options: PG_SESSION_OPTIONS });
    await client.connect();
    return {
      async run(statements) {
        let rows = 0;
        for (const s of statements) rows += (await client.query(s.sql, s.parameters as unknown[])).rowCount ?? 0;
        return rows;
      },
      async rows(statements) {
        const out: unknown[][] = [];
        for (const s of statements) out.push((await client.query(s.sql, s.parameters as unknown[])).rows);
        return out;
      },
      close: () => client.end(),
    };
  }
  const sqlite = new SqliteDatabase(url.replace(/^sqlite:/, ''), { fileMustExist: true });
  // As openDatabase does (the read path only depends on WAL mode).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const prepared = new Map<string, SqliteDatabase.Statement>();
  const statement = (sql: string) => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      stmt = sqlite.prepare(sql);
      prepared.set(sql, stmt);
    }
    return stmt;
  };
  return {
    async run(statements) {
      let rows = 0;
      for (const s of statements) rows += statement(s.sql).all(s.parameters as unknown[]).length;
      return rows;
    },
    async rows(statements) {
      return statements.map((s) => statement(s.sql).all(s.parameters as unknown[]));
    },
    async close() {
      sqlite.close();
    },
  };
}
