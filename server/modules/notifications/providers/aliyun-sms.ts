import { randomUUID } from 'node:crypto';
import type { OutboundConfig, PushConfig } from '../../../platform/config.js';
import { hmacSha1Base64 } from '../../../platform/crypto/vendor-signing.js';
import { scrub, sendOutbound } from '../../../platform/outbound.js';
import { fail, type PushOutcome, type PushProvider } from './provider.js';

type SmsConfig = NonNullable<PushConfig['sms']>;

/**
 * RFC 3986 percent-encoding as Aliyun's POP signature v1 requires: A–Z a–z 0–9 - _ . ~ stay, everything
 * else is %XY of its UTF-8 bytes (a space is %20, never +; * is %2A).
 */
export function popEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonicalized query: parameters sorted by name, names and values encoded, joined by & and =. */
export function popCanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${popEncode(k)}=${popEncode(params[k])}`)
    .join('&');
}

/**
 * Aliyun POP signature v1 (RPC style): StringToSign = METHOD & %2F & encode(canonicalized query);
 * Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
 */
export function popSignature(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
  const stringToSign = `${method}&${popEncode('/')}&${popEncode(popCanonicalQuery(params))}`;
  return hmacSha1Base64(`${secret}&`, stringToSign);
}

/** Codes a later try can cure (flow control, the service busy); anything else is final. */
const TRANSIENT = new Set([
  'Throttling',
  'Throttling.User',
  'isv.BUSINESS_LIMIT_CONTROL',
  'ServiceUnavailable',
  'InternalError',
]);

/**
 * Aliyun 短信服务 `SendSms` (API version 2017-05-25), a signed GET to `dysmsapi.aliyuncs.com`: only the
 * deployment's approved template (`SMS_TEMPLATE_CODE`) with two variables, `kind` and `title`.
 */
export function createAliyunSmsProvider(
  outbound: OutboundConfig,
  cfg: SmsConfig,
  now: () => Date = () => new Date(),
): PushProvider {
  return {
    channel: 'sms',
    name: 'aliyun',
    async send(to, message): Promise<PushOutcome> {
      if (!to.phone) return fail('该账号未填写手机号，无法发送短信');
      const params: Record<string, string> = {
        AccessKeyId: cfg.accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: to.phone,
        RegionId: cfg.region || 'cn-hangzhou',
        SignName: cfg.signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: randomUUID(),
        SignatureVersion: '1.0',
        TemplateCode: cfg.templateCode,
        TemplateParam: JSON.stringify({ kind: message.kindLabel, title: message.title }),
        Timestamp: now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        Version: '2017-05-25',
      };
      const signature = popSignature('GET', params, cfg.accessKeySecret);
      const url = new URL(cfg.baseUrl);
      url.pathname = '/';
      url.search = `?Signature=${popEncode(signature)}&${popCanonicalQuery(params)}`;
      const secrets = [cfg.accessKeySecret, to.phone];
      const res = await sendOutbound(outbound, { method: 'GET', url, secrets });
      if (!res.ok) return fail(res.error, res.transient);
      const body = (res.body ?? {}) as { Code?: string; Message?: string };
      if (body.Code === 'OK') return { ok: true };
      if (typeof body.Code !== 'string') return fail('阿里云短信应答格式不正确', true);
      return fail(
        `阿里云短信返回 ${body.Code}（${scrub(String(body.Message ?? ''), secrets).slice(0, 100)}）`,
        TRANSIENT.has(body.Code),
      );
    },
  };
}
