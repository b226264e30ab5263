import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FamilyCreate } from '../../common/schemas/families.js';
import { BatchItemError } from '../../server/modules/families/families.service.js';
import { levelOfCode, subtreeRange } from '../../server/platform/scope.js';
import { encodeGb18030 } from '../fixtures/gb18030.js';
import { buildBombXlsx } from '../fixtures/zip-builder.js';
import { buildRegionTree, familyInput, phoneNumber, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { storedBytes } from '../support/test-db.js';
import {
  readSheet,
  ROSTER_HEADERS,
  rosterCsv,
  rosterRow,
  rosterXlsx,
  runImport,
  uniqueIdNumber,
  unzipText,
  uploadImport,
  waitForJob,
} from '../support/uploads.js';

let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let township: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
});
afterAll(() => t.close());

async function familiesIn(code: string): Promise<number> {
  const { from, to } = subtreeRange(code);
  const r = await t.db
    .selectFrom('families')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('region_code', '>=', from)
    .where('region_code', '<=', to)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function auditRows(action: string, targetId?: string) {
  let q = t.db.selectFrom('audit_events').select(['action', 'target_id', 'changes', 'actor_username', 'outcome']);
  q = q.where('action', '=', action);
  if (targetId) q = q.where('target_id', '=', targetId);
  return q.execute();
}

const xlsx = (content: Buffer, name = '名单.xlsx') => ({ name, content });

describe('the template', () => {
  it('has Chinese headers, dropdowns from the code lists, a 说明 sheet and rows marked 示例', async () => {
    const res = await township.get('/api/v1/family-imports/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('特殊家庭导入模板.xlsx')}`,
    );
    const buf = res.rawPayload;
    const rows = await readSheet(buf, '特殊家庭');
    expect(rows[0]).toEqual(
      expect.arrayContaining([
        '家庭类别',
        '户籍村（居）区划代码',
        '详细地址',
        '家庭结构',
        '是否特殊困难',
        '建档日期',
        '母亲姓名',
        '母亲身份证号',
        '母亲电话',
        '父亲姓名',
        '父亲身份证号',
        '父亲电话',
        '子女姓名',
        '子女性别',
        '子女出生日期',
        '子女死亡日期',
        '死亡原因',
        '残疾等级',
        '残疾类别',
        '残疾人证号',
      ]),
    );
    expect(rows.slice(1).every((r) => r[0] === '示例')).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const help = await readSheet(buf, '说明');
    expect(help.map((r) => r[0])).toEqual(expect.arrayContaining(['家庭类别', '母亲身份证号', '残疾等级']));

    const text = await unzipText(buf);
    expect(text).toContain('type="list"');
    expect(text).toContain('&quot;失独家庭,伤残家庭&quot;');
    expect(text).toContain('&quot;汉族,蒙古族,回族,');
    // Long lists (民族, the township's villages) live on the hidden list sheet.
    for (const label of ['土家族', '初级中学', '单亲（丧偶）', tree.village, tree.siblingVillage])
      expect(text).toContain(label);
    expect(text).not.toContain(other.village);
  });

  it('is for township staff only', async () => {
    const village = await t.signIn('village_staff', tree.village);
    expect((await village.get('/api/v1/family-imports/template.xlsx')).statusCode).toBe(403);
  });
});

describe('importing a filled template', () => {
  let filled: Buffer;

  it('commits 50 filled rows as 50 archives, skips the example rows and audits the import once', async () => {
    const template = (await township.get('/api/v1/family-imports/template.xlsx')).rawPayload;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('特殊家庭')!;
    const headers = (ws.getRow(1).values as string[]).slice(1);
    for (let i = 0; i < 50; i += 1) {
      const r = rosterRow(i % 2 ? tree.village : tree.siblingVillage, i);
      ws.getRow(4 + i).values = headers.map((h) => r[h] ?? null);
    }
    filled = Buffer.from(await wb.xlsx.writeBuffer());

    const before = await familiesIn(tree.township);
    const createsBefore = (await auditRows('family.create')).length;
    const job = await runImport(t, township, xlsx(filled), 'commit');
    // The template's example rows are neither data rows nor "已建档跳过" (issue 11 item 8), only listed.
    expect(job).toMatchObject({ status: 'done', mode: 'commit', total: 50, accepted: 50, rejected: 0, skipped: 0 });
    expect(job.errors).toEqual([]);
    expect(job.skips.filter((s) => s.message.includes('示例')).map((s) => s.row)).toEqual([2, 3]);
    expect(await familiesIn(tree.township)).toBe(before + 50);
    // The import is one audited act naming its 50 archives; each archive keeps its own creation history.
    expect((await auditRows('family.create')).length).toBe(createsBefore);
    const audited = await auditRows('family.import', job.id);
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0].changes!).facts).toMatchObject({
      mode: 'commit',
      total: 50,
      accepted: 50,
      skipped: 0,
    });
    expect(JSON.parse(audited[0].changes!).facts.archiveNos).toHaveLength(50);

    const list = (await township.get(`/api/v1/families?q=${encodeURIComponent('王秀7')}`)).json().data;
    expect(list[0]).toMatchObject({ familyType: 'bereaved', isSpecialDifficulty: false });
    expect(list[0].members[0].idNumber).toMatch(/^420\*{15}$/);
  });

  it('creates nothing when the same file comes again: every row is reported as already archived', async () => {
    const before = await familiesIn(tree.township);
    const job = await runImport(t, township, xlsx(filled), 'commit');
    expect(job).toMatchObject({ status: 'done', total: 50, accepted: 0, rejected: 0, skipped: 50 });
    expect(job.skips.filter((s) => /^已建档（档案编号 TS\d{16}），跳过$/.test(s.message))).toHaveLength(50);
    expect(await familiesIn(tree.township)).toBe(before);
  });
});

describe('a 2,000-row file with a few bad rows', () => {
  const rows: Array<Record<string, ExcelJS.CellValue>> = [];
  let file: Buffer;
  const sheetRow = (i: number) => i + 2;

  beforeAll(async () => {
    for (let i = 0; i < 2000; i += 1) rows.push(rosterRow(i % 2 ? tree.village : tree.siblingVillage, 10_000 + i));
    const id = String(rows[10]['母亲身份证号']);
    rows[10]['母亲身份证号'] = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    rows[200]['子女出生日期'] = '1990-02-30';
    rows[400]['母亲姓名'] = '张'.repeat(100_000);
    rows[600]['母亲民族'] = '火星族';
    rows[800]['详细地址'] = { formula: 'A1&"路"', result: '失独家庭路' };
    rows[1000]['父亲身份证号'] = rows[50]['父亲身份证号'];
    file = await rosterXlsx(rows);
  });

  it('validate lists exactly those rows and columns, in Chinese, without quoting a number', async () => {
    const job = await runImport(t, township, xlsx(file), 'validate');
    expect(job).toMatchObject({ status: 'done', total: 2000, processed: 2000, accepted: 1994, rejected: 6 });
    expect(job.errors.map((e) => [e.row, e.field])).toEqual([
      [sheetRow(10), '母亲身份证号'],
      [sheetRow(200), '子女出生日期'],
      [sheetRow(400), '母亲姓名'],
      [sheetRow(600), '母亲民族'],
      [sheetRow(800), '详细地址'],
      [sheetRow(1000), '父亲身份证号'],
    ]);
    const message = (row: number) => job.errors.find((e) => e.row === sheetRow(row))!.message;
    expect(message(10)).toContain('校验位');
    expect(message(200)).toBe('日期不存在');
    expect(message(400)).toContain('不能超过 50 个字');
    expect(message(600)).toContain('不在可选范围内');
    expect(message(800)).toContain('单元格含公式');
    expect(message(1000)).toBe(`与第 ${sheetRow(50)} 行的父亲身份证号重复，一户只建一档`);
    const body = JSON.stringify(job);
    for (const r of rows.slice(0, 1200))
      for (const h of ['母亲身份证号', '父亲身份证号', '母亲电话', '父亲电话'])
        expect(body).not.toContain(String(r[h]));
    expect(job.hasErrorFile).toBe(true);
  });

  it('commit writes nothing while any row is wrong', async () => {
    const before = await familiesIn(tree.township);
    const job = await runImport(t, township, xlsx(file), 'commit');
    expect(job).toMatchObject({ status: 'done', accepted: 0, rejected: 6 });
    expect(job.errors).toHaveLength(6);
    expect(await familiesIn(tree.township)).toBe(before);
  });

  it('gives the uploader the rows in error with a 错误原因 column, audited; no one else', async () => {
    const job = await runImport(t, township, xlsx(file), 'validate');
    const res = await township.get(`/api/v1/family-imports/${job.id}/errors.xlsx`);
    expect(res.statusCode).toBe(200);
    const sheet = await readSheet(res.rawPayload, '错误行');
    expect(sheet[0][0]).toBe('原行号');
    expect(sheet[0].at(-1)).toBe('错误原因');
    expect(sheet.slice(1).map((r) => r[0])).toEqual([10, 200, 400, 600, 800, 1000].map(sheetRow));
    const wrongId = sheet.find((r) => r[0] === sheetRow(10))!;
    expect(wrongId).toContain(rows[10]['母亲身份证号']);
    expect(String(wrongId.at(-1))).toMatch(/^母亲身份证号：身份证号码校验位错误/);
    const formulaRow = sheet.find((r) => r[0] === sheetRow(800))!;
    expect(formulaRow).toContain(`'=A1&"路"`);
    const list = await readSheet(res.rawPayload, '错误清单');
    expect(list).toHaveLength(7);
    expect(await auditRows('family.import.errors', job.id)).toHaveLength(1);

    const colleague = await t.signIn('township_staff', tree.township);
    expect((await colleague.get(`/api/v1/family-imports/${job.id}`)).statusCode).toBe(200);
    expect((await colleague.get(`/api/v1/family-imports/${job.id}/errors.xlsx`)).statusCode).toBe(404);
    const stranger = await t.signIn('township_staff', other.township);
    expect((await stranger.get(`/api/v1/family-imports/${job.id}`)).statusCode).toBe(404);
  });
});

describe('what the jobs keep', () => {
  it('stores none of the file’s ID numbers or phones in clear, rows in error included', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => rosterRow(tree.village, 40_000 + i));
    rows[3]['子女出生日期'] = '1990-13-01';
    rows[7]['母亲电话'] = '139555012345678';
    const job = await runImport(t, township, xlsx(await rosterXlsx(rows)), 'validate');
    expect(job.rejected).toBe(2);
    const bytes = storedBytes(t.config.databaseUrl);
    for (const r of rows)
      for (const h of ['母亲身份证号', '父亲身份证号', '母亲电话', '父亲电话'])
        expect(bytes.includes(r[h])).toBe(false);
  });
});

describe('rows and files', () => {
  it('accepts csv in UTF-8 with a BOM and in GB18030', async () => {
    const before = await familiesIn(tree.township);
    const utf8 = rosterCsv(Array.from({ length: 3 }, (_, i) => rosterRow(tree.village, 20_000 + i)));
    const gb = rosterCsv(Array.from({ length: 4 }, (_, i) => rosterRow(tree.village, 20_100 + i)));
    const a = await runImport(t, township, { name: 'a.csv', content: Buffer.from(`\uFEFF${utf8}`) }, 'commit');
    const b = await runImport(t, township, { name: 'b.csv', content: encodeGb18030(gb) }, 'commit');
    expect([a.accepted, b.accepted]).toEqual([3, 4]);
    expect(await familiesIn(tree.township)).toBe(before + 7);
    const found = (await township.get(`/api/v1/families?q=${encodeURIComponent('王秀20100')}`)).json().data;
    expect(found[0].members.map((m: { name: string }) => m.name)).toEqual(['王秀20100', '李建20100']);
  });

  it('refuses csv cells a spreadsheet would run as formulas, but takes a phone written +86', async () => {
    const rows = [
      { ...rosterRow(tree.village, 21_000), 母亲姓名: '=HYPERLINK("http://evil.example","点我")' },
      { ...rosterRow(tree.village, 21_001), 详细地址: '@SUM(1+1)*cmd' },
      { ...rosterRow(tree.village, 21_002), 子女姓名: '-2+3+cmd' },
      { ...rosterRow(tree.village, 21_003), 父亲电话: '+86 139 1234 5678' },
    ];
    const job = await runImport(t, township, { name: 'x.csv', content: Buffer.from(rosterCsv(rows)) }, 'validate');
    expect(job.errors.map((e) => [e.row, e.field])).toEqual([
      [2, '母亲姓名'],
      [3, '详细地址'],
      [4, '子女姓名'],
    ]);
    expect(job.errors.every((e) => e.message.startsWith('单元格含公式'))).toBe(true);
    expect(job.accepted).toBe(1);
  });

  it('takes a village by code, by the dropdown’s “code name” or by name; refuses one outside the township', async () => {
    const villageName = (
      await t.db.selectFrom('regions').select('name').where('code', '=', tree.village).executeTakeFirstOrThrow()
    ).name;
    const rows = [
      rosterRow(tree.village, 30_000),
      rosterRow(`${tree.village} ${villageName}`, 30_001),
      rosterRow(villageName, 30_002),
      rosterRow(other.village, 30_003),
      rosterRow(tree.township, 30_004),
      rosterRow('不存在村', 30_005),
    ];
    const job = await runImport(t, township, xlsx(await rosterXlsx(rows)), 'validate');
    expect(job.accepted).toBe(3);
    expect(job.errors).toEqual([
      { row: 5, field: '户籍村（居）区划代码', message: '该村（居）不存在或不在本乡镇（街道）管辖范围内' },
      { row: 6, field: '户籍村（居）区划代码', message: '户籍地应选到村（居）委会一级' },
      { row: 7, field: '户籍村（居）区划代码', message: '该村（居）不存在或不在本乡镇（街道）管辖范围内' },
    ]);
  });

  it('checks a disabled family’s grade and the cross-field rules, naming the column', async () => {
    const disabled = (i: number, over: Record<string, string>) => ({
      ...rosterRow(tree.village, i),
      家庭类别: '伤残家庭',
      子女死亡日期: '',
      死亡原因: '',
      残疾等级: '二级',
      残疾类别: '肢体',
      ...over,
    });
    const rows = [
      disabled(31_000, {}),
      disabled(31_001, { 残疾等级: '' }),
      disabled(31_002, { 残疾等级: '5' }),
      { ...rosterRow(tree.village, 31_003), 子女死亡日期: '1980-01-01' },
      { ...rosterRow(tree.village, 31_004), 母亲身份证号: rosterRow(tree.village, 0)['父亲身份证号'] },
      { ...rosterRow(tree.village, 31_005), 母亲电话: '12345' },
      { ...rosterRow(tree.village, 31_006), 子女出生日期: '1990/3/1', 建档日期: '2020年1月5日' },
      {
        ...rosterRow(tree.village, 31_007),
        母亲姓名: '',
        母亲身份证号: '',
        母亲电话: '',
        母亲民族: '',
        母亲文化程度: '',
      },
      { ...rosterRow(tree.village, 31_008), 家庭类别: '', 子女性别: '未知' },
    ];
    const job = await runImport(t, township, xlsx(await rosterXlsx(rows)), 'validate');
    expect(job.errors.map((e) => [e.row, e.field, e.message])).toEqual([
      [3, '残疾等级', '伤残家庭须填写子女残疾等级（1–4 级）'],
      [4, '残疾等级', '残疾等级应为一级至四级'],
      [5, '子女死亡日期', '子女死亡日期早于出生日期'],
      [6, '母亲身份证号', '身份证号码显示为男性，与“母亲”不符'],
      [7, '母亲电话', expect.stringContaining('电话号码格式不正确')],
      [10, '家庭类别', '请填写家庭类别'],
      [10, '子女性别', '子女性别应填写“男”或“女”'],
    ]);
    expect(job.accepted).toBe(3);
  });

  it('fails a file without the required columns, naming them', async () => {
    const job = await runImport(
      t,
      township,
      xlsx(await rosterXlsx([{ 姓名: '张三' }], ['姓名', '家庭类别'])),
      'validate',
    );
    expect(job.status).toBe('failed');
    expect(job.message).toContain('缺少必填列');
    expect(job.message).toContain('户籍村（居）区划代码');
  });

  it('refuses an .exe renamed .xlsx, a zip bomb and an oversize file with 400 naming file, and stays up', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(4096, 0x41)]);
    const r1 = await uploadImport(t, township, { name: '名单.xlsx', content: exe }, 'validate');
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.details[0]).toMatchObject({ path: 'file', code: 'FILE_TYPE' });

    const bomb = await buildBombXlsx();
    const rssBefore = process.memoryUsage().rss;
    const r2 = await uploadImport(t, township, { name: 'bomb.xlsx', content: bomb }, 'commit');
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.details[0]).toMatchObject({ path: 'file', code: 'ZIP_BOMB' });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);

    const big = Buffer.alloc(10 * 1024 * 1024 + 10, 0x61);
    const r3 = await uploadImport(t, township, { name: 'big.csv', content: big }, 'validate');
    expect(r3.statusCode).toBe(400);
    expect(r3.json().error.details[0]).toMatchObject({ path: 'file', code: 'FILE_TOO_LARGE' });

    const r4 = await uploadImport(t, township, { name: 'a.csv', content: Buffer.from('a,b\n') }, 'everything');
    expect(r4.json().error.details[0].path).toBe('mode');
    const r5 = await township.post('/api/v1/family-imports', { mode: 'validate' });
    expect(r5.json().error.details[0].path).toBe('file');

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });

  it('is for township staff only: a village cadre and a county officer get 403', async () => {
    const file = { name: 'a.csv', content: Buffer.from(rosterCsv([rosterRow(tree.village, 32_000)])) };
    const village = await t.signIn('village_staff', tree.village);
    expect((await uploadImport(t, village, file, 'commit')).statusCode).toBe(403);
    const county = await t.signIn('county_staff', tree.county);
    expect((await uploadImport(t, county, file, 'commit')).statusCode).toBe(403);
  });
});

describe('jobs', () => {
  it('answers 202 at once with a queued job, then progress and the result from the database', async () => {
    const res = await uploadImport(
      t,
      township,
      { name: 'a.csv', content: Buffer.from(rosterCsv([rosterRow(tree.village, 33_000)])) },
      'validate',
    );
    expect(res.statusCode).toBe(202);
    const queued = res.json().data;
    expect(queued).toMatchObject({ status: 'queued', mode: 'validate', fileName: 'a.csv', total: 0 });
    const done = await waitForJob(township, queued.id);
    expect(done).toMatchObject({ status: 'done', total: 1, processed: 1, accepted: 1 });
    expect((await township.get(`/api/v1/family-imports/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('fails, at start, a job whose process died (no heartbeat for 5 minutes); a live one is left alone', async () => {
    const now = t.clock.now().getTime();
    const job = (id: string, heartbeatAgoMs: number) => ({
      id,
      status: 'running',
      mode: 'commit',
      stage: 'committing',
      file_name: 'x.xlsx',
      created_by: township.user.id,
      region_code: tree.township,
      total: 10,
      processed: 5,
      accepted: 0,
      rejected: 0,
      skipped: 0,
      errors: '[]',
      skips: '[]',
      is_truncated: 0,
      message: null,
      error_rows_enc: null,
      created_at: new Date(now - 3_600_000).toISOString(),
      started_at: new Date(now - 3_600_000).toISOString(),
      heartbeat_at: new Date(now - heartbeatAgoMs).toISOString(),
      finished_at: null,
    });
    const dead = randomUUID();
    const alive = randomUUID();
    await t.db
      .insertInto('family_imports')
      .values([job(dead, 6 * 60_000), job(alive, 60_000)])
      .execute();
    await t.app.services.familyImports.failStaleJobs();
    const d = (await township.get(`/api/v1/family-imports/${dead}`)).json().data;
    expect(d).toMatchObject({ status: 'failed', message: expect.stringContaining('中断') });
    expect((await township.get(`/api/v1/family-imports/${alive}`)).json().data.status).toBe('running');
  });
});

/**
 * What the commit runs: `families.createManyIn`, which writes a chunk of archives per multi-row statement.
 * Called directly here (small chunks, so a few inputs span several) to reach what an upload cannot time:
 * a parent archived by someone else between validation and commit, and a refusal in a later chunk.
 */
describe('creating many archives in one transaction', () => {
  const families = () => t.app.services.families;
  const context = () => ({
    actor: {
      ...township.user,
      displayName: '乡镇干部',
      regionLevel: levelOfCode(tree.township),
      sessionIdHash: '',
      mustChangePassword: false,
    },
  });
  const input = (village: string, overrides: Record<string, unknown> = {}) =>
    FamilyCreate.parse(
      familyInput(village, {
        members: [
          { relation: 'mother', name: '周桂兰', idNumber: uniqueIdNumber('female'), phone: phoneNumber() },
          { relation: 'father', name: '吴国强', idNumber: uniqueIdNumber('male') },
        ],
        ...overrides,
      }),
    );
  const createMany = (inputs: FamilyCreate[], onChunk?: (n: number) => Promise<void>) =>
    t.db.transaction().execute((trx) => families().createManyIn(trx, context(), inputs, { chunk: 2, onChunk }));
  const serialOf = async (village: string) =>
    (
      await t.db
        .selectFrom('archive_serials')
        .select('last_serial')
        .where('village_code', '=', village)
        .executeTakeFirst()
    )?.last_serial ?? 0;
  const counts = async () => ({
    families: await familiesIn(tree.township),
    serial: await serialOf(tree.village),
    history: Number(
      (
        await t.db
          .selectFrom('family_history')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });

  it('numbers each village’s archives in input order and writes each one’s rows, history and month fact', async () => {
    const first = { village: await serialOf(tree.village), sibling: await serialOf(tree.siblingVillage) };
    const inputs = [tree.village, tree.siblingVillage, tree.village, tree.village, tree.siblingVillage].map((v) =>
      input(v),
    );
    const createsBefore = (await auditRows('family.create')).length;
    const progress: number[] = [];
    const archiveNos = await createMany(inputs, async (n) => {
      progress.push(n);
    });
    const no = (village: string, serial: number) => `TS${village}${String(serial).padStart(4, '0')}`;
    expect(archiveNos).toEqual([
      no(tree.village, first.village + 1),
      no(tree.siblingVillage, first.sibling + 1),
      no(tree.village, first.village + 2),
      no(tree.village, first.village + 3),
      no(tree.siblingVillage, first.sibling + 2),
    ]);
    expect(progress).toEqual([2, 4, 5]);

    const rows = await t.db
      .selectFrom('families as f')
      .leftJoin('family_months as fm', 'fm.family_id', 'f.id')
      .select(['f.id', 'f.archive_no', 'f.region_code', 'fm.month', 'fm.is_counted'])
      .where('f.archive_no', 'in', archiveNos)
      .execute();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.month === t.clock.now().toISOString().slice(0, 7) && r.is_counted === 1)).toBe(true);
    for (const [i, r] of rows.entries()) {
      const history = await t.db.selectFrom('family_history').selectAll().where('family_id', '=', r.id).execute();
      expect(history, `archive ${i}`).toHaveLength(1);
      expect(history[0]).toMatchObject({ action: 'create', actor_id: township.user.id });
      // The creation history names what was filed, parents' ID numbers masked only.
      const changes = JSON.parse(history[0].changes);
      expect(changes['members.mother.name']).toEqual([null, '周桂兰']);
      expect(changes['members.father.idNumber'][1]).toMatch(/^\d{3}\*{15}$/);
      expect(changes.archiveNo).toEqual([null, r.archive_no]);
      expect(changes).not.toHaveProperty('version');
    }
    // Searchable by the blind index like any archive; the batch audits nothing per archive (the import does).
    const found = (await township.post('/api/v1/families/search', { q: inputs[3].members[1].idNumber })).json().data;
    expect(found.map((f: { archiveNo: string }) => f.archiveNo)).toEqual([archiveNos[3]]);
    expect(await auditRows('family.create')).toHaveLength(createsBefore);
  });

  it('refuses a parent archived between validation and commit, naming the input, and writes nothing', async () => {
    const taken = input(tree.village);
    const [takenNo] = await createMany([taken]);
    const before = await counts();
    const inputs = [input(tree.village), input(tree.village), input(tree.village), input(tree.village)];
    inputs[3] = { ...inputs[3], members: [inputs[3].members[0], taken.members[1]] };
    const err = await createMany(inputs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BatchItemError);
    expect(err).toMatchObject({ index: 3 });
    expect((err as BatchItemError).error.details).toEqual([
      {
        path: 'members.1.idNumber',
        message: `该身份证号码已在本辖区档案 ${takenNo} 中，一户只建一档`,
        code: 'DUPLICATE_ID_NUMBER',
      },
    ]);
    // The first chunk was written before the refusal: the transaction took it back, serials included.
    expect(await counts()).toEqual(before);
  });

  it('treats an earlier input of the same batch as archived, in the same chunk or an earlier one', async () => {
    const before = await counts();
    for (const [earlier, later] of [
      [0, 1],
      [0, 3],
    ]) {
      const inputs = [input(tree.village), input(tree.village), input(tree.village), input(tree.village)];
      inputs[later] = { ...inputs[later], members: [inputs[earlier].members[0]] };
      const err = await createMany(inputs).catch((e: unknown) => e);
      expect(err).toMatchObject({ index: later });
      expect((err as BatchItemError).error.details[0].message).toBe(
        `该身份证号码已在本辖区档案 TS${tree.village}${String(before.serial + earlier + 1).padStart(4, '0')} 中，一户只建一档`,
      );
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a village outside the importer’s township and a village that ran out of serials', async () => {
    const before = await counts();
    const outside = await createMany([input(tree.village), input(other.village)]).catch((e: unknown) => e);
    expect(outside).toMatchObject({ index: 1, error: { details: [{ path: 'regionCode', code: 'REGION_UNKNOWN' }] } });

    await t.db
      .updateTable('archive_serials')
      .set({ last_serial: 9997 })
      .where('village_code', '=', tree.village)
      .execute();
    const full = await createMany([input(tree.village), input(tree.village), input(tree.village)]).catch(
      (e: unknown) => e,
    );
    expect(full).toMatchObject({ index: 2, error: { details: [{ code: 'ARCHIVE_SERIAL_EXHAUSTED' }] } });
    expect(await serialOf(tree.village)).toBe(9997);
    await t.db
      .updateTable('archive_serials')
      .set({ last_serial: before.serial })
      .where('village_code', '=', tree.village)
      .execute();
    expect(await counts()).toEqual(before);
  });
});

describe('import wording (issue 11 item 8)', () => {
  it('counts the untouched template as nothing to import: no data rows, nothing 已建档跳过', async () => {
    const template = (await township.get('/api/v1/family-imports/template.xlsx')).rawPayload;
    const job = await runImport(t, township, xlsx(template), 'validate');
    expect(job).toMatchObject({ status: 'done', total: 0, accepted: 0, rejected: 0, skipped: 0 });
    expect(job.skips.length).toBeGreaterThan(0);
    expect(job.skips.every((s) => s.message.includes('示例'))).toBe(true);
  });

  it('gives a one-parent row missing the mother’s name only the mother’s error, not the absent father’s', async () => {
    const row: Record<string, string> = {
      ...rosterRow(tree.village, 77_001),
      家庭结构: '单亲（丧偶）',
      父亲民族: '汉族',
    };
    for (const k of ['母亲姓名', '父亲姓名', '父亲身份证号', '父亲电话']) delete row[k];
    const file = await rosterXlsx([row], [...ROSTER_HEADERS, '父亲民族']);
    const job = await runImport(t, township, xlsx(file), 'validate');
    expect(job.rejected).toBe(1);
    expect(job.errors.map((e) => e.field)).toEqual(['母亲姓名']);
  });
});
