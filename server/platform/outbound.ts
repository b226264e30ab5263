import type { OutboundConfig } from './config.js';

/**
 * Every request the platform makes to another system goes through here (R10 outbound safety): only to a
 * host listed in WEBHOOK_ALLOWED_HOSTS, over https (plain http only to a listed loopback host, which is
 * what the tests' local fakes are), no redirect followed, a hard timeout. Secrets (a robot key, an access
 * token) are named by the caller and scrubbed from every error text, so none reaches a log or a row.
 */
export type OutboundResult =
  { ok: true; status: number; body: unknown } | { ok: false; transient: boolean; error: string; status?: number };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function checkOutboundUrl(config: OutboundConfig, url: URL): string | null {
  const host = url.hostname.toLowerCase();
  if (!config.allowedHosts.includes(host)) return `目标主机 ${host} 不在允许列表（WEBHOOK_ALLOWED_HOSTS）中`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(host)) return null;
  return '只允许 https 地址（仅列入允许列表的本机地址可用 http）';
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***').split(encodeURIComponent(s)).join('***');
  return out;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  url: URL;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** Raw body with its own content type (signed requests sign exactly these bytes). */
  body?: string;
  secrets: readonly string[];
}

export async function sendOutbound(config: OutboundConfig, req: OutboundRequest): Promise<OutboundResult> {
  const refused = checkOutboundUrl(config, req.url);
  if (refused) return { ok: false, transient: false, error: refused };
  const headers: Record<string, string> = { ...req.headers };
  let body: string | FormData | undefined = req.body;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  } else if (req.form) body = req.form;
  try {
    const res = await fetch(req.url, {
      method: req.method ?? 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      return {
        ok: false,
        transient: false,
        status: res.status,
        error: `对方返回重定向（HTTP ${res.status}），平台不跟随重定向`,
      };
    }
    const text = await res.text();
    if (res.status >= 500)
      return { ok: false, transient: true, status: res.status, error: `对方服务出错（HTTP ${res.status}）` };
    if (res.status >= 400)
      return { ok: false, transient: false, status: res.status, error: `对方拒绝请求（HTTP ${res.status}）` };
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: the caller decides what a plain answer means.
    }
    return { ok: true, status: res.status, body: parsed };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      return { ok: false, transient: true, error: `对方 ${config.timeoutMs / 1000} 秒内未应答（超时）` };
    return {
      ok: false,
      transient: true,
      error: scrub(`无法连接对方服务（${e.cause?.code ?? e.message ?? '网络错误'}）`, req.secrets),
    };
  }
}
