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
