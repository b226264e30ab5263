import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that speaks three push APIs and checks each request the way the vendor
 * does, written here from the vendors' documents and independently of the platform's code:
 *   - WeCom application message: `GET /cgi-bin/gettoken?corpid&corpsecret`, `POST /cgi-bin/message/send?access_token=`;
 *   - Aliyun SendSms (RPC, POP signature v1): `GET /?Signature=…&AccessKeyId=…&Action=SendSms…`;
 *   - Tencent Cloud SendSms 2021-01-11 (TC3-HMAC-SHA256 `Authorization` header): `POST /` with JSON.
 * A request whose signature does not verify is answered the vendor's error (SignatureDoesNotMatch,
 * AuthFailure.SignatureFailure); `checks` records each verification.
 */
export interface FakePushOptions {
  corpId: string;
  corpSecret: string;
  aliyun: { accessKeyId: string; secret: string; approvedTemplates: string[] };
  tencent: { secretId: string; secretKey: string; sdkAppId: string; approvedTemplates: string[] };
}

export interface Received {
  api: 'gettoken' | 'wecom_send' | 'aliyun' | 'tencent';
  verified: boolean;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  json: Record<string, unknown> | null;
  raw: string;
}

// — Aliyun POP signature v1, from the document "签名机制" (RPC): RFC 3986 encoding, sorted parameters.
function popEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/\+/g, '%20')
    .replace(/\*/g, '%2A')
    .replace(/%7E/g, '~')
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29');
}
export function verifyAliyun(method: string, rawQuery: string, secret: string): boolean {
  const pairs = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      return [decodeURIComponent(p.slice(0, i)), decodeURIComponent(p.slice(i + 1))] as const;
    });
  const given = pairs.find(([k]) => k === 'Signature')?.[1];
  if (!given) return false;
  const canonical = pairs
    .filter(([k]) => k !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${popEncode(k)}=${popEncode(v)}`)
    .join('&');
  const stringToSign = `${method}&${popEncode('/')}&${popEncode(canonical)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  return expected === given;
}

// — Tencent Cloud signature v3, from "签名方法 v3": canonical request over the signed headers as received.
export function verifyTencent(
  method: string,
  headers: http.IncomingHttpHeaders,
  body: string,
  secretId: string,
  secretKey: string,
): boolean {
  const auth = String(headers.authorization ?? '');
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return false;
  const [, id, date, service, signedHeaders, signature] = m;
  if (id !== secretId) return false;
  const timestamp = String(headers['x-tc-timestamp'] ?? '');
  if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) return false;
  const names = signedHeaders.split(';');
  if (!names.includes('content-type') || !names.includes('host')) return false;
  const canonicalHeaders = names
    .map(
      (h) =>
        `${h}:${String(headers[h] ?? '')
          .trim()
          .toLowerCase()}\n`,
    )
    .join('');
  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = [method, '/', '', canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const stringToSign = ['TC3-HMAC-SHA256', timestamp, `${date}/${service}/tc3_request`, sha256(canonical)].join('\n');
  const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();
  const kSigning = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  return hmac(kSigning, stringToSign).toString('hex') === signature;
}

export async function startFakePush(opts: FakePushOptions) {
  const received: Received[] = [];
  const wecomQueue: Array<{ errcode: number; errmsg?: string }> = [];
  const smsQueue: string[] = [];
  let tokenSerial = 0;
  const liveTokens = new Set<string>();
  const nonces = new Set<string>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      const json = raw && String(req.headers['content-type']).includes('json') ? JSON.parse(raw) : null;
      const reply = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const record = (api: Received['api'], verified: boolean) =>
        received.push({ api, verified, query, headers: req.headers, json, raw });

      if (url.pathname === '/cgi-bin/gettoken') {
        const ok = query.corpid === opts.corpId && query.corpsecret === opts.corpSecret;
        record('gettoken', ok);
        if (!ok) return reply({ errcode: 40001, errmsg: `invalid credential, corpsecret ${query.corpsecret}` });
        const token = `token-${++tokenSerial}`;
        liveTokens.add(token);
        return reply({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
      }
      if (url.pathname === '/cgi-bin/message/send') {
        const queued = wecomQueue.shift();
        if (queued?.errcode === 42001) liveTokens.delete(query.access_token);
        const tokenOk = liveTokens.has(query.access_token);
        const body = json as { touser?: string; msgtype?: string; agentid?: number; text?: { content?: string } };
        const shapeOk =
          typeof body?.touser === 'string' &&
          body.msgtype === 'text' &&
          typeof body.agentid === 'number' &&
          typeof body.text?.content === 'string';
        record('wecom_send', tokenOk && shapeOk);
        if (queued) return reply({ errcode: queued.errcode, errmsg: queued.errmsg ?? 'error' });
        if (!tokenOk) return reply({ errcode: 40014, errmsg: 'invalid access_token' });
        if (!shapeOk) return reply({ errcode: 40008, errmsg: 'invalid message type' });
        return reply({ errcode: 0, errmsg: 'ok', invaliduser: '' });
      }
      if (req.method === 'GET' && url.pathname === '/' && query.Action === 'SendSms') {
        const rawQuery = (req.url ?? '').split('?')[1] ?? '';
        const signed =
          query.AccessKeyId === opts.aliyun.accessKeyId && verifyAliyun('GET', rawQuery, opts.aliyun.secret);
        const fresh = !nonces.has(query.SignatureNonce);
        nonces.add(query.SignatureNonce);
        record('aliyun', signed && fresh);
        if (!signed) return reply({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' });
        if (!fresh) return reply({ Code: 'SignatureNonceUsed', Message: 'nonce used' });
        if (!opts.aliyun.approvedTemplates.includes(query.TemplateCode))
          return reply({ Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: 'template not approved' });
        const queued = smsQueue.shift();
        if (queued) return reply({ Code: queued, Message: `throttled for ${query.PhoneNumbers}` });
        return reply({ Code: 'OK', Message: 'OK', BizId: '1', RequestId: 'r' });
      }
      if (req.method === 'POST' && url.pathname === '/' && req.headers['x-tc-action'] === 'SendSms') {
        const signed = verifyTencent('POST', req.headers, raw, opts.tencent.secretId, opts.tencent.secretKey);
        record('tencent', signed);
        if (!signed)
          return reply({
            Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad signature' }, RequestId: 'r' },
          });
        const b = json as { SmsSdkAppId?: string; TemplateId?: string; PhoneNumberSet?: string[] };
        if (b.SmsSdkAppId !== opts.tencent.sdkAppId || !opts.tencent.approvedTemplates.includes(b.TemplateId ?? ''))
          return reply({
            Response: { Error: { Code: 'FailedOperation.TemplateIncorrectOrUnapproved', Message: 'x' } },
          });
        const queued = smsQueue.shift();
        if (queued) return reply({ Response: { Error: { Code: queued, Message: 'limit' }, RequestId: 'r' } });
        return reply({
          Response: {
            SendStatusSet: [{ Code: 'Ok', Message: 'send success', PhoneNumber: b.PhoneNumberSet?.[0] }],
            RequestId: 'r',
          },
        });
      }
      res.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** The next WeCom send answers this errcode (42001 also expires the token used). */
    nextWecom(...b: Array<{ errcode: number; errmsg?: string }>) {
      wecomQueue.push(...b);
    },
    /** The next SMS answers this vendor error code. */
    nextSms(...codes: string[]) {
      smsQueue.push(...codes);
    },
    reset() {
      received.length = 0;
      wecomQueue.length = 0;
      smsQueue.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type FakePush = Awaited<ReturnType<typeof startFakePush>>;
