import { execSync } from 'node:child_process';
import os from 'node:os';

/** One line of the results table: every figure next to its baseline from the same run. */
export interface Row {
  scenario: string;
  db: string;
  p50: string;
  p95: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: reported, no target. */
  met: boolean | null;
}

export function markdownTable(rows: Row[]): string {
  const head = ['scenario', 'DB', 'p50', 'p95', 'baseline', 'ratio', 'target', 'met?'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows)
    lines.push(
      `| ${[r.scenario, r.db, r.p50, r.p95, r.baseline, r.ratio, r.target, r.met === null ? '—' : r.met ? 'yes' : '**no**'].join(' | ')} |`,
    );
  return lines.join('\n');
}

/** Any other table: a header and rows of cells. */
export function markdownGrid(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export interface Machine {
  nproc: number;
  cpu: string;
  memTotal: string;
  freeH: string;
  node: string;
  platform: string;
  sqlite: string;
  postgres?: string;
  /** What was measured: the commit, and whether the working tree had uncommitted changes. */
  commit: string;
  dirtyFiles: number;
}

function git(args: string): string {
  try {
    return execSync(`git ${args}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function describeMachine(sqliteVersion: string, postgresVersion?: string): Machine {
  let freeH = '';
  try {
    freeH = execSync('free -h', { encoding: 'utf8' }).trim();
  } catch {
    freeH = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total`;
  }
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memTotal: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    freeH,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    sqlite: sqliteVersion,
    ...(postgresVersion ? { postgres: postgresVersion } : {}),
    commit: git('rev-parse --short HEAD'),
    dirtyFiles: git('status --porcelain').split('\n').filter(Boolean).length,
  };
}

/** Other work on the machine skews every figure: the load average is recorded next to them. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
