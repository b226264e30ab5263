import type { OutboundConfig, PushConfig } from '../../../platform/config.js';
import { hmacSha256, sha256Hex } from '../../../platform/crypto/vendor-signing.js';
import { scrub, sendOutbound } from '../../../platform/outbound.js';
import { fail, type PushOutcome, type PushProvider } from './provider.js';

type SmsConfig = NonNullable<PushConfig['sms']>;

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';
export const TC3_SIGNED_HEADERS = 'content-type;host;x-tc-action';

/** The canonical request of a TC3-HMAC-SHA256 POST with a JSON body (no query string). */
export function tc3CanonicalRequest(host: string, action: string, payload: string): string {
  return [
    'POST',
    '/',
    '',
    `content-type:${TC3_CONTENT_TYPE}\nhost:${host}\nx-tc-action:${action.toLowerCase()}\n`,
    TC3_SIGNED_HEADERS,
    sha256Hex(payload),
  ].join('\n');
}

/**
 * Tencent Cloud API signature v3 (TC3-HMAC-SHA256): StringToSign = algorithm, timestamp, credential scope
 * (UTC date/service/tc3_request) and the hex SHA-256 of the canonical request; the signing key is
 * HMAC chained over "TC3"+SecretKey → date → service → "tc3_request"; the signature is hex.
 */
export function tc3Authorization(input: {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  action: string;
  payload: string;
  timestamp: number;
}): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(input.timestamp),
    scope,
    sha256Hex(tc3CanonicalRequest(input.host, input.action, input.payload)),
  ].join('\n');
  const kDate = hmacSha256(`TC3${input.secretKey}`, date);
  const kService = hmacSha256(kDate, input.service);
  const kSigning = hmacSha256(kService, 'tc3_request');
  const signature = hmacSha256(kSigning, stringToSign).toString('hex');
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${TC3_SIGNED_HEADERS}, Signature=${signature}`;
}

const TRANSIENT = new Set([
  'RequestLimitExceeded',
  'InternalError',
  'ResourceUnavailable',
  'FailedOperation.FailResolvePacket',
]);

/**
 * Tencent Cloud 短信 `SendSms` (API version 2021-01-11): a signed JSON POST to `sms.tencentcloudapi.com`,
 * only the deployment's approved template (`SMS_TEMPLATE_CODE`) with two parameters, kind and title.
 */
export function createTencentSmsProvider(
  outbound: OutboundConfig,
  cfg: SmsConfig,
  now: () => Date = () => new Date(),
): PushProvider {
  return {
    channel: 'sms',
    name: 'tencent',
    async send(to, message): Promise<PushOutcome> {
      if (!to.phone) return fail('该账号未填写手机号，无法发送短信');
      if (!cfg.sdkAppId) return fail('未配置腾讯云短信应用 SMS_SDK_APP_ID');
      const payload = JSON.stringify({
        PhoneNumberSet: [`+86${to.phone}`],
        SmsSdkAppId: cfg.sdkAppId,
        SignName: cfg.signName,
        TemplateId: cfg.templateCode,
        TemplateParamSet: [message.kindLabel, message.title],
      });
      const url = new URL(cfg.baseUrl);
      url.pathname = '/';
      const timestamp = Math.floor(now().getTime() / 1000);
      const authorization = tc3Authorization({
        secretId: cfg.accessKeyId,
        secretKey: cfg.accessKeySecret,
        service: 'sms',
        host: url.host,
        action: 'SendSms',
        payload,
        timestamp,
      });
      const secrets = [cfg.accessKeySecret, to.phone];
      const res = await sendOutbound(outbound, {
        url,
        body: payload,
        headers: {
          authorization,
          'content-type': TC3_CONTENT_TYPE,
          'x-tc-action': 'SendSms',
          'x-tc-timestamp': String(timestamp),
          'x-tc-version': '2021-01-11',
          'x-tc-region': cfg.region || 'ap-guangzhou',
        },
        secrets,
      });
      if (!res.ok) return fail(res.error, res.transient);
      const body = (res.body ?? {}) as {
        Response?: {
          Error?: { Code?: string; Message?: string };
          SendStatusSet?: Array<{ Code?: string; Message?: string }>;
        };
      };
      const err = body.Response?.Error;
      if (err?.Code)
        return fail(
          `腾讯云短信返回 ${err.Code}（${scrub(String(err.Message ?? ''), secrets).slice(0, 100)}）`,
          TRANSIENT.has(err.Code),
        );
      const status = body.Response?.SendStatusSet?.[0];
      if (!status?.Code) return fail('腾讯云短信应答格式不正确', true);
      if (status.Code === 'Ok') return { ok: true };
      return fail(
        `腾讯云短信返回 ${status.Code}（${scrub(String(status.Message ?? ''), secrets).slice(0, 100)}）`,
        TRANSIENT.has(status.Code),
      );
    },
  };
}
