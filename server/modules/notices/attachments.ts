import { inflateSync } from 'node:zlib';
import { CLASSIFIED_MARKINGS } from '../../../common/labels.js';
import { AppError } from '../../platform/errors.js';
import {
  DEFAULT_UPLOAD_LIMITS,
  openGuardedZip,
  readEntryFully,
  startsWithZipMagic,
} from '../../platform/spreadsheets/zip-guard.js';

export type AttachmentType = 'pdf' | 'xlsx' | 'docx';
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The confidentiality marking words found in a text (绝密 / 机密 / 秘密), in that order. */
export function classifiedMarkings(text: string): string[] {
  return CLASSIFIED_MARKINGS.filter((w) => text.includes(w));
}

/**
 * What the file is, by its bytes and never by its name: a PDF starts with `%PDF-`, an xlsx or docx is
 * a zip (opened through the upload guard: sizes, ratio, names checked before inflating) holding the
 * workbook or document part. Anything else — an executable renamed .pdf — is refused. The extension
 * must then agree with the content, so what people download is what it says it is.
 */
export async function inspectAttachment(
  bytes: Buffer,
  fileName: string,
): Promise<{ type: AttachmentType; markings: string[] }> {
  if (bytes.length === 0) throw AppError.field('file', '文件为空', 'EMPTY_FILE');
  if (bytes.length > ATTACHMENT_MAX_BYTES) throw AppError.field('file', '附件过大，最大 10 MB', 'FILE_TOO_LARGE');
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  let type: AttachmentType;
  let text: string;
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    type = 'pdf';
    text = pdfText(bytes);
  } else if (startsWithZipMagic(bytes)) {
    const zip = await openGuardedZip(bytes, DEFAULT_UPLOAD_LIMITS);
    try {
      if (zip.entries.has('word/document.xml')) type = 'docx';
      else if (zip.entries.has('xl/workbook.xml')) type = 'xlsx';
      else throw AppError.field('file', '文件不是有效的 .docx 或 .xlsx 文档', 'FILE_TYPE');
      const parts: string[] = [];
      for (const [name, entry] of zip.entries)
        if (/\.xml$/i.test(name)) parts.push((await readEntryFully(zip.zip, entry)).toString('utf8'));
      // Word splits a word over several runs: the marking is looked for in the text with the tags removed.
      text = parts.map((x) => x.replace(/<[^>]*>/g, '')).join('\n');
    } finally {
      zip.close();
    }
  } else {
    throw AppError.field('file', '只能上传 PDF、xlsx 或 docx 文件（按文件内容识别，与扩展名无关）', 'FILE_TYPE');
  }
  if (ext !== type)
    throw AppError.field(
      'file',
      `文件内容是 ${type.toUpperCase()}，但扩展名是 .${ext ?? ''}，请改正后再上传`,
      'FILE_TYPE',
    );
  return { type, markings: classifiedMarkings(text) };
}

/**
 * The text a PDF shows, as far as it can be read without a PDF engine: the raw bytes and every
 * FlateDecode stream inflated (bounded), read as UTF-8 and as UTF-16BE. A PDF whose fonts map glyphs
 * privately cannot be read this way; the author's declaration still stands behind it.
 */
function pdfText(bytes: Buffer): string {
  const chunks: Buffer[] = [bytes];
  const raw = bytes.toString('latin1');
  let budget = 50 * 1024 * 1024;
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) && budget > 0) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      const out = inflateSync(bytes.subarray(start, end), { maxOutputLength: Math.min(budget, 10 * 1024 * 1024) });
      chunks.push(out);
      budget -= out.length;
    } catch {
      // Not a Flate stream (an image, a font): nothing to read.
    }
    re.lastIndex = end;
  }
  return chunks.map((c) => c.toString('utf8') + '\n' + utf16be(c)).join('\n');
}

function utf16be(buf: Buffer): string {
  const even = buf.subarray(0, buf.length - (buf.length % 2));
  const swapped = Buffer.from(even);
  swapped.swap16();
  return swapped.toString('utf16le');
}
