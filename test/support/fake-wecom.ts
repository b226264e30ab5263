import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake does with the next request: answer an errcode, hang, fail, or redirect. */
export type FakeBehaviour =
  { errcode: number; errmsg?: string } | { hang: true } | { status: number } | { redirect: string };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  body: Buffer;
  json: unknown;
  at: number;
}

/**
 * A real HTTP server on 127.0.0.1 that speaks the WeCom group robot's protocol (send, upload_media) and
 * records every request. Behaviours queued with `next()` are used in order, then it answers errcode 0.
 */
export async function startFakeWecom() {
  const requests: RecordedRequest[] = [];
  const queue: FakeBehaviour[] = [];
  const hanging = new Set<http.ServerResponse>();
  let media = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks);
      const contentType = String(req.headers['content-type'] ?? '');
      let json: unknown = null;
      if (contentType.includes('json')) json = JSON.parse(body.toString('utf8'));
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType,
        body,
        json,
        at: Date.now(),
      });
      const b = queue.shift();
      if (b && 'hang' in b) {
        hanging.add(res);
        return;
      }
      if (b && 'status' in b) return res.writeHead(b.status).end('error');
      if (b && 'redirect' in b) return res.writeHead(302, { location: b.redirect }).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      if (b) return res.end(JSON.stringify({ errcode: b.errcode, errmsg: b.errmsg ?? 'error' }));
      if (url.pathname.endsWith('/upload_media'))
        return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', type: 'file', media_id: `media-${++media}` }));
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    base: `http://127.0.0.1:${port}/cgi-bin/webhook/send`,
    requests,
    next(...b: FakeBehaviour[]) {
      queue.push(...b);
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type FakeWecom = Awaited<ReturnType<typeof startFakeWecom>>;
