/**
 * Where a write's CPU goes (issue 19 item 5; not part of `npm run bench`):
 * `npx tsx bench/profile-writes.ts <a copy of a cached .db> [seconds] [out.cpuprofile] [--no-profile] [--rounds N] [--json out.json]`
 *
 * Builds the app as bench/run.ts does (logging like the production server, into /dev/null), with the bench's
 * authenticated no-op route, and loads four targets from a child process in interleaved rounds, so the machine's
 * load hits all alike: the bare Fastify GET, the authenticated no-op POST (the fixed cost of a private request),
 * the minimal durable POST and the app's contact-log POST. It prints req/s and the server's CPU per request of
 * each (all of this process's threads); then, unless `--no-profile`, profiles one more round each of the no-op and
 * the contact-log POST (not counted: the sampler costs CPU itself) into `<out>-noop.cpuprofile` and
 * `<out>-app.cpuprofile` (`bench/profile-summary.ts` summarises them), then checks that every acknowledged log is
 * stored and that the audit chain verifies. It writes logs into the database it is given: use
 * a copy.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp, loggerOptions } from '../server/app.js';
import { prepareDatabase } from '../server/prepare-database.js';
import { loadConfig } from '../server/platform/config.js';
import { startScheduler } from '../server/platform/jobs.js';
import { BENCH_DIR, BENCH_MASTER_KEY, benchCrypto } from './lib/cache.js';
import type { LoadResult, LoadSpec } from './lib/load.js';
import {
  bareServer,
  minimalAuditReset,
  minimalDurableServer,
  registerAuthenticatedNoop,
  sequentialCommitsPerSecond,
} from './lib/servers.js';
import { ensureBenchUsers, login, pickSubjects } from './lib/subjects.js';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const rounds = Number(flag('rounds') ?? 3);
const jsonOut = flag('json');
const noProfile = argv.includes('--no-profile');
const [target = '', seconds = '5', out = 'writes.cpuprofile'] = argv.filter((a) => !a.startsWith('--'));
const url = target.startsWith('postgres') ? target : `sqlite:${target}`;
const { database } = await prepareDatabase(url, ['42']);
const crypto = benchCrypto();
const subjects = await pickSubjects(database.db, crypto);
await ensureBenchUsers(database.db, subjects);
const config = { ...loadConfig({}), databaseUrl: url, isDemo: false, serveWeb: false, masterKeyHex: BENCH_MASTER_KEY };
// The production server logs every request (server/main.ts); here into /dev/null, synchronously like stdout.
const devNull = fs.openSync('/dev/null', 'w');
const logger = { ...loggerOptions(config.logLevel), stream: { write: (line: string) => fs.writeSync(devNull, line) } };
const app = await buildApp({ config, database, crypto, logger });
registerAuthenticatedNoop(app);
const stopScheduler = startScheduler(app.platform, []);
const bare = bareServer();
const minimal = await minimalDurableServer(url, crypto, app.platform.audit);
async function listen(server: typeof app): Promise<string> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}
const appUrl = await listen(app);
const bareUrl = await listen(bare);
const minUrl = await listen(minimal.app);
const session = await login(app, 'bench_township');
const now = Date.now();
const bodies: string[] = [];
const familyIds: string[] = [];
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
  familyIds.push(familyId);
}
const json = { 'content-type': 'application/json' };
const authed = { ...json, cookie: session.cookie, 'x-csrf-token': session.csrfToken };
const specs: Record<string, LoadSpec> = {
  bare: { url: bareUrl, method: 'GET', headers: {}, paths: ['/ping'], connections: 20, durationSec: 0 },
  noop: {
    url: appUrl,
    method: 'POST',
    headers: authed,
    paths: familyIds.map((id) => `/api/v1/bench/families/${id}/noop`),
    bodies,
    connections: 20,
    durationSec: 0,
  },
  minimal: {
    url: minUrl,
    method: 'POST',
    headers: json,
    paths: familyIds.map((id) => `/min/families/${id}/contact-logs`),
    bodies,
    connections: 20,
    durationSec: 0,
  },
  app: {
    url: appUrl,
    method: 'POST',
    headers: authed,
    paths: familyIds.map((id) => `/api/v1/families/${id}/contact-logs`),
    bodies,
    connections: 20,
    durationSec: 0,
  },
};

async function load(spec: LoadSpec): Promise<LoadResult> {
  const file = path.join(os.tmpdir(), `guanhuai-prof-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(spec));
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

const inspector = noProfile ? null : new Session();
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
}
const keys = Object.keys(specs);
const totals = Object.fromEntries(keys.map((k) => [k, { requests: 0, seconds: 0, cpuMs: 0, non2xx: 0 }]));
const perRound: Array<Record<string, { rps: number; cpuMsPerRequest: number }>> = [];
for (const key of keys) await load({ ...specs[key], durationSec: 1 }); // warm-up, discarded
for (let round = 0; round < rounds; round += 1) {
  const row: Record<string, { rps: number; cpuMsPerRequest: number }> = {};
  for (const key of keys) {
    const before = process.cpuUsage();
    const r = await load({ ...specs[key], durationSec: Number(seconds) });
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    const t = totals[key];
    t.requests += r.requests;
    t.seconds += r.durationSec;
    t.cpuMs += cpuMs;
    t.non2xx += r.non2xx;
    row[key] = { rps: r.rps, cpuMsPerRequest: cpuMs / Math.max(1, r.requests) };
    console.error(
      `round ${round + 1} ${key.padEnd(8)} ${Math.round(r.rps).toString().padStart(6)} req/s · CPU ${(cpuMs / Math.max(1, r.requests)).toFixed(3)} ms/req · non-2xx ${r.non2xx} ${r.failures[0] ?? ''} · load ${os.loadavg()[0].toFixed(1)}`,
    );
  }
  perRound.push(row);
}
// Profiled apart from the measured rounds (the sampler's own cost would inflate the figures): one round each of
// the no-op and the contact-log POST, into <out>-noop.cpuprofile and <out>-app.cpuprofile.
if (inspector)
  for (const key of ['noop', 'app']) {
    await inspector.post('Profiler.start');
    await load({ ...specs[key], durationSec: Number(seconds) });
    const { profile } = await inspector.post('Profiler.stop');
    fs.writeFileSync(out.replace(/\.cpuprofile$/, `-${key}.cpuprofile`), JSON.stringify(profile));
  }
stopScheduler();
// The disk's ceiling for one commit per request (no group commit): sequential durable commits, same filesystem.
const commitsPerSecond = await sequentialCommitsPerSecond(url, 2);
const stored = Number(
  (
    await database.db
      .selectFrom('contact_logs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_by', '=', session.userId)
      .executeTakeFirstOrThrow()
  ).n,
);
const chain = await app.platform.audit.verify(database.db);
const summary = Object.fromEntries(
  keys.map((k) => {
    const t = totals[k];
    return [k, { rps: t.requests / t.seconds, cpuMsPerRequest: t.cpuMs / Math.max(1, t.requests), non2xx: t.non2xx }];
  }),
);
const result = {
  at: new Date().toISOString(),
  database: url.startsWith('postgres') ? 'postgres' : 'sqlite',
  secondsPerRound: Number(seconds),
  rounds,
  loadAverage: os.loadavg(),
  summary,
  perRound,
  appShareOfMinimal: summary.app.rps / summary.minimal.rps,
  commitsPerSecond,
  noopCpuOverBareMs: summary.noop.cpuMsPerRequest - summary.bare.cpuMsPerRequest,
  acknowledged: totals.app.requests - totals.app.non2xx,
  stored,
  chain,
};
for (const k of keys)
  console.log(
    `${k.padEnd(8)} ${Math.round(summary[k].rps).toString().padStart(6)} req/s · CPU ${summary[k].cpuMsPerRequest.toFixed(3)} ms/req · non-2xx ${summary[k].non2xx}`,
  );
console.log(`sequential durable commits on this disk: ${Math.round(commitsPerSecond)}/s (one writer, no group commit)`);
console.log(
  `app ${(result.appShareOfMinimal * 100).toFixed(0)} % of minimal; no-op costs ${result.noopCpuOverBareMs.toFixed(3)} ms CPU over the bare GET; logs stored ${stored} (acknowledged ${result.acknowledged}, warm-up and profiled round included in stored); audit chain ${chain.ok ? 'verifies' : `BROKEN at ${chain.brokenAt}`} (${chain.checked} rows)`,
);
if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
await bare.close();
await minimal.close();
await app.close();
await minimalAuditReset(url);
await database.close();
