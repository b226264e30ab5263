import { describe, it, expect } from 'vitest';
import ExcelJS from 'exceljs';
import { contentDisposition, writeXlsx, type XlsxColumn } from './write-xlsx.js';
import { readRows } from './read-rows.js';
import { DEFAULT_UPLOAD_LIMITS, openGuardedZip, readEntryFully } from './zip-guard.js';

/** Our own output is trusted, so the in-memory ExcelJS reader may inspect it. */
async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** The `<dataValidation>` elements of a sheet part as written: sqref → formula1. */
async function validations(buf: Buffer, part = 'xl/worksheets/sheet1.xml'): Promise<Record<string, string>> {
  const guarded = await openGuardedZip(buf, DEFAULT_UPLOAD_LIMITS);
  try {
    const entry = guarded.entries.get(part);
    if (!entry) throw new Error(`no ${part}`);
    const xml = (await readEntryFully(guarded.zip, entry)).toString('utf8');
    const out: Record<string, string> = {};
    for (const m of xml.matchAll(/<dataValidation ([^>]*)><formula1>([^<]*)<\/formula1>/g)) {
      expect(m[1]).toContain('type="list"');
      const sqref = /sqref="([^"]*)"/.exec(m[1])?.[1] ?? '';
      out[sqref] = m[2].replace(/&quot;/g, '"').replace(/&apos;/g, "'");
    }
    return out;
  } finally {
    guarded.close();
  }
}

describe('writeXlsx', () => {
  it('bold frozen header; strings escaped with safeCell; numbers stay numbers', async () => {
    const buf = await writeXlsx([
      {
        name: '导出',
        columns: [
          { header: '=姓名', key: 'name' },
          { header: '说明', key: 'note' },
          { header: '人数', key: 'n' },
        ],
        rows: [
          { name: '=HYPERLINK("http://evil.example","点击")', note: '+1', n: 3 },
          { name: '@SUM(A1)', note: '\t=1', n: -2 },
          { name: '－1', note: '普通文本', n: 1.5 },
        ],
      },
    ]);
    const ws = (await load(buf)).getWorksheet('导出');
    expect(ws).toBeDefined();
    if (!ws) return;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getCell('A1').value).toBe("'=姓名");
    expect(ws.getCell('A2').value).toBe('\'=HYPERLINK("http://evil.example","点击")');
    expect(ws.getCell('B2').value).toBe("'+1");
    expect(ws.getCell('A3').value).toBe("'@SUM(A1)");
    expect(ws.getCell('B3').value).toBe("'\t=1");
    expect(ws.getCell('A4').value).toBe("'－1");
    expect(ws.getCell('B4').value).toBe('普通文本');
    expect([ws.getCell('C2').value, ws.getCell('C3').value, ws.getCell('C4').value]).toEqual([3, -2, 1.5]);
    // No cell anywhere holds a formula.
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('ID-number-like columns are text (@) for the whole column, numbers in them become text', async () => {
    const columns: XlsxColumn[] = [
      { header: '身份证号码', key: 'idNumber' },
      { header: '联系电话', key: 'tel' },
      { header: '证件', key: 'x', text: false },
      { header: '数量', key: 'n' },
      { header: '其他', key: 'code', text: true },
    ];
    const buf = await writeXlsx([
      { name: 's', columns, rows: [{ idNumber: '42010119900307002X', tel: 13800001111, x: 1, n: 2, code: 7 }] },
    ]);
    const ws = (await load(buf)).worksheets[0];
    expect([1, 2, 3, 4, 5].map((c) => ws.getColumn(c).numFmt ?? null)).toEqual(['@', '@', null, null, '@']);
    expect(ws.getCell('A2').value).toBe('42010119900307002X');
    expect(ws.getCell('A2').numFmt).toBe('@');
    expect(ws.getCell('B2').value).toBe('13800001111');
    expect(ws.getCell('C2').value).toBe(1);
    expect(ws.getCell('E2').value).toBe('7');
  });

  it('dropdowns: inline when short, a hidden sheet when long or when an item has a comma', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `湖北省某某县第${i}乡镇`);
    const buf = await writeXlsx([
      {
        name: '模板',
        columns: [
          { header: '姓名', key: 'name' },
          { header: '类别', key: 'kind', list: ['独生子女死亡', '独生子女伤残'] },
          { header: '乡镇', key: 'town', list: long },
          { header: '备注', key: 'm', list: ['a,b', '=危险'] },
        ],
        rows: [],
      },
    ]);
    const wb = await load(buf);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['模板', 'visible'],
      ['_lists', 'hidden'],
    ]);
    expect(await validations(buf)).toEqual({
      'B2:B2001': '"独生子女死亡,独生子女伤残"',
      'C2:C2001': "'_lists'!$A$1:$A$60",
      'D2:D2001': "'_lists'!$B$1:$B$2",
    });
    expect(wb.worksheets[0].getCell('B2001').dataValidation).toMatchObject({ type: 'list', showErrorMessage: true });
    const lists = wb.getWorksheet('_lists');
    expect(lists?.getCell('A60').value).toBe(long[59]);
    expect(lists?.getCell('B2').value).toBe("'=危险");
    // The template reads back as a header and no data rows.
    const rows = [];
    for await (const r of readRows(buf, 'xlsx')) rows.push(r);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['姓名', '类别', '乡镇', '备注'] }]);
  });

  it('dropdownRows sets the validated range', async () => {
    const buf = await writeXlsx([
      { name: 's', columns: [{ header: 'a', key: 'a', list: ['是', '否'] }], rows: [], dropdownRows: 10 },
    ]);
    expect(await validations(buf)).toEqual({ 'A2:A11': '"是,否"' });
    const more = await writeXlsx([
      {
        name: 's',
        columns: [{ header: 'a', key: 'a', list: ['是'] }],
        rows: [{ a: '是' }, { a: '否' }],
        dropdownRows: 1,
      },
    ]);
    // Never fewer than the rows written.
    expect(await validations(more)).toEqual({ 'A2:A3': '"是"' });
  });

  it('sanitises and de-duplicates sheet names; odd keys do not pollute prototypes', async () => {
    const rows = [
      JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c", "name": "n"}') as Record<string, unknown>,
    ];
    const buf = await writeXlsx([
      {
        name: 'a/b:c*?[d]',
        columns: [
          { header: 'x', key: 'constructor' },
          { header: 'y', key: '__proto__' },
        ],
        rows,
      },
      { name: 'a/b:c*?[d]', columns: [{ header: 'n', key: 'name' }], rows: [{}] },
      { name: '一个非常非常非常非常非常非常非常非常非常非常长的工作表名称超过三十一个字', columns: [], rows: [] },
    ]);
    const wb = await load(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'a_b_c___d_',
      'a_b_c___d_(2)',
      '一个非常非常非常非常非常非常非常非常非常非常长的工作表名称超过',
    ]);
    expect(wb.worksheets[0].getCell('A2').value).toBe('c');
    expect(wb.worksheets[0].getCell('B2').value).toBe('[object Object]');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)', () => {
    expect(contentDisposition('特殊家庭名单.xlsx')).toBe(
      `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent('特殊家庭名单.xlsx')}`,
    );
    expect(contentDisposition('roster 2024.xlsx')).toBe(
      `attachment; filename="roster 2024.xlsx"; filename*=UTF-8''roster%202024.xlsx`,
    );
    expect(contentDisposition("it's (1)*.csv")).toBe(
      `attachment; filename="it's (1)*.csv"; filename*=UTF-8''it%27s%20%281%29%2A.csv`,
    );
  });

  it('strips quotes, slashes, backslashes and CR/LF so the header cannot be split', () => {
    const value = contentDisposition('a"b/..\\c\r\nSet-Cookie: x=1.xlsx');
    expect(value).not.toMatch(/[\r\n]/);
    expect(value).toBe(
      `attachment; filename="ab..cSet-Cookie: x=1.xlsx"; filename*=UTF-8''ab..cSet-Cookie%3A%20x%3D1.xlsx`,
    );
    expect(contentDisposition('')).toBe(`attachment; filename="export.xlsx"; filename*=UTF-8''export.xlsx`);
    expect(contentDisposition('"/\r\n')).toBe(`attachment; filename="export.xlsx"; filename*=UTF-8''export.xlsx`);
    expect(contentDisposition('名单;x.csv')).toMatch(/^attachment; filename="export\.csv"; /);
    expect(contentDisposition('report\u202Exslx.exe')).toBe(
      `attachment; filename="reportxslx.exe"; filename*=UTF-8''reportxslx.exe`,
    );
  });
});
