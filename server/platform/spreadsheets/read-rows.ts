/**
 * Streaming rows of the first sheet of an uploaded `.xlsx` or `.csv`, as trimmed strings or null.
 *
 * xlsx: the zip is re-checked (same central-directory guard as inspectUpload), then ExcelJS's
 * streaming `WorkbookReader` is fed a *clean* zip that this module assembles from yauzl's
 * size-checked inflater: only the parts needed (styles, shared strings, the first sheet) plus a
 * synthesized workbook.xml/rels. ExcelJS unzips with `unzipper.Parse`, which trusts the *local*
 * headers and inflates without a bound, so the raw upload must never reach it: a file whose
 * central directory passes the guard could otherwise still inflate without limit. Every byte
 * handed to ExcelJS is also scanned for `<!DOCTYPE`/`<!ENTITY` (refused: XML_ENTITY).
 *
 * Cell normalisation (both kinds): trimmed text, '' → null; Excel dates → 'YYYY-MM-DD' (or
 * 'YYYY-MM-DD HH:mm:ss' when there is a time of day); numbers → plain digits, never an exponent;
 * rich text → its plain text; booleans → 'TRUE'/'FALSE'; formulas → never evaluated, returned
 * as `FORMULA_MARKER + formula text` so the caller can refuse the cell ('单元格含公式').
 * A cell longer than MAX_CELL_CHARS keeps its first MAX_CELL_CHARS + 1 characters, so the
 * caller's own length check fails clearly instead of a silently truncated value passing.
 *
 * Rows whose cells are all empty are skipped. `rowNumber` is the sheet's row number (xlsx) or
 * the record number (csv), 1-based, header included — what the user sees in Excel.
 *
 * More than `maxRows` data rows (after the first non-empty row, the header) throws TOO_MANY_ROWS
 * *while iterating*: callers must validate the whole file before writing anything.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import type yauzl from 'yauzl';
import { MESSAGES, fileError, toFileError, tooLarge } from './errors.js';
import { decodeCsvOrThrow, parseCsvRecords } from './csv.js';
import { StoredZipWriter, Utf8ChunkAligner } from './stored-zip.js';
import {
  DtdScanner,
  containsDtd,
  openEntryStream,
  openGuardedZip,
  readEntryFully,
  resolveLimits,
  type GuardedZip,
  type UploadLimits,
} from './zip-guard.js';

export interface ReadRowsOptions {
  /** Most data rows (header excluded). Default 20,000. */
  maxRows?: number;
  /** Most columns holding a value. Default 200. */
  maxColumns?: number;
  /** Zip limits; defaults as in inspectUpload. */
  limits?: Partial<UploadLimits>;
}

export interface SheetRow {
  rowNumber: number;
  cells: (string | null)[];
}

/**
 * Prefix of the value yielded for a formula cell: `FORMULA_MARKER + '1+1'`. It starts with NUL,
 * which no XML text node and no accepted CSV can contain, so it never collides with user text.
 */
export const FORMULA_MARKER = '\u0000FORMULA:';

export function isFormulaCell(cell: string | null | undefined): boolean {
  return typeof cell === 'string' && cell.startsWith(FORMULA_MARKER);
}

export const MAX_CELL_CHARS = 2000;
export const DEFAULT_MAX_ROWS = 20_000;
export const DEFAULT_MAX_COLUMNS = 200;

export async function* readRows(
  buf: Buffer,
  kind: 'xlsx' | 'csv',
  opts?: ReadRowsOptions,
): AsyncGenerator<SheetRow, void, undefined> {
  const maxRows = positiveInt(opts?.maxRows, DEFAULT_MAX_ROWS);
  const maxColumns = positiveInt(opts?.maxColumns, DEFAULT_MAX_COLUMNS);
  const limits = resolveLimits(opts?.limits);
  // inspectUpload checked this already; repeated so a caller that skipped it is still bounded.
  if (buf.length > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const source = kind === 'xlsx' ? xlsxRows(buf, limits) : csvRows(buf);
  let dataRows = -1; // the first non-empty row is the header
  try {
    for await (const row of source) {
      let last = row.cells.length - 1;
      while (last >= 0 && row.cells[last] === null) last -= 1;
      if (last < 0) continue;
      if (last + 1 > maxColumns) throw fileError('TOO_MANY_COLUMNS', `列数超过上限 ${maxColumns} 列`);
      dataRows += 1;
      if (dataRows > maxRows) throw fileError('TOO_MANY_ROWS', `行数超过上限 ${maxRows} 行`);
      yield { rowNumber: row.rowNumber, cells: row.cells.slice(0, last + 1) };
    }
  } catch (err) {
    throw toFileError(err);
  }
}

/**
 * The header (first non-empty row, empty cells as '') and the remaining rows. Refuses an empty
 * file (EMPTY_FILE). `rows` continues the same stream; iterate it once.
 */
export async function readHeaderAndRows(
  buf: Buffer,
  kind: 'xlsx' | 'csv',
  opts?: ReadRowsOptions,
): Promise<{ header: string[]; headerRowNumber: number; rows: AsyncGenerator<SheetRow, void, undefined> }> {
  const rows = readRows(buf, kind, opts);
  const first = await rows.next();
  if (first.done) throw fileError('EMPTY_FILE', MESSAGES.empty);
  return { header: first.value.cells.map((c) => c ?? ''), headerRowNumber: first.value.rowNumber, rows };
}

function positiveInt(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

// ---------------------------------------------------------------------------------------------
// CSV

async function* csvRows(buf: Buffer): AsyncGenerator<SheetRow> {
  const text = decodeCsvOrThrow(buf);
  for (const { recordNumber, fields } of parseCsvRecords(text)) {
    yield { rowNumber: recordNumber, cells: fields.map(textCell) };
  }
}

// ---------------------------------------------------------------------------------------------
// xlsx

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

type Part = { name: string; data: Buffer } | { name: string; entry: yauzl.Entry };

async function* xlsxRows(buf: Buffer, limits: UploadLimits): AsyncGenerator<SheetRow> {
  const guarded = await openGuardedZip(buf, limits);
  let source: Readable | undefined;
  try {
    const parts = await planParts(guarded);
    source = Readable.from(cleanZip(guarded.zip, parts), { objectMode: false });

    // Errors of our source are not forwarded by pipe(); ExcelJS would wait forever. Race them.
    const race = failureRace(source);

    const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      // 'cache' (not 'ignore'): without the number formats a date is just a serial number.
      styles: 'cache',
      entries: 'ignore',
    });
    const sheets = reader[Symbol.asyncIterator]();
    const sheet = await race(sheets.next());
    if (sheet.done) throw fileError('FILE_TYPE', MESSAGES.notWorkbook);
    const rows = sheet.value[Symbol.asyncIterator]();
    for (;;) {
      const next = await race(rows.next());
      if (next.done) break;
      const row = next.value;
      const values = row.values as unknown;
      const cells: (string | null)[] = [];
      if (Array.isArray(values)) {
        for (let col = 1; col < values.length; col += 1) cells.push(xlsxCell(values[col]));
      }
      yield { rowNumber: row.number, cells };
    }
  } finally {
    source?.destroy();
    guarded.close();
  }
}

/**
 * `race(p)` settles like `p`, or rejects as soon as `stream` errors. Not `Promise.race` with one
 * long-lived pending promise: every such race leaves a reaction on it that keeps its settled
 * value (here: each row) reachable — measured at ~100 MB retained for 10,000 rows.
 */
function failureRace(stream: Readable): <T>(p: Promise<T>) => Promise<T> {
  let failed: { err: unknown } | undefined;
  const waiting = new Set<(err: unknown) => void>();
  stream.on('error', (err) => {
    failed = { err };
    for (const reject of waiting) reject(err);
    waiting.clear();
  });
  return <T>(p: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      if (failed) {
        p.catch(() => {});
        reject(failed.err);
        return;
      }
      waiting.add(reject);
      p.then(
        (value) => {
          waiting.delete(reject);
          resolve(value);
        },
        (err: unknown) => {
          waiting.delete(reject);
          reject(err);
        },
      );
    });
}

/** Decides which parts ExcelJS sees, in the order it needs them (so it never spools to temp files). */
async function planParts(guarded: GuardedZip): Promise<Part[]> {
  const { zip, entries } = guarded;
  const workbookEntry = entries.get('xl/workbook.xml');
  if (!workbookEntry) throw fileError('FILE_TYPE', MESSAGES.notWorkbook);
  const workbookXml = await readEntryFully(zip, workbookEntry);
  if (containsDtd(workbookXml)) throw fileError('XML_ENTITY', MESSAGES.xmlEntity);
  const relsEntry = entries.get('xl/_rels/workbook.xml.rels');
  const relsXml = relsEntry ? await readEntryFully(zip, relsEntry) : Buffer.alloc(0);
  if (containsDtd(relsXml)) throw fileError('XML_ENTITY', MESSAGES.xmlEntity);

  const sheetName = firstSheetPart(workbookXml.toString('utf8'), relsXml.toString('utf8'), entries);
  const sheetEntry = sheetName ? entries.get(sheetName) : undefined;
  if (!sheetEntry) throw fileError('FILE_TYPE', MESSAGES.notWorkbook);

  const date1904 = /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(
    workbookXml.toString('utf8'),
  );
  const parts: Part[] = [
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG_REL}">` +
          `<Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
          `<workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
  ];
  const styles = entries.get('xl/styles.xml');
  if (styles) parts.push({ name: 'xl/styles.xml', entry: styles });
  const shared = entries.get('xl/sharedStrings.xml');
  parts.push(
    shared
      ? { name: 'xl/sharedStrings.xml', entry: shared }
      : { name: 'xl/sharedStrings.xml', data: Buffer.from(`<sst xmlns="${NS_MAIN}" count="0" uniqueCount="0"/>`) },
  );
  parts.push({ name: 'xl/worksheets/sheet1.xml', entry: sheetEntry });
  return parts;
}

function attr(attrs: string, name: RegExp): string | undefined {
  const re = new RegExp(`(?:^|\\s)${name.source}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
  const m = re.exec(attrs);
  return m ? (m[1] ?? m[2]) : undefined;
}

function decodeXmlAttr(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'",
  );
}

/** The zip path of the first sheet in workbook order (falls back to the lowest-numbered sheet part). */
function firstSheetPart(workbookXml: string, relsXml: string, entries: Map<string, yauzl.Entry>): string | undefined {
  const sheet = /<(?:[\w.-]+:)?sheet\s([^>]*)>/.exec(workbookXml);
  const rid = sheet ? attr(sheet[1], /(?:[\w.-]+:)?id/) : undefined;
  if (rid) {
    const relRe = /<(?:[\w.-]+:)?Relationship\s([^>]*)>/g;
    for (let m = relRe.exec(relsXml); m; m = relRe.exec(relsXml)) {
      if (attr(m[1], /Id/) !== rid) continue;
      const target = attr(m[1], /Target/);
      if (!target) break;
      const decoded = decodeXmlAttr(target);
      const path = decoded.startsWith('/') ? decoded.slice(1) : `xl/${decoded.replace(/^\.\//, '')}`;
      if (entries.has(path) && !path.split('/').includes('..')) return path;
      break;
    }
  }
  const candidates = [...entries.keys()]
    .map((name) => ({ name, m: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name) }))
    .filter((c) => c.m)
    .sort((a, b) => Number(a.m?.[1]) - Number(b.m?.[1]));
  return candidates[0]?.name;
}

/** The clean zip handed to ExcelJS: stored entries, each byte from yauzl's bounded inflater. */
async function* cleanZip(zip: yauzl.ZipFile, parts: Part[]): AsyncGenerator<Buffer> {
  const writer = new StoredZipWriter();
  for (const part of parts) {
    if ('data' in part) {
      yield writer.localHeader({ name: part.name, size: part.data.length, crc32: zlib.crc32(part.data) });
      yield part.data;
      continue;
    }
    const { entry } = part;
    yield writer.localHeader({ name: part.name, size: entry.uncompressedSize, crc32: entry.crc32 });
    if (entry.uncompressedSize === 0) continue;
    const stream = await openEntryStream(zip, entry);
    const scanner = new DtdScanner();
    const aligner = new Utf8ChunkAligner();
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (scanner.push(chunk)) throw fileError('XML_ENTITY', MESSAGES.xmlEntity);
        const aligned = aligner.push(chunk);
        if (aligned.length) yield* splitUtf8(aligned, MAX_CHUNK_BYTES);
      }
    } catch (err) {
      throw toFileError(err);
    } finally {
      stream.destroy();
    }
    const rest = aligner.flush();
    if (rest.length) yield* splitUtf8(rest, MAX_CHUNK_BYTES);
  }
  yield writer.finish();
}

/**
 * ExcelJS turns each chunk it is given into SAX events all at once. A stored (uncompressed) part arrives
 * from yauzl as one chunk of up to 50 MB, which made a one-row sheet of millions of empty elements cost
 * over a gigabyte; bounded chunks keep the reader's memory bounded whatever the compression.
 */
const MAX_CHUNK_BYTES = 64 * 1024;

function* splitUtf8(buf: Buffer, max: number): Generator<Buffer> {
  let start = 0;
  while (buf.length - start > max) {
    let end = start + max;
    // Never cut inside a multi-byte character: step back over continuation bytes (10xxxxxx).
    while (end > start && (buf[end] & 0xc0) === 0x80) end -= 1;
    yield buf.subarray(start, end);
    start = end;
  }
  if (start < buf.length) yield buf.subarray(start);
}

// ---------------------------------------------------------------------------------------------
// Cells

function clip(text: string): string {
  return text.length > MAX_CELL_CHARS + 1 ? text.slice(0, MAX_CELL_CHARS + 1) : text;
}

function textCell(raw: string): string | null {
  const t = raw.trim();
  return t === '' ? null : clip(t);
}

function xlsxCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return textCell(value);
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (Object.hasOwn(v, 'formula') || Object.hasOwn(v, 'sharedFormula')) {
    const formula = typeof v.formula === 'string' ? v.formula : '';
    return clip(FORMULA_MARKER + formula);
  }
  if (Array.isArray(v.richText)) {
    return textCell(
      v.richText
        .map((run: unknown) =>
          run && typeof (run as { text?: unknown }).text === 'string' ? (run as { text: string }).text : '',
        )
        .join(''),
    );
  }
  if (Object.hasOwn(v, 'error')) return textCell(String(v.error));
  if (Object.hasOwn(v, 'text')) return xlsxCell(v.text);
  return null;
}

/**
 * A number as plain decimal digits, never `4.2e+17`. Note: an 18-digit ID number that was typed
 * into a number-formatted cell has already lost its last digits inside Excel (15 significant
 * digits; an 'X' check digit cannot be a number at all). We return what Excel shows, e.g.
 * '420101199001011000', and the caller's GB 11643 check-digit validation rejects it.
 */
export function plainNumber(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  if (Object.is(n, -0) || n === 0) return '0';
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const [intPart, frac = ''] = mantissa.split('.');
  const digits = intPart + frac;
  const point = intPart.length + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return clip((negative ? '-' : '') + out);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ExcelJS turns a date serial into a Date at UTC; read it back in UTC, to the second. */
function formatDate(d: Date): string | null {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  const t = new Date(Math.round(ms / 1000) * 1000);
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  if (t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && t.getUTCSeconds() === 0) return date;
  return `${date} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}
