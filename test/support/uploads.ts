import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { LightMyRequestResponse } from 'fastify';
import { makeIdNumber } from '../../common/validators/id-number.js';
import type { Session, TestApp } from './test-app.js';

/** A multipart/form-data body as a browser sends it: text fields, then at most one file. */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; content: Buffer; field?: string; contentType?: string },
): { payload: Buffer; contentType: string } {
  const boundary = `----gh${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/v1/family-imports as the signed-in session. */
export function uploadImport(
  t: TestApp,
  session: Session,
  file: { name: string; content: Buffer },
  mode: string = 'validate',
): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipartBody({ mode }, file);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/family-imports',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': contentType },
    payload,
  });
}

export interface ImportJobBody {
  id: string;
  status: string;
  mode: string;
  total: number;
  processed: number;
  accepted: number;
  rejected: number;
  skipped: number;
  errors: Array<{ row: number; field: string; message: string }>;
  skips: Array<{ row: number; field: string; message: string }>;
  message: string | null;
  hasErrorFile: boolean;
}

/** Polls the job the way the web app does until it is done or failed. */
export async function waitForJob(session: Session, id: string, timeoutMs = 60_000): Promise<ImportJobBody> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await session.get(`/api/v1/family-imports/${id}`);
    if (res.statusCode !== 200) throw new Error(`job poll failed: ${res.statusCode} ${res.body}`);
    const job = res.json<{ data: ImportJobBody }>().data;
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Uploads and waits: the job as it ended. */
export async function runImport(
  t: TestApp,
  session: Session,
  file: { name: string; content: Buffer },
  mode: 'validate' | 'commit',
  timeoutMs?: number,
): Promise<ImportJobBody> {
  const res = await uploadImport(t, session, file, mode);
  if (res.statusCode !== 202) throw new Error(`upload refused: ${res.statusCode} ${res.body}`);
  return waitForJob(session, res.json<{ data: { id: string } }>().data.id, timeoutMs);
}

let personCounter = 0;
const DAY = 86_400_000;

/** A valid ID number never handed out before in this process (birth dates 1950–1974, both sexes). */
export function uniqueIdNumber(sex: 'male' | 'female', region6 = '420106'): string {
  personCounter += 1;
  const birthDate = new Date(Date.UTC(1950, 0, 1) + (personCounter % 9000) * DAY).toISOString().slice(0, 10);
  const block = Math.floor(personCounter / 9000);
  return makeIdNumber({ regionCode6: region6, birthDate, sequence: 100 + block * 2 + (sex === 'male' ? 1 : 0) });
}

let phoneCounter = 0;
export function uniqueMobile(): string {
  phoneCounter += 1;
  return `137${String(10_000_000 + phoneCounter * 7).slice(-8)}`;
}

/** One good roster row keyed by the template's Chinese headers. */
export function rosterRow(village: string, i: number): Record<string, string> {
  return {
    家庭类别: '失独家庭',
    '户籍村（居）区划代码': village,
    详细地址: `幸福路 ${i} 号`,
    家庭结构: '夫妻健在',
    是否特殊困难: i % 3 === 0 ? '是' : '否',
    建档日期: '2020-01-01',
    母亲姓名: `王秀${i}`,
    母亲身份证号: uniqueIdNumber('female'),
    母亲电话: uniqueMobile(),
    母亲民族: '汉族',
    母亲文化程度: '初级中学',
    父亲姓名: `李建${i}`,
    父亲身份证号: uniqueIdNumber('male'),
    父亲电话: uniqueMobile(),
    子女姓名: `李明${i}`,
    子女性别: '男',
    子女出生日期: '1990-03-01',
    子女死亡日期: '2015-05-01',
    死亡原因: '疾病',
  };
}

/** Every column of the template except 序号. */
export const ROSTER_HEADERS = [...Object.keys(rosterRow('000000000000', 0)), '残疾等级', '残疾类别', '残疾人证号'];

/** An xlsx of the rows (ExcelJS, so a test can put a real formula in a cell: `{ formula: '…' }`). */
export async function rosterXlsx(
  rows: Array<Record<string, ExcelJS.CellValue>>,
  headers: string[] = ROSTER_HEADERS,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('特殊家庭');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same rows as CSV text (RFC 4180 quoting). */
export function rosterCsv(rows: Array<Record<string, string>>, headers: string[] = ROSTER_HEADERS): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [headers, ...rows.map((r) => headers.map((h) => r[h] ?? ''))]
    .map((cells) => cells.map(quote).join(','))
    .join('\r\n');
}

/** Every entry of a zip (an xlsx), inflated, as one string: to scan a download for what must not be there. */
export function unzipText(buf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const texts: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            texts.push(Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(texts.join('\n')));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** The first sheet of an xlsx as rows of cell values (header included). */
export async function readSheet(buf: Buffer, name?: string): Promise<ExcelJS.CellValue[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = name ? wb.getWorksheet(name) : wb.worksheets[0];
  const rows: ExcelJS.CellValue[][] = [];
  ws?.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
  return rows;
}
