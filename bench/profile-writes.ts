/**
 * CPU profile of the app's contact-log POST under load (not part of `npm run bench`):
 * `npx tsx bench/profile-writes.ts <a copy of a cached .db> [seconds] [out.cpuprofile] [--no-profile]`
 * Builds the app as bench/run.ts does, loads it from a child process, profiles only the load and prints req/s
 * and the server's CPU per request (`--no-profile`: just those, without the profiler's overhead). It writes
 * logs into the database it is given: use a copy.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { prepareDatabase } from '../server/platform/bootstrap.js';
import { loadConfig } from '../server/platform/config.js';
import { BENCH_DIR, BENCH_MASTER_KEY, benchCrypto } from './lib/cache.js';
import type { LoadResult, LoadSpec } from './lib/load.js';
import { ensureBenchUsers, login, pickSubjects } from './lib/subjects.js';

const [target = '', seconds = '5', out = 'writes.cpuprofile'] = process.argv.slice(2);
const url = target.startsWith('postgres') ? target : `sqlite:${target}`;
const { database } = await prepareDatabase(url, ['42']);
const crypto = benchCrypto();
const subjects = await pickSubjects(database.db, crypto);
await ensureBenchUsers(database.db, subjects);
const config = { ...loadConfig({}), databaseUrl: url, isDemo: false, serveWeb: false, masterKeyHex: BENCH_MASTER_KEY };
const app = await buildApp({ config, database, crypto });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
const session = await login(app, 'bench_township');
const now = Date.now();
const bodies: string[] = [];
const paths: string[] = [];
for (let i = 0; i < 2000; i += 1) {
  const { familyId, contactId } = subjects.loggable[i % subjects.loggable.length];
  bodies.push(
    JSON.stringify({
      contactId,
      mode: i % 3 === 0 ? 'home_visit' : 'phone',
      occurredAt: new Date(now - (120 + (i % 3_000)) * 1_000).toISOString(),
      health: '身体尚可，按时服药',
      mentalState: 'stable',
      notes: '基准测试记录',
    }),
  );
  paths.push(`/api/v1/families/${familyId}/contact-logs`);
}
const spec: LoadSpec = {
  url: `http://127.0.0.1:${address.port}`,
  method: 'POST',
  headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
  paths,
  bodies,
  connections: 20,
  durationSec: Number(seconds),
};

async function load(durationSec: number): Promise<LoadResult> {
  const file = path.join(os.tmpdir(), `guanhuai-prof-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...spec, durationSec }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'lib/load.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(text.trim().split('\n').at(-1)!) as LoadResult)
        : reject(new Error(`load ${code}`)),
    );
  });
}

await load(1);
const inspector = new Session();
inspector.connect();
const profile = process.argv.includes('--no-profile') ? null : inspector;
if (profile) {
  await profile.post('Profiler.enable');
  await profile.post('Profiler.setSamplingInterval', { interval: 200 });
  await profile.post('Profiler.start');
}
const before = process.cpuUsage();
const r = await load(Number(seconds));
const used = process.cpuUsage(before);
if (profile) {
  const { profile: p } = await profile.post('Profiler.stop');
  fs.writeFileSync(out, JSON.stringify(p));
}
console.log(
  `${Math.round(r.rps)} req/s, ${r.non2xx} non-2xx ${r.failures[0] ?? ''}, server CPU ${((used.user + used.system) / 1000 / r.requests).toFixed(3)} ms/req`,
);
await app.close();
await database.close();
