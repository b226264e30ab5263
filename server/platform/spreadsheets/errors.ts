/**
 * The refusals of the spreadsheet module. Each one is `AppError.field('file', <中文>, <CODE>)`:
 * HTTP 400 VALIDATION_FAILED with `details[0].code` naming the reason for machines.
 */
import { AppError } from '../errors.js';

export type SpreadsheetErrorCode =
  | 'FILE_TOO_LARGE'
  | 'FILE_TYPE'
  | 'FILE_CORRUPT'
  | 'ZIP_ENTRIES'
  | 'ZIP_BOMB'
  | 'ZIP_PATH'
  | 'ZIP_NESTED'
  | 'XML_ENTITY'
  | 'CSV_QUOTE'
  | 'TOO_MANY_ROWS'
  | 'TOO_MANY_COLUMNS'
  | 'EMPTY_FILE';

export const MESSAGES = {
  fileType: '仅支持 .xlsx 或 .csv 文件',
  macro: '不支持含宏的文件，请另存为 .xlsx 后再上传',
  notWorkbook: '文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 后再上传',
  corrupt: '文件已损坏或格式不正确，无法读取',
  zipEntries: '文件内部结构异常（条目过多），已拒绝',
  zipBomb: '文件解压后体积异常，疑似压缩炸弹，已拒绝',
  zipPath: '文件内部路径异常，已拒绝',
  zipNested: '文件内嵌有压缩包，已拒绝',
  xmlEntity: '文件包含不允许的 XML 声明（DOCTYPE/ENTITY），已拒绝',
  empty: '文件中没有数据',
} as const;

export function fileError(code: SpreadsheetErrorCode, message: string): AppError {
  return AppError.field('file', message, code);
}

export function tooLarge(maxBytes: number): AppError {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return fileError('FILE_TOO_LARGE', `文件过大，最大 ${mb} MB`);
}

/** The code a spreadsheet refusal carries in `details[0].code`, if `err` is one. */
export function spreadsheetErrorCode(err: unknown): string | undefined {
  return err instanceof AppError ? err.details[0]?.code : undefined;
}

/**
 * Anything that escapes a parser (yauzl, zlib, unzipper, saxes, our own code) becomes a refusal
 * that names the file; the original error is never shown to the user (it may quote file bytes).
 */
export function toFileError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : '';
  if (/^too many bytes in the stream/.test(message)) return fileError('ZIP_BOMB', MESSAGES.zipBomb);
  if (/^(invalid characters in fileName|absolute path|invalid relative path)/.test(message)) {
    return fileError('ZIP_PATH', MESSAGES.zipPath);
  }
  return fileError('FILE_CORRUPT', MESSAGES.corrupt);
}
