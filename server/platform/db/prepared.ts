import type { Compilable, CompiledQuery, DialectAdapter, QueryResult } from 'kysely';
import type { Executor } from './database.js';

/** Stands for a parameter while a prepared query is compiled; replaced by the value on each run. */
class Slot {
  constructor(readonly key: string) {}
}

interface Template {
  sql: string;
  /** Constants stay as compiled; a Slot is filled from the run's parameters. */
  parameters: readonly unknown[];
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
}

/**
 * A query built and compiled once per dialect, then run with new parameter values. Building and compiling a
 * Kysely query costs tens of microseconds (node creation, freezing, the compiler's visit) — on a hot route
 * that issues a dozen statements it was a quarter of the request's CPU; running the compiled SQL costs the
 * driver's part only.
 *
 * `build` gets the executor and the parameters. Each parameter must reach the SQL as a bound value only (a
 * `where`/`values`/`set` operand), never decide the query's shape (no `undefined` to drop a column, no
 * arrays for `in`, no `if`): the compiled text is reused for every value. Under vitest every run is also
 * built the ordinary way and compared, so a query that breaks this rule fails its tests.
 *
 * An executor with plugins (the bench's statement recorder) runs the ordinary way, so plugins see every query.
 */
export function prepared<P extends object, R>(
  build: (db: Executor, p: P) => Compilable<R>,
): (db: Executor, p: P) => Promise<QueryResult<R>> {
  const templates = new WeakMap<DialectAdapter, Template>();
  let slots: P | null = null;
  return async (db, p) => {
    const executor = db.getExecutor();
    if (executor.plugins.length > 0) return db.executeQuery(build(db, p).compile());
    let template = templates.get(executor.adapter);
    if (!template) {
      slots ??= new Proxy({} as P, { get: (_, key) => new Slot(String(key)) });
      const compiled = build(db, slots).compile();
      template = {
        sql: compiled.sql,
        parameters: compiled.parameters,
        query: compiled.query,
        queryId: compiled.queryId,
      };
      templates.set(executor.adapter, template);
    }
    const parameters = template.parameters.map((v) => (v instanceof Slot ? (p as Record<string, unknown>)[v.key] : v));
    if (CHECK) {
      const expected = build(db, p).compile();
      if (expected.sql !== template.sql || JSON.stringify(expected.parameters) !== JSON.stringify(parameters))
        throw new Error(`A prepared query's shape depends on its parameters:\n${expected.sql}\n${template.sql}`);
    }
    const compiled: CompiledQuery<R> = {
      sql: template.sql,
      parameters,
      query: template.query,
      queryId: template.queryId,
    };
    return db.executeQuery(compiled);
  };
}

const CHECK = process.env.VITEST !== undefined;

/**
 * `{ column: p[column] }` for each column, for a prepared insert's `values`: the stand-in parameters object of
 * the compile has no keys of its own to list, so an insert names its columns (`satisfies` keeps them complete).
 */
export function columnsOf<T, K extends keyof T>(p: T, columns: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const c of columns) out[c] = p[c];
  return out;
}
