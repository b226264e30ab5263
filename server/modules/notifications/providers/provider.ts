import type { NotificationKind } from '../../../../common/labels.js';

/**
 * One interface for every way a notification leaves the platform (R10 part 6): the WeCom application
 * message and SMS (Aliyun or Tencent Cloud). A provider gets text already masked (no ID number, phone or
 * full name: see push-text.ts) and answers whether a retry could help. Every request goes through
 * platform/outbound.ts (allowed hosts, https, timeout, no redirect); secrets are named there and
 * scrubbed from every error, so none reaches a log or a row.
 */
export interface PushMessage {
  kind: NotificationKind;
  /** The kind's Chinese name, e.g. 信访苗头预警. */
  kindLabel: string;
  /** Masked title (the SMS template's variable): at most 20 characters. */
  title: string;
  /** Masked full text with the link (the WeCom message). */
  text: string;
}

export interface PushRecipient {
  /** The account's mobile, decrypted only for the request. */
  phone: string | null;
  wecomUserId: string | null;
}

export type PushOutcome = { ok: true } | { ok: false; transient: boolean; error: string };

export interface PushProvider {
  readonly channel: 'wecom_app' | 'sms';
  /** 'wecom_app' | 'aliyun' | 'tencent': shown in the settings page, never a secret. */
  readonly name: string;
  send(to: PushRecipient, message: PushMessage): Promise<PushOutcome>;
}

export const fail = (error: string, transient = false): PushOutcome => ({ ok: false, transient, error });
