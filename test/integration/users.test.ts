import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, buildUser, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tree: RegionTree;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  admin = await t.signIn('sysadmin', tree.prefecture);
});
afterAll(() => t.close());

const base = { displayName: '王小明', password: 'Strong-Pass1' };

describe('user management', () => {
  it('creates an account bound to one region and lists it', async () => {
    const res = await admin.post('/api/v1/users', {
      ...base,
      username: 'wang_xm',
      role: 'township_staff',
      regionCode: tree.township,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      username: 'wang_xm',
      role: 'township_staff',
      regionCode: tree.township,
      isDisabled: false,
      version: 1,
    });
    expect(res.json().data).not.toHaveProperty('password');
    const list = (await admin.get('/api/v1/users?q=wang_xm')).json();
    expect(list.page.total).toBe(1);
    expect(list.data[0].username).toBe('wang_xm');
  });

  it('refuses a weak password, naming the field', async () => {
    const res = await admin.post('/api/v1/users', {
      ...base,
      password: 'password',
      username: 'weak_pw',
      role: 'county_staff',
      regionCode: tree.county,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'password', code: 'PASSWORD_TOO_SIMPLE' });
    expect((await admin.get('/api/v1/users?q=weak_pw')).json().page.total).toBe(0);
  });

  it('refuses a region of the wrong level for the role, or outside the admin’s region', async () => {
    const wrongLevel = await admin.post('/api/v1/users', {
      ...base,
      username: 'wrong_lvl',
      role: 'village_staff',
      regionCode: tree.county,
    });
    expect(wrongLevel.json().error.details[0]).toMatchObject({ path: 'regionCode', code: 'REGION_LEVEL_MISMATCH' });
    const other = await buildRegionTree(t.db);
    const outside = await admin.post('/api/v1/users', {
      ...base,
      username: 'outside',
      role: 'county_staff',
      regionCode: other.county,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details[0].path).toBe('regionCode');
  });

  it('answers 404 for a list filtered on a region outside the admin’s, as for any other out-of-scope id', async () => {
    const other = await buildRegionTree(t.db);
    await buildUser(t.db, 'county_staff', other.county);
    const res = await admin.get(`/api/v1/users?regionCode=${other.county}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await admin.get(`/api/v1/users?regionCode=${tree.county}`)).statusCode).toBe(200);
  });

  it('answers 400 naming the field, in Chinese, for a list filtered on a malformed region code', async () => {
    const res = await admin.get('/api/v1/users?regionCode=12ab');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({
      path: 'querystring.regionCode',
      message: '区划代码应为 12 位数字',
    });
  });

  it('refuses a duplicate username with 409', async () => {
    await admin.post('/api/v1/users', { ...base, username: 'dup_user', role: 'county_staff', regionCode: tree.county });
    const res = await admin.post('/api/v1/users', {
      ...base,
      username: 'dup_user',
      role: 'county_staff',
      regionCode: tree.county,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].path).toBe('username');
  });

  it('rejects a stale version with 409 and writes nothing', async () => {
    const user = await buildUser(t.db, 'county_staff', tree.county);
    const first = await admin.patch(`/api/v1/users/${user.id}`, { version: 1, displayName: '第一次' });
    expect(first.json().data.version).toBe(2);
    const stale = await admin.patch(`/api/v1/users/${user.id}`, { version: 1, displayName: '第二次' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    expect((await admin.get(`/api/v1/users/${user.id}`)).json().data.displayName).toBe('第一次');
  });

  it('keeps 三员 roles away from family-data work and from their own role', async () => {
    const self = await admin.patch(`/api/v1/users/${admin.user.id}`, { version: 1, role: 'province_staff' });
    expect(self.statusCode).toBe(403);
    const county = await t.signIn('county_staff', tree.county);
    expect((await county.get('/api/v1/users')).statusCode).toBe(403);
    expect(
      (
        await county.post('/api/v1/users', {
          ...base,
          username: 'x_by_county',
          role: 'county_staff',
          regionCode: tree.county,
        })
      ).statusCode,
    ).toBe(403);
  });
});
