import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// This file loads the real Hubei tree (27,057 villages), the others build small test trees.
let t: TestApp;
let county: Session;
let province: Session;

beforeAll(async () => {
  t = await createTestApp({ provinces: ['42'] });
  county = await t.login(await buildUser(t.db, 'county_staff', '420881000000'));
  province = await t.login({ ...(await buildUser(t.db, 'province_staff', '420000000000')), password: TEST_PASSWORD });
});
afterAll(() => t.close());

describe('regions', () => {
  it('holds the whole Hubei tree', async () => {
    const rows = await t.db
      .selectFrom('regions')
      .select(['level'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', 'like', '42%')
      .groupBy('level')
      .execute();
    const counts = Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
    expect(counts).toEqual({ province: 1, prefecture: 14, county: 105, township: 1475, village: 27057 });
  });

  it('walks from 湖北省 down to a village', async () => {
    const root = (await province.get('/api/v1/regions/420000000000')).json().data;
    expect(root).toMatchObject({ name: '湖北省', level: 'province', parentCode: null, childCount: 14 });
    const cities = (await province.get('/api/v1/regions/420000000000/children')).json();
    expect(cities.data.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['武汉市', '恩施土家族苗族自治州', '省直辖县级行政区划']),
    );
    expect(cities.page.total).toBe(14);
    const direct = (await province.get('/api/v1/regions/429000000000/children')).json().data;
    expect(direct.map((c: { name: string }) => c.name)).toEqual(['仙桃市', '潜江市', '天门市', '神农架林区']);
    const townships = (await province.get('/api/v1/regions/420881000000/children')).json().data;
    expect(townships.length).toBeGreaterThan(10);
    const villages = (await province.get(`/api/v1/regions/${townships[0].code}/children`)).json().data;
    expect(villages[0]).toMatchObject({ level: 'village', parentCode: townships[0].code, childCount: 0 });
  });

  it('shows a county user its county and below, and 404 elsewhere', async () => {
    expect((await county.get('/api/v1/regions/420881000000')).json().data.name).toBe('钟祥市');
    expect((await county.get('/api/v1/regions/420800000000')).statusCode).toBe(404);
    expect((await county.get('/api/v1/regions/420102000000')).statusCode).toBe(404);
    expect((await county.get('/api/v1/regions/420102000000/children')).statusCode).toBe(404);
  });

  it('answers an unknown code 404 and a malformed one 400', async () => {
    expect((await province.get('/api/v1/regions/429999000000')).statusCode).toBe(404);
    const bad = await province.get('/api/v1/regions/42');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('params.code');
  });
});
