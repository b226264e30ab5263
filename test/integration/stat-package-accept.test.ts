/**
 * Issue 13 part 6, the receiving end: a county running its own instance submits its return there and exports
 * the signed, enveloped package; the city's instance accepts the package as the county's submitted return —
 * verified against the registered county key, figures frozen as signed, audited — and reviews it as any other
 * (send back, accept the corrected package, approve). A package whose signature, recipient, period or region
 * does not fit, or for a return already handed in, is refused with its reason and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildSignedAndEnveloped } from '../../server/platform/crypto/gm-envelope.js';
import { encodeContent, PACKAGE_FORMAT } from '../../server/modules/stat-packages/package-content.js';
import { buildRegionTree, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { multipartBody } from '../support/uploads.js';

let city: TestApp; // the city's instance (and the province's)
let county: TestApp; // the county's own instance
let tree: RegionTree;
let cityStaff: Session;
let countyStaff: Session;

function accept(session: Session, content: Buffer): Promise<LightMyRequestResponse> {
  const { payload, contentType } = multipartBody({}, { name: '报表包.der', content });
  return city.app.inject({
    method: 'POST',
    url: '/api/v1/stat-return-packages/accept',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': contentType },
    payload,
  });
}

async function countyReturns(): Promise<number> {
  const row = await city.db
    .selectFrom('stat_returns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('region_code', '=', tree.county)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The county's return of `period` submitted on its own instance, as the package its staff download. */
async function submittedPackage(period: string): Promise<Buffer> {
  const created = await countyStaff.post('/api/v1/stat-returns', {
    template: 'annual',
    period,
    regionCode: tree.county,
  });
  expect(created.statusCode, created.body).toBe(201);
  const { id, version } = created.json().data;
  await countyStaff.patch(`/api/v1/stat-returns/${id}`, {
    version,
    remarks: '本县自建平台上报',
    preparedBy: '王填表',
    responsiblePerson: '李负责',
    manual: { manual_local_funds: 12.5 },
  });
  const submitted = await countyStaff.post(`/api/v1/stat-returns/${id}/submit`, { version: version + 1 });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const pkg = await countyStaff.get(`/api/v1/stat-returns/${id}/package`);
  expect(pkg.statusCode, pkg.body).toBe(200);
  return pkg.rawPayload;
}

beforeAll(async () => {
  city = await createTestApp();
  county = await createTestApp();
  tree = await buildRegionTree(city.db);
  // The county's instance carries the same region codes (the Hubei tree in production).
  const rows = await city.db
    .selectFrom('regions')
    .selectAll()
    .where((eb) => eb.or([eb('code', '=', tree.province), eb('code', 'like', `${tree.prefecture.slice(0, 4)}%`)]))
    .execute();
  await county.db.insertInto('regions').values(rows).execute();
  cityStaff = await city.signIn('prefecture_staff', tree.prefecture);
  countyStaff = await county.signIn('county_staff', tree.county);
  // Keys exchanged once, each way: the city's public key registered on the county's instance (by the province
  // account there), the county's on the city's.
  const cityKey = (await cityStaff.get(`/api/v1/regions/${tree.prefecture}/public-key`)).json().data;
  const cityAdminOnCounty = await county.signIn('province_staff', tree.province);
  const onCounty = await cityAdminOnCounty.put(`/api/v1/regions/${tree.prefecture}/public-key`, {
    publicKeyPem: cityKey.publicKeyPem,
    reason: '市州平台公钥',
  });
  expect(onCounty.statusCode, onCounty.body).toBe(200);
  const countyKey = (await countyStaff.get(`/api/v1/regions/${tree.county}/public-key`)).json().data;
  const onCity = await cityStaff.put(`/api/v1/regions/${tree.county}/public-key`, {
    publicKeyPem: countyKey.publicKeyPem,
    reason: '县级自建平台',
  });
  expect(onCity.statusCode, onCity.body).toBe(200);
});
afterAll(async () => {
  await county?.close();
  await city?.close();
});

describe('POST /api/v1/stat-return-packages/accept', () => {
  it('makes the county’s package its submitted return at the city, reviewed there: send back, resubmit, approve', async () => {
    // Submitted on the county's instance before the deadline (30 April); imported at the city much later.
    county.clock.set('2026-04-20T02:00:00.000Z');
    const pkg = await submittedPackage('2025');
    const sent = (await countyStaff.get(`/api/v1/stat-returns?regionCode=${tree.county}&period=2025`)).json().data[0];

    const res = await accept(cityStaff, pkg);
    expect(res.statusCode, res.body).toBe(201);
    const { package: verified, statReturn } = res.json().data;
    expect(verified).toMatchObject({ signedBy: tree.county, recipientRegionCode: tree.prefecture, verified: true });
    expect(statReturn).toMatchObject({
      template: 'annual',
      period: '2025',
      regionCode: tree.county,
      status: 'submitted',
      timeliness: 'on_time',
      submittedAt: '2026-04-20T02:00:00.000Z',
      remarks: '本县自建平台上报',
      preparedBy: '王填表',
      responsiblePerson: '李负责',
      abilities: { approve: true, return: true, edit: false, submit: false },
    });
    // The figures are the package's, as frozen at the county (its own live data, not the city's database).
    expect(statReturn.figures).toEqual(sent.figures);
    expect(statReturn.figures.manual_local_funds).toBe(12.5);
    expect(statReturn.history.map((h: { action: string }) => h.action)).toEqual(['imported']);
    const audit = await city.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', statReturn.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('statReturn.imported');

    // The city's reporting rates count it; the county stays expected though this database holds none of its families.
    const rates = (
      await cityStaff.get(`/api/v1/reporting-rates?template=annual&period=2025&regionCode=${tree.prefecture}`)
    ).json().data;
    expect(rates.children.find((ch: { regionCode: string }) => ch.regionCode === tree.county)).toMatchObject({
      status: 'submitted',
      timeliness: 'on_time',
      returnId: statReturn.id,
    });

    // Handed in once: the same package again is refused while it awaits review.
    const twice = await accept(cityStaff, pkg);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details[0].code).toBe('ALREADY_SUBMITTED');

    // The city's normal review: sent back with a reason; the figures stay the package's (no live recomputation).
    const back = await cityStaff.post(`/api/v1/stat-returns/${statReturn.id}/return`, {
      version: statReturn.version,
      reason: '请核对特别扶助人数',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().data).toMatchObject({ status: 'returned', returnReason: '请核对特别扶助人数' });
    expect(back.json().data.figures).toEqual(sent.figures);
    // The corrected package (here: the same one) is its next submission.
    const again = await accept(cityStaff, pkg);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().data.statReturn).toMatchObject({
      id: statReturn.id,
      status: 'submitted',
      timeliness: 'on_time',
    });
    const approved = await cityStaff.post(`/api/v1/stat-returns/${statReturn.id}/approve`, {
      version: again.json().data.statReturn.version,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().data.status).toBe('approved');
    const afterApproval = await accept(cityStaff, pkg);
    expect(afterApproval.statusCode).toBe(400);
    expect(afterApproval.json().error.details[0].code).toBe('ALREADY_SUBMITTED');
    expect(afterApproval.json().error.message).toContain('审核通过');
  });

  it('refuses a bad signature, another recipient, a future period and a region that is not the county’s own', async () => {
    county.clock.set('2026-11-28T02:00:00.000Z');
    const before = await countyReturns();
    const pkg = await submittedPackage('2024');
    const flipped = Buffer.from(pkg);
    flipped[flipped.length - 40] ^= 0xff;
    const keys = county.app.services.regionKeys;
    const forge = async (over: Record<string, unknown>, to = tree.prefecture) =>
      buildSignedAndEnveloped(county.app.platform.crypto, {
        content: encodeContent({
          format: PACKAGE_FORMAT,
          returnId: 'r-x',
          template: 'annual',
          period: '2024',
          regionCode: tree.county,
          regionName: '测试县',
          status: 'submitted',
          submittedAt: county.clock.now().toISOString(),
          approvedAt: null,
          figures: { families_active: 3 },
          definitionVersions: { families_active: 1 },
          remarks: null,
          preparedBy: null,
          responsiblePerson: null,
          toRegionCode: to,
          packedAt: county.clock.now().toISOString(),
          ...over,
        } as never),
        sender: await keys.signingKey(tree.county),
        recipient: await keys.recipientKey(to),
        signingTime: county.clock.now(),
      });
    const cases: Array<[Buffer, string]> = [
      [flipped, ''],
      [await forge({ period: '2099' }), 'PERIOD_FUTURE'],
      [await forge({ period: '2024-Q1', template: 'quarterly' }), 'TEMPLATE_NOT_FOR_REGION'],
      // Signed by the county, but the return is a township's (the signer hands in its own return only).
      [await forge({ regionCode: tree.township }), 'SIGNER_MISMATCH'],
    ];
    for (const [bytes, code] of cases) {
      const res = await accept(cityStaff, bytes);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('PACKAGE_INVALID');
      if (code) expect(res.json().error.details[0].code).toBe(code);
      expect(res.json().error.message.length).toBeGreaterThan(6);
    }
    // Encrypted to the province (the county's instance holds the province's key it generated): not for the city.
    const toProvince = await forge({ toRegionCode: tree.province }, tree.province);
    expect((await accept(cityStaff, toProvince)).json().error.details[0].code).toBe('NOT_FOR_US');
    expect(await countyReturns()).toBe(before);
    const refusals = await city.db
      .selectFrom('audit_events')
      .select('outcome')
      .where('action', '=', 'stat_return.package_import')
      .where('outcome', '=', 'failure')
      .execute();
    expect(refusals.length).toBeGreaterThanOrEqual(5);

    // The real package is accepted; roles that may not import are refused.
    const countyOnCity = await city.signIn('county_staff', tree.county);
    expect((await accept(countyOnCity, pkg)).statusCode).toBe(403);
    const provinceStaff = await city.signIn('province_staff', tree.province);
    expect((await accept(provinceStaff, pkg)).json().error.details[0].code).toBe('NOT_FOR_US');
    const ok = await accept(cityStaff, pkg);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().data.statReturn.timeliness).toBe('late');
    expect(await countyReturns()).toBe(before + 1);
  });

  it('is refused to a city officer of another branch (the signer is out of scope)', async () => {
    const other = await buildRegionTree(city.db);
    const elsewhere = await city.signIn('prefecture_staff', other.prefecture);
    county.clock.set('2026-11-28T02:00:00.000Z');
    const pkg = await submittedPackage('2023');
    const res = await accept(elsewhere, pkg);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].code).toBe('SIGNER_OUT_OF_SCOPE');
  });
});
