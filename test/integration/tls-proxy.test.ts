import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from '../support/test-app.js';

/**
 * The platform behind a real nginx with TLS (issue 18 part 5): deploy/nginx/guanhuai.conf, ports and certificate
 * paths substituted, with a throwaway self-signed certificate, in front of the server in production mode. Proves
 * `Secure` + `__Host-` session cookies, HSTS, the client address nginx saw (not a forged X-Forwarded-For) in the
 * audit log with TRUST_PROXY, HTTP → HTTPS, and that production refuses plain HTTP without TRUST_PROXY.
 */
const NGINX = process.env.NGINX_PATH || '/usr/sbin/nginx';
const hasNginx = fs.existsSync(NGINX) && spawnSync('openssl', ['version']).status === 0;
if (!hasNginx)
  console.warn(`TLS proxy test SKIPPED: nginx not found at ${NGINX} (apt-get install -y nginx; .ci/run does)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-tls-'));
const ADMIN_PASSWORD = 'Proxy-Ops-Pass1!';
let appPort = 0;
let tlsPort = 0;
let httpPort = 0;
let server: ChildProcess | null = null;
let nginx: ChildProcess | null = null;
let output = '';
let nginxOutput = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function serverEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    GUANHUAI_DEMO: '',
    DATA_DIR: path.join(dir, 'data'),
    AUDIT_ANCHOR_FILE: path.join(dir, 'anchor.log'),
    GUANHUAI_MASTER_KEY: TEST_MASTER_KEY,
    DATABASE_URL: '',
    SERVE_WEB: 'false',
    PORT: String(appPort),
    TRUST_PROXY: 'true',
    COOKIE_SECURE: '',
    MFA_REQUIRED_ROLES: 'none',
    ...extra,
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTPS through nginx, from 127.0.0.2: a client address that differs from the proxy's own 127.0.0.1. */
function viaProxy(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: tlsPort,
        path: url,
        method,
        localAddress: '127.0.0.2',
        ca: fs.readFileSync(path.join(dir, 'cert.pem')),
        servername: 'localhost',
        headers: {
          host: 'localhost',
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function waitFor(check: () => Promise<boolean>, what: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`did not come up: ${what()}`);
}

beforeAll(async () => {
  if (!hasNginx) return;
  [appPort, tlsPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  // A throwaway certificate for localhost.
  const cert = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  expect(cert.status, cert.stderr).toBe(0);
  // The shipped site file, with this test's ports and paths.
  const site = fs
    .readFileSync('deploy/nginx/guanhuai.conf', 'utf8')
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${appPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('/etc/ssl/guanhuai/fullchain.pem', path.join(dir, 'cert.pem'))
    .replace('/etc/ssl/guanhuai/privkey.pem', path.join(dir, 'key.pem'))
    .replaceAll('guanhuai.example.gov.cn', 'localhost');
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  fs.mkdirSync(path.join(dir, 'nginx-temp'));
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'nginx-error.log')} warn;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${path.join(dir, 'nginx-access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (k) => `  ${k}_temp_path ${path.join(dir, 'nginx-temp', k)};`,
      ),
      `  include ${path.join(dir, 'site.conf')};`,
      '}',
    ].join('\n'),
  );
  const admin = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/create-admin.ts',
      '--username',
      'proxyadmin',
      '--name',
      '张管理',
      '--region',
      '420000000000',
    ],
    { env: { ...serverEnv(), ADMIN_PASSWORD }, encoding: 'utf8' },
  );
  expect(admin.status, admin.stderr).toBe(0);
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: serverEnv() });
  server.stdout!.on('data', (d) => (output += String(d)));
  server.stderr!.on('data', (d) => (output += String(d)));
  nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr!.on('data', (d) => (nginxOutput += String(d)));
  await waitFor(
    async () => (await viaProxy('GET', '/api/v1/health')).status === 200,
    () =>
      `${output}\n${nginxOutput}\n${fs.existsSync(path.join(dir, 'nginx-error.log')) ? fs.readFileSync(path.join(dir, 'nginx-error.log'), 'utf8') : ''}`,
  );
}, 90_000);

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (nginx && nginx.exitCode === null) nginx.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasNginx)('behind nginx with TLS', () => {
  it('sets a Secure __Host- session cookie and HSTS over HTTPS', async () => {
    const res = await viaProxy('POST', '/api/v1/auth/login', { username: 'proxyadmin', password: ADMIN_PASSWORD });
    expect(res.status, res.body).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-gh_session=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('records the address nginx saw in the audit log, not one the client forged', async () => {
    const res = await viaProxy(
      'POST',
      '/api/v1/auth/login',
      { username: 'proxyadmin', password: ADMIN_PASSWORD },
      { 'x-forwarded-for': '203.0.113.9' },
    );
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const db = new SqliteDatabase(path.join(dir, 'data', 'guanhuai.db'), { readonly: true });
    try {
      const rows = db
        .prepare("select ip from audit_events where action = 'auth.login' order by seq desc limit 2")
        .all() as Array<{ ip: string }>;
      expect(rows.map((r) => r.ip)).toEqual(['127.0.0.2', '127.0.0.2']);
    } finally {
      db.close();
    }
  });

  it('redirects plain HTTP to HTTPS and keeps /metrics off the proxy', async () => {
    const plain = await fetch(`http://127.0.0.1:${httpPort}/families`, {
      redirect: 'manual',
      headers: { host: 'localhost' },
    });
    expect(plain.status).toBe(301);
    // fetch sends its own Host (127.0.0.1): the redirect keeps host and path, on the HTTPS port.
    expect(plain.headers.get('location')).toBe('https://127.0.0.1/families');
    expect((await viaProxy('GET', '/metrics')).status).toBe(404);
  });

  it('refuses to start in production over plain HTTP without TRUST_PROXY', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: serverEnv({ TRUST_PROXY: '', PORT: String(await freePort()), DATA_DIR: path.join(dir, 'refused') }),
    });
    let text = '';
    child.stdout!.on('data', (d) => (text += String(d)));
    child.stderr!.on('data', (d) => (text += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(text).toContain('TRUST_PROXY');
    expect(fs.existsSync(path.join(dir, 'refused', 'guanhuai.db'))).toBe(false);
  }, 60_000);
});
