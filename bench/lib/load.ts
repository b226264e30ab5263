/**
 * The load generator, run as its own process so it does not share the server's event loop:
 * `node --import tsx bench/lib/load.ts <spec.json>` prints one JSON result line.
 * Each request takes the next pre-generated body (and path) in turn, across all connections.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { summarize, type Summary } from './stats.js';

/** The part of autocannon 9's API used here (the package ships no types; loaded untyped on purpose). */
interface Autocannon {
  (options: {
    url: string;
    connections: number;
    duration: number;
    method: string;
    headers: Record<string, string>;
    requests: Array<{
      setupRequest(req: Record<string, unknown>): Record<string, unknown>;
      onResponse(status: number, body: string): void;
    }>;
  }): PromiseLike<{
    non2xx: number;
    errors: number;
    timeouts: number;
    statusCodeStats?: Record<string, { count: number | string }>;
  }> & {
    on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  };
}
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Request i gets paths[i % n] and bodies[i % n]. */
  paths: string[];
  bodies?: string[];
  connections: number;
  durationSec: number;
}

export interface LoadResult {
  requests: number;
  durationSec: number;
  rps: number;
  latency: Summary;
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The first few non-2xx answers, to say why. */
  failures: string[];
  /** Every response time (ms), so rounds can be merged. */
  samples: number[];
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const failures: string[] = [];
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSec,
    headers: spec.headers,
    method: spec.method,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const i = next;
          next += 1;
          return {
            ...req,
            path: spec.paths[i % spec.paths.length],
            ...(spec.bodies ? { body: spec.bodies[i % spec.bodies.length] } : {}),
          };
        },
        onResponse: (status: number, body: string) => {
          if ((status < 200 || status > 299) && failures.length < 5) failures.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  const durationSec = Number(process.hrtime.bigint() - started) / 1e9;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = Number((stat as { count: number | string }).count);
  return {
    requests: latencies.length,
    durationSec,
    rps: latencies.length / durationSec,
    latency: summarize(latencies),
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures,
    samples: latencies.map((l) => Math.round(l * 100) / 100),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LoadSpec;
  runLoad(spec)
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
