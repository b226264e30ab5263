import { z } from 'zod';

// C0 and C1 controls and DEL; tab, line feed and carriage return are what people type in long text.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Bidi embeddings, overrides and isolates: they make stored text read differently from what it holds
// (a name that displays reversed, a file name that hides its extension).
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
// A surrogate without its partner: JSON lets one through, the databases store it as U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` may not be stored as text, in Chinese, or null when it may. Shared by every text schema and the web. */
export function unsafeTextProblem(s: string, label: string): string | null {
  if (LONE_SURROGATE.test(s)) return `${label}含有无法识别的字符，请重新输入`;
  if (CONTROL.test(s)) return `${label}含有控制字符，请删除后重试`;
  if (BIDI_CONTROL.test(s)) return `${label}含有改变文字方向的控制字符，请删除后重试`;
  return null;
}

function refuseUnsafe(label: string) {
  return (s: string, ctx: z.RefinementCtx) => {
    const problem = unsafeTextProblem(s, label);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'TEXT_UNSAFE' } });
  };
}

/** Any string a person typed: refuses control and bidi-override characters and lone surrogates. Not trimmed. */
export function safeString(label: string) {
  return z.string().superRefine(refuseUnsafe(label));
}

/** A trimmed string of at most `max` characters; the message names the field in Chinese. */
export function text(max: number, label: string) {
  return z
    .string()
    .trim()
    .max(max, { error: `${label}不能超过 ${max} 个字` })
    .superRefine(refuseUnsafe(label));
}

/** As `text`, and not empty. */
export function requiredText(max: number, label: string) {
  return text(max, label).min(1, { error: `请填写${label}` });
}

/** Optimistic-locking version: a positive integer that fits the 32-bit column on both databases. */
export const Version = z.number({ error: '缺少版本号' }).int().min(1).max(2_147_483_647);

/**
 * Plausible dates. People (births, deaths) are no earlier than 1900; work records (visits, events, care,
 * deadlines, meetings) no earlier than 2016, the year the contact-person system began; nothing after 2099.
 */
export const DATE_BOUNDS = {
  personMin: '1900-01-01',
  workMin: '2016-01-01',
  max: '2099-12-31',
} as const;

function isRealDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

function boundedDay(min: string, what: string) {
  return z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 YYYY-MM-DD' })
    .refine(isRealDay, { error: '日期不存在' })
    .refine((s) => s >= min, { error: `${what}不能早于 ${min.slice(0, 4)} 年` })
    .refine((s) => s <= DATE_BOUNDS.max, { error: `日期不能晚于 ${DATE_BOUNDS.max.slice(0, 4)} 年` });
}

/** A civil date about a person (birth, death, archive entry): 1900–2099. */
export const PersonDate = boundedDay(DATE_BOUNDS.personMin, '日期');
/** A civil date of a work record: 2016–2099. */
export const WorkDate = boundedDay(DATE_BOUNDS.workMin, '工作记录的日期');

/** An instant of a work record (ISO 8601 with offset), 2016–2099 by its own calendar date. */
export const WorkInstant = z.iso
  .datetime({ offset: true, error: '时间格式不正确' })
  .refine((s) => s.slice(0, 10) >= DATE_BOUNDS.workMin, {
    error: `工作记录的时间不能早于 ${DATE_BOUNDS.workMin.slice(0, 4)} 年`,
  })
  .refine((s) => s.slice(0, 10) <= DATE_BOUNDS.max, { error: `时间不能晚于 ${DATE_BOUNDS.max.slice(0, 4)} 年` });

/** A `YYYY-MM` month no earlier than `minYear` and no later than 2099. */
export function monthString(label: string, minYear: number) {
  return z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: `${label}格式应为 YYYY-MM` })
    .refine((s) => Number(s.slice(0, 4)) >= minYear, { error: `${label}不能早于 ${minYear} 年` })
    .refine((s) => s.slice(0, 4) <= DATE_BOUNDS.max.slice(0, 4), {
      error: `${label}不能晚于 ${DATE_BOUNDS.max.slice(0, 4)} 年`,
    });
}

/** The month of a work report (`/compliance/…?month=`): 2016-01 … 2099-12. */
export const MonthParam = monthString('月份', Number(DATE_BOUNDS.workMin.slice(0, 4)));
