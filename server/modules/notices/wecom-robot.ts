import type { OutboundConfig } from '../../platform/config.js';
import { sendOutbound, type OutboundResult } from '../../platform/outbound.js';

/**
 * The WeCom group robot (企业微信群机器人): `POST {WECOM_WEBHOOK_BASE}?key=KEY` with a markdown or file
 * message; a file is first uploaded to `upload_media` (same path, last segment replaced). The key is a
 * secret: it is only ever put in the query string here and scrubbed from every error.
 */
export const MARKDOWN_MAX_BYTES = 4096;

export type RobotOutcome = { ok: true; mediaId?: string } | { ok: false; transient: boolean; error: string };

/** errcodes that a retry can cure: 45009 api freq out of limit, -1 system busy. */
const TRANSIENT_ERRCODES = new Set([45009, -1]);
const ERRCODE_TEXT: Record<number, string> = {
  45009: '企业微信限流（45009 api freq out of limit）',
  93000: '机器人 key 无效（93000 invalid webhook url）：请在群机器人设置中复制 key= 后面的部分重新填写',
  [-1]: '企业微信系统繁忙（-1）',
};

function robotUrl(config: OutboundConfig, key: string, upload = false): URL {
  const url = new URL(config.wecomWebhookBase);
  if (upload) {
    url.pathname = url.pathname.replace(/\/[^/]*$/, '/upload_media');
    url.searchParams.set('key', key);
    url.searchParams.set('type', 'file');
  } else url.searchParams.set('key', key);
  return url;
}

function interpret(result: OutboundResult): RobotOutcome & { body?: Record<string, unknown> } {
  if (!result.ok) return result;
  const body = (result.body ?? {}) as { errcode?: number; errmsg?: string; media_id?: string };
  if (typeof body.errcode !== 'number') return { ok: false, transient: true, error: '企业微信应答格式不正确' };
  if (body.errcode === 0) return { ok: true, mediaId: body.media_id };
  return {
    ok: false,
    transient: TRANSIENT_ERRCODES.has(body.errcode),
    error:
      ERRCODE_TEXT[body.errcode] ?? `企业微信返回错误 ${body.errcode}（${String(body.errmsg ?? '').slice(0, 100)}）`,
  };
}

export async function sendMarkdown(config: OutboundConfig, key: string, content: string): Promise<RobotOutcome> {
  return interpret(
    await sendOutbound(config, {
      url: robotUrl(config, key),
      json: { msgtype: 'markdown', markdown: { content } },
      secrets: [key],
    }),
  );
}

export async function sendFile(
  config: OutboundConfig,
  key: string,
  file: { fileName: string; bytes: Buffer },
): Promise<RobotOutcome> {
  const form = new FormData();
  form.append('media', new Blob([new Uint8Array(file.bytes)]), file.fileName);
  const uploaded = interpret(await sendOutbound(config, { url: robotUrl(config, key, true), form, secrets: [key] }));
  if (!uploaded.ok) return uploaded;
  if (!uploaded.mediaId) return { ok: false, transient: true, error: '企业微信未返回 media_id' };
  return interpret(
    await sendOutbound(config, {
      url: robotUrl(config, key),
      json: { msgtype: 'file', file: { media_id: uploaded.mediaId } },
      secrets: [key],
    }),
  );
}

/** Cuts a UTF-8 string to at most `max` bytes without splitting a character. */
export function cutUtf8(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** The robot's markdown: the whole notice when it fits in 4,096 bytes, else a summary and the link. */
export function robotMarkdown(notice: { title: string; body: string; countyName: string }, link: string): string {
  const head = `**${notice.title}**\n\n`;
  const foot = `\n\n> ${notice.countyName}卫生健康局 发布`;
  const whole = head + notice.body + foot;
  if (Buffer.byteLength(whole) <= MARKDOWN_MAX_BYTES) return whole;
  const more = `\n\n……（全文较长，请登录平台查看：[查看全文](${link})）${foot}`;
  const room = MARKDOWN_MAX_BYTES - Buffer.byteLength(head) - Buffer.byteLength(more);
  return head + cutUtf8(notice.body, Math.min(room, 1500)) + more;
}
