import { describe, expect, it } from 'vitest';
import { maskPhone } from '../../common/mask.js';
import { familyInput, phoneNumber } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';
import type { Session } from '../support/test-app.js';
import { readSheet, unzipText } from '../support/uploads.js';

// 联络员 (R12): the registry per township, the county switch, the 2–3 check, reports, subsidies and their totals.
const app = useAppWithTree({
  otherTree: true,
  sessions: {
    township: ['township_staff', 'township'],
    siblingTownship: ['township_staff', 'siblingTownship'],
    county: ['county_staff', 'county'],
    prefecture: ['prefecture_staff', 'prefecture'],
  },
});

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
    await liaison(app.township, app.tree.township, '王桂兰', { phone: phoneNumber() });
    const sib: LiaisonBody[] = [];
    for (const name of ['甲', '乙', '丙', '丁'])
      sib.push(await liaison(app.siblingTownship, app.tree.siblingTownship, name));

    const off = (await app.county.get(`/api/v1/liaisons/coverage?regionCode=${app.tree.county}`)).json().data;
    expect(off.isRunning).toBe(false);
    expect(off.liaisons).toBe(5);
    expect(off.townshipsShort).toBe(0);
    expect(off.children.map((c: { status: string }) => c.status)).toEqual(['short', 'over']);

    const on = await app.county.put(`/api/v1/liaison-programmes/${app.tree.county}`, { isRunning: true });
    expect(on.statusCode, on.body).toBe(200);
    const running = (await app.county.get(`/api/v1/liaisons/coverage?regionCode=${app.tree.county}`)).json().data;
    expect(running).toMatchObject({
      isRunning: true,
      townships: 2,
      townshipsShort: 1,
      townshipsOver: 1,
      status: 'short',
    });
    expect(running.programmeVersion).toBe(1);
    expect(running.children).toEqual([
      expect.objectContaining({ regionCode: app.tree.township, liaisons: 1, status: 'short', isRunning: true }),
      expect.objectContaining({ regionCode: app.tree.siblingTownship, liaisons: 4, status: 'over' }),
    ]);

    // One leaves: the sibling township is within 2–3 again.
    const ended = await app.siblingTownship.patch(`/api/v1/liaisons/${sib[3].id}`, {
      version: sib[3].version,
      endedOn: '2026-11-01',
      endReason: '迁居外地',
    });
    expect(ended.json().data.status).toBe('ended');
    const stale = await app.siblingTownship.patch(`/api/v1/liaisons/${sib[3].id}`, {
      version: sib[3].version,
      name: '丁二',
    });
    expect(stale.statusCode).toBe(409);

    const city = (await app.prefecture.get(`/api/v1/liaisons/coverage?regionCode=${app.tree.prefecture}`)).json().data;
    const row = city.children.find((c: { regionCode: string }) => c.regionCode === app.tree.county);
    expect(row).toMatchObject({ liaisons: 4, townshipsShort: 1, townshipsOver: 0, status: 'short', isRunning: true });
    const sibling = city.children.find((c: { regionCode: string }) => c.regionCode === app.tree.siblingCounty);
    expect(sibling).toMatchObject({ isRunning: false, liaisons: 0, status: 'ok' });

    // A township sees only its own row; another county's coverage is not there.
    const own = (await app.township.get(`/api/v1/liaisons/coverage?regionCode=${app.tree.township}`)).json().data;
    expect(own.children).toEqual([
      expect.objectContaining({ regionCode: app.tree.township, liaisons: 1, status: 'short' }),
    ]);
    expect(
      (await app.township.get(`/api/v1/liaisons/coverage?regionCode=${app.tree.siblingTownship}`)).statusCode,
    ).toBe(404);
    expect(
      (await app.county.put(`/api/v1/liaison-programmes/${app.other.county}`, { isRunning: true })).statusCode,
    ).toBe(404);
    expect(
      (await app.township.put(`/api/v1/liaison-programmes/${app.tree.county}`, { isRunning: false })).statusCode,
    ).toBe(404);
    expect(
      (await app.county.put(`/api/v1/liaison-programmes/${app.tree.county}`, { isRunning: false, version: 7 }))
        .statusCode,
    ).toBe(409);
  });

  it('refuses a liaison in a village or a county, naming regionCode, and stores nothing', async () => {
    const before = await countLiaisons(app.county, app.tree.county);
    for (const regionCode of [app.tree.village, app.tree.county]) {
      const res = await app.county.post('/api/v1/liaisons', { regionCode, name: '李四' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ path: 'regionCode', code: 'REGION_LEVEL' });
    }
    const outside = await app.county.post('/api/v1/liaisons', { regionCode: app.other.township, name: '李四' });
    expect(outside.json().error.details[0].path).toBe('regionCode');
    const future = await app.township.post('/api/v1/liaisons', {
      regionCode: app.tree.township,
      name: '李四',
      startedOn: '2027-01-01',
    });
    expect(future.json().error.details[0].path).toBe('startedOn');
    expect(await countLiaisons(app.county, app.tree.county)).toBe(before);
    // 三员 and village staff see none of it.
    const admin = await app.t.signIn('sysadmin', app.tree.county);
    expect((await admin.get(`/api/v1/liaisons?regionCode=${app.tree.county}`)).statusCode).toBe(403);
    const village = await app.t.signIn('village_staff', app.tree.village);
    expect((await village.get(`/api/v1/liaisons/coverage?regionCode=${app.tree.village}`)).statusCode).toBe(403);
  });

  it('takes a family member liaison’s phone from the archive, masked', async () => {
    const village = `${app.tree.township.slice(0, 9)}001`;
    const phone = phoneNumber();
    const input = familyInput(village);
    (input.members as Array<Record<string, unknown>>)[0].phone = phone;
    const family = (await app.township.post('/api/v1/families', input)).json().data as { id: string };
    const memberName = (input.members as Array<{ name: string }>)[0].name;

    const wrongName = await app.township.post('/api/v1/liaisons', {
      regionCode: app.tree.township,
      name: '别人',
      familyId: family.id,
    });
    expect(wrongName.json().error.details[0]).toMatchObject({ path: 'name', code: 'MEMBER_UNKNOWN' });
    const withPhone = await app.township.post('/api/v1/liaisons', {
      regionCode: app.tree.township,
      name: memberName,
      familyId: family.id,
      phone: phoneNumber(),
    });
    expect(withPhone.json().error.details[0].path).toBe('phone');
    const elsewhere = await app.county.post('/api/v1/liaisons', {
      regionCode: app.tree.siblingTownship,
      name: memberName,
      familyId: family.id,
    });
    expect(elsewhere.json().error.details[0]).toMatchObject({ path: 'familyId', code: 'FAMILY_REGION' });

    const l = await liaison(app.township, app.tree.township, memberName, { familyId: family.id });
    expect(l.phone).toBe(maskPhone(phone));
    expect(l.familyId).toBe(family.id);
    const listed = (
      await app.county.get(`/api/v1/liaisons?regionCode=${app.tree.township}&q=${encodeURIComponent(memberName)}`)
    ).json();
    expect(listed.data.map((x: LiaisonBody) => x.id)).toContain(l.id);
    expect(JSON.stringify(listed)).not.toContain(phone);
  });
});

describe('liaison reports', () => {
  it('records what a liaison relayed, optionally about a family of the township', async () => {
    const l = await liaison(app.township, app.tree.township, '赵秀梅');
    const res = await app.township.post(`/api/v1/liaisons/${l.id}/reports`, {
      reportedOn: '2026-11-20',
      content: '反映张家想申请养老床位',
    });
    expect(res.statusCode, res.body).toBe(201);
    const future = await app.township.post(`/api/v1/liaisons/${l.id}/reports`, {
      reportedOn: '2026-12-20',
      content: '未来',
    });
    expect(future.json().error.details[0].path).toBe('reportedOn');
    const reports = (await app.county.get(`/api/v1/liaisons/${l.id}/reports`)).json().data;
    expect(reports).toHaveLength(1);
    expect(reports[0].content).toContain('养老床位');
    expect((await app.siblingTownship.get(`/api/v1/liaisons/${l.id}/reports`)).statusCode).toBe(404);
  });
});

describe('subsidies', () => {
  it('refuses bad amounts, future periods and foreign payers by field, storing nothing', async () => {
    const l = await liaison(app.township, app.tree.township, '钱红', { startedOn: '2025-01-01' });
    const ok = { period: '2026-10', kind: 'phone', amount: 50, payerRegionCode: app.tree.county, paidOn: '2026-11-05' };
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
      [{ payerRegionCode: app.tree.siblingCounty }, 'payerRegionCode'],
      [{ payerRegionCode: app.tree.siblingTownship }, 'payerRegionCode'],
      [{ kind: 'food' }, 'kind'],
    ];
    for (const [change, path] of cases) {
      const res = await app.township.post(`/api/v1/liaisons/${l.id}/subsidies`, { ...ok, ...change });
      expect(res.statusCode, JSON.stringify(change)).toBe(400);
      expect(res.json().error.details[0].path).toBe(path);
    }
    expect((await app.township.get(`/api/v1/liaisons/${l.id}/subsidies`)).json().data).toHaveLength(0);
    // A quarter allows three months' worth.
    const quarter = await app.township.post(`/api/v1/liaisons/${l.id}/subsidies`, {
      ...ok,
      period: '2026-Q3',
      amount: 25_000,
    });
    expect(quarter.statusCode, quarter.body).toBe(201);
    expect(quarter.json().data).toMatchObject({ period: '2026-Q3', amount: 25_000, payerLevel: 'county' });
    expect((await app.siblingTownship.post(`/api/v1/liaisons/${l.id}/subsidies`, ok)).statusCode).toBe(404);
  });

  it('totals by township, kind, payer level and year, and exports them masked, formula-safe and audited', async () => {
    const phone = phoneNumber();
    const a = await liaison(app.county, app.tree.township, '孙丽', { phone, startedOn: '2025-06-01' });
    const b = await liaison(app.county, app.tree.siblingTownship, '周强', { startedOn: '2025-06-01' });
    const pay = (id: string, body: Record<string, unknown>) =>
      app.county.post(`/api/v1/liaisons/${id}/subsidies`, { paidOn: '2026-11-10', ...body });
    expect(
      (await pay(a.id, { period: '2026-09', kind: 'phone', amount: 50.5, payerRegionCode: app.tree.county }))
        .statusCode,
    ).toBe(201);
    expect(
      (await pay(a.id, { period: '2026-Q3', kind: 'transport', amount: 120, payerRegionCode: app.tree.township }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await pay(b.id, {
          period: '2026-10',
          kind: 'other',
          amount: 30.25,
          payerRegionCode: app.tree.siblingTownship,
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
          payerRegionCode: app.tree.county,
          paidOn: '2026-01-05',
        })
      ).statusCode,
    ).toBe(201);

    const totals = (
      await app.county.get(`/api/v1/liaison-subsidies/totals?regionCode=${app.tree.county}&year=2026`)
    ).json().data;
    const mine = totals.byTownship.find((x: { regionCode: string }) => x.regionCode === app.tree.township);
    const sib = totals.byTownship.find((x: { regionCode: string }) => x.regionCode === app.tree.siblingTownship);
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
    const own = (await app.township.get(`/api/v1/liaison-subsidies/totals?year=2026`)).json().data;
    expect(own.total).toBe(25_170.5);
    expect((await app.township.get(`/api/v1/liaison-subsidies/totals?regionCode=${app.tree.county}`)).statusCode).toBe(
      404,
    );
    const a2 = (await app.county.get(`/api/v1/liaisons/${a.id}`)).json().data;
    expect(a2.subsidyTotal).toBe(170.5);

    const file = await app.county.get(`/api/v1/liaison-subsidies/export.xlsx?regionCode=${app.tree.county}&year=2026`);
    expect(file.statusCode).toBe(200);
    const rows = await readSheet(file.rawPayload);
    expect(rows[0]).toContain('联系电话');
    expect(rows).toHaveLength(1 + 4);
    const text = await unzipText(file.rawPayload);
    expect(text).not.toContain(phone);
    expect(text).toContain(maskPhone(phone));
    expect(rows.flat()).toContain(`'=HYPERLINK("x")`);
    const audit = await app.t.db
      .selectFrom('audit_events')
      .select(['changes'])
      .where('action', '=', 'liaison.subsidy.export')
      .where('actor_id', '=', app.county.user.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].changes!).facts).toMatchObject({ rowCount: 4, year: 2026 });
  });
});
