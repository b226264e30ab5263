/**
 * The plans of the hot reads (issue 19 item 0): every statement a read scenario issued, as the bench
 * captured it (`bench/results/latest[-reads].json`), explained on the database it ran on —
 * PostgreSQL `EXPLAIN (ANALYZE, BUFFERS)`, SQLite `EXPLAIN QUERY PLAN` — into
 * `bench/results/plans/<label>/<db>-<scenario>.txt`.
 *
 *   npm run bench -- --only reads …          # captures the statements
 *   npm run bench:explain -- --label after [--results bench/results/latest-reads.json] [--only rollup,todos]
 *     [--pg-options '-c jit=on']
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { parseArgs } from './lib/args.js';
import type { Statement } from './lib/capture.js';
import { PG_SESSION_OPTIONS } from '../server/platform/db/database.js';

const args = parseArgs(process.argv.slice(2), {
  label: 'string',
  results: 'string',
  only: 'string',
  'pg-options': 'string',
});
/** The app's session settings unless told (`--pg-options '-c jit=on'` for the plans before they were set). */
const pgOptions = String(args['pg-options'] ?? PG_SESSION_OPTIONS);
const label = String(args.label ?? 'latest');
if (!/^[a-z0-9-]+$/.test(label)) throw new Error('--label: lower-case letters, digits and dashes');
const resultsFile = String(args.results ?? path.join('bench', 'results', 'latest-reads.json'));
const only = args.only ? new Set(String(args.only).split(',')) : null;
const outDir = path.join('bench', 'results', 'plans', label);

interface Results {
  startedAt: string;
  databases: Record<string, { url: string; reads: Array<{ id: string; title: string; statements: Statement[] }> }>;
}

/** The bench redacts credentials from the URL it stores; the server's own user is in BENCH_DATABASE_URL. */
function pgUrl(stored: string): string {
  const server = process.env.BENCH_DATABASE_URL;
  const u = new URL(stored.replace('//…@', '//'));
  if (server) {
    const s = new URL(server);
    u.username = s.username;
    u.password = s.password;
  }
  return u.toString();
}

async function main() {
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Results;
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, db] of Object.entries(results.databases)) {
    const tag = name === 'PostgreSQL' ? 'pg' : 'sqlite';
    const explainOne =
      tag === 'pg'
        ? await (async () => {
            const client = new pg.Client({ connectionString: pgUrl(db.url), options: pgOptions });
            await client.connect();
            return {
              async explain(st: Statement) {
                const r = await client.query<{ 'QUERY PLAN': string }>(
                  `explain (analyze, buffers) ${st.sql}`,
                  st.parameters as unknown[],
                );
                return r.rows.map((row) => row['QUERY PLAN']).join('\n');
              },
              close: () => client.end(),
            };
          })()
        : (() => {
            const sqlite = new SqliteDatabase(db.url.replace(/^sqlite:/, ''), { readonly: true });
            return {
              async explain(st: Statement) {
                const rows = sqlite
                  .prepare(`explain query plan ${st.sql}`)
                  .all(...(st.parameters as unknown[])) as Array<{
                  id: number;
                  parent: number;
                  detail: string;
                }>;
                const depth = new Map<number, number>([[0, 0]]);
                return rows
                  .map((r) => {
                    const d = (depth.get(r.parent) ?? 0) + 1;
                    depth.set(r.id, d);
                    return `${'  '.repeat(d - 1)}${r.detail}`;
                  })
                  .join('\n');
              },
              close: async () => sqlite.close(),
            };
          })();
    try {
      for (const read of db.reads) {
        if (only && !only.has(read.id)) continue;
        const parts = [`# ${read.title} — ${name}, statements captured ${results.startedAt}`, ''];
        for (const [i, st] of read.statements.entries()) {
          parts.push(`## statement ${i + 1}`, '', st.sql, '', `parameters: ${JSON.stringify(st.parameters)}`, '');
          parts.push(await explainOne.explain(st), '');
        }
        const file = path.join(outDir, `${tag}-${read.id}.txt`);
        fs.writeFileSync(file, `${parts.join('\n')}\n`);
        console.log(file);
      }
    } finally {
      await explainOne.close();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
