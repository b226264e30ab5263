import { createPublicKey, randomUUID } from 'node:crypto';
import officeCrypto from 'officecrypto-tool';
import XlsxPopulate from 'xlsx-populate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildSignedAndEnveloped, parseSignedAndEnveloped } from '../../server/platform/crypto/gm-envelope.js';
import {
  encodeContent,
  PACKAGE_FORMAT,
  type PackageContent,
} from '../../server/modules/stat-packages/package-content.js';
import { buildRegionTree, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { multipartBody } from '../support/uploads.js';

let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let countyStaff: Session;
let cityStaff: Session;
let provinceStaff: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  countyStaff = await t.signIn('county_staff', tree.county);
  cityStaff = await t.signIn('prefecture_staff', tree.prefecture);
  provinceStaff = await t.signIn('province_staff', tree.province);
});
afterAll(() => t.close());

function upload(app: TestApp, session: Session, content: Buffer, field = 'file'): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipartBody({}, { name: '报表包.der', content, field });
  return app.app.inject({
    method: 'POST',
    url: '/api/v1/stat-return-packages',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': contentType },
    payload,
  });
}

function content(from: string, to: string, overrides: Partial<PackageContent> = {}): PackageContent {
  return {
    format: PACKAGE_FORMAT,
    returnId: 'r-1',
    template: 'annual',
    period: '2025',
    regionCode: from,
    regionName: '测试县',
    status: 'submitted',
    submittedAt: '2026-04-20T02:00:00.000Z',
    approvedAt: null,
    figures: { families_active: 37, home_visit_rate: 96.5 },
    definitionVersions: { families_active: 1, home_visit_rate: 1 },
    remarks: null,
    preparedBy: '王填表',
    responsiblePerson: '李负责',
    toRegionCode: to,
    packedAt: '2026-04-21T02:00:00.000Z',
    ...overrides,
  };
}

/** A package as this instance's `from` level would send it to `to` (what GET …/package builds). */
async function packageFrom(app: TestApp, from: string, to: string, overrides: Partial<PackageContent> = {}) {
  const keys = app.app.services.regionKeys;
  return buildSignedAndEnveloped(app.app.platform.crypto, {
    content: encodeContent(content(from, to, overrides)),
    sender: await keys.signingKey(from),
    recipient: await keys.recipientKey(to),
    signingTime: app.clock.now(),
  });
}

/** The province and the first tree's city subtree on another instance's database: the same codes. */
async function copyRegions(to: TestApp): Promise<void> {
  const rows = await t.db
    .selectFrom('regions')
    .selectAll()
    .where((eb) => eb.or([eb('code', '=', tree.province), eb('code', 'like', `${tree.prefecture.slice(0, 4)}%`)]))
    .execute();
  await to.db.insertInto('regions').values(rows).execute();
}

async function countRows(table: 'region_keys' | 'audit_events', app = t): Promise<number> {
  const row = await app.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('GET /api/v1/regions/{code}/public-key', () => {
  it('generates the level’s key pair once, exports the public key as SM2 PEM, keeps the private key sealed', async () => {
    const res = await countyStaff.get(`/api/v1/regions/${tree.county}/public-key`);
    expect(res.statusCode).toBe(200);
    const key = res.json().data;
    expect(key).toMatchObject({ regionCode: tree.county, algorithm: 'SM2', origin: 'generated', hasPrivateKey: true });
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const spki = createPublicKey(key.publicKeyPem).export({ format: 'der', type: 'spki' });
    expect(spki.subarray(spki.length - 65).toString('hex')).toBe(key.publicKey);
    expect(JSON.stringify(res.json())).not.toMatch(/kw1\.|sealed/i);
    const again = (await countyStaff.get(`/api/v1/regions/${tree.county}/public-key`)).json().data;
    expect(again.keySerial).toBe(key.keySerial);
    const rows = await t.db.selectFrom('region_keys').selectAll().where('region_code', '=', tree.county).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].sealed_private_key).toMatch(/^kw1\./);
    const audit = await t.db.selectFrom('audit_events').select('action').where('target_id', '=', rows[0].id).execute();
    expect(audit.map((a) => a.action)).toEqual(['region_key.generate']);
  });

  it('answers 400 for a township (no key), 404 outside scope, 403 for a role without keys', async () => {
    const township = await countyStaff.get(`/api/v1/regions/${tree.township}/public-key`);
    expect(township.statusCode).toBe(400);
    expect(township.json().error.details[0].code).toBe('NO_KEY_LEVEL');
    expect((await countyStaff.get(`/api/v1/regions/${other.county}/public-key`)).statusCode).toBe(404);
    expect((await countyStaff.get(`/api/v1/regions/${tree.prefecture}/public-key`)).statusCode).toBe(404);
    const townshipStaff = await t.signIn('township_staff', tree.township);
    expect((await townshipStaff.get(`/api/v1/regions/${tree.township}/public-key`)).statusCode).toBe(403);
  });
});

describe('PUT /api/v1/regions/{code}/public-key (another instance’s key)', () => {
  it('refuses a bad PEM, the own level, and roles other than city and province staff', async () => {
    const county = (await countyStaff.get(`/api/v1/regions/${tree.county}/public-key`)).json().data;
    const bad = await cityStaff.put(`/api/v1/regions/${tree.siblingCounty}/public-key`, {
      publicKeyPem: county.publicKeyPem.replace('A', 'B'),
      reason: '县自建平台',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('publicKeyPem');
    const rsa = await cityStaff.put(`/api/v1/regions/${tree.siblingCounty}/public-key`, {
      publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
      reason: '县自建平台',
    });
    expect(rsa.statusCode).toBe(400);
    const own = await cityStaff.put(`/api/v1/regions/${tree.prefecture}/public-key`, {
      publicKeyPem: county.publicKeyPem,
      reason: '误操作',
    });
    expect(own.json().error.details[0].code).toBe('OWN_KEY');
    expect(
      (
        await countyStaff.put(`/api/v1/regions/${tree.county}/public-key`, {
          publicKeyPem: county.publicKeyPem,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await cityStaff.put(`/api/v1/regions/${other.county}/public-key`, {
          publicKeyPem: county.publicKeyPem,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('POST /api/v1/stat-return-packages', () => {
  it('verifies a county’s package for the city and shows the figures and the signer; nothing is stored', async () => {
    const pkg = await packageFrom(t, tree.county, tree.prefecture);
    const keysBefore = await countRows('region_keys');
    const res = await upload(t, cityStaff, pkg);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      template: 'annual',
      period: '2025',
      regionCode: tree.county,
      figures: { families_active: 37, home_visit_rate: 96.5 },
      signedBy: tree.county,
      signedByName: '测试县1-01',
      recipientRegionCode: tree.prefecture,
      verified: true,
    });
    // The figures as the template lays them out, named by this instance's indicator registry.
    const rows = res.json().data.rows as Array<{ code: string; name: string; value: number }>;
    expect(rows.find((r) => r.code === 'families_active')).toMatchObject({ value: 37 });
    expect(rows.find((r) => r.code === 'families_active')?.name).toMatch(/[\u4e00-\u9fff]/);
    expect(await countRows('region_keys')).toBe(keysBefore);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'changes'])
      .where('action', '=', 'stat_return.package_import')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.outcome).toBe('success');
    expect(audit.changes).not.toContain('families_active');
  });

  async function refusal(session: Session, bytes: Buffer) {
    const res = await upload(t, session, bytes);
    expect(res.statusCode, res.body).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('PACKAGE_INVALID');
    expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(error.details[0].path).toBe('file');
    return error as { message: string; details: Array<{ code: string }> };
  }

  it('refuses a package encrypted to another level, naming it', async () => {
    const pkg = await packageFrom(t, tree.county, tree.prefecture);
    const error = await refusal(provinceStaff, pkg);
    expect(error.details[0].code).toBe('NOT_FOR_US');
    expect(error.message).toContain('测试市1');
  });

  it('refuses a package signed by a key not registered here', async () => {
    const stranger = await createTestApp();
    try {
      // Another instance with its own key for the same county code.
      await copyRegions(stranger);
      const city = (await cityStaff.get(`/api/v1/regions/${tree.prefecture}/public-key`)).json().data;
      const strangerCity = await stranger.signIn('prefecture_staff', tree.prefecture);
      expect(
        (
          await strangerCity.put(`/api/v1/regions/${tree.province}/public-key`, {
            publicKeyPem: city.publicKeyPem,
            reason: '试验',
          })
        ).statusCode,
      ).toBe(200);
      // The stranger encrypts to our city's real key but signs with its own county key.
      const keys = stranger.app.services.regionKeys;
      const forged = buildSignedAndEnveloped(stranger.app.platform.crypto, {
        content: encodeContent(content(tree.county, tree.prefecture)),
        sender: await keys.signingKey(tree.county),
        recipient: { regionCode: tree.prefecture, publicKey: city.publicKey },
        signingTime: stranger.clock.now(),
      });
      const error = await refusal(cityStaff, forged);
      expect(error.details[0].code).toBe('UNKNOWN_SIGNER');
      expect(error.message).toContain('测试县1-01');
    } finally {
      await stranger.close();
    }
  });

  it('refuses a truncated package, one flipped byte, junk and an empty upload', async () => {
    const pkg = await packageFrom(t, tree.county, tree.prefecture);
    expect((await refusal(cityStaff, pkg.subarray(0, pkg.length - 7))).details[0].code).toBe('MALFORMED');
    // One byte of the encrypted content: CBC garbles that block and the next, the digest no longer holds.
    const { encryptedContent } = parseSignedAndEnveloped(pkg);
    const flipped = Buffer.from(pkg);
    flipped[pkg.indexOf(encryptedContent) + 3] ^= 0x01;
    expect(['CONTENT_DECRYPT_FAILED', 'DIGEST_MISMATCH']).toContain(
      (await refusal(cityStaff, flipped)).details[0].code,
    );
    const signatureFlip = Buffer.from(pkg);
    signatureFlip[pkg.length - 5] ^= 0x01;
    expect((await refusal(cityStaff, signatureFlip)).details[0].code).toBe('BAD_SIGNATURE');
    expect((await refusal(cityStaff, Buffer.from('%PDF-1.7 hello'))).details[0].code).toBe('MALFORMED');
    expect((await refusal(cityStaff, Buffer.alloc(0))).details[0].code).toBe('FILE_REQUIRED');
  });

  it('refuses a 50 MB upload as too large without reading it all', async () => {
    const error = await refusal(cityStaff, Buffer.alloc(50 * 1024 * 1024, 0x30));
    expect(error.details[0].code).toBe('FILE_TOO_LARGE');
    expect(error.message).toContain('1 MB');
  });

  it('refuses a signed package whose content is not addressed to us or not the signer’s own return', async () => {
    const wrongTo = await packageFrom(t, tree.county, tree.prefecture, { toRegionCode: tree.province });
    expect((await refusal(cityStaff, wrongTo)).details[0].code).toBe('NOT_ADDRESSED');
    const notOwn = await packageFrom(t, tree.county, tree.prefecture, { regionCode: tree.siblingCounty });
    expect((await refusal(cityStaff, notOwn)).details[0].code).toBe('SIGNER_MISMATCH');
    const failures = await t.db
      .selectFrom('audit_events')
      .select('outcome')
      .where('action', '=', 'stat_return.package_import')
      .where('outcome', '=', 'failure')
      .execute();
    expect(failures.length).toBeGreaterThan(0);
  });

  it('is for city and province staff only, and the signer must be below the importer', async () => {
    const pkg = await packageFrom(t, tree.county, tree.prefecture);
    expect((await upload(t, countyStaff, pkg)).statusCode).toBe(403);
    const otherCity = await t.signIn('prefecture_staff', other.prefecture);
    expect((await refusal(otherCity, pkg)).details[0].code).toBe('SIGNER_OUT_OF_SCOPE');
  });
});

describe('a city running its own instance', () => {
  it('registers the province’s key, and the province registers the city’s: the province verifies the city’s package', async () => {
    const cityInstance = await createTestApp();
    try {
      // Instance B serves the city; its region tree carries the same codes.
      await copyRegions(cityInstance);
      const bCity = await cityInstance.signIn('prefecture_staff', tree.prefecture);
      const provinceKey = (await provinceStaff.get(`/api/v1/regions/${tree.province}/public-key`)).json().data;
      const registered = await bCity.put(`/api/v1/regions/${tree.province}/public-key`, {
        publicKeyPem: provinceKey.publicKeyPem,
        reason: '省平台公钥',
      });
      expect(registered.statusCode).toBe(200);
      expect(registered.json().data).toMatchObject({ origin: 'registered', hasPrivateKey: false });
      expect(registered.json().data.keySerial).toBe(provinceKey.keySerial);

      const bCityKey = (await bCity.get(`/api/v1/regions/${tree.prefecture}/public-key`)).json().data;
      const onA = await provinceStaff.put(`/api/v1/regions/${tree.prefecture}/public-key`, {
        publicKeyPem: bCityKey.publicKeyPem,
        reason: '市州自建平台',
      });
      expect(onA.statusCode).toBe(200);
      // A's own generated key for the city is retired, not deleted.
      const aRows = await t.db
        .selectFrom('region_keys')
        .select(['status', 'origin'])
        .where('region_code', '=', tree.prefecture)
        .execute();
      expect(aRows).toEqual(
        expect.arrayContaining([
          { status: 'active', origin: 'registered' },
          { status: 'retired', origin: 'generated' },
        ]),
      );

      const pkg = await packageFrom(cityInstance, tree.prefecture, tree.province, { regionName: '测试市1' });
      const res = await upload(t, provinceStaff, pkg);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().data).toMatchObject({
        signedBy: tree.prefecture,
        recipientRegionCode: tree.province,
        verified: true,
      });
      // A cannot sign as the city any more: its key there is a registered public key.
      await expect(t.app.services.regionKeys.signingKey(tree.prefecture)).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      await cityInstance.close();
    }
  });
});

let periodCounter = 2000;
/** A stored return of `code` in `status` (what submitting through the chain leaves behind). */
async function storedReturn(code: string, status: string, figures: Record<string, number>): Promise<string> {
  const id = randomUUID();
  const now = t.clock.now().toISOString();
  await t.db
    .insertInto('stat_returns')
    .values({
      id,
      template: 'annual',
      period: String((periodCounter += 1)),
      region_code: code,
      status,
      due_at: '2001-04-30T15:59:59.999Z',
      submitted_at: status === 'draft' ? null : now,
      first_submitted_at: status === 'draft' ? null : now,
      timeliness: status === 'draft' ? null : 'late',
      approved_at: status === 'approved' ? now : null,
      figures: JSON.stringify(figures),
      definition_versions: JSON.stringify(Object.fromEntries(Object.keys(figures).map((k) => [k, 1]))),
      checks: '[]',
      computed_at: now,
      manual: '{}',
      remarks: '=HYPERLINK("http://x","点")',
      prepared_by: '王填表',
      responsible_person: '李负责',
      explanations: '{}',
      missing_reasons: '{}',
      return_reason: null,
      created_by: 'test',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  return id;
}

describe('GET /api/v1/stat-returns/{id}/package', () => {
  it('gives the county’s submitted return as DER for the city, which verifies it; audited', async () => {
    // A fresh city: the first tree's city key was replaced by another instance's above.
    const fresh = await buildRegionTree(t.db);
    const freshCounty = await t.signIn('county_staff', fresh.county);
    const freshCity = await t.signIn('prefecture_staff', fresh.prefecture);
    const id = await storedReturn(fresh.county, 'submitted', { families_active: 41, home_visit_rate: 88.5 });
    const res = await freshCounty.get(`/api/v1/stat-returns/${id}/package`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const der = res.rawPayload;
    expect(der.includes(Buffer.from('060a2a811ccf550601040204', 'hex'))).toBe(true);
    const audit = await t.db.selectFrom('audit_events').select('action').where('target_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toContain('stat_return.package_export');
    const imported = await upload(t, freshCity, der);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().data).toMatchObject({
      regionCode: fresh.county,
      figures: { families_active: 41, home_visit_rate: 88.5 },
      signedBy: fresh.county,
      status: 'submitted',
      verified: true,
    });
    // The province cannot open what was sent to the city.
    expect((await upload(t, provinceStaff, der)).json().error.details[0].code).toBe('NOT_FOR_US');
  });

  it('refuses a draft (409 INVALID_STATE), a township return, a role without export, and outside scope (404)', async () => {
    const draft = await storedReturn(tree.county, 'draft', { families_active: 1 });
    expect((await countyStaff.get(`/api/v1/stat-returns/${draft}/package`)).json().error.code).toBe('INVALID_STATE');
    const township = await storedReturn(tree.township, 'submitted', { families_active: 1 });
    expect((await countyStaff.get(`/api/v1/stat-returns/${township}/package`)).json().error.code).toBe('INVALID_STATE');
    const townshipStaff = await t.signIn('township_staff', tree.township);
    expect((await townshipStaff.get(`/api/v1/stat-returns/${township}/package`)).statusCode).toBe(403);
    const elsewhere = await storedReturn(other.county, 'approved', { families_active: 1 });
    expect((await countyStaff.get(`/api/v1/stat-returns/${elsewhere}/package`)).statusCode).toBe(404);
  });
});

describe('POST /api/v1/stat-returns/{id}/xlsx', () => {
  it('gives an agile-encrypted workbook that xlsx-populate opens with the password and reads a figure from', async () => {
    const id = await storedReturn(tree.county, 'approved', { families_active: 52 });
    const password = 'Zhang-2026-bao';
    const res = await countyStaff.post(`/api/v1/stat-returns/${id}/xlsx`, { password });
    expect(res.statusCode, res.body).toBe(200);
    const file = res.rawPayload;
    expect(file.subarray(0, 8).toString('hex')).toBe('d0cf11e0a1b11ae1'); // a CFB container, not a bare zip
    expect(officeCrypto.isEncrypted(file)).toBe(true);
    const workbook = await XlsxPopulate.fromDataAsync(file, { password });
    const sheet = workbook.sheet('统计表');
    const values = sheet.usedRange().value() as unknown[][];
    const row = values.find((r) => typeof r[1] === 'string' && /特殊家庭/.test(r[1]) && r[3] === 52);
    expect(row, JSON.stringify(values)).toBeDefined();
    // A formula typed into the remarks stays text.
    expect(values.flat()).toContain('\'=HYPERLINK("http://x","点")');
    await expect(XlsxPopulate.fromDataAsync(file, { password: 'wrong-password' })).rejects.toThrow();
    // The password is nowhere: not in the audit row, not in the file.
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('target_id', '=', id)
      .where('action', '=', 'stat_return.xlsx_export')
      .executeTakeFirstOrThrow();
    expect(audit.changes ?? '').not.toContain(password);
    expect(file.includes(Buffer.from(password))).toBe(false);
  });

  it('refuses a short password and never takes one in the URL', async () => {
    const id = await storedReturn(tree.county, 'approved', { families_active: 1 });
    const short = await countyStaff.post(`/api/v1/stat-returns/${id}/xlsx`, { password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].path).toBe('password');
    expect((await countyStaff.get(`/api/v1/stat-returns/${id}/xlsx?password=abcdefgh1`)).statusCode).toBe(404);
    const elsewhere = await storedReturn(other.county, 'approved', { families_active: 1 });
    expect(
      (await countyStaff.post(`/api/v1/stat-returns/${elsewhere}/xlsx`, { password: 'abcdefgh1' })).statusCode,
    ).toBe(404);
  });
});
