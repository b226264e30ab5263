import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import {
  buildSignedAndEnveloped,
  keySerial,
  openSignedAndEnveloped,
} from '../../server/platform/crypto/gm-envelope.js';
import type { Db } from '../../server/platform/db/database.js';
import { chinaDate } from '../../server/platform/clock.js';
import {
  encodeContent,
  PACKAGE_FORMAT,
  type PackageContent,
} from '../../server/modules/stat-packages/package-content.js';
import { summarize, type Summary } from './stats.js';

/**
 * R9 (issue 13) on the synthetic province: the returns the scenarios read, as a draft computes them live
 * (`GET /stat-returns/{id}`: every indicator of the template for the region and period, its checks and its
 * children's state), and a submitted county return whose package is built and verified. The rows are the
 * bench's own (`created_by = bench-returns`), replaced at every run so the cached database stays as seeded.
 */
export const BENCH_RETURNS_BY = 'bench-returns';

export interface BenchReturns {
  /** Last year's annual return of the province, computed over all of it (the issue's ≤ 2 s target). */
  province: string;
  /** The annual return of the subject township's county (counties hand in the annual return only). */
  county: string;
  /** The last finished quarter's return of the subject township (the quarterly return is township → county). */
  township: string;
  /** The county's return, submitted: its package is built for the city and verified by the city. */
  submittedCounty: string;
  annualPeriod: string;
  quarter: string;
  countyCode: string;
  cityCode: string;
}

export async function ensureBenchReturns(
  db: Db,
  townshipCode: string,
  codes: string[],
  now: Date,
  /** The bench's province; the SQL snapshots' fixture has its own. */
  provinceCode = '420000000000',
): Promise<BenchReturns> {
  const today = chinaDate(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const annualPeriod = String(year - 1);
  const quarter = month <= 3 ? `${year - 1}-Q4` : `${year}-Q${Math.floor((month - 1) / 3)}`;
  const countyCode = `${townshipCode.slice(0, 6)}000000`;
  const cityCode = `${townshipCode.slice(0, 4)}00000000`;
  await db.deleteFrom('stat_returns').where('created_by', '=', BENCH_RETURNS_BY).execute();
  const at = now.toISOString();
  const row = (id: string, template: string, period: string, regionCode: string, submitted = false) => ({
    id,
    template,
    period,
    region_code: regionCode,
    status: submitted ? 'submitted' : 'draft',
    due_at: at,
    submitted_at: submitted ? at : null,
    first_submitted_at: submitted ? at : null,
    timeliness: submitted ? 'on_time' : null,
    approved_at: null,
    // A submitted return carries every indicator of the template (the package's size as in real use).
    figures: JSON.stringify(submitted ? Object.fromEntries(codes.map((c, i) => [c, (i * 37) % 1000])) : {}),
    definition_versions: JSON.stringify(submitted ? Object.fromEntries(codes.map((c) => [c, 1])) : {}),
    checks: '[]',
    computed_at: at,
    manual: '{}',
    remarks: submitted ? '基准测试报表' : null,
    prepared_by: submitted ? '基准测试' : null,
    responsible_person: submitted ? '基准测试' : null,
    explanations: '{}',
    missing_reasons: '{}',
    return_reason: null,
    created_by: BENCH_RETURNS_BY,
    created_at: at,
    updated_at: at,
    version: 1,
  });
  const ids = {
    province: `bench-return-province-${annualPeriod}`,
    county: `bench-return-county-${annualPeriod}`,
    township: `bench-return-township-${quarter}`,
  };
  // The submitted county return needs a period of its own (one return per template, period and region).
  const submittedCounty = `bench-return-county-submitted-${year - 2}`;
  await db
    .insertInto('stat_returns')
    .values([
      row(ids.province, 'annual', annualPeriod, provinceCode),
      row(ids.county, 'annual', annualPeriod, countyCode),
      row(ids.township, 'quarterly', quarter, townshipCode),
      row(submittedCounty, 'annual', String(year - 2), countyCode, true),
    ])
    .execute();
  return { ...ids, submittedCounty, annualPeriod, quarter, countyCode, cityCode };
}

export interface PackageBench {
  bytes: number;
  build: Summary;
  buildBaseline: Summary;
  verify: Summary;
  verifyBaseline: Summary;
}

/** A multipart/form-data body with one file part `file`, as a browser sends the package. */
function multipart(content: Buffer): { payload: Buffer; contentType: string } {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.der"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * `GET /stat-returns/{id}/package` (load, sign SM3-with-SM2, encrypt SM4, wrap the key SM2, audit) beside the
 * envelope alone through the crypto provider, and `POST /stat-return-packages` (parse, look the keys up, verify,
 * unwrap, decrypt, digest, audit) beside opening the envelope alone — interleaved, in the same run.
 */
export async function measurePackages(
  app: FastifyInstance,
  sessions: { builder: { cookie: string }; verifier: { cookie: string; csrfToken: string } },
  r: BenchReturns,
  runs: number,
): Promise<PackageBench> {
  const { crypto } = app.platform;
  const keys = app.services.regionKeys;
  const get = () =>
    app.inject({
      method: 'GET',
      url: `/api/v1/stat-returns/${r.submittedCounty}/package`,
      headers: { cookie: sessions.builder.cookie },
    });
  const first = await get();
  if (first.statusCode !== 200) throw new Error(`package: ${first.statusCode} ${first.body.slice(0, 300)}`);
  const der = first.rawPayload;
  const body = multipart(der);
  const verify = () =>
    app.inject({
      method: 'POST',
      url: '/api/v1/stat-return-packages',
      headers: {
        cookie: sessions.verifier.cookie,
        'x-csrf-token': sessions.verifier.csrfToken,
        'content-type': body.contentType,
      },
      payload: body.payload,
    });
  const checked = await verify();
  if (checked.statusCode !== 200) throw new Error(`verify: ${checked.statusCode} ${checked.body.slice(0, 300)}`);
  const stored = await app.services.statReturns.get(
    {
      actor: {
        id: 'bench',
        username: 'bench',
        displayName: '基准测试',
        role: 'province_staff',
        regionCode: '420000000000',
        regionLevel: 'province',
        sessionIdHash: '',
        mustChangePassword: false,
      },
      requestId: 'bench',
    },
    r.submittedCounty,
  );
  const content: PackageContent = {
    format: PACKAGE_FORMAT,
    returnId: stored.id,
    template: stored.template,
    period: stored.period,
    regionCode: stored.regionCode,
    regionName: stored.regionName,
    status: 'submitted',
    submittedAt: stored.submittedAt,
    approvedAt: null,
    figures: stored.figures,
    definitionVersions: stored.definitionVersions,
    remarks: stored.remarks,
    preparedBy: stored.preparedBy,
    responsiblePerson: stored.responsiblePerson,
    toRegionCode: r.cityCode,
    packedAt: new Date().toISOString(),
  };
  const sender = await keys.signingKey(r.countyCode);
  const recipient = await keys.recipientKey(r.cityCode);
  const signer = { regionCode: sender.regionCode, publicKey: sender.publicKey };
  const own = await keys.ownKey(r.cityCode, keySerial(crypto, recipient.publicKey));
  if (!own) throw new Error('the city holds no key of its own here');
  const bareBuild = () =>
    buildSignedAndEnveloped(crypto, { content: encodeContent(content), sender, recipient, signingTime: new Date() });
  const bareOpen = () => openSignedAndEnveloped(crypto, der, { signerKey: () => signer, recipientKey: () => own });
  const series = {
    build: [] as number[],
    buildBase: [] as number[],
    verify: [] as number[],
    verifyBase: [] as number[],
  };
  for (let i = 0; i < 2; i += 1) {
    await get();
    bareBuild();
    await verify();
    bareOpen();
  }
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await get();
    const t1 = performance.now();
    bareBuild();
    const t2 = performance.now();
    await verify();
    const t3 = performance.now();
    bareOpen();
    const t4 = performance.now();
    series.build.push(t1 - t0);
    series.buildBase.push(t2 - t1);
    series.verify.push(t3 - t2);
    series.verifyBase.push(t4 - t3);
  }
  return {
    bytes: der.length,
    build: summarize(series.build),
    buildBaseline: summarize(series.buildBase),
    verify: summarize(series.verify),
    verifyBaseline: summarize(series.verifyBase),
  };
}
