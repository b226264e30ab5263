/**
 * The import size the platform is built for: 10,000 rows × 25 columns, written by writeXlsx and
 * read back by readRows. Time and RSS are measured and reported (annotation; printed with
 * SPREADSHEET_PERF=1), never asserted: CI machines differ. Correctness is asserted, and so is
 * that the read and the zip-bomb refusal fit in a child process with a 64 MB JavaScript heap
 * (security-checklist §6.6: "bomb under an RSS threshold (child, small heap)").
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeXlsx, type XlsxColumn } from './write-xlsx.js';
import { inspectUpload } from './inspect-upload.js';
import { readRows } from './read-rows.js';
import { buildBombXlsx } from '../../../test/fixtures/zip-builder.js';

const ROWS = 10_000;
const COLS = 25;
const MB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));

function rowFor(i: number): Record<string, unknown> {
  const r: Record<string, unknown> = {
    c0: `家庭成员${i}`,
    c1: `4201011990${String(i % 10000).padStart(4, '0')}123X`,
    c2: new Date(Date.UTC(1950 + (i % 50), i % 12, 1 + (i % 28))),
    c3: i,
    c4: `湖北省武汉市江岸区某某街道${i % 300}号`,
  };
  for (let c = 5; c < COLS; c += 1) r[`c${c}`] = c % 3 === 0 ? i * c : `值${c}-${i % 1000}`;
  return r;
}

const columns: XlsxColumn[] = Array.from({ length: COLS }, (_, c) => ({
  header: c === 1 ? '身份证号' : `列${c}`,
  key: `c${c}`,
}));

describe('readRows at 10,000 × 25', () => {
  let buf: Buffer;
  let writeMs = 0;
  let dir = '';
  beforeAll(async () => {
    const t0 = performance.now();
    buf = await writeXlsx([{ name: '花名册', columns, rows: Array.from({ length: ROWS }, (_, i) => rowFor(i)) }]);
    writeMs = performance.now() - t0;
    dir = mkdtempSync(path.join(os.tmpdir(), 'guanhuai-xlsx-'));
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads every row correctly (in process)', async ({ annotate }) => {
    await inspectUpload(buf, 'roster.xlsx');
    const t1 = performance.now();
    let count = 0;
    let bad = 0;
    for await (const row of readRows(buf, 'xlsx')) {
      if (row.rowNumber === 1) continue;
      const i = row.rowNumber - 2;
      const want = rowFor(i);
      if (
        row.cells.length !== COLS ||
        row.cells[0] !== want.c0 ||
        row.cells[1] !== want.c1 ||
        row.cells[2] !== (want.c2 as Date).toISOString().slice(0, 10) ||
        row.cells[3] !== String(i) ||
        row.cells[4] !== want.c4 ||
        row.cells[23] !== `值23-${i % 1000}` ||
        row.cells[24] !== String(i * 24)
      ) {
        bad += 1;
      }
      count += 1;
    }
    const readMs = performance.now() - t1;
    expect(count).toBe(ROWS);
    expect(bad).toBe(0);
    const report = `10,000 × 25 xlsx ${(buf.length / MB).toFixed(2)} MB: writeXlsx ${writeMs.toFixed(0)} ms, readRows ${readMs.toFixed(0)} ms (in the test worker)`;
    await annotate(report);
    if (process.env.SPREADSHEET_PERF) console.warn(report);
  }, 120_000);

  it('reads it, and refuses the 450 MB bomb, in a child with a 64 MB heap', async ({ annotate }) => {
    const file = path.join(dir, 'roster.xlsx');
    const bombFile = path.join(dir, 'bomb.xlsx');
    writeFileSync(file, buf);
    writeFileSync(bombFile, await buildBombXlsx());
    const url = (name: string) => pathToFileURL(path.join(here, name)).href;
    const script = `
      import { readFileSync } from 'node:fs';
      const { readRows } = await import(${JSON.stringify(url('read-rows.ts'))});
      const { inspectUpload } = await import(${JSON.stringify(url('inspect-upload.ts'))});
      for await (const _ of readRows(Buffer.from('a\\n1\\n'), 'csv')) {} // warm-up: modules loaded
      const rss = () => process.memoryUsage().rss;
      const buf = readFileSync(${JSON.stringify(file)});
      const base = rss();
      let peak = base, rows = 0;
      const t = performance.now();
      for await (const _ of readRows(buf, 'xlsx')) { if ((++rows & 127) === 0) peak = Math.max(peak, rss()); }
      const readMs = performance.now() - t;
      peak = Math.max(peak, rss());
      const bomb = readFileSync(${JSON.stringify(bombFile)});
      const bombBase = rss();
      const codes = [];
      try { await inspectUpload(bomb, 'bomb.xlsx'); } catch (e) { codes.push(e.details?.[0]?.code); }
      try { for await (const _ of readRows(bomb, 'xlsx')) {} } catch (e) { codes.push(e.details?.[0]?.code); }
      const bombGrowth = rss() - bombBase;
      console.log(JSON.stringify({ rows, readMs, base, growth: peak - base, bombSize: bomb.length, codes, bombGrowth }));
    `;
    const child = spawnSync(
      process.execPath,
      ['--max-old-space-size=64', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: path.resolve(here, '../../..'), encoding: 'utf8', timeout: 90_000 },
    );
    expect(child.stderr).not.toMatch(/heap out of memory/);
    expect(child.status).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
      rows: number;
      readMs: number;
      base: number;
      growth: number;
      bombSize: number;
      codes: string[];
      bombGrowth: number;
    };
    expect(result.rows).toBe(ROWS + 1);
    expect(result.codes).toEqual(['ZIP_BOMB', 'ZIP_BOMB']);
    expect(result.bombGrowth).toBeLessThan(100 * MB);
    const report =
      `child, 64 MB heap: readRows 10,000 × 25 in ${result.readMs.toFixed(0)} ms, RSS ${(result.base / MB).toFixed(0)} MB ` +
      `+ ${(result.growth / MB).toFixed(1)} MB peak growth; bomb (${(result.bombSize / MB).toFixed(2)} MB) refused, ` +
      `RSS growth ${(result.bombGrowth / MB).toFixed(1)} MB`;
    await annotate(report);
    if (process.env.SPREADSHEET_PERF) console.warn(report);
  }, 120_000);
});
