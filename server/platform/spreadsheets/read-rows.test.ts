import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../errors.js';
import {
  FORMULA_MARKER,
  MAX_CELL_CHARS,
  isFormulaCell,
  plainNumber,
  readHeaderAndRows,
  readRows,
  type ReadRowsOptions,
  type SheetRow,
} from './read-rows.js';
import { writeXlsx } from './write-xlsx.js';
import { inspectUpload } from './inspect-upload.js';
import { buildXlsx, worksheetXml } from '../../../test/fixtures/zip-builder.js';
import { encodeGb18030 } from '../../../test/fixtures/gb18030.js';

async function collect(buf: Buffer, kind: 'xlsx' | 'csv', opts?: ReadRowsOptions): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const row of readRows(buf, kind, opts)) rows.push(row);
  return rows;
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).details[0]?.code;
  }
  return 'NO_ERROR';
}

const ID_X = '42010119900307002X';

describe('readRows: an xlsx written by writeXlsx comes back intact', () => {
  it('Chinese text, dates, ID numbers as text with X, numbers, booleans, a formula-looking string', async () => {
    const buf = await writeXlsx([
      {
        name: '花名册',
        columns: [
          { header: '姓名', key: 'name' },
          { header: '身份证号码', key: 'idNumber' },
          { header: '出生日期', key: 'birthDate' },
          { header: '登记时间', key: 'at' },
          { header: '人数', key: 'count' },
          { header: '金额', key: 'amount' },
          { header: '在世', key: 'alive' },
          { header: '备注', key: 'note' },
        ],
        rows: [
          {
            name: '  欧阳 娜娜 ',
            idNumber: ID_X,
            birthDate: new Date(Date.UTC(1990, 2, 7)),
            at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
            count: 3,
            amount: 1234.5,
            alive: true,
            note: '=1+1',
          },
          { name: '李四', idNumber: '420101199001011234', birthDate: '1991-02-03', count: 0, alive: false, note: '' },
          {},
          { name: '王五', note: '@SUM(A1)', amount: -0.25 },
        ],
      },
    ]);
    await expect(inspectUpload(buf, 'a.xlsx')).resolves.toEqual({ kind: 'xlsx' });
    const rows = await collect(buf, 'xlsx');
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['姓名', '身份证号码', '出生日期', '登记时间', '人数', '金额', '在世', '备注'] },
      { rowNumber: 2, cells: ['欧阳 娜娜', ID_X, '1990-03-07', '2024-01-02 03:04:05', '3', '1234.5', 'TRUE', "'=1+1"] },
      { rowNumber: 3, cells: ['李四', '420101199001011234', '1991-02-03', null, '0', null, 'FALSE'] },
      // row 4 is empty and skipped; the row number still says where the row is in the sheet
      { rowNumber: 5, cells: ['王五', null, null, null, null, '-0.25', null, "'@SUM(A1)"] },
    ]);
    expect(rows[1].cells[1]).toHaveLength(18);
  });

  it('readHeaderAndRows gives the header and continues with the data rows', async () => {
    const buf = await writeXlsx([
      {
        name: 's',
        columns: [
          { header: '姓名', key: 'a' },
          { header: '电话', key: 'b' },
        ],
        rows: [{ a: '张三', b: '13800001111' }],
      },
    ]);
    const { header, headerRowNumber, rows } = await readHeaderAndRows(buf, 'xlsx');
    expect(header).toEqual(['姓名', '电话']);
    expect(headerRowNumber).toBe(1);
    const rest: SheetRow[] = [];
    for await (const r of rows) rest.push(r);
    expect(rest).toEqual([{ rowNumber: 2, cells: ['张三', '13800001111'] }]);
    expect(await code(readHeaderAndRows(Buffer.from('\r\n\r\n'), 'csv'))).toBe('EMPTY_FILE');
  });

  it('reads the first sheet only', async () => {
    const buf = await writeXlsx([
      { name: '第一', columns: [{ header: 'A', key: 'a' }], rows: [{ a: 'first' }] },
      { name: '第二', columns: [{ header: 'B', key: 'b' }], rows: [{ b: 'second' }] },
    ]);
    expect((await collect(buf, 'xlsx')).map((r) => r.cells[0])).toEqual(['A', 'first']);
  });

  it('keeps every Chinese character across inflate chunk boundaries (5,000 rows)', async () => {
    const names = Array.from({ length: 5000 }, (_, i) => `测试家庭成员${i}号·湖北省武汉市江岸区`);
    const buf = await writeXlsx([
      { name: 's', columns: [{ header: '姓名', key: 'n' }], rows: names.map((n) => ({ n })) },
    ]);
    const rows = await collect(buf, 'xlsx');
    expect(rows.slice(1).map((r) => r.cells[0])).toEqual(names);
  });
});

describe('readRows: hand-built xlsx cells', () => {
  const row = (r: number, cells: string) => `<row r="${r}">${cells}</row>`;

  it('formulas are never evaluated: FORMULA_MARKER + formula text', async () => {
    const buf = await buildXlsx({
      sheet: worksheetXml(
        row(1, '<c r="A1" t="inlineStr"><is><t>h</t></is></c>') +
          row(2, '<c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>HYPERLINK("http://x","点")</f><v>点</v></c>') +
          row(3, '<c r="A3"><f t="shared" si="0" ref="A3:A4">ROW()</f><v>3</v></c>') +
          row(4, '<c r="A4"><f t="shared" si="0"/><v>4</v></c>'),
      ),
    });
    const rows = await collect(buf, 'xlsx');
    expect(rows[1].cells).toEqual([`${FORMULA_MARKER}1+1`, `${FORMULA_MARKER}HYPERLINK("http://x","点")`]);
    expect(rows[2].cells).toEqual([`${FORMULA_MARKER}ROW()`]);
    expect(isFormulaCell(rows[3].cells[0])).toBe(true);
    expect(isFormulaCell('=1+1')).toBe(false);
    expect(isFormulaCell(null)).toBe(false);
  });

  it('dates by built-in and custom formats, 1904 dates, booleans, errors, rich and inline text', async () => {
    const sheet = worksheetXml(
      row(
        1,
        '<c r="A1" s="1"><v>32939</v></c>' + // numFmtId 14
          '<c r="B1" s="2"><v>45293.5</v></c>' + // yyyy"年"m"月"d"日" h:mm
          '<c r="C1" t="b"><v>1</v></c><c r="D1" t="b"><v>0</v></c>' +
          '<c r="E1" t="e"><v>#N/A</v></c>' +
          '<c r="F1" t="s"><v>0</v></c>' +
          '<c r="G1" t="inlineStr"><is><t xml:space="preserve">  内联 文本  </t></is></c>' +
          '<c r="H1" t="s"><v>1</v></c>',
      ),
    );
    const buf = await buildXlsx({
      sheet,
      extraNumFmts: '<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot; h:mm"/>',
      extraXfs: '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
      sharedStrings: ['<si><r><rPr><b/></rPr><t>富</t></r><r><t>文本</t></r></si>', '<si><t>&lt;b&gt;&amp;</t></si>'],
    });
    const [r] = await collect(buf, 'xlsx');
    expect(r.cells).toEqual([
      '1990-03-07',
      '2024-01-02 12:00:00',
      'TRUE',
      'FALSE',
      '#N/A',
      '富文本',
      '内联 文本',
      '<b>&',
    ]);

    const b1904 = await buildXlsx({
      sheet: worksheetXml(row(1, '<c r="A1" s="1"><v>0</v></c>')),
      workbookPr: ' date1904="1"',
    });
    expect((await collect(b1904, 'xlsx'))[0].cells).toEqual(['1904-01-01']);
  });

  it('numbers come back as plain digits; an 18-digit ID typed as a number has lost digits', async () => {
    const buf = await buildXlsx({
      sheet: worksheetXml(
        row(
          1,
          '<c r="A1"><v>4.20101199001011E+17</v></c><c r="B1"><v>1E-7</v></c><c r="C1"><v>13800001111</v></c><c r="D1"><v>-0</v></c><c r="E1"><v>1.5E+21</v></c>',
        ),
      ),
    });
    const [r] = await collect(buf, 'xlsx');
    expect(r.cells).toEqual(['420101199001011000', '0.0000001', '13800001111', '0', '1500000000000000000000']);
    expect(plainNumber(Number.NaN)).toBeNull();
    expect(plainNumber(-1.25e-8)).toBe('-0.0000000125');
  });

  it('a cell longer than 2,000 characters keeps 2,001 so the caller sees it is too long', async () => {
    const long = '长'.repeat(3000);
    const buf = await buildXlsx({ sheet: worksheetXml(row(1, `<c r="A1" t="inlineStr"><is><t>${long}</t></is></c>`)) });
    const [r] = await collect(buf, 'xlsx');
    expect(r.cells[0]).toHaveLength(MAX_CELL_CHARS + 1);
    const csv = await collect(Buffer.from(`a\n${'x'.repeat(5000)}\n`), 'csv');
    expect(csv[1].cells[0]).toHaveLength(MAX_CELL_CHARS + 1);
  });

  it('follows workbook order to the first sheet, whatever its part is called', async () => {
    const buf = await buildXlsx({
      sheet: worksheetXml(row(1, '<c r="A1" t="inlineStr"><is><t>second</t></is></c>')),
      moreSheets: { 'worksheets/data.xml': worksheetXml(row(1, '<c r="A1" t="inlineStr"><is><t>first</t></is></c>')) },
      firstSheet: 'worksheets/data.xml',
    });
    expect((await collect(buf, 'xlsx'))[0].cells).toEqual(['first']);
  });

  it('refuses a DOCTYPE hidden after 4 kB of comment (beyond inspectUpload’s peek)', async () => {
    const sheet = `<?xml version="1.0"?><!--${' '.repeat(8000)}--><!DOCTYPE worksheet [<!ENTITY e "e">]>${worksheetXml('').replace(/^<\?xml[^>]*>\n/, '')}`;
    const buf = await buildXlsx({ sheet });
    await expect(inspectUpload(buf, 'a.xlsx')).resolves.toEqual({ kind: 'xlsx' });
    expect(await code(collect(buf, 'xlsx'))).toBe('XML_ENTITY');
  });

  it('malformed sheet XML is a FILE_CORRUPT refusal', async () => {
    const buf = await buildXlsx({ sheet: '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row>' });
    expect(await code(collect(buf, 'xlsx'))).toBe('FILE_CORRUPT');
  });
});

describe('readRows: limits', () => {
  it('more than maxRows data rows → TOO_MANY_ROWS (the header does not count)', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ a: `r${i}` }));
    const buf = await writeXlsx([{ name: 's', columns: [{ header: 'A', key: 'a' }], rows }]);
    expect(await collect(buf, 'xlsx', { maxRows: 5 })).toHaveLength(6);
    const err = await collect(buf, 'xlsx', { maxRows: 4 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details[0]).toEqual({ path: 'file', message: '行数超过上限 4 行', code: 'TOO_MANY_ROWS' });
    const csv = Buffer.from(['A', ...rows.map((r) => r.a)].join('\n'));
    expect(await code(collect(csv, 'csv', { maxRows: 4 }))).toBe('TOO_MANY_ROWS');
  });

  it('the default cap is 20,000 data rows', async () => {
    const csv = Buffer.from(`h\n${'x\n'.repeat(20_000)}`);
    expect(await collect(csv, 'csv')).toHaveLength(20_001);
    expect(await code(collect(Buffer.from(`h\n${'x\n'.repeat(20_001)}`), 'csv'))).toBe('TOO_MANY_ROWS');
  });

  it('more than maxColumns columns with values → TOO_MANY_COLUMNS', async () => {
    expect(await code(collect(Buffer.from(`${'a,'.repeat(250)}a\n`), 'csv'))).toBe('TOO_MANY_COLUMNS');
    // Trailing empty cells do not count.
    expect((await collect(Buffer.from(`a${','.repeat(300)}\n`), 'csv'))[0].cells).toEqual(['a']);
  });
});

describe('readRows: CSV', () => {
  it('BOM, quoted fields with "" escapes and embedded newlines, CRLF/LF/CR, blank lines', async () => {
    const text = '\uFEFF姓名,备注,电话\r\n"张三","他说""你好""\r\n第二行",13800001111\n\n 李四 ,"a,b",\r王五,,"=1+1"';
    const rows = await collect(Buffer.from(text, 'utf8'), 'csv');
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['姓名', '备注', '电话'] },
      { rowNumber: 2, cells: ['张三', '他说"你好"\r\n第二行', '13800001111'] },
      { rowNumber: 4, cells: ['李四', 'a,b'] },
      { rowNumber: 5, cells: ['王五', null, '=1+1'] },
    ]);
  });

  it('GB18030-encoded Chinese (Excel 另存为 CSV on a Chinese Windows)', async () => {
    const text = '姓名,身份证号,地址\r\n张三,42010119900307002X,"湖北省武汉市江岸区, 一号"\r\n';
    const gbk = encodeGb18030(text);
    expect(gbk.equals(Buffer.from(text))).toBe(false);
    await expect(inspectUpload(gbk, '名单.csv')).resolves.toEqual({ kind: 'csv' });
    expect((await collect(gbk, 'csv')).map((r) => r.cells)).toEqual([
      ['姓名', '身份证号', '地址'],
      ['张三', ID_X, '湖北省武汉市江岸区, 一号'],
    ]);
  });

  it('an unterminated quote is refused with the record number', async () => {
    const err = await collect(Buffer.from('a,b\n1,"2\n3,4\n'), 'csv').catch((e: unknown) => e);
    expect((err as AppError).details[0]).toMatchObject({ code: 'CSV_QUOTE', message: '第 2 行引号未闭合' });
  });

  it('text after a closing quote is kept; a trailing comma adds an empty field', async () => {
    const rows = await collect(Buffer.from('"a"b,c,\n'), 'csv');
    expect(rows[0].cells).toEqual(['ab', 'c']);
  });
});

describe('readRows never throws anything but AppError (fast-check)', () => {
  async function outcome(buf: Buffer, kind: 'xlsx' | 'csv'): Promise<'rows' | 'refused'> {
    try {
      for await (const r of readRows(buf, kind, { maxRows: 50 })) {
        expect(Array.isArray(r.cells)).toBe(true);
      }
      return 'rows';
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      expect(err.details[0]?.path).toBe('file');
      return 'refused';
    }
  }

  it('random bytes as .csv or .xlsx (500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }),
          fc.string({ unit: 'grapheme', maxLength: 300 }).map((s) => Buffer.from(s)),
        ),
        fc.constantFrom<'xlsx' | 'csv'>('xlsx', 'csv'),
        fc.boolean(),
        async (bytes, kind, zipMagic) => {
          const body = Buffer.from(bytes);
          const buf = zipMagic ? Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), body]) : body;
          await outcome(buf, kind);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a real xlsx with random bytes overwritten (500 runs)', async () => {
    const good = await writeXlsx([
      {
        name: 's',
        columns: [
          { header: '姓名', key: 'a' },
          { header: '身份证号', key: 'b' },
          { header: '日期', key: 'c' },
        ],
        rows: Array.from({ length: 30 }, (_, i) => ({ a: `张${i}`, b: ID_X, c: new Date(Date.UTC(2000, 0, i + 1)) })),
      },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (edits) => {
          const buf = Buffer.from(good);
          for (const [at, byte] of edits) buf[at] = byte;
          await outcome(buf, 'xlsx');
        },
      ),
      { numRuns: 500 },
    );
  });
});
