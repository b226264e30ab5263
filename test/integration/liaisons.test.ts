import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../common/mask.js';
import { buildRegionTree, familyInput, phoneNumber, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { readSheet, unzipText } from '../support/uploads.js';

// 联络员 (R12): the registry per township, the county switch, the 2–3 check, reports, subsidies and their totals.
let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let township: Session;
let siblingTownship: Session;
let county: Session;
let prefecture: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  siblingTownship = await t.signIn('township_staff', tree.siblingTownship);
  county = await t.signIn('county_staff', tree.county);
  prefecture = await t.signIn('prefecture_staff', tree.prefecture);
});
afterAll(() => t.close());

interface LiaisonBody {
  id: string;
  regionCode: string;
  name: string;
  phone: string | null;
  familyId: string | null;
  status: string;
  subsidyTotal: number;
  version: number;
}

async function liaison(session: Session, regionCode: string, name: string, extra: Record<string, unknown> = {}) {
  const res = await session.post('/api/v1/liaisons', { regionCode, name, startedOn: '2025-01-01', ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as LiaisonBody;
}

async function countLiaisons(session: Session, regionCode: string): Promise<number> {
  return (await session.get(`/api/v1/liaisons?regionCode=${regionCode}&pageSize=200`)).json().page.total;
}

describe('the liaison registry and the 2–3 check', () => {
  it('flags short and over townships only in a county that runs the programme', async () => {
    await liaison(township, tree.township, '王桂兰', { phone: phoneNumber() });
    const sib: LiaisonBody[] = [];
    for (const name of ['甲', '乙', '丙', '丁']) sib.push(await liaison(siblingTownship, tree.siblingTownship, name));

    const off = (await county.get(`/api/v1/liaisons/coverage?regionCode=${tree.county}`)).json().data;
    expect(off.isRunning).toBe(false);
    expect(off.liaisons).toBe(5);
    expect(off.townshipsShort).toBe(0);
    expect(off.children.map((c: { status: string }) => c.status)).toEqual(['short', 'over']);

    const on = await county.put(`/api/v1/liaison-programmes/${tree.county}`, { isRunning: true });
    expect(on.statusCode, on.body).toBe(200);
    const running = (await county.get(`/api/v1/liaisons/coverage?regionCode=${tree.county}`)).json().data;
    expect(running).toMatchObject({
      isRunning: true,
      townships: 2,
      townshipsShort: 1,
      townshipsOver: 1,
      status: 'short',
    });
    expect(running.programmeVersion).toBe(1);
    expect(running.children).toEqual([
      expect.objectContaining({ regionCode: tree.township, liaisons: 1, status: 'short', isRunning: true }),
      expect.objectContaining({ regionCode: tree.siblingTownship, liaisons: 4, status: 'over' }),
    ]);

    // One leaves: the sibling township is within 2–3 again.
    const ended = await siblingTownship.patch(`/api/v1/liaisons/${sib[3].id}`, {
      version: sib[3].version,
      endedOn: '2026-11-01',
      endReason: '迁居外地',
    });
    expect(ended.json().data.status).toBe('ended');
    const stale = await siblingTownship.patch(`/api/v1/liaisons/${sib[3].id}`, {
      version: sib[3].version,
      name: '丁二',
    });
    expect(stale.statusCode).toBe(409);

    const city = (await prefecture.get(`/api/v1/liaisons/coverage?regionCode=${tree.prefecture}`)).json().data;
    const row = city.children.find((c: { regionCode: string }) => c.regionCode === tree.county);
    expect(row).toMatchObject({ liaisons: 4, townshipsShort: 1, townshipsOver: 0, status: 'short', isRunning: true });
    const sibling = city.children.find((c: { regionCode: string }) => c.regionCode === tree.siblingCounty);
    expect(sibling).toMatchObject({ isRunning: false, liaisons: 0, status: 'ok' });

    // A township sees only its own row; another county's coverage is not there.
    const own = (await township.get(`/api/v1/liaisons/coverage?regionCode=${tree.township}`)).json().data;
    expect(own.children).toEqual([
      expect.objectContaining({ regionCode: tree.township, liaisons: 1, status: 'short' }),
    ]);
    expect((await township.get(`/api/v1/liaisons/coverage?regionCode=${tree.siblingTownship}`)).statusCode).toBe(404);
    expect((await county.put(`/api/v1/liaison-programmes/${other.county}`, { isRunning: true })).statusCode).toBe(404);
    expect((await township.put(`/api/v1/liaison-programmes/${tree.county}`, { isRunning: false })).statusCode).toBe(
      404,
    );
    expect(
      (await county.put(`/api/v1/liaison-programmes/${tree.county}`, { isRunning: false, version: 7 })).statusCode,
    ).toBe(409);
  });

  it('refuses a liaison in a village or a county, naming regionCode, and stores nothing', async () => {
    const before = await countLiaisons(county, tree.county);
    for (const regionCode of [tree.village, tree.county]) {
      const res = await county.post('/api/v1/liaisons', { regionCode, name: '李四' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ path: 'regionCode', code: 'REGION_LEVEL' });
    }
    const outside = await county.post('/api/v1/liaisons', { regionCode: other.township, name: '李四' });
    expect(outside.json().error.details[0].path).toBe('regionCode');
    const future = await township.post('/api/v1/liaisons', {
      regionCode: tree.township,
      name: '李四',
      startedOn: '2027-01-01',
    });
    expect(future.json().error.details[0].path).toBe('startedOn');
    expect(await countLiaisons(county, tree.county)).toBe(before);
    // 三员 and village staff see none of it.
    const admin = await t.signIn('sysadmin', tree.county);
    expect((await admin.get(`/api/v1/liaisons?regionCode=${tree.county}`)).statusCode).toBe(403);
    const village = await t.signIn('village_staff', tree.village);
    expect((await village.get(`/api/v1/liaisons/coverage?regionCode=${tree.village}`)).statusCode).toBe(403);
  });

  it('takes a family member liaison’s phone from the archive, masked', async () => {
    const village = `${tree.township.slice(0, 9)}001`;
    const phone = phoneNumber();
    const input = familyInput(village);
    (input.members as Array<Record<string, unknown>>)[0].phone = phone;
    const family = (await township.post('/api/v1/families', input)).json().data as { id: string };
    const memberName = (input.members as Array<{ name: string }>)[0].name;

    const wrongName = await township.post('/api/v1/liaisons', {
      regionCode: tree.township,
      name: '别人',
      familyId: family.id,
    });
    expect(wrongName.json().error.details[0]).toMatchObject({ path: 'name', code: 'MEMBER_UNKNOWN' });
    const withPhone = await township.post('/api/v1/liaisons', {
      regionCode: tree.township,
      name: memberName,
      familyId: family.id,
      phone: phoneNumber(),
    });
    expect(withPhone.json().error.details[0].path).toBe('phone');
    const elsewhere = await county.post('/api/v1/liaisons', {
      regionCode: tree.siblingTownship,
      name: memberName,
      familyId: family.id,
    });
    expect(elsewhere.json().error.details[0]).toMatchObject({ path: 'familyId', code: 'FAMILY_REGION' });

    const l = await liaison(township, tree.township, memberName, { familyId: family.id });
    expect(l.phone).toBe(maskPhone(phone));
    expect(l.familyId).toBe(family.id);
    const listed = (
      await county.get(`/api/v1/liaisons?regionCode=${tree.township}&q=${encodeURIComponent(memberName)}`)
    ).json();
    expect(listed.data.map((x: LiaisonBody) => x.id)).toContain(l.id);
    expect(JSON.stringify(listed)).not.toContain(phone);
  });
});

describe('liaison reports', () => {
  it('records what a liaison relayed, optionally about a family of the township', async () => {
    const l = await liaison(township, tree.township, '赵秀梅');
    const res = await township.post(`/api/v1/liaisons/${l.id}/reports`, {
      reportedOn: '2026-11-20',
      content: '反映张家想申请养老床位',
    });
    expect(res.statusCode, res.body).toBe(201);
    const future = await township.post(`/api/v1/liaisons/${l.id}/reports`, {
      reportedOn: '2026-12-20',
      content: '未来',
    });
    expect(future.json().error.details[0].path).toBe('reportedOn');
    const reports = (await county.get(`/api/v1/liaisons/${l.id}/reports`)).json().data;
    expect(reports).toHaveLength(1);
    expect(reports[0].content).toContain('养老床位');
    expect((await siblingTownship.get(`/api/v1/liaisons/${l.id}/reports`)).statusCode).toBe(404);
  });
});

describe('subsidies', () => {
  it('refuses bad amounts, future periods and foreign payers by field, storing nothing', async () => {
    const l = await liaison(township, tree.township, '钱红', { startedOn: '2025-01-01' });
    const ok = { period: '2026-10', kind: 'phone', amount: 50, payerRegionCode: tree.county, paidOn: '2026-11-05' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: -5 }, 'amount'],
      [{ amount: 0 }, 'amount'],
      [{ amount: 10_000.01 }, 'amount'],
      [{ amount: 12.345 }, 'amount'],
      [{ period: '2026-12' }, 'period'],
      [{ period: '2027-Q1' }, 'period'],
      [{ period: '2026-13' }, 'period'],
      [{ period: '2024-12' }, 'period'],
      [{ paidOn: '2026-12-01' }, 'paidOn'],
      [{ payerRegionCode: tree.siblingCounty }, 'payerRegionCode'],
      [{ payerRegionCode: tree.siblingTownship }, 'payerRegionCode'],
      [{ kind: 'food' }, 'kind'],
    ];
    for (const [change, path] of cases) {
      const res = await township.post(`/api/v1/liaisons/${l.id}/subsidies`, { ...ok, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(res.json().error.details[0].path).toBe(path);
    }
    expect((await township.get(`/api/v1/liaisons/${l.id}/subsidies`)).json().data).toHaveLength(0);
    // A quarter allows three months' worth.
    const quarter = await township.post(`/api/v1/liaisons/${l.id}/subsidies`, {
      ...ok,
      period: '2026-Q3',
      amount: 25_000,
    });
    expect(quarter.statusCode, quarter.body).toBe(201);
    expect(quarter.json().data).toMatchObject({ period: '2026-Q3', amount: 25_000, payerLevel: 'county' });
    expect((await siblingTownship.post(`/api/v1/liaisons/${l.id}/subsidies`, ok)).statusCode).toBe(404);
  });

  it('totals by township, kind, payer level and year, and exports them masked, formula-safe and audited', async () => {
    const phone = phoneNumber();
    const a = await liaison(county, tree.township, '孙丽', { phone, startedOn: '2025-06-01' });
    const b = await liaison(county, tree.siblingTownship, '周强', { startedOn: '2025-06-01' });
    const pay = (id: string, body: Record<string, unknown>) =>
      county.post(`/api/v1/liaisons/${id}/subsidies`, { paidOn: '2026-11-10', ...body });
    expect(
      (await pay(a.id, { period: '2026-09', kind: 'phone', amount: 50.5, payerRegionCode: tree.county })).statusCode,
    ).toBe(201);
    expect(
      (await pay(a.id, { period: '2026-Q3', kind: 'transport', amount: 120, payerRegionCode: tree.township }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await pay(b.id, {
          period: '2026-10',
          kind: 'other',
          amount: 30.25,
          payerRegionCode: tree.siblingTownship,
          note: '=HYPERLINK("x")',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await pay(b.id, {
          period: '2025-12',
          kind: 'phone',
          amount: 40,
          payerRegionCode: tree.county,
          paidOn: '2026-01-05',
        })
      ).statusCode,
    ).toBe(201);

    const totals = (await county.get(`/api/v1/liaison-subsidies/totals?regionCode=${tree.county}&year=2026`)).json()
      .data;
    const mine = totals.byTownship.find((x: { regionCode: string }) => x.regionCode === tree.township);
    const sib = totals.byTownship.find((x: { regionCode: string }) => x.regionCode === tree.siblingTownship);
    // The township also holds the earlier test's 25,000 quarter (paid by the county).
    expect(mine).toMatchObject({ phone: 25_050.5, transport: 120, total: 25_170.5 });
    expect(sib).toMatchObject({ other: 30.25, phone: 0, total: 30.25 });
    expect(totals.total).toBe(25_200.75);
    expect(totals.byPayerLevel).toEqual([
      { payerLevel: 'county', total: 25_050.5 },
      { payerLevel: 'township', total: 150.25 },
    ]);
    expect(totals.byYear).toEqual([
      { year: 2025, total: 40 },
      { year: 2026, total: 25_200.75 },
    ]);
    const own = (await township.get(`/api/v1/liaison-subsidies/totals?year=2026`)).json().data;
    expect(own.total).toBe(25_170.5);
    expect((await township.get(`/api/v1/liaison-subsidies/totals?regionCode=${tree.county}`)).statusCode).toBe(404);
    const a2 = (await county.get(`/api/v1/liaisons/${a.id}`)).json().data;
    expect(a2.subsidyTotal).toBe(170.5);

    const file = await county.get(`/api/v1/liaison-subsidies/export.xlsx?regionCode=${tree.county}&year=2026`);
    expect(file.statusCode).toBe(200);
    const rows = await readSheet(file.rawPayload);
    expect(rows[0]).toContain('联系电话');
    expect(rows).toHaveLength(1 + 4);
    const text = await unzipText(file.rawPayload);
    expect(text).not.toContain(phone);
    expect(text).toContain(maskPhone(phone));
    expect(rows.flat()).toContain(`'=HYPERLINK("x")`);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['changes'])
      .where('action', '=', 'liaison.subsidy.export')
      .where('actor_id', '=', county.user.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].changes!).facts).toMatchObject({ rowCount: 4, year: 2026 });
  });
});
