import { describe, it, expect, beforeAll } from 'vitest';
import { encodeGb18030 } from '../../../test/fixtures/gb18030.js';
import { AppError } from '../errors.js';
import { inspectUpload } from './inspect-upload.js';
import { readRows } from './read-rows.js';
import { writeXlsx } from './write-xlsx.js';
import {
  SHEET_PREFIX,
  SHEET_SUFFIX,
  buildBombXlsx,
  buildXlsx,
  buildZip,
  repeatedChunks,
  worksheetXml,
  xlsxEntries,
} from '../../../test/fixtures/zip-builder.js';

/** Runs `fn`, expects an AppError refusal with the given detail code; returns it. */
async function refusal(fn: () => Promise<unknown>, code: string): Promise<AppError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  const err = caught as AppError;
  expect(err.code).toBe('VALIDATION_FAILED');
  expect(err.status).toBe(400);
  expect(err.details[0]).toMatchObject({ path: 'file', code });
  expect(err.message).toMatch(/[\u4e00-\u9fff]/);
  return err;
}

async function drain(buf: Buffer, kind: 'xlsx' | 'csv'): Promise<number> {
  let n = 0;
  for await (const _row of readRows(buf, kind)) n += 1;
  return n;
}

const MB = 1024 * 1024;

describe('inspectUpload: accepts', () => {
  it('an xlsx written by writeXlsx', async () => {
    const buf = await writeXlsx([
      { name: '名单', columns: [{ header: '姓名', key: 'name' }], rows: [{ name: '张三' }] },
    ]);
    await expect(inspectUpload(buf, '名单.xlsx')).resolves.toEqual({ kind: 'xlsx' });
    await expect(inspectUpload(buf, 'ROSTER.XLSX')).resolves.toEqual({ kind: 'xlsx' });
  });

  it('a hand-built minimal xlsx', async () => {
    await expect(inspectUpload(await buildXlsx(), 'a.xlsx')).resolves.toEqual({ kind: 'xlsx' });
  });

  it('a UTF-8 csv (with or without BOM) and a GB18030 csv', async () => {
    const text = '姓名,身份证号\r\n张三,42010119900101123X\r\n';
    await expect(inspectUpload(Buffer.from(text), 'a.csv')).resolves.toEqual({ kind: 'csv' });
    await expect(inspectUpload(Buffer.from(`\uFEFF${text}`), 'a.csv')).resolves.toEqual({ kind: 'csv' });
    await expect(inspectUpload(encodeGb18030(text), 'a.csv')).resolves.toEqual({ kind: 'csv' });
  });
});

describe('inspectUpload: size and type, before parsing', () => {
  it('refuses more than 10 MB by default, and honours a custom limit', async () => {
    const big = Buffer.alloc(10 * MB + 1, 0x61);
    const err = await refusal(() => inspectUpload(big, 'a.csv'), 'FILE_TOO_LARGE');
    expect(err.message).toBe('文件过大，最大 10 MB');
    await expect(inspectUpload(Buffer.alloc(10 * MB, 0x61), 'a.csv')).resolves.toEqual({ kind: 'csv' });
    await refusal(() => inspectUpload(Buffer.from('a,b\n1,2\n'), 'a.csv', { maxBytes: 4 }), 'FILE_TOO_LARGE');
  });

  it.each(['a.xls', 'a.xlsm', 'a.exe', 'a.txt', 'a.xlsx.exe', 'noextension', 'a.', '.xlsx/evil.zip'])(
    'refuses %s',
    async (name) => {
      const err = await refusal(() => inspectUpload(Buffer.from('a,b\n'), name), 'FILE_TYPE');
      expect(err.message).toMatch(/仅支持 \.xlsx 或 \.csv 文件|宏/);
    },
  );

  it('refuses a real xlsx named .xlsm as a macro file', async () => {
    const err = await refusal(async () => inspectUpload(await buildXlsx(), 'a.xlsm'), 'FILE_TYPE');
    expect(err.message).toContain('宏');
  });

  it('refuses an .exe renamed .xlsx (MZ) and an xls (OLE) renamed .xlsx', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(500)]);
    const err = await refusal(() => inspectUpload(exe, 'roster.xlsx'), 'FILE_TYPE');
    expect(err.message).toBe('仅支持 .xlsx 或 .csv 文件');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(500)]);
    await refusal(() => inspectUpload(ole, 'roster.xlsx'), 'FILE_TYPE');
  });

  it('refuses a NUL-filled csv, an .exe renamed .csv, a zip renamed .csv and undecodable bytes', async () => {
    await refusal(() => inspectUpload(Buffer.alloc(4096), 'a.csv'), 'FILE_TYPE');
    await refusal(() => inspectUpload(Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), 'a.csv'), 'FILE_TYPE');
    await refusal(async () => inspectUpload(await buildXlsx(), 'a.csv'), 'FILE_TYPE');
    await refusal(() => inspectUpload(Buffer.from([0x61, 0x2c, 0xff, 0xff, 0x0a]), 'a.csv'), 'FILE_TYPE');
    // UTF-16 (Excel "Unicode text") has NUL bytes.
    await refusal(() => inspectUpload(Buffer.from('\uFEFFa,b\n', 'utf16le'), 'a.csv'), 'FILE_TYPE');
  });

  it('refuses a zip that is not a workbook (no xl/workbook.xml), and a truncated xlsx', async () => {
    const docx = await buildZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w/>' },
    ]);
    await refusal(() => inspectUpload(docx, 'a.xlsx'), 'FILE_TYPE');
    const good = await buildXlsx();
    await refusal(() => inspectUpload(good.subarray(0, good.length - 30), 'a.xlsx'), 'FILE_CORRUPT');
    await refusal(() => inspectUpload(Buffer.from('PK\x03\x04garbage', 'latin1'), 'a.xlsx'), 'FILE_CORRUPT');
  });
});

describe('inspectUpload: the zip central directory', () => {
  it('refuses more than 200 entries', async () => {
    const extra = Array.from({ length: 200 }, (_, i) => ({ name: `xl/media/x${i}.txt`, data: 'x' }));
    const buf = await buildXlsx({ extra });
    await refusal(() => inspectUpload(buf, 'a.xlsx'), 'ZIP_ENTRIES');
    const ok = await buildXlsx({ extra: extra.slice(0, 200 - xlsxEntries().length) });
    await expect(inspectUpload(ok, 'a.xlsx')).resolves.toEqual({ kind: 'xlsx' });
  });

  it.each(['../evil', 'xl/../../evil.xml', '/etc/passwd', 'C:/windows/evil.xml', 'xl\\worksheets\\evil.xml'])(
    'refuses the entry name %j',
    async (name) => {
      const buf = await buildXlsx({ extra: [{ name, data: 'x' }] });
      await refusal(() => inspectUpload(buf, 'a.xlsx'), 'ZIP_PATH');
      await refusal(() => drain(buf, 'xlsx'), 'ZIP_PATH');
    },
  );

  it('refuses duplicate entry names', async () => {
    const buf = await buildXlsx({ extra: [{ name: 'xl/worksheets/sheet1.xml', data: worksheetXml('') }] });
    await refusal(() => inspectUpload(buf, 'a.xlsx'), 'ZIP_PATH');
  });

  it('refuses a macro project (xl/vbaProject.bin) even in a file named .xlsx', async () => {
    const buf = await buildXlsx({ extra: [{ name: 'xl/vbaProject.bin', data: Buffer.alloc(64, 1) }] });
    const err = await refusal(() => inspectUpload(buf, 'a.xlsx'), 'FILE_TYPE');
    expect(err.message).toContain('宏');
  });

  it('refuses a nested zip, by name or by content', async () => {
    const inner = await buildZip([{ name: 'a.txt', data: 'hello' }]);
    await refusal(
      async () => inspectUpload(await buildXlsx({ extra: [{ name: 'xl/a.zip', data: inner }] }), 'a.xlsx'),
      'ZIP_NESTED',
    );
    await refusal(
      async () => inspectUpload(await buildXlsx({ extra: [{ name: 'xl/media/image1.png', data: inner }] }), 'a.xlsx'),
      'ZIP_NESTED',
    );
  });

  it('refuses an entry declaring more than 50 MB, a total over 100 MB, and a ratio over 100', async () => {
    const zeros = (bytes: number) => () => repeatedChunks('', '\0'.repeat(1024), bytes, '');
    const oneBig = await buildXlsx({ extra: [{ name: 'xl/media/big.bin', chunks: zeros(51 * MB) }] });
    await refusal(() => inspectUpload(oneBig, 'a.xlsx'), 'ZIP_BOMB');
    const many = await buildXlsx({
      extra: [0, 1, 2].map((i) => ({ name: `xl/media/part${i}.bin`, chunks: zeros(40 * MB) })),
    });
    await refusal(() => inspectUpload(many, 'a.xlsx'), 'ZIP_BOMB');
    const dense = await buildXlsx({ extra: [{ name: 'xl/media/dense.bin', chunks: zeros(5 * MB) }] });
    const err = await refusal(() => inspectUpload(dense, 'a.xlsx'), 'ZIP_BOMB');
    expect(err.message).toBe('文件解压后体积异常，疑似压缩炸弹，已拒绝');
  });

  it('refuses DOCTYPE / ENTITY in any XML part', async () => {
    const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${worksheetXml('').replace(/^<\?xml[^>]*>\n/, '')}`;
    await refusal(async () => inspectUpload(await buildXlsx({ sheet: doctype }), 'a.xlsx'), 'XML_ENTITY');
    await refusal(async () => drain(await buildXlsx({ sheet: doctype }), 'xlsx'), 'XML_ENTITY');
    const xxe = await buildXlsx({
      sharedStrings: ['<si><t>&xxe;</t></si>'],
      extra: [],
      styles: '<?xml version="1.0"?><!DOCTYPE s SYSTEM "file:///etc/passwd"><styleSheet/>',
    });
    await refusal(() => inspectUpload(xxe, 'a.xlsx'), 'XML_ENTITY');
    await refusal(() => drain(xxe, 'xlsx'), 'XML_ENTITY');
  });
});

describe('the 450 MB zip bomb (security-checklist §6.6)', () => {
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await buildBombXlsx();
  }, 60_000);

  it('is a ~1.5 MB file declaring ~450 MB', async () => {
    expect(bomb.length).toBeGreaterThan(1 * MB);
    expect(bomb.length).toBeLessThan(2 * MB);
  });

  it('is refused by inspectUpload and by readRows with RSS growth < 100 MB', async () => {
    const before = process.memoryUsage().rss;
    const err = await refusal(() => inspectUpload(bomb, 'roster.xlsx'), 'ZIP_BOMB');
    expect(err.message).toBe('文件解压后体积异常，疑似压缩炸弹，已拒绝');
    await refusal(() => drain(bomb, 'xlsx'), 'ZIP_BOMB');
    const growth = process.memoryUsage().rss - before;
    expect(growth).toBeLessThan(100 * MB);
  });

  it('a central directory that lies about the size cannot smuggle it through (declared sizes bind)', async () => {
    // sheet1.xml declares 100 kB but inflates to 60 MB: the directory checks pass, the 4 kB peek
    // passes, and the stream is cut as soon as it exceeds the declared size.
    const row = '<row r="1"><c r="A1" t="inlineStr"><is><t>家庭成员</t></is></c></row>';
    const liar = await buildXlsx({
      sheet: { chunks: () => repeatedChunks(SHEET_PREFIX, row, 60 * MB, SHEET_SUFFIX), declaredSize: 100_000 },
    });
    await expect(inspectUpload(liar, 'a.xlsx')).resolves.toEqual({ kind: 'xlsx' });
    const before = process.memoryUsage().rss;
    await refusal(() => drain(liar, 'xlsx'), 'ZIP_BOMB');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
    // Declared tiny: already the peek in inspectUpload overflows it.
    const tiny = await buildXlsx({
      sheet: { chunks: () => repeatedChunks(SHEET_PREFIX, row, 10 * MB, SHEET_SUFFIX), declaredSize: 1000 },
    });
    await refusal(() => inspectUpload(tiny, 'a.xlsx'), 'ZIP_BOMB');
  });
});
