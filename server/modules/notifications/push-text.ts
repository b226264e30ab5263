import { NOTIFICATION_KIND_LABELS, type NotificationKind } from '../../../common/labels.js';
import { maskName, scrubPushText } from '../../../common/mask.js';
import { cutUtf8 } from '../notices/wecom-robot.js';
import type { PushMessage } from './providers/index.js';

/** A WeCom text message may hold 2,048 bytes. */
const TEXT_MAX_BYTES = 2048;
/** An SMS template variable: Aliyun allows 35 characters, Tencent counts the whole message. */
const TITLE_MAX_CHARS = 20;

/** Every occurrence of a known name (a family member's, an account's) replaced by its mask: 张秀英 → 张某英. */
export function maskNames(text: string, names: readonly string[]): string {
  let out = text;
  const sorted = [...new Set(names.map((n) => n.trim()).filter((n) => Array.from(n).length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  for (const name of sorted) if (out.includes(name)) out = out.split(name).join(maskName(name));
  return out;
}

/**
 * The text that leaves the platform for a notification (R10, DESIGN.md §6): ID-number- and phone-shaped
 * digits masked whatever the caller wrote, and every name the platform knows that could be in it (the
 * linked family's members, the accounts) masked, so a pushed message never carries a full name.
 */
export function pushMessage(
  n: { kind: string; title: string; body: string; link: string | null },
  names: readonly string[],
  publicUrl: string,
): PushMessage {
  const clean = (t: string) => maskNames(scrubPushText(t), names);
  const title = clean(n.title);
  const body = clean(n.body);
  const link = n.link ? `\n${publicUrl}${n.link}` : '';
  const kind = n.kind as NotificationKind;
  return {
    kind,
    kindLabel: NOTIFICATION_KIND_LABELS[kind] ?? '提醒',
    title: Array.from(title).slice(0, TITLE_MAX_CHARS).join(''),
    text: cutUtf8(`【关怀】${title}\n${body}`, TEXT_MAX_BYTES - Buffer.byteLength(link)) + link,
  };
}
