/**
 * CSV decoding and an RFC 4180 parser. Chinese Excel and WPS save "CSV (逗号分隔)" in the ANSI code
 * page, i.e. GBK, so text that is not valid UTF-8 is decoded as GB18030 (a superset of GBK).
 */
import { MESSAGES, fileError } from './errors.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Decodes CSV bytes, or returns null when they are not text in UTF-8 or GB18030. */
export function decodeCsv(buf: Buffer): string | null {
  if (buf.includes(0)) return null;
  const hasBom = buf.subarray(0, 3).equals(UTF8_BOM);
  const body = hasBom ? buf.subarray(3) : buf;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    if (hasBom) return null;
  }
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

export function decodeCsvOrThrow(buf: Buffer): string {
  const text = decodeCsv(buf);
  if (text === null) throw fileError('FILE_TYPE', MESSAGES.fileType);
  return text;
}

/**
 * Records of an RFC 4180 text: `,` separates fields; CRLF, LF or a lone CR ends a record; a field
 * that starts with `"` is quoted, may contain separators and newlines, and `""` stands for `"`.
 * Like Excel, text after a closing quote is appended to the field (`"a"b` → `ab`).
 * An unterminated quote is refused rather than swallowing the rest of the file into one cell.
 * `recordNumber` counts every record from 1, blank ones included (what Excel shows as the row).
 */
export function* parseCsvRecords(text: string): Generator<{ recordNumber: number; fields: string[] }> {
  const n = text.length;
  let i = 0;
  let recordNumber = 0;
  while (i < n) {
    recordNumber += 1;
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i < n && text.charCodeAt(i) === 0x22 /* " */) {
        // Quoted field.
        const startRecord = recordNumber;
        i += 1;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw fileError('CSV_QUOTE', `第 ${startRecord} 行引号未闭合`);
          field += text.slice(i, q);
          if (text.charCodeAt(q + 1) === 0x22) {
            field += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
      }
      // Unquoted part (or the rest after a closing quote) up to a separator.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 0x2c /* , */ || c === 0x0a || c === 0x0d) break;
        j += 1;
      }
      field += text.slice(i, j);
      i = j;
      fields.push(field);
      field = '';
      if (i >= n) {
        endOfRecord = true;
      } else {
        const c = text.charCodeAt(i);
        i += 1;
        if (c === 0x0d) {
          if (text.charCodeAt(i) === 0x0a) i += 1;
          endOfRecord = true;
        } else if (c === 0x0a) {
          endOfRecord = true;
        } else if (i >= n) {
          // A trailing comma at the very end of the text: one more empty field.
          fields.push('');
          endOfRecord = true;
        }
      }
    }
    yield { recordNumber, fields };
  }
}
