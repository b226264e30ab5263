/**
 * Summarises .cpuprofile files from bench/profile-writes.ts (issue 19 item 5):
 * `npx tsx bench/profile-summary.ts <a.cpuprofile> [more.cpuprofile …] [--top N]`
 *
 * Prints, over all samples that are not idle, the self time by package or app file (node_modules/<pkg>,
 * server/…, node:…), the top functions by self time, and the inclusive share of a few named stages of the
 * request (the frames whose function name or file matches), so a cut can be aimed at what costs.
 */
import fs from 'node:fs';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Node {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
}

const argv = process.argv.slice(2);
const topAt = argv.indexOf('--top');
const top = topAt >= 0 ? Number(argv.splice(topAt, 2)[1]) : 25;
const IDLE = new Set(['(idle)', '(root)']);

function owner(url: string): string {
  if (!url) return '';
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/(server|common|bench)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

/**
 * Native SQLite statement steps: the disk's part (the commit's fsync) and the engine's, not the app's JS. The app's
 * SQLite driver (server/platform/db/database.ts) calls better-sqlite3 directly, and V8 books those native calls as
 * the self time of its functions there.
 */
const isNativeSql = (f: Frame) =>
  (f.url === '' && /^(run|all|get|iterate)$/.test(f.functionName)) || /server\/platform\/db\/database\.ts$/.test(f.url);

// Inclusive stages: a sample counts for a stage when any frame on its stack matches.
const STAGES: Array<[string, (f: Frame) => boolean]> = [
  ['session lookup (auth hook)', (f) => /platform\/(auth|session)/.test(f.url)],
  ['zod (validation + serialisation)', (f) => /node_modules\/zod\//.test(f.url)],
  ['fastify-type-provider-zod', (f) => /fastify-type-provider-zod/.test(f.url)],
  ['kysely (executor; includes the SQLite steps it runs)', (f) => /node_modules\/kysely\//.test(f.url)],
  ['SQLite steps (better-sqlite3, via the driver)', isNativeSql],
  ['audit (audit-log.ts)', (f) => /platform\/audit\//.test(f.url)],
  ['crypto (sm3/sm4/hmac)', (f) => /platform\/crypto\/|sm-crypto|node:internal\/crypto/.test(f.url)],
  ['pino (request log)', (f) => /node_modules\/(pino|@pinojs|fast-redact)/.test(f.url)],
  ['contact-logs service', (f) => /contact-logs\.service/.test(f.url)],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
  ['idempotency', (f) => /idempotency/.test(f.url)],
  ['family locator', (f) => /family-locator/.test(f.url)],
  ['compliance facts', (f) => /compliance\//.test(f.url)],
  [
    'http response write (writev)',
    (f) => f.url === '' && /^(writev|writeString|writeUtf8String)$/.test(f.functionName),
  ],
  ['fastify routing/hooks', (f) => /node_modules\/(fastify|find-my-way|avvio|light-my-request)\//.test(f.url)],
  ['node http', (f) => /^node:_http/.test(f.url)],
];

const self = new Map<string, number>();
const selfFn = new Map<string, number>();
const stage = new Map<string, number>();
let total = 0;
let nativeSql = 0;
for (const file of argv) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const id of p.samples) {
    const n = byId.get(id)!;
    if (IDLE.has(n.callFrame.functionName)) continue;
    total += 1;
    if (isNativeSql(n.callFrame)) nativeSql += 1;
    const o = owner(n.callFrame.url) || n.callFrame.functionName;
    self.set(o, (self.get(o) ?? 0) + 1);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${owner(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    selfFn.set(fn, (selfFn.get(fn) ?? 0) + 1);
    const hit = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      for (const [name, test] of STAGES) if (test(f)) hit.add(name);
    }
    for (const h of hit) stage.set(h, (stage.get(h) ?? 0) + 1);
  }
}
const pct = (n: number) => `${((100 * n) / Math.max(1, total)).toFixed(1).padStart(5)} %`;
const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`samples (non-idle): ${total}; in SQLite's steps (the engine and the commit's fsync): ${pct(nativeSql)}`);
console.log('\nself time by package / file:');
for (const [k, v] of sorted(self)) console.log(`${pct(v)}  ${k}`);
console.log('\ntop functions (self):');
for (const [k, v] of sorted(selfFn)) console.log(`${pct(v)}  ${k}`);
console.log('\ninclusive, by stage (a sample may count in several):');
for (const [name] of STAGES) console.log(`${pct(stage.get(name) ?? 0)}  ${name}`);
