/**
 * Formula-injection guard for every cell we write to xlsx or CSV (ASVS 1.2.10, OWASP "CSV
 * injection"). A name typed as `=HYPERLINK("http://…","点击")` must reach the spreadsheet as text.
 *
 * Rule: a string whose first character, or first character after leading whitespace, is one of
 * `= + - @` (or their full-width forms ＝ ＋ － ＠, which some spreadsheet IMEs turn into formulas),
 * or which starts with tab, carriage return, line feed or NUL, gets a leading apostrophe — the
 * spreadsheet convention for "this is text". The original characters are kept, so nothing the
 * user typed is lost. A legitimate negative number typed as text ("-5") is also prefixed: that is
 * the price of the rule, and numbers should be written as numbers anyway.
 */

const DANGEROUS_START = /^(?:[\t\r\n\0]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

export function safeCell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  // NaN and Infinity have no cell representation that means the same thing in every reader.
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return escapeText(toText(value));
}

/** String() throws on objects without a prototype; an export must not fail on one odd cell. */
function toText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function escapeText(text: string): string {
  return DANGEROUS_START.test(text) ? `'${text}` : text;
}
