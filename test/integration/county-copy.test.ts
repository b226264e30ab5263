import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareManifests, type CountyCopyManifest } from '../../common/schemas/county-copy.js';
import { TableHasher } from '../../server/platform/backup/digests.js';
import { openSignedAndEnveloped, parseSignedAndEnveloped } from '../../server/platform/crypto/gm-envelope.js';
import { buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/**
 * 县级电子备份 (R9, issue 18 part 3): the county downloads every archive and work record of the county, encrypted
 * to and signed by its own SM2 key, with a manifest a later copy is compared against; scoped and audited.
 */
let t: TestApp;
let tree: RegionTree;
let county: Session;
let otherCountyVillage: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  otherCountyVillage = `${tree.siblingCounty.slice(0, 6)}001001`;
  const village = await t.signIn('village_staff', tree.village);
  const elsewhere = await t.signIn('village_staff', otherCountyVillage);
  for (const s of [village, village, elsewhere])
    expect(
      (await s.post('/api/v1/families', familyInput(s === village ? tree.village : otherCountyVillage))).statusCode,
    ).toBe(201);
  county = await t.signIn('county_staff', tree.county);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function open(
  der: Buffer,
): Promise<{ manifest: CountyCopyManifest; tables: Record<string, Array<Record<string, unknown>>> }> {
  const parsed = parseSignedAndEnveloped(der);
  const rk = t.app.services.regionKeys;
  const own = await rk.ownKey(parsed.recipient.regionCode, parsed.recipient.serial);
  const signer = await rk.knownSignerKey(parsed.signer.regionCode, parsed.signer.serial);
  const opened = openSignedAndEnveloped(t.app.platform.crypto, der, {
    signerKey: () => signer,
    recipientKey: () => own,
  });
  expect(opened.recipient.regionCode).toBe(tree.county);
  return JSON.parse(zlib.gunzipSync(opened.content).toString('utf8'));
}

describe('县级电子备份', () => {
  it('downloads the county’s records encrypted to its SM2 key, with a manifest that matches the content', async () => {
    const m = await county.get(`/api/v1/county-copy/manifest?regionCode=${tree.county}`);
    expect(m.statusCode, m.body).toBe(200);
    const manifest = m.json().data as CountyCopyManifest;
    expect(manifest.tables.find((x) => x.name === 'families')!.rows).toBe(2);

    const res = await county.get(`/api/v1/county-copy?regionCode=${tree.county}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-manifest-sm3']).toBe(manifest.contentSm3);
    const der = res.rawPayload;
    // Encrypted: an address of the county's families is not in the file.
    expect(der.includes(Buffer.from('保成路'))).toBe(false);
    const copy = await open(der);
    expect(copy.manifest.contentSm3).toBe(manifest.contentSm3);
    expect(copy.tables.families).toHaveLength(2);
    expect(copy.tables.families.every((f) => String(f.region_code).startsWith(tree.county.slice(0, 6)))).toBe(true);
    expect(copy.tables.family_members.length).toBeGreaterThanOrEqual(2);
    // Each table's digest recomputed from what the copy holds is the manifest's.
    for (const entry of copy.manifest.tables) {
      const h = new TableHasher(t.app.platform.crypto, entry.name);
      for (const row of copy.tables[entry.name]) h.add(row);
      expect(h.digest([]).sm3, entry.name).toBe(entry.sm3);
    }
    // No accounts, keys, audit rows or sample lists travel in it.
    for (const name of ['users', 'sessions', 'region_keys', 'audit_events', 'sample_survey_families'])
      expect(copy.tables[name]).toBeUndefined();
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['actor_username', 'target_id'])
      .where('action', '=', 'county_copy.export')
      .execute();
    expect(audited).toEqual([{ actor_username: county.user.username, target_id: tree.county }]);
  });

  it('a later manifest compared with the earlier one names what changed', async () => {
    const before = (await county.get('/api/v1/county-copy/manifest')).json().data as CountyCopyManifest;
    const village = await t.signIn('village_staff', tree.village);
    expect((await village.post('/api/v1/families', familyInput(tree.village))).statusCode).toBe(201);
    const after = (await county.get('/api/v1/county-copy/manifest')).json().data as CountyCopyManifest;
    const diff = compareManifests(before, after);
    expect(diff.find((d) => d.name === 'families')).toEqual({
      name: 'families',
      before: 2,
      after: 3,
      status: 'changed',
    });
    expect(diff.find((d) => d.name === 'trainings')!.status).toBe('same');
    expect(after.contentSm3).not.toBe(before.contentSm3);
  });

  it('is the county’s own: other counties 404, townships 404 (the county is above them), the 三员 403, a township code 400', async () => {
    const other = await t.signIn('county_staff', tree.siblingCounty);
    expect((await other.get(`/api/v1/county-copy?regionCode=${tree.county}`)).statusCode).toBe(404);
    expect((await other.get(`/api/v1/county-copy/manifest?regionCode=${tree.county}`)).statusCode).toBe(404);
    const township = await t.signIn('township_staff', tree.township);
    expect((await township.get(`/api/v1/county-copy/manifest?regionCode=${tree.county}`)).statusCode).toBe(404);
    expect((await township.get('/api/v1/county-copy/manifest')).statusCode).toBe(400);
    const leaderRes = await (await t.signIn('county_leader', tree.county)).get('/api/v1/county-copy/manifest');
    expect(leaderRes.statusCode).toBe(200);
    const admin = await t.signIn('sysadmin', tree.province);
    expect((await admin.get(`/api/v1/county-copy/manifest?regionCode=${tree.county}`)).statusCode).toBe(403);
    const bad = await county.get(`/api/v1/county-copy?regionCode=${tree.township}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toMatch(/regionCode$/);
  });
});
