import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from '../../common/mask.js';
import { buildRegionTree, familyInput, idNumberFor, phoneNumber, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { readSheet, unzipText } from '../support/uploads.js';

let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let township: Session;
let county: Session;
const secrets: string[] = [];
const archiveNos: string[] = [];
let foreignArchiveNo: string;
let assigned: { id: string; archiveNo: string };
const contactPhones = ['13955501234', '0716-8123456'];
const INJECTION = '=HYPERLINK("http://evil.example","点我")';

async function create(session: Session, input: Record<string, unknown>) {
  const res = await session.post('/api/v1/families', input);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
  return res.json().data as { id: string; archiveNo: string };
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  county = await t.signIn('county_staff', tree.county);
  for (let i = 0; i < 4; i += 1) {
    const mother = {
      relation: 'mother',
      name: i === 0 ? INJECTION : `赵桂${i}`,
      idNumber: idNumberFor('female', `1961-0${i + 1}-11`),
      phone: phoneNumber(),
    };
    const father = {
      relation: 'father',
      name: `钱国${i}`,
      idNumber: idNumberFor('male', `1959-0${i + 1}-12`),
      phone: `027-8765432${i}`,
    };
    const f = await create(
      township,
      familyInput(i % 2 ? tree.village : tree.siblingVillage, {
        address: i === 1 ? '+1-2 号' : '保成路 8 号',
        members: [mother, father],
        ...(i === 3
          ? {
              familyType: 'disabled',
              child: { sex: 'female', birthDate: '1992-01-01', disabilityGrade: 2, disabilityCategory: '4' },
            }
          : {}),
      }),
    );
    archiveNos.push(f.archiveNo);
    secrets.push(mother.idNumber, mother.phone, father.idNumber, father.phone.replace('-', ''), father.phone);
    if (i === 2) assigned = f;
  }
  const otherTownship = await t.signIn('township_staff', other.township);
  foreignArchiveNo = (await create(otherTownship, familyInput(other.village))).archiveNo;

  const contact = async (post: string, regionCode: string, phone: string, name: string) => {
    const res = await township.post('/api/v1/contacts', { name, phone, post, regionCode });
    if (res.statusCode !== 201) throw new Error(`contact failed: ${res.body}`);
    return res.json().data as { id: string };
  };
  const tc = await contact('township_cadre', tree.township, contactPhones[0], '孙包村');
  const vc = await contact('village_cadre', tree.siblingVillage, contactPhones[1], '周村干');
  const put = await township.put(`/api/v1/families/${assigned.id}/assignments`, {
    townshipContactId: tc.id,
    villageContactId: vc.id,
  });
  if (put.statusCode !== 200) throw new Error(`assignment failed: ${put.body}`);
});
afterAll(() => t.close());

describe('GET /families/export.xlsx', () => {
  it('exports the county’s families masked, with Chinese headers and labels, formulas defused', async () => {
    const res = await county.get('/api/v1/families/export.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toBe(
      `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent('特殊家庭名单-2026-11-28.xlsx')}`,
    );
    const text = await unzipText(res.rawPayload);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).not.toMatch(/<f>/);
    const rows = await readSheet(res.rawPayload);
    const header = rows[0] as string[];
    expect(header).toEqual(expect.arrayContaining(['档案编号', '家庭类别', '母亲身份证号', '母亲电话', '残疾等级']));
    const col = (name: string) => header.indexOf(name);
    expect(rows.slice(1).map((r) => r[col('档案编号')])).toEqual([...archiveNos].sort());
    const first = rows.find((r) => r[col('档案编号')] === archiveNos[0])!;
    expect(first[col('母亲姓名')]).toBe(`'${INJECTION}`);
    expect(first[col('母亲身份证号')]).toBe(maskIdNumber(secrets[0]));
    expect(first[col('母亲电话')]).toBe(maskPhone(secrets[1]));
    expect(first[col('父亲电话')]).toBe(maskPhone(secrets[4]));
    expect(first[col('家庭类别')]).toBe('失独家庭');
    expect(first[col('档案状态')]).toBe('在册');
    const second = rows.find((r) => r[col('档案编号')] === archiveNos[1])!;
    expect(second[col('详细地址')]).toBe("'+1-2 号");
    const disabled = rows.find((r) => r[col('档案编号')] === archiveNos[3])!;
    expect([disabled[col('家庭类别')], disabled[col('残疾等级')], disabled[col('残疾类别')]]).toEqual([
      '伤残家庭',
      '二级',
      '肢体',
    ]);
  });

  it('takes the list’s filters and never reaches into another county', async () => {
    const disabledOnly = await readSheet(
      (await county.get('/api/v1/families/export.xlsx?familyType=disabled')).rawPayload,
    );
    expect(disabledOnly.slice(1).map((r) => r[0])).toEqual([archiveNos[3]]);
    const stranger = await t.signIn('county_staff', other.county);
    const theirs = await stranger.get('/api/v1/families/export.xlsx');
    expect(theirs.statusCode).toBe(200);
    const text = await unzipText(theirs.rawPayload);
    for (const no of archiveNos) expect(text).not.toContain(no);
    expect(text).toContain(foreignArchiveNo);
    expect((await stranger.get(`/api/v1/families/export.xlsx?regionCode=${tree.county}`)).statusCode).toBe(404);
  });

  it('is refused to roles without family.export', async () => {
    // Village staff export their village's masked roster (issue 11 item 7); a contact has no export at all.
    const contact = await t.signIn('contact', tree.village);
    expect((await contact.get('/api/v1/families/export.xlsx')).statusCode).toBe(403);
    const admin = await t.signIn('sysadmin', tree.county);
    expect((await admin.get('/api/v1/families/export.xlsx')).statusCode).toBe(403);
  });

  it('audits each export with its row count and filters, a searched ID number redacted', async () => {
    const res = await county.get(`/api/v1/families/export.xlsx?q=${secrets[0]}&status=active`);
    expect(res.statusCode).toBe(200);
    expect((await readSheet(res.rawPayload)).slice(1).map((r) => r[0])).toEqual([archiveNos[0]]);
    const rows = await t.db
      .selectFrom('audit_events')
      .select(['changes', 'actor_username'])
      .where('action', '=', 'family.export')
      .orderBy('seq', 'desc')
      .execute();
    expect(JSON.parse(rows[0].changes!)).toMatchObject({
      v: 1,
      facts: { rowCount: 1, hasQuery: true, status: 'active' },
    });
    expect(JSON.parse(rows[0].changes!).facts).not.toHaveProperty('q');
    expect(rows[0].actor_username).toBe(county.user.username);
    expect(rows.map((r) => r.changes).join()).not.toContain(secrets[0]);
    expect(JSON.parse(rows.at(-1)!.changes!)).toMatchObject({ v: 1, facts: { rowCount: 4, hasQuery: false } });
  });
});

describe('GET /compliance/overdue.xlsx', () => {
  it('lists the month’s unvisited families with their contacts, phones masked, audited', async () => {
    const res = await county.get(`/api/v1/compliance/overdue.xlsx?regionCode=${tree.county}&month=2026-11`);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('走访逾期名单-2026-11.xlsx'));
    const text = await unzipText(res.rawPayload);
    for (const s of [...secrets, ...contactPhones, contactPhones[1].replace('-', '')]) expect(text).not.toContain(s);
    const rows = await readSheet(res.rawPayload);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...archiveNos].sort());
    const header = rows[0] as string[];
    const row = rows.find((r) => r[0] === assigned.archiveNo)!;
    expect(row[header.indexOf('乡镇（街道）包村干部')]).toBe('孙包村');
    expect(row[header.indexOf('包村干部电话')]).toBe(maskPhone(contactPhones[0]));
    expect(row[header.indexOf('村干部电话')]).toBe(maskPhone(contactPhones[1]));
    const audited = await t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'compliance.overdue.export')
      .execute();
    expect(audited.map((a) => JSON.parse(a.changes!))).toEqual([
      { v: 1, facts: { rowCount: 4, regionCode: tree.county, month: '2026-11' } },
    ]);
  });

  it('answers 404 outside scope and 403 to a role without compliance.read', async () => {
    const stranger = await t.signIn('county_staff', other.county);
    expect((await stranger.get(`/api/v1/compliance/overdue.xlsx?regionCode=${tree.county}`)).statusCode).toBe(404);
    const auditor = await t.signIn('auditor', tree.county);
    expect((await auditor.get('/api/v1/compliance/overdue.xlsx')).statusCode).toBe(403);
  });
});
