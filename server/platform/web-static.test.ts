import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installSecurityHeaders } from './http.js';
import { API_COMPRESS_MIN_BYTES, IMMUTABLE, installApiCompression, registerWebApp, REVALIDATE } from './web-static.js';

let root: string;
let app: FastifyInstance;
const script = `console.log(${JSON.stringify('关怀'.repeat(2000))});\n`;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>关怀</title>');
  const asset = path.join(root, 'assets', 'app-Ab12Cd34.js');
  fs.writeFileSync(asset, script);
  fs.writeFileSync(`${asset}.br`, zlib.brotliCompressSync(script));
  fs.writeFileSync(`${asset}.gz`, zlib.gzipSync(script));
  app = Fastify();
  installSecurityHeaders(app, false);
  installApiCompression(app);
  app.get('/api/v1/big', async () => ({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `户${i}` })) }));
  app.get('/api/v1/small', async () => ({ ok: true }));
  await registerWebApp(app, root);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('web assets on the wire', () => {
  it('sends the brotli copy when the browser accepts it, gzip otherwise, the raw file to a client that asks for neither', async () => {
    const br = await app.inject({
      url: '/assets/app-Ab12Cd34.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(script) / 4);

    const gz = await app.inject({ url: '/assets/app-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(script);

    const plain = await app.inject({ url: '/assets/app-Ab12Cd34.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('caches hashed assets for a year and revalidates index.html, also when the client routes', async () => {
    const asset = await app.inject({ url: '/assets/app-Ab12Cd34.js', headers: { 'accept-encoding': 'br' } });
    expect(asset.headers['cache-control']).toBe(IMMUTABLE);
    for (const url of ['/index.html', '/families/123', '/todos']) {
      const page = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['cache-control'], url).toBe(REVALIDATE);
      expect(page.body, url).toContain('<title>关怀</title>');
      expect(page.headers.etag, url).toBeTruthy();
    }
  });

  it('answers 404 for a hashed asset this build does not have instead of index.html', async () => {
    const stale = await app.inject({ url: '/assets/app-OldHash1.js' });
    expect(stale.statusCode).toBe(404);
    expect(stale.headers['cache-control']).not.toBe(IMMUTABLE);
  });
});

describe('API JSON on the wire', () => {
  it('compresses a large answer for a browser and leaves small ones alone', async () => {
    const big = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(big.headers['content-encoding']).toBe('br');
    expect(big.headers.vary).toMatch(/Accept-Encoding/);
    expect(big.headers['cache-control']).toBe('no-store');
    const json = JSON.parse(zlib.brotliDecompressSync(big.rawPayload).toString());
    expect(json.items).toHaveLength(200);
    expect(Buffer.byteLength(JSON.stringify(json))).toBeGreaterThan(API_COMPRESS_MIN_BYTES);
    expect(Number(big.headers['content-length'])).toBe(big.rawPayload.length);

    const gz = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString()).items).toHaveLength(200);

    const none = await app.inject({ url: '/api/v1/big' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.json().items).toHaveLength(200);

    const small = await app.inject({ url: '/api/v1/small', headers: { 'accept-encoding': 'br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ ok: true });
  });

  it('answers an unknown API path with JSON 404, not the web app', async () => {
    const res = await app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
