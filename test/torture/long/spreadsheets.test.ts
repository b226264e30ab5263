/**
 * The import parser fed hostile and random files in a child process with a 128 MB heap (security-checklist
 * §6.6): the 450 MB zip bomb, a bomb lying about its size, 201 entries, path traversal and odd entry names,
 * XML entities in every part (also past the 4 kB peek), nested zips, macro parts, encrypted and bzip2
 * entries, renamed executables, formula cells, too many rows and columns, a 5 MB cell, broken CSV, then
 * 1,000 random files (random bytes, a valid xlsx with bytes overwritten or cut short, random sheet XML,
 * random entry names, random CSV text). Each must be read or refused with the expected code naming `file`;
 * no other exception, no hang, and the peak RSS bounded.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_TIER } from '../support/harness.js';
import { REPO_ROOT } from '../support/server-process.js';

const HEAP_MB = 128;
const MAX_GROWTH_MB = 250;

interface Line {
  name?: string;
  expect?: string;
  outcome?: string;
  problem?: string | null;
  error?: string;
  ms?: number;
  rssGrowthMB?: number;
  blockedMs?: number;
  summary?: boolean;
  counts?: Record<string, number>;
  crashes?: string[];
  baseMB?: number;
  peakMB?: number;
}

function runChild(
  env: Record<string, string>,
  heapMb?: number,
): { status: number | null; lines: Line[]; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [
      ...(heapMb ? [`--max-old-space-size=${heapMb}`] : []),
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'test/torture/support/spreadsheet-child.ts'),
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
  return { status: r.status, lines, stderr: r.stderr };
}

describe.skipIf(!LONG_TIER)('hostile and random spreadsheets, child with a 128 MB heap', () => {
  it('every file read or refused as expected, no crash, no hang, bounded memory', async ({ annotate }) => {
    const { status, lines, stderr } = runChild({ SPREADSHEET_RANDOM_RUNS: '1000' }, HEAP_MB);
    expect(stderr).not.toMatch(/heap out of memory|FATAL/);
    expect(status, stderr.slice(-2000)).toBe(0);
    const files = lines.filter((l) => !l.summary);
    const summary = lines.find((l) => l.summary)!;
    const wrong = files.filter(
      (l) =>
        l.outcome === 'crash' ||
        l.outcome === 'timeout' ||
        !!l.problem ||
        (l.expect !== 'any' && l.outcome !== l.expect) ||
        (l.rssGrowthMB ?? 0) > MAX_GROWTH_MB,
    );
    const table = files
      .map(
        (l) =>
          `${l.outcome === l.expect || l.expect === 'any' ? 'ok ' : 'BAD'} ${l.name}: ${l.outcome} in ${l.ms} ms, +${l.rssGrowthMB} MB peak RSS, loop blocked ≤ ${l.blockedMs} ms`,
      )
      .join('\n');
    const randoms = Object.entries(summary.counts ?? {})
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
    const report = `${files.length} hostile files:\n${table}\n1,000 random files: ${randoms}; peak RSS ${summary.peakMB} MB (base ${summary.baseMB} MB)`;
    console.log(report);
    await annotate(report);
    expect(wrong).toEqual([]);
    expect(summary.crashes).toEqual([]);
    expect(summary.counts?.timeout ?? 0).toBe(0);
    expect(summary.peakMB! - summary.baseMB!).toBeLessThan(MAX_GROWTH_MB);
  });

  // D3 (test/torture/found-defects.test.ts): ~1.1 GB before the fix in 252921b (bounded chunks to ExcelJS).
  it('D3: a 9.5 MB stored sheet of empty elements stays under 250 MB and does not block the loop for seconds', async ({
    annotate,
  }) => {
    const { status, lines, stderr } = runChild({ ONLY: 'D3' });
    const file = lines.find((l) => !l.summary);
    const summary = lines.find((l) => l.summary);
    const report = `D3: ${JSON.stringify(file)}; peak RSS ${summary?.peakMB} MB (base ${summary?.baseMB} MB)`;
    console.log(report);
    await annotate(report);
    expect(status, stderr.slice(-1000)).toBe(0);
    expect(summary!.peakMB! - summary!.baseMB!).toBeLessThan(MAX_GROWTH_MB);
    expect(file!.blockedMs!).toBeLessThan(2_000);
  });
});
