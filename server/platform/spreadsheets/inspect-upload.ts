/**
 * The gate every uploaded spreadsheet passes before anything unzips or parses it
 * (DESIGN.md §6 "Input"; ASVS 5.1.1, 5.2.1, 5.2.2, 5.2.3, 1.5.1; security-checklist §6.6).
 *
 * Accepted: `.xlsx` (a zip starting `PK\x03\x04` with an `xl/workbook.xml`, no macros) and `.csv`
 * (text in UTF-8 or GB18030, no NUL bytes). Everything else — `.xls`, `.xlsm`, a renamed `.exe`,
 * a zip bomb — is refused with `AppError.field('file', <中文>, <CODE>)` (HTTP 400).
 *
 * Order matters: size and magic bytes first (no parsing), then the zip central directory
 * (declared sizes, no inflating), and only then a bounded peek (≤ 4 kB inflated per entry) for
 * DTDs in XML parts and zips nested inside.
 */
import { MESSAGES, fileError, tooLarge } from './errors.js';
import { decodeCsv } from './csv.js';
import {
  containsDtd,
  openGuardedZip,
  readEntryPrefix,
  resolveLimits,
  startsWithZipMagic,
  type UploadLimits,
} from './zip-guard.js';

export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './zip-guard.js';

export type SpreadsheetKind = 'xlsx' | 'csv';

const PEEK_BYTES = 4096;

function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot < 0
    ? ''
    : base
        .slice(dot + 1)
        .trim()
        .toLowerCase();
}

export async function inspectUpload(
  buf: Buffer,
  filename: string,
  limits?: Partial<UploadLimits>,
): Promise<{ kind: SpreadsheetKind }> {
  const lim = resolveLimits(limits);
  if (buf.length > lim.maxBytes) throw tooLarge(lim.maxBytes);
  const ext = extensionOf(filename);
  if (ext === 'xlsx') {
    if (!startsWithZipMagic(buf)) throw fileError('FILE_TYPE', MESSAGES.fileType);
    await inspectXlsx(buf, lim);
    return { kind: 'xlsx' };
  }
  if (ext === 'csv') {
    // NUL bytes mean binary (an .exe, a UTF-16 file, a renamed xls); then the whole text must decode.
    if (buf.subarray(0, 8192).includes(0) || startsWithZipMagic(buf)) throw fileError('FILE_TYPE', MESSAGES.fileType);
    if (decodeCsv(buf) === null) throw fileError('FILE_TYPE', MESSAGES.fileType);
    return { kind: 'csv' };
  }
  if (ext === 'xlsm') throw fileError('FILE_TYPE', MESSAGES.macro);
  throw fileError('FILE_TYPE', MESSAGES.fileType);
}

async function inspectXlsx(buf: Buffer, lim: UploadLimits): Promise<void> {
  const guarded = await openGuardedZip(buf, lim);
  try {
    const { zip, entries } = guarded;
    if (!entries.has('[Content_Types].xml') || !entries.has('xl/workbook.xml')) {
      throw fileError('FILE_TYPE', MESSAGES.notWorkbook);
    }
    for (const [name, entry] of entries) {
      if (name.endsWith('/') || entry.uncompressedSize === 0) continue;
      const head = await readEntryPrefix(zip, entry, PEEK_BYTES);
      if (startsWithZipMagic(head)) throw fileError('ZIP_NESTED', MESSAGES.zipNested);
      if (/\.(xml|rels|vml)$/i.test(name) && containsDtd(head)) throw fileError('XML_ENTITY', MESSAGES.xmlEntity);
    }
  } finally {
    guarded.close();
  }
}
