import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

// Issue 11 item 10: the region picker finds a region by name.
let t: TestApp;
let tree: RegionTree;
let county: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  county = await t.signIn('county_staff', tree.county);
});
afterAll(() => t.close());

describe('GET /regions/{code}/search', () => {
  it('finds regions under the code by any part of the name, with their path, and only there', async () => {
    const res = await county.get(`/api/v1/regions/${tree.county}/search?q=${encodeURIComponent('-001-002')}`);
    expect(res.statusCode).toBe(200);
    const data = res.json().data as Array<{ code: string; name: string; path: string; level: string }>;
    expect(data.map((r) => r.code)).toEqual([tree.siblingVillage]);
    const county_ = (await county.get(`/api/v1/regions/${tree.county}`)).json().data.name;
    const township = (await county.get(`/api/v1/regions/${tree.township}`)).json().data.name;
    expect(data[0]).toMatchObject({ level: 'village', path: `${county_} › ${township} › ${data[0].name}` });

    // Every village of the county, none of the sibling county's.
    const villages = (await county.get(`/api/v1/regions/${tree.county}/search?q=${encodeURIComponent('村')}`)).json()
      .data as Array<{ code: string }>;
    expect(villages).toHaveLength(4);
    expect(villages.every((v) => v.code.startsWith(tree.county.slice(0, 6)))).toBe(true);

    expect((await county.get(`/api/v1/regions/${tree.siblingCounty}/search?q=村`)).statusCode).toBe(404);
    const empty = await county.get(`/api/v1/regions/${tree.county}/search?q=`);
    expect(empty.statusCode).toBe(400);
    expect(
      (await county.get(`/api/v1/regions/${tree.county}/search?q=${encodeURIComponent('%')}`)).json().data,
    ).toEqual(expect.any(Array));
  });
});
