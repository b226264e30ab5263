/**
 * POST /api/v1/family-imports fed hostile files and hostile multipart bodies, through the whole HTTP path
 * (multipart limits, inspectUpload, the background job): never a 5xx, a refusal names `file` (or `mode`)
 * with its code, a job never hangs, and no family is written from a file with any bad row.
 * (The memory-bounded run of the same corpus, the 450 MB bomb and 1,000 random files: long/spreadsheets.)
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { multipartBody, rosterCsv, rosterRow, rosterXlsx, ROSTER_HEADERS, waitForJob } from '../support/uploads.js';
import { buildXlsx } from '../fixtures/zip-builder.js';
import { contractViolation, rowCounts } from './support/harness.js';
import { hostileCorpus, randomFile } from './support/hostile-files.js';

let t: TestApp;
let tree: RegionTree;
let township: Session;
let families: number;

function upload(payload: Buffer, contentType: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/family-imports',
    headers: { cookie: township.cookie, 'x-csrf-token': township.csrfToken, 'content-type': contentType },
    payload,
  });
}

/** Uploads a file (commit mode); returns the refusal code at upload, or how the job ended. */
async function importFile(name: string, content: Buffer): Promise<string> {
  const { payload, contentType } = multipartBody({ mode: 'commit' }, { name, content });
  const res = await upload(payload, contentType);
  const violation = contractViolation(res);
  if (violation) throw new Error(`${name}: ${violation}`);
  if (res.statusCode !== 202) {
    expect(res.statusCode).toBe(400);
    const detail = res.json().error.details[0];
    expect(['file', 'mode']).toContain(detail.path);
    return String(detail.code);
  }
  const job = await waitForJob(township, res.json().data.id, 30_000);
  return job.status === 'failed'
    ? `failed: ${job.message}`
    : `done: ${job.accepted} accepted, ${job.rejected} rejected`;
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  families = (await rowCounts(t.db)).families;
});
afterAll(() => t.close());

describe('hostile files through POST /family-imports', () => {
  // The quick tier uses a 120 MB bomb (refused the same way); long/spreadsheets runs the 450 MB one.
  const corpus = hostileCorpus({ bombBytes: 120_000_000 }).filter((f) => !f.name.startsWith('one 5 MB'));

  it.each(corpus.map((f) => [f.name, f] as const))('%s', async (_name, file) => {
    const outcome = await importFile(file.fileName, await file.build());
    if (file.expect === 'rows' || file.expect === 'any') {
      // Readable, but not a roster: every row is refused, nothing is written.
      expect(outcome).toMatch(/^(done: 0 accepted|failed: |[A-Z_]+$)/);
    } else if (outcome.startsWith('failed: ') || outcome.startsWith('done: ')) {
      // Refused while reading, in the job (past what inspectUpload checks): still nothing written.
      expect(outcome).toMatch(/^(failed: .*[\u4e00-\u9fff]|done: 0 accepted)/);
    } else {
      // The route itself answers an empty upload before the parser sees it.
      expect(file.expect === 'EMPTY_FILE' ? ['EMPTY_FILE', 'FILE_REQUIRED'] : [file.expect]).toContain(outcome);
    }
    expect((await rowCounts(t.db)).families).toBe(families);
  });

  it('a roster with one formula cell (xlsx) or one formula-like cell (csv) writes nothing', async () => {
    const rows = [0, 1, 2].map((i) => rosterRow(tree.village, i)) as Array<Record<string, ExcelJS.CellValue>>;
    rows[1]['母亲姓名'] = { formula: 'HYPERLINK("http://evil.example","王")' } as ExcelJS.CellValue;
    expect(await importFile('formula.xlsx', await rosterXlsx(rows, ROSTER_HEADERS))).toBe(
      'done: 0 accepted, 1 rejected',
    );
    const csvRows = [0, 1, 2].map((i) => rosterRow(tree.village, 10 + i));
    csvRows[2]['详细地址'] = '=cmd|" /C calc"!A0';
    expect(await importFile('inject.csv', Buffer.from(rosterCsv(csvRows)))).toBe('done: 0 accepted, 1 rejected');
    expect((await rowCounts(t.db)).families).toBe(families);
  });

  it('100 random files: no 5xx, no hung job, nothing written', async () => {
    const base = await buildXlsx();
    await fc.assert(
      fc.asyncProperty(randomFile(base), async (f) => {
        const outcome = await importFile(f.fileName, await f.buf);
        expect(outcome).not.toMatch(/^done: [1-9]/);
      }),
      { numRuns: 100 },
    );
    expect((await rowCounts(t.db)).families).toBe(families);
  }, 120_000);
});

describe('hostile multipart bodies', () => {
  const csv = Buffer.from(rosterCsv([rosterRow('000000000000', 1)]));
  const boundary = '----torture';
  const part = (headers: string, body: string | Buffer) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
  const end = Buffer.from(`--${boundary}--\r\n`);
  const type = `multipart/form-data; boundary=${boundary}`;
  const file = (field = 'file', name = 'a.csv') =>
    part(`Content-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: text/csv`, csv);
  const mode = (value = 'validate') => part('Content-Disposition: form-data; name="mode"', value);

  const cases: Array<[string, Buffer, string]> = [
    ['no file', Buffer.concat([mode(), end]), type],
    ['the file under another field name', Buffer.concat([mode(), file('upload'), end]), type],
    ['two files', Buffer.concat([mode(), file(), file(), end]), type],
    ['no mode', Buffer.concat([file(), end]), type],
    ['mode "drop table"', Buffer.concat([mode('drop table'), file(), end]), type],
    ['a 1 MB mode field', Buffer.concat([mode('v'.repeat(1024 * 1024)), file(), end]), type],
    ['20 fields', Buffer.concat([...Array.from({ length: 20 }, () => mode()), file(), end]), type],
    ['a filename with path traversal', Buffer.concat([mode(), file('file', '../../etc/passwd.csv'), end]), type],
    ['a filename of 5,000 characters', Buffer.concat([mode(), file('file', `${'长'.repeat(5000)}.csv`), end]), type],
    ['a body cut in the middle', Buffer.concat([mode(), file()]).subarray(0, 120), type],
    ['no closing boundary', Buffer.concat([mode(), file()]), type],
    ['a boundary that never appears', Buffer.concat([mode(), file(), end]), 'multipart/form-data; boundary=nope'],
    ['multipart without a boundary', Buffer.concat([mode(), file(), end]), 'multipart/form-data'],
    ['JSON instead of multipart', Buffer.from('{"mode":"commit","file":"a"}'), 'application/json'],
    [
      'an 11 MB file',
      Buffer.concat([
        mode(),
        part('Content-Disposition: form-data; name="file"; filename="a.csv"', Buffer.alloc(11 * 1024 * 1024, 0x61)),
        end,
      ]),
      type,
    ],
  ];

  it.each(cases)('%s → a 4xx naming the field, never a 5xx', async (_name, payload, contentType) => {
    const res = await upload(payload, contentType);
    expect(contractViolation(res), res.body).toBeNull();
    if (res.statusCode === 202) {
      // Accepted only when a valid file and mode were there after all (the traversal name is just a name).
      const job = await waitForJob(township, res.json().data.id, 30_000);
      expect(job.accepted).toBe(0);
    } else expect(res.statusCode).toBeLessThan(500);
    expect((await rowCounts(t.db)).families).toBe(families);
  });
});
