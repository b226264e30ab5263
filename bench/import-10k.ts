/**
 * Imports 10,000 families from one xlsx through the real HTTP route and reports the time and the peak RSS
 * of the process during the import (issue 3: "10k families from xlsx ≤ 15 s, peak RSS ≤ 400 MB").
 *
 *   npx tsx bench/import-10k.ts                        # SQLite in a temp directory
 *   TEST_DIALECT=postgres TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/import-10k.ts
 *
 * The file is written by a child process first, so its garbage does not count against the import.
 * ROWS=2000 for a quicker run. On PostgreSQL it also counts the statements (each one a round trip) the
 * commit sent, by table, leaving out the job polling and session lookups of the HTTP route.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { writeXlsx } from '../server/platform/spreadsheets/index.js';
import { IMPORT_COLUMNS } from '../server/modules/families/family-sheet.js';
import { buildRegionTree } from '../test/support/factories.js';
import { createTestApp } from '../test/support/test-app.js';
import { TEST_DIALECT } from '../test/support/test-db.js';
import { rosterRow, runImport } from '../test/support/uploads.js';

const ROWS = Number(process.env.ROWS ?? 10_000);
const self = fileURLToPath(import.meta.url);

async function makeFile(file: string, villages: string[]): Promise<void> {
  const rows = Array.from({ length: ROWS }, (_, i) => rosterRow(villages[i % villages.length], i));
  const buffer = await writeXlsx([
    { name: '特殊家庭', columns: IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.header })), rows },
  ]);
  fs.writeFileSync(file, buffer);
}

if (process.argv[2] === '--make') {
  await makeFile(process.argv[3], process.argv.slice(4));
  process.exit(0);
}

const t = await createTestApp();
const tree = await buildRegionTree(t.db);
const township = await t.signIn('township_staff', tree.township);
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-import-')), 'roster.xlsx');
const made = spawnSync(process.execPath, ['--import', 'tsx', self, '--make', file, tree.village, tree.siblingVillage], {
  stdio: 'inherit',
  env: process.env,
});
if (made.status !== 0) throw new Error('could not write the roster file');
const content = fs.readFileSync(file);

/** Statements sent to PostgreSQL while `counting`, by the first table they name. */
const statements = new Map<string, number>();
let counting = false;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
  const table = /(?:from|into|update)\s+"?(\w+)"?/i.exec(text ?? '')?.[1] ?? (text ?? '').split(' ')[0];
  if (counting && !['sessions', 'users', 'family_imports'].includes(table))
    statements.set(table, (statements.get(table) ?? 0) + 1);
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const rssBefore = process.memoryUsage().rss;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const validated = await runImport(t, township, { name: 'roster.xlsx', content }, 'validate', 3_600_000);
const validatedAt = performance.now();
const cpuValidate = process.cpuUsage(cpuBefore);
counting = true;
const committed = await runImport(t, township, { name: 'roster.xlsx', content }, 'commit', 3_600_000);
const finished = performance.now();
counting = false;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);

// The same families out again, as a county officer would export them.
const county = await t.signIn('county_staff', tree.county);
let exportPeak = process.memoryUsage().rss;
const exportSampler = setInterval(() => {
  exportPeak = Math.max(exportPeak, process.memoryUsage().rss);
}, 20);
const exportStarted = performance.now();
const exported = await county.get('/api/v1/families/export.xlsx');
const exportSeconds = (performance.now() - exportStarted) / 1000;
clearInterval(exportSampler);

const families = await t.db
  .selectFrom('families')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
console.log(
  JSON.stringify(
    {
      database: TEST_DIALECT,
      rows: ROWS,
      fileBytes: content.length,
      validate: {
        seconds: +((validatedAt - started) / 1000).toFixed(1),
        cpuSeconds: +((cpuValidate.user + cpuValidate.system) / 1e6).toFixed(1),
        accepted: validated.accepted,
      },
      commit: {
        seconds: +((finished - validatedAt) / 1000).toFixed(1),
        cpuSeconds: +((cpu.user + cpu.system - cpuValidate.user - cpuValidate.system) / 1e6).toFixed(1),
        accepted: committed.accepted,
        rejected: committed.rejected,
        status: committed.status,
        ...(TEST_DIALECT === 'postgres'
          ? {
              statements: [...statements.values()].reduce((a, b) => a + b, 0),
              statementsByTable: Object.fromEntries(statements),
            }
          : {}),
      },
      loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
      familiesInDatabase: Number(families.n),
      export: {
        seconds: +exportSeconds.toFixed(1),
        status: exported.statusCode,
        bytes: exported.rawPayload.length,
        peakRss: mb(exportPeak),
      },
      rssBefore: mb(rssBefore),
      peakRss: mb(peak),
      maxRssOfProcess: mb(process.resourceUsage().maxRSS * 1024),
    },
    null,
    2,
  ),
);
await t.close();
fs.rmSync(path.dirname(file), { recursive: true, force: true });
