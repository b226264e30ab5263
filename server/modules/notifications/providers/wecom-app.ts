import type { OutboundConfig, PushConfig } from '../../../platform/config.js';
import { scrub, sendOutbound, type OutboundResult } from '../../../platform/outbound.js';
import { fail, type PushOutcome, type PushProvider } from './provider.js';

type WecomAppConfig = NonNullable<PushConfig['wecomApp']>;

/** errcodes of an access token that is no longer good: fetch a new one and try once more. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** A retry may cure these: -1 system busy, 45009 frequency, 45033 too many concurrent calls. */
const TRANSIENT_ERRCODES = new Set([-1, 45009, 45033]);
/** A token is refreshed this long before WeCom says it expires (clocks differ, requests take time). */
const EARLY_MS = 5 * 60_000;

/**
 * 企业微信应用消息: `GET /cgi-bin/gettoken?corpid&corpsecret` gives an access token valid for
 * `expires_in` seconds (7,200), cached here until shortly before then and shared by concurrent sends;
 * `POST /cgi-bin/message/send?access_token=` with a text message to the account's WeCom userid.
 */
export function createWecomAppProvider(
  outbound: OutboundConfig,
  cfg: WecomAppConfig,
  now: () => Date = () => new Date(),
): PushProvider & { tokenFetches(): number } {
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<{ token: string } | { error: PushOutcome }> | null = null;
  let fetches = 0;

  function url(path: string): URL {
    const u = new URL(cfg.baseUrl);
    u.pathname = u.pathname.replace(/\/$/, '') + path;
    return u;
  }

  async function fetchToken(): Promise<{ token: string } | { error: PushOutcome }> {
    fetches += 1;
    const u = url('/cgi-bin/gettoken');
    u.searchParams.set('corpid', cfg.corpId);
    u.searchParams.set('corpsecret', cfg.secret);
    const res = await sendOutbound(outbound, { method: 'GET', url: u, secrets: [cfg.secret] });
    const a = answer(res, [cfg.secret]);
    if (a.kind !== 'ok') return { error: a.kind === 'error' ? a.error : fail('企业微信 access_token 无效', true) };
    const body = a.body;
    const token = typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) return { error: fail('企业微信未返回 access_token', true) };
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 7200;
    cached = { token, expiresAt: now().getTime() + seconds * 1000 - EARLY_MS };
    return { token };
  }

  async function accessToken(): Promise<{ token: string } | { error: PushOutcome }> {
    if (cached && now().getTime() < cached.expiresAt) return { token: cached.token };
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  return {
    channel: 'wecom_app',
    name: 'wecom_app',
    tokenFetches: () => fetches,
    async send(to, message): Promise<PushOutcome> {
      if (!to.wecomUserId) return fail('该账号未填写企业微信账号（userid），无法发送应用消息');
      for (let round = 0; round < 2; round++) {
        const t = await accessToken();
        if ('error' in t) return t.error;
        const u = url('/cgi-bin/message/send');
        u.searchParams.set('access_token', t.token);
        const res = await sendOutbound(outbound, {
          url: u,
          json: {
            touser: to.wecomUserId,
            msgtype: 'text',
            agentid: Number(cfg.agentId),
            text: { content: message.text },
            safe: 0,
          },
          secrets: [cfg.secret, t.token],
        });
        const a = answer(res, [cfg.secret, t.token], TOKEN_ERRCODES);
        if (a.kind === 'token') {
          // The token was revoked or expired early: forget it and ask for a new one, once.
          cached = null;
          continue;
        }
        if (a.kind === 'error') return a.error;
        const invalid = String(a.body.invaliduser ?? '')
          .split('|')
          .filter(Boolean);
        if (invalid.length) return fail('企业微信中没有该账号（invaliduser）：请在通知设置中核对企业微信账号');
        return { ok: true };
      }
      return fail('企业微信 access_token 连续失效', true);
    },
  };
}

type Answer = Record<string, unknown>;
function answer(
  res: OutboundResult,
  secrets: string[],
  tokenCodes?: Set<number>,
): { kind: 'ok'; body: Answer } | { kind: 'error'; error: PushOutcome } | { kind: 'token' } {
  if (!res.ok) return { kind: 'error', error: fail(res.error, res.transient) };
  const body = (res.body ?? {}) as Answer;
  const code = body.errcode;
  if (typeof code !== 'number') return { kind: 'error', error: fail('企业微信应答格式不正确', true) };
  if (code === 0) return { kind: 'ok', body };
  if (tokenCodes?.has(code)) return { kind: 'token' };
  const msg = scrub(String(body.errmsg ?? ''), secrets).slice(0, 100);
  return { kind: 'error', error: fail(`企业微信返回错误 ${code}（${msg}）`, TRANSIENT_ERRCODES.has(code)) };
}
