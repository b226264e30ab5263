// `npm test`: everything that can run here, in order, with a clear line for what was skipped.
//   type-check · lint + format · unit + API integration on SQLite · the integration suite again on
//   PostgreSQL (when TEST_DATABASE_URL is set) · browser journeys (when Chromium is installed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const results = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(name, cmd, args, env = {}) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push(`${ok ? '✓' : '✗'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function vitest(name, args, env = {}) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-vitest-')), 'report.json');
  const ok = run(
    name,
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
    env,
  );
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    results[results.length - 1] += ` — ${r.numPassedTests} passed, ${r.numFailedTests} failed`;
  }
  return ok;
}

let ok = run('type-check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
ok = run('lint', 'npx', ['eslint', '.', '--max-warnings=0']) && ok;
ok = run('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']) && ok;
ok = vitest('unit + integration (SQLite)', []) && ok;

if (process.env.TEST_DATABASE_URL) {
  ok =
    vitest('integration + quick torture (PostgreSQL)', ['test/integration', 'test/torture'], {
      TEST_DIALECT: 'postgres',
    }) && ok;
} else {
  results.push('- integration (PostgreSQL) SKIPPED: set TEST_DATABASE_URL=postgres://… to run it');
}

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (fs.existsSync(chromium)) {
  ok = run('web build', 'npx', ['vite', 'build', '--logLevel', 'warn']) && ok;
  ok = vitest('browser journeys (Chromium)', ['-c', 'vitest.e2e.config.ts']) && ok;
} else {
  results.push(
    `- browser journeys SKIPPED: Chromium not found at ${chromium} (apt-get install -y chromium fonts-wqy-microhei)`,
  );
}

console.log('\n' + results.join('\n'));
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);
