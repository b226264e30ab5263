/**
 * The guarded place where the platform reads uploaded spreadsheets and writes xlsx files.
 * Upload flow: `inspectUpload(buf, filename)` → `readHeaderAndRows(buf, kind)` → validate every
 * row (refuse `isFormulaCell`, over-long cells, bad ID numbers) → write in one transaction.
 */
export { inspectUpload, DEFAULT_UPLOAD_LIMITS, type UploadLimits, type SpreadsheetKind } from './inspect-upload.js';
export {
  readRows,
  readHeaderAndRows,
  isFormulaCell,
  FORMULA_MARKER,
  MAX_CELL_CHARS,
  DEFAULT_MAX_ROWS,
  DEFAULT_MAX_COLUMNS,
  type ReadRowsOptions,
  type SheetRow,
} from './read-rows.js';
export { writeXlsx, contentDisposition, DEFAULT_DROPDOWN_ROWS, type XlsxColumn, type XlsxSheet } from './write-xlsx.js';
export { spreadsheetErrorCode, type SpreadsheetErrorCode } from './errors.js';
