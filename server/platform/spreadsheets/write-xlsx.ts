/**
 * The one place the platform writes xlsx files (masked exports, import templates).
 *
 * - Every string goes through `safeCell` (formula injection, ASVS 1.2.10): `=1+1` is written as
 *   the text `'=1+1`. Numbers stay numbers, Dates become real dates formatted `yyyy-mm-dd`.
 * - The header row is bold and frozen.
 * - ID-number-like columns (`text: true`, or a header/key that looks like an ID, phone or other
 *   number-code column) get the text format `@` for the whole column, so an 18-digit ID typed
 *   into the template stays text instead of becoming 4.20101E+17, and numbers given for them are
 *   written as text.
 * - A column with `list` gets a dropdown (data validation) on rows 2..dropdownRows+1 (default
 *   2,000; never fewer than the rows written). Excel limits an inline list to 255 characters and
 *   cannot quote commas inside it, so longer lists live in a hidden sheet `_lists`.
 */
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { safeCell } from '../../../common/spreadsheet-safe.js';

export interface XlsxColumn {
  header: string;
  key: string;
  width?: number;
  /** Dropdown values. */
  list?: readonly string[];
  /** Force (true) or forbid (false) the text format; by default guessed from header and key. */
  text?: boolean;
}

export interface XlsxSheet {
  name: string;
  columns: XlsxColumn[];
  rows: Array<Record<string, unknown>>;
  /** Rows (after the header) that get the dropdowns. Default 2,000. */
  dropdownRows?: number;
}

export const DEFAULT_DROPDOWN_ROWS = 2000;
const LIST_SHEET = '_lists';
const INLINE_LIST_MAX = 255;

/** Headers/keys of columns that hold digit strings Excel would mangle as numbers. */
const TEXT_HEADER = /号|证件|电话|手机|联系方式|账户|帐户|账号|卡号|编码|代码/;
const TEXT_KEY = /(id_?(number|card|no)|phone|mobile|tel|telephone|account|card_?no|code)$/i;

function isTextColumn(col: XlsxColumn): boolean {
  if (typeof col.text === 'boolean') return col.text;
  return TEXT_HEADER.test(col.header) || TEXT_KEY.test(col.key);
}

export async function writeXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  // The streaming writer: rows are serialised as they are committed, so a 10,000-row export
  // does not hold 250,000 cell objects (the in-memory Workbook needed ~350 MB RSS and 2× the time).
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = finished(sink);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });

  const usedNames = new Set<string>();
  const listSheetName = uniqueSheetName(LIST_SHEET, usedNames);
  const lists: string[][] = [];

  for (const sheet of sheets.length ? sheets : [{ name: 'Sheet1', columns: [], rows: [] }]) {
    const ws = wb.addWorksheet(uniqueSheetName(sheet.name, usedNames), {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
    });
    const textCols = sheet.columns.map(isTextColumn);
    ws.columns = sheet.columns.map((col, i) => ({
      header: headerText(col.header),
      // Synthetic keys: a caller's key such as '__proto__' never becomes a property name here.
      key: `c${i}`,
      width: col.width ?? defaultWidth(col.header),
      ...(textCols[i] ? { style: { numFmt: '@' } } : {}),
    }));
    ws.getRow(1).font = { bold: true };

    const lastRow = Math.max(positiveInt(sheet.dropdownRows, DEFAULT_DROPDOWN_ROWS), sheet.rows.length) + 1;
    sheet.columns.forEach((col, i) => {
      if (!col.list || col.list.length === 0) return;
      const items = col.list.map(String);
      const joined = items.join(',');
      let formula: string;
      if (joined.length <= INLINE_LIST_MAX && !items.some((s) => s.includes(',') || s.includes('"'))) {
        formula = `"${joined}"`;
      } else {
        lists.push(items);
        const letter = columnLetter(lists.length);
        formula = `${quoteSheet(listSheetName)}!$${letter}$1:$${letter}$${items.length}`;
      }
      const letter = columnLetter(i + 1);
      dataValidations(ws).add(`${letter}2:${letter}${lastRow}`, {
        type: 'list',
        allowBlank: true,
        formulae: [formula],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: '输入有误',
        error: '请从下拉列表中选择',
      });
    });

    for (const record of sheet.rows) {
      const values: Record<string, ExcelJS.CellValue> = {};
      sheet.columns.forEach((col, i) => {
        const raw =
          record !== null && typeof record === 'object' && Object.hasOwn(record, col.key) ? record[col.key] : null;
        values[`c${i}`] = cellValue(raw, textCols[i]);
      });
      const row = ws.addRow(values);
      sheet.columns.forEach((_col, i) => {
        const v = values[`c${i}`];
        if (v instanceof Date) row.getCell(i + 1).numFmt = isMidnightUtc(v) ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
      });
      row.commit();
    }
    ws.commit();
  }

  if (lists.length) {
    const ls = wb.addWorksheet(listSheetName, { state: 'hidden' });
    const height = Math.max(...lists.map((l) => l.length));
    for (let r = 0; r < height; r += 1) {
      const row = ls.getRow(r + 1);
      lists.forEach((items, c) => {
        if (r < items.length) row.getCell(c + 1).value = safeCell(items[r]);
      });
      row.commit();
    }
    ls.commit();
  }

  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

interface DataValidationsApi {
  add(address: string, validation: ExcelJS.DataValidation): void;
}

/** `Worksheet.dataValidations` exists in ExcelJS 4.4.0 but is missing from its type definitions. */
function dataValidations(ws: ExcelJS.Worksheet): DataValidationsApi {
  return (ws as unknown as { dataValidations: DataValidationsApi }).dataValidations;
}

function headerText(header: string): string {
  const v = safeCell(header);
  return typeof v === 'string' ? v : String(v ?? '');
}

function cellValue(value: unknown, text: boolean): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number')
    return text ? safeCell(Number.isFinite(value) ? String(value) : null) : safeCell(value);
  if (typeof value === 'bigint') return safeCell(value.toString());
  if (typeof value === 'boolean') return text ? (value ? 'TRUE' : 'FALSE') : value;
  return safeCell(value);
}

function isMidnightUtc(d: Date): boolean {
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
}

function positiveInt(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Width in Excel character units: CJK characters count double. */
function defaultWidth(header: string): number {
  let w = 0;
  for (const ch of header) w += /[\u2E80-\uFFFF]/.test(ch) ? 2 : 1;
  return Math.max(10, Math.min(40, w + 4));
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** Excel sheet names: ≤ 31 characters, none of \ / ? * [ ] :, not starting or ending with '. */
function uniqueSheetName(wanted: string, used: Set<string>): string {
  let base = String(wanted ?? '')
    .replace(/[\\/?*[\]:\p{Cc}]/gu, '_')
    .replace(/^'+|'+$/g, '')
    .trim()
    .slice(0, 31);
  if (!base || base.toLowerCase() === 'history') base = 'Sheet';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n += 1) name = `${base.slice(0, 31 - `(${n})`.length)}(${n})`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * `Content-Disposition` for a download (ASVS 5.4.1/5.4.2): an ASCII fallback `filename="…"` and
 * the real name as RFC 5987 `filename*=UTF-8''…`. Quotes, slashes, backslashes, control
 * characters (CR/LF included) and format characters (e.g. U+202E, which can make `xlsx.exe` look
 * like `exe.xlsx`) are removed first, so the header cannot be split or spoofed.
 */
export function contentDisposition(filenameUtf8: string): string {
  const cleaned = String(filenameUtf8 ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}"\\/\u2028\u2029]/gu, '')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 200);
  const name = cleaned || 'export.xlsx';
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? 'xlsx';
  const ascii = /^[\x20-\x7e]+$/.test(name) ? name.replace(/[;%]/g, '_') : `export.${ext}`;
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
