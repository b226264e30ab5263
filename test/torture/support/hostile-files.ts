/**
 * Hostile upload files for the import parser (security-checklist §6.6; ASVS 5.2.2, 5.2.3, 1.5.1, 1.2.10):
 * zip bombs, path traversal and other odd entry names, XML entities in every part, formula cells, nested
 * zips, macro parts, encrypted or unknown-method entries, oversize rows and columns, broken CSV.
 * Each case names the refusal code it must get (`details[0].code`), or 'rows' when it is readable.
 */
import fc from 'fast-check';
import {
  buildBombXlsx,
  buildXlsx,
  buildZip,
  repeatedChunks,
  SHEET_PREFIX,
  SHEET_SUFFIX,
  worksheetXml,
  xlsxEntries,
  type ZipEntrySpec,
} from '../../fixtures/zip-builder.js';

export interface HostileFile {
  name: string;
  fileName: string;
  /** The refusal code expected, 'rows' (readable), or 'any' (either a refusal or rows: random input). */
  expect: string;
  build(): Promise<Buffer> | Buffer;
  /** For 'rows' cases: a check of what came back. */
  check?(rows: Array<Array<string | null>>): string | null;
}

const FORMULA = '\u0000FORMULA:';
const MB = 1024 * 1024;

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const header = `<row r="1">${inline('A1', '母亲姓名')}${inline('B1', '家庭类别')}</row>`;

/** Sets the general-purpose flag / compression method of every entry, in local and central headers. */
function patchEntries(zip: Buffer, patch: { flags?: number; method?: number }): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i + 4 <= out.length; i += 1) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) {
      if (patch.flags !== undefined) out.writeUInt16LE(patch.flags, i + 6);
      if (patch.method !== undefined) out.writeUInt16LE(patch.method, i + 8);
    } else if (sig === 0x02014b50) {
      if (patch.flags !== undefined) out.writeUInt16LE(patch.flags, i + 8);
      if (patch.method !== undefined) out.writeUInt16LE(patch.method, i + 10);
    }
  }
  return out;
}

function withExtra(extra: ZipEntrySpec[]): Promise<Buffer> {
  return buildXlsx({ extra });
}

const DTDS = [
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>',
  '<!doctype x [<!entity % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;]>',
  '<!ENTITY e "x">',
];
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Puts a DTD right after the XML declaration of a part of a minimal xlsx. */
async function dtdIn(part: string, dtd: string, padding = 0): Promise<Buffer> {
  const entries = xlsxEntries({ sheet: worksheetXml(header), sharedStrings: ['<si><t>x</t></si>'] });
  const e = entries.find((x) => x.name === part)!;
  const text = String(e.data);
  const pad = padding ? `<!--${'填'.repeat(padding)}-->` : '';
  e.data = text.startsWith(XML_DECL) ? XML_DECL + pad + dtd + text.slice(XML_DECL.length) : pad + dtd + text;
  return buildZip(entries);
}

export function hostileCorpus(opts: { bombBytes: number }): HostileFile[] {
  const files: HostileFile[] = [
    {
      name: `zip bomb: ${Math.round(opts.bombBytes / MB)} MB sheet deflated ~300:1`,
      fileName: 'bomb.xlsx',
      expect: 'ZIP_BOMB',
      build: () => buildBombXlsx(opts.bombBytes),
    },
    {
      name: 'zip bomb whose headers claim 1 kB (declared sizes bind while inflating)',
      fileName: 'liar.xlsx',
      expect: 'ZIP_BOMB',
      build: () =>
        buildXlsx({
          sheet: {
            chunks: () => repeatedChunks(SHEET_PREFIX, `<row>${inline('A1', '张')}</row>`, 60 * MB, SHEET_SUFFIX),
            declaredSize: 1000,
          },
        }),
    },
    {
      name: '201 entries',
      fileName: 'many.xlsx',
      expect: 'ZIP_ENTRIES',
      build: () => withExtra(Array.from({ length: 201 }, (_, i) => ({ name: `xl/media/p${i}.txt`, data: 'x' }))),
    },
    ...[
      '../evil.xml',
      '../../../../tmp/evil.sh',
      '/etc/cron.d/evil',
      'C:/evil.xml',
      'xl/../../evil.xml',
      'xl\\evil.xml',
    ].map((entry): HostileFile => ({
      name: `path traversal entry "${entry}"`,
      fileName: 'traversal.xlsx',
      expect: 'ZIP_PATH',
      build: () => withExtra([{ name: entry, data: 'pwned' }]),
    })),
    {
      name: 'two entries with the same name',
      fileName: 'dup.xlsx',
      expect: 'ZIP_PATH',
      build: () => withExtra([{ name: 'xl/worksheets/sheet1.xml', data: worksheetXml('') }]),
    },
    {
      name: 'macro project (xl/vbaProject.bin) in a file named .xlsx',
      fileName: 'macro.xlsx',
      expect: 'FILE_TYPE',
      build: () => withExtra([{ name: 'xl/vbaProject.bin', data: Buffer.alloc(64, 1) }]),
    },
    {
      name: 'nested zip by name',
      fileName: 'nested.xlsx',
      expect: 'ZIP_NESTED',
      build: async () => withExtra([{ name: 'xl/embeddings/inner.zip', data: await buildXlsx() }]),
    },
    {
      name: 'nested zip hidden as an image',
      fileName: 'nested2.xlsx',
      expect: 'ZIP_NESTED',
      build: async () => withExtra([{ name: 'xl/media/image1.png', data: await buildXlsx() }]),
    },
    {
      name: 'encrypted entries (flag bit 0)',
      fileName: 'encrypted.xlsx',
      expect: 'FILE_CORRUPT',
      build: async () => patchEntries(await buildXlsx(), { flags: 0x0801 }),
    },
    {
      name: 'unknown compression method (bzip2)',
      fileName: 'bzip2.xlsx',
      expect: 'FILE_CORRUPT',
      build: async () => patchEntries(await buildXlsx(), { method: 12 }),
    },
    {
      name: 'an .exe renamed .xlsx',
      fileName: 'roster.xlsx',
      expect: 'FILE_TYPE',
      build: () => Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048)]),
    },
    {
      name: 'an xls (OLE) renamed .xlsx',
      fileName: 'roster.xlsx',
      expect: 'FILE_TYPE',
      build: () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(2048)]),
    },
    {
      name: 'a real xlsx named .xlsm',
      fileName: 'roster.xlsm',
      expect: 'FILE_TYPE',
      build: () => buildXlsx(),
    },
    {
      name: 'a real xlsx named .xlsx.exe',
      fileName: 'roster.xlsx.exe',
      expect: 'FILE_TYPE',
      build: () => buildXlsx(),
    },
    {
      name: 'a zip that is not a workbook',
      fileName: 'docx.xlsx',
      expect: 'FILE_TYPE',
      build: () =>
        buildZip([
          { name: '[Content_Types].xml', data: '<Types/>' },
          { name: 'word/document.xml', data: '<w/>' },
        ]),
    },
    ...[
      'xl/worksheets/sheet1.xml',
      'xl/sharedStrings.xml',
      'xl/workbook.xml',
      '[Content_Types].xml',
      'xl/styles.xml',
    ].flatMap((part) =>
      DTDS.map((dtd, i): HostileFile => ({
        name: `XML entity #${i + 1} in ${part}`,
        fileName: 'xxe.xlsx',
        expect: 'XML_ENTITY',
        build: () => dtdIn(part, dtd),
      })),
    ),
    {
      name: 'DOCTYPE in the sheet after 30 kB of comment (past the 4 kB peek)',
      fileName: 'late-xxe.xlsx',
      expect: 'XML_ENTITY',
      build: () => dtdIn('xl/worksheets/sheet1.xml', DTDS[0], 10_000),
    },
    {
      name: 'formula cells (plain, HYPERLINK, shared, array) come back marked, never evaluated',
      fileName: 'formula.xlsx',
      expect: 'rows',
      build: () =>
        buildXlsx({
          sheet: worksheetXml(
            header +
              `<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2"><f>HYPERLINK("http://evil.example","点我")</f><v>点我</v></c></row>` +
              `<row r="3"><c r="A3"><f t="shared" ref="A3:A4" si="0">CONCAT("=",1)</f><v>=1</v></c><c r="B3"><f t="array" ref="B3">SUM(1,2)</f><v>3</v></c></row>`,
          ),
        }),
      check: (rows) => {
        const cells = rows.slice(1).flat();
        const formulas = cells.filter((c) => typeof c === 'string' && c.startsWith(FORMULA));
        if (formulas.length < 4) return `expected 4 formula cells, got ${JSON.stringify(cells)}`;
        if (cells.some((c) => c === '2' || c === '3' || c === '点我'))
          return 'a cached formula result came back as data';
        return null;
      },
    },
    {
      name: '300 columns in one row (limit 200)',
      fileName: 'wide.xlsx',
      expect: 'TOO_MANY_COLUMNS',
      build: () =>
        buildXlsx({
          sheet: worksheetXml(
            `<row r="1">${Array.from({ length: 300 }, (_, i) => `<c r="${col(i)}1" t="inlineStr"><is><t>h</t></is></c>`).join('')}</row>`,
          ),
        }),
    },
    {
      name: '20,001 data rows',
      fileName: 'tall.csv',
      expect: 'TOO_MANY_ROWS',
      build: () => Buffer.from(['a,b', ...Array.from({ length: 20_001 }, (_, i) => `${i},x`)].join('\n')),
    },
    {
      name: 'one 5 MB cell (incompressible) in the shared strings',
      fileName: 'bigcell.xlsx',
      expect: 'rows',
      build: () =>
        buildXlsx({
          sharedStrings: [`<si><t>${noise(1_700_000)}</t></si>`],
          sheet: worksheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`),
        }),
      check: (rows) => (rows[0][0]!.length <= 2001 ? null : `cell kept ${rows[0][0]!.length} characters`),
    },
    {
      name: '200,000 nested elements in the sheet',
      fileName: 'deep.xlsx',
      expect: 'any',
      build: () =>
        buildXlsx({
          sheet: {
            chunks: () => repeatedChunks(SHEET_PREFIX + '<row r="1">', '<x>', 600_000, '</row>' + SHEET_SUFFIX),
          },
        }),
    },
    {
      name: 'CSV: an unterminated quote over 5 MB',
      fileName: 'quote.csv',
      expect: 'CSV_QUOTE',
      build: () => Buffer.from(`a,b\n"${'x'.repeat(5 * MB)}`),
    },
    {
      name: 'CSV: one 9 MB line',
      fileName: 'line.csv',
      expect: 'rows',
      build: () => Buffer.from(`a\n${'y'.repeat(9 * MB)}`),
      check: (rows) => (rows[1][0]!.length <= 2001 ? null : `cell kept ${rows[1][0]!.length} characters`),
    },
    {
      name: 'CSV: formula-like cells are text, never evaluated',
      fileName: 'inject.csv',
      expect: 'rows',
      build: () =>
        Buffer.from('母亲姓名,备注\n=1+1,"=HYPERLINK(""http://evil"",""x"")"\n+1,@SUM(A1)\n-1,\t=cmd|" /C calc"!A0\n'),
      check: (rows) =>
        rows[1][0] === '=1+1' && rows[2][1] === '@SUM(A1)' ? null : `unexpected cells ${JSON.stringify(rows)}`,
    },
    {
      name: 'CSV: NUL bytes (UTF-16 text)',
      fileName: 'utf16.csv',
      expect: 'FILE_TYPE',
      build: () => Buffer.from('\uFEFF母亲姓名,家庭类别\n', 'utf16le'),
    },
    {
      name: 'CSV: bytes that are neither UTF-8 nor GB18030',
      fileName: 'bad.csv',
      expect: 'FILE_TYPE',
      build: () => Buffer.from([0x61, 0x2c, 0x80, 0xff, 0xfe, 0x0a]),
    },
    {
      name: 'more than 10 MB',
      fileName: 'big.csv',
      expect: 'FILE_TOO_LARGE',
      build: () => Buffer.alloc(10 * MB + 1, 0x61),
    },
    {
      name: 'empty file',
      fileName: 'empty.csv',
      expect: 'EMPTY_FILE',
      build: () => Buffer.alloc(0),
    },
  ];
  return files;
}

/** `n` pseudo-random CJK characters (deterministic): text that deflate cannot shrink much. */
function noise(n: number): string {
  let x = 12345;
  let out = '';
  for (let i = 0; i < n; i += 1) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += String.fromCharCode(0x4e00 + ((x >>> 8) % 20000));
  }
  return out;
}

/**
 * D3 (found-defects.test.ts; fixed in 252921b): a sheet part stored uncompressed (ratio 1, under every zip
 * limit) reached ExcelJS as one chunk, whose SAX events were all built at once: ~110 bytes of RSS per byte
 * of XML. One row of 2.5 million empty elements in 9.5 MB took the reader to ~1.1 GB.
 */
export function storedSheetAmplifier(bytes: number): Promise<Buffer> {
  return buildXlsx({
    sheet: {
      method: 'store',
      chunks: () => repeatedChunks(`${SHEET_PREFIX}<row r="1">`, '<y/>', bytes, `</row>${SHEET_SUFFIX}`),
    },
  });
}

function col(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Random files: bytes, a valid xlsx with bytes overwritten or cut short, random sheet XML, random entry names. */
export function randomFile(
  base: Buffer,
): fc.Arbitrary<{ name: string; fileName: string; buf: Promise<Buffer> | Buffer }> {
  const ext = fc.constantFrom('xlsx', 'csv');
  return fc.oneof(
    fc.record({ bytes: fc.uint8Array({ maxLength: 4096 }), ext, magic: fc.boolean() }).map(({ bytes, ext, magic }) => ({
      name: 'random bytes',
      fileName: `r.${ext}`,
      buf: Buffer.concat([magic ? Buffer.from('PK\x03\x04', 'latin1') : Buffer.alloc(0), Buffer.from(bytes)]),
    })),
    fc
      .array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 12,
      })
      .map((edits) => {
        const buf = Buffer.from(base);
        for (const [at, byte] of edits) buf[at] = byte;
        return { name: 'valid xlsx, bytes overwritten', fileName: 'm.xlsx', buf };
      }),
    fc
      .nat({ max: base.length })
      .map((n) => ({ name: 'valid xlsx cut short', fileName: 't.xlsx', buf: base.subarray(0, n) })),
    fc
      .string({ unit: 'grapheme', maxLength: 400 })
      .map((s) => s.replace(/[a-z]/g, (c, i: number) => (i % 3 === 0 ? `<${c}>` : c)))
      .map((rows) => ({
        name: 'random sheet XML',
        fileName: 'x.xlsx',
        buf: buildXlsx({ sheet: SHEET_PREFIX + rows + SHEET_SUFFIX }),
      })),
    fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 5 }).map((names) => ({
      name: 'random entry names',
      fileName: 'n.xlsx',
      buf: buildXlsx({ extra: names.map((n, i) => ({ name: n || `e${i}`, data: 'x' })) }),
    })),
    fc
      .string({ unit: 'binary', maxLength: 600 })
      .map((s) => ({ name: 'random CSV text', fileName: 'c.csv', buf: Buffer.from(s) })),
  );
}
