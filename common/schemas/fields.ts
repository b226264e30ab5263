import { z } from 'zod';

/** A trimmed string of at most `max` characters; the message names the field in Chinese. */
export function text(max: number, label: string) {
  return z
    .string()
    .trim()
    .max(max, { error: `${label}不能超过 ${max} 个字` });
}

/** As `text`, and not empty. */
export function requiredText(max: number, label: string) {
  return text(max, label).min(1, { error: `请填写${label}` });
}

/** Optimistic-locking version: a positive integer that fits the 32-bit column on both databases. */
export const Version = z.number({ error: '缺少版本号' }).int().min(1).max(2_147_483_647);
