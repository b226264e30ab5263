import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * How the web app and the API's JSON go on the wire — the one place for it, so that `tsx
 * server/main.ts` and a compiled server answer alike.
 *
 * Assets: the build writes `.br` and `.gz` beside every text file (scripts/vite-precompress.ts);
 * @fastify/static picks one by Accept-Encoding, so no asset is compressed per request. Names under
 * /assets/ carry a content hash: cached for a year and never revalidated. Everything else
 * (index.html, favicon) is `no-cache`: revalidated by ETag on every load, so a new release shows at once.
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export async function registerWebApp(app: FastifyInstance, root: string): Promise<void> {
  const assets = path.join(root, 'assets') + path.sep;
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    preCompressed: true,
    // send's own `public, max-age=0` would override ours.
    cacheControl: false,
    setHeaders(res, filePath) {
      res.setHeader('Cache-Control', filePath.startsWith(assets) ? IMMUTABLE : REVALIDATE);
      // The web app manifest (issue #17); sw.js, outside /assets/, is revalidated like index.html.
      if (/\.webmanifest(\.br|\.gz)?$/.test(filePath)) res.setHeader('Content-Type', 'application/manifest+json');
      res.setHeader('Vary', 'Accept-Encoding');
    },
  });
  // The web app routes on the client: any other non-API GET gets index.html.
  app.get('/*', { config: { isPublic: true }, schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/'))
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: '未找到', details: [], requestId: req.id } });
    // A hashed name that is not in this build (an old tab after a release) must not get index.html cached for a year.
    if (req.url.startsWith('/assets/'))
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: '未找到', details: [], requestId: req.id } });
    return reply.sendFile('index.html');
  });
}

/** Whether a built web app is there to serve. */
export function hasWebApp(root: string): boolean {
  return fs.existsSync(path.join(root, 'index.html'));
}

/**
 * JSON answers from 1,400 bytes up (about one TCP segment; below that compression saves nothing on
 * the wire) are compressed per request: brotli at quality 4 (fast, and smaller than gzip), else gzip
 * at level 6. Small answers — a saved visit, a login — go out as they are, costing no CPU.
 */
export const API_COMPRESS_MIN_BYTES = 1400;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

function pickEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
  const accepts = (name: string) =>
    value.split(',').some((part) => {
      const [token, ...params] = part.trim().split(';');
      if (token.trim() !== name && token.trim() !== '*') return false;
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return !q || Number(q.slice(2)) > 0;
    });
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

export function installApiCompression(app: FastifyInstance, minBytes = API_COMPRESS_MIN_BYTES): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (req.method === 'HEAD' || reply.hasHeader('content-encoding')) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/json')) return payload;
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size < minBytes) return payload;
    reply.header('Vary', 'Accept-Encoding');
    const encoding = pickEncoding(req.headers['accept-encoding']);
    if (!encoding) return payload;
    const body =
      encoding === 'br'
        ? await brotli(payload, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size },
          })
        : await gzip(payload, { level: 6 });
    reply.header('Content-Encoding', encoding);
    reply.removeHeader('content-length');
    return body;
  });
}
