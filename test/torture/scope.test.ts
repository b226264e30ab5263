/**
 * Region isolation of every list, search, stats and export endpoint (ASVS 8.2.2 / 8.4.1; GB/T 22239
 * L3-CES1-09 "应测试验证用户是否有可越权访问情形"). County A gets archives, contacts, posts, logs,
 * assistance and accounts; users of other counties — the sibling county of the same prefecture (the
 * nearest region-code neighbour) and a county of another prefecture — call every endpoint in every role:
 *   - no identifier of county A appears in any answer (ids, archive numbers, names, region codes; xlsx
 *     downloads are unzipped and scanned);
 *   - their answers are byte-for-byte the same before and after county A's data exists (aggregates
 *     included: a leaked row would move a count even when no identifier shows);
 *   - asking for county A by regionCode is refused;
 *   - the same calls by county A's own users do show county A's rows (so the check is not vacuous).
 * Besides the endpoints named below, every parameterless GET the OpenAPI document lists is called too,
 * so endpoints added later are covered without editing this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles.js';
import { buildContact, buildRegionTree, familyInput, idNumberFor, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { unzipText } from '../support/uploads.js';
import { contractViolation } from './support/harness.js';

interface Call {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  body?: Record<string, unknown>;
}

/** Paths never region-scoped by design or not holding family data. */
const NOT_SCOPED = [
  '/api/v1/audit-events', // the auditor alone (三员 separation), scoped to their subtree in audit-log.test.ts
  '/api/v1/audit-events/verify',
  // Each export is itself audited, so the auditor's next export differs by its own row; its region scope is
  // tested in test/integration/audit-log.test.ts and the scope matrix.
  '/api/v1/audit-events.xlsx',
  '/api/v1/auth/me',
  '/api/v1/code-lists',
  '/api/v1/health',
  '/api/v1/health/ready', // database and migrations ready: no data
  // The caller's own county's electronic copy, encrypted to that county's key with a fresh content key each
  // time, so no two answers are equal; its scope is tested in test/integration/county-copy.test.ts.
  '/api/v1/county-copy',
  '/api/v1/openapi.json',
];

/** County A's identifiers an answer shows that the caller did not send itself (a search says what it searched). */
function shownTokens(tokens: string[], text: string, c: Call): string[] {
  const sent = decodeURIComponent(c.url) + JSON.stringify(c.body ?? {});
  return tokens.filter((tok) => text.includes(tok) && !sent.includes(tok));
}

let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
/** County A: the tree's first county. */
let A: { county: string; township: string; township2: string; villages: string[] };
const A_NAMES = { mothers: ['司马晴川', '欧阳墨竹', '上官青柳', '诸葛明月'], contacts: ['东方既白', '慕容秋水'] };
const aMotherIds = [
  idNumberFor('female', '1961-01-11'),
  idNumberFor('female', '1962-02-12'),
  idNumberFor('female', '1963-03-13'),
  idNumberFor('female', '1964-04-14'),
];
let strangers: Array<{ label: string; session: Session }>;
/** County A's own users, for the positive control. */
let own: Partial<Record<Role, Session>>;
let calls: Call[];
const before = new Map<string, string>();

function send(s: Session, c: Call) {
  return c.method === 'GET' ? s.get(c.url) : s.post(c.url, c.body);
}

/** What the answer says, as text to scan: JSON as is (minus the request id), xlsx unzipped. */
async function answerText(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  rawPayload: Buffer;
}) {
  if (String(res.headers['content-type'] ?? '').includes('spreadsheetml')) {
    // Drop the zip's volatile parts (creation times) so equal contents compare equal.
    return (await unzipText(res.rawPayload)).replace(/<dcterms:(created|modified)[^<]*<\/dcterms:\1>/g, '');
  }
  return res.body.replace(/"requestId":"[^"]*"/g, '"requestId":""');
}

/** The identifiers of county A as they stand in the database. */
async function countyATokens(): Promise<string[]> {
  const prefix = A.county.slice(0, 6);
  const like = `${prefix}%`;
  const families = await t.db
    .selectFrom('families')
    .select(['id', 'archive_no'])
    .where('region_code', 'like', like)
    .execute();
  const members = await t.db
    .selectFrom('family_members')
    .select('name')
    .where(
      'family_id',
      'in',
      families.map((f) => f.id),
    )
    .execute();
  const contacts = await t.db
    .selectFrom('contacts')
    .select(['id', 'name'])
    .where('region_code', 'like', like)
    .execute();
  const users = await t.db.selectFrom('users').select(['id', 'username']).where('region_code', 'like', like).execute();
  const logs = await t.db
    .selectFrom('contact_logs')
    .select('id')
    .where(
      'family_id',
      'in',
      families.map((f) => f.id),
    )
    .execute();
  const regions = await t.db.selectFrom('regions').select(['code', 'name']).where('code', 'like', like).execute();
  return [
    ...families.flatMap((f) => [f.id, f.archive_no]),
    ...members.map((m) => m.name),
    ...contacts.flatMap((c) => [c.id, c.name]),
    // Usernames like u1_contact are prefixes of u12_contact: match them as whole JSON strings.
    ...users.flatMap((u) => [u.id, `"${u.username}"`]),
    ...logs.map((l) => l.id),
    ...regions.flatMap((r) => [r.code, r.name]),
    ...aMotherIds,
  ];
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  const pp = tree.county.slice(0, 4);
  A = {
    county: tree.county,
    township: tree.township,
    township2: tree.siblingTownship,
    villages: [tree.village, tree.siblingVillage, `${pp}01002001`],
  };

  // Strangers' own data, so their lists are not empty.
  const strangerRegions = [
    { county: tree.siblingCounty, township: `${pp}02001000`, village: `${pp}02001001`, label: 'sibling county' },
    { county: other.county, township: other.township, village: other.village, label: 'other prefecture' },
  ];
  strangers = [];
  for (const r of strangerRegions) {
    const ts = await t.signIn('township_staff', r.township);
    const fam = (await ts.post('/api/v1/families', familyInput(r.village))).json().data;
    const tc = await buildContact(ts, 'township_cadre', r.township);
    const contactUser = await t.signIn('contact', r.village);
    const vc = await buildContact(ts, 'village_cadre', r.village, { userId: contactUser.user.id });
    await ts.put(`/api/v1/families/${fam.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
    await ts.post(`/api/v1/families/${fam.id}/contact-logs`, {
      contactId: tc.id,
      mode: 'home_visit',
      occurredAt: t.clock.now().toISOString(),
    });
    // Every role in the sibling county (the nearest code neighbour); the main ones in the other prefecture.
    const roles: Array<[Role, string]> = (
      [
        ['county_staff', r.county],
        ['county_leader', r.county],
        ['sysadmin', r.county],
        ['security_admin', r.county],
        ['auditor', r.county],
        ['village_staff', r.village],
      ] as Array<[Role, string]>
    ).filter(([role]) => r.label === 'sibling county' || role === 'county_staff' || role === 'sysadmin');
    strangers.push({ label: `${r.label} township_staff`, session: ts });
    strangers.push({ label: `${r.label} contact`, session: contactUser });
    for (const [role, code] of roles)
      strangers.push({ label: `${r.label} ${role}`, session: await t.signIn(role, code) });
  }
  strangers.push({
    label: 'other prefecture prefecture_staff',
    session: await t.signIn('prefecture_staff', other.prefecture),
  });

  const archivePrefix = `TS${A.villages[0]}`;
  const named: Call[] = [
    { name: 'GET /families', method: 'GET', url: '/api/v1/families?pageSize=200' },
    { name: 'GET /families?q=<A archive prefix>', method: 'GET', url: `/api/v1/families?q=${archivePrefix}` },
    {
      name: 'POST /families/search <A ID number>',
      method: 'POST',
      url: '/api/v1/families/search',
      body: { q: aMotherIds[0] },
    },
    {
      name: 'POST /families/search <A name>',
      method: 'POST',
      url: '/api/v1/families/search',
      body: { q: A_NAMES.mothers[1].slice(0, 2), pageSize: 200 },
    },
    { name: 'GET /families/stats', method: 'GET', url: '/api/v1/families/stats' },
    { name: 'GET /contacts', method: 'GET', url: '/api/v1/contacts?pageSize=200' },
    {
      name: 'GET /contacts?q=<A contact name>',
      method: 'GET',
      url: `/api/v1/contacts?q=${encodeURIComponent(A_NAMES.contacts[0])}`,
    },
    { name: 'GET /coverage', method: 'GET', url: '/api/v1/coverage' },
    ...['missing_township', 'missing_village', 'special_without_leader'].map((kind): Call => ({
      name: `GET /coverage/gaps ${kind}`,
      method: 'GET',
      url: `/api/v1/coverage/gaps?kind=${kind}&pageSize=200`,
    })),
    { name: 'GET /compliance/monthly', method: 'GET', url: '/api/v1/compliance/monthly' },
    { name: 'GET /compliance/trend', method: 'GET', url: '/api/v1/compliance/trend' },
    { name: 'GET /compliance/contacts', method: 'GET', url: '/api/v1/compliance/contacts?pageSize=200' },
    { name: 'GET /compliance/overdue', method: 'GET', url: '/api/v1/compliance/overdue?pageSize=200' },
    { name: 'GET /todos', method: 'GET', url: '/api/v1/todos' },
    { name: 'GET /users', method: 'GET', url: '/api/v1/users?pageSize=200' },
    { name: 'GET /users?q=u', method: 'GET', url: '/api/v1/users?q=u&pageSize=200' },
  ];
  // Every parameterless GET of the API, with no query and asking for county A by regionCode.
  const spec = t.app.swagger() as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  const listed = new Set(named.map((c) => c.url.split('?')[0]));
  const discovered: Call[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    if (!ops.get || path.includes('{') || NOT_SCOPED.includes(path)) continue;
    const short = path.replace('/api/v1', '');
    if (!listed.has(path)) discovered.push({ name: `GET ${short}`, method: 'GET', url: path });
    const regionParams = (ops.get.parameters ?? []).filter(
      (p) => p.in === 'query' && (p.name === 'regionCode' || p.name === 'countyCode'),
    );
    for (const p of regionParams) {
      const kind = path.endsWith('/gaps') ? '&kind=missing_village' : '';
      discovered.push({
        name: `GET ${short}?${p.name}=<A>`,
        method: 'GET',
        url: `${path}?${p.name}=${A.county}${kind}`,
      });
    }
  }
  calls = [...named, ...discovered];

  for (const s of strangers)
    for (const c of calls) before.set(`${s.label} ${c.name}`, await answerText(await send(s.session, c)));

  // County A: four archives in three villages of two townships, posts, logs, assistance, accounts.
  const township = await t.signIn('township_staff', A.township);
  const township2 = await t.signIn('township_staff', A.township2);
  const leader = await t.signIn('county_leader', A.county);
  const contactUser = await t.signIn('contact', A.villages[0]);
  const families: Array<{ id: string }> = [];
  for (let i = 0; i < 4; i += 1) {
    const session = i === 3 ? township2 : township;
    const res = await session.post(
      '/api/v1/families',
      familyInput(A.villages[i === 3 ? 2 : i % 2], {
        isSpecialDifficulty: i === 0,
        members: [{ relation: 'mother', name: A_NAMES.mothers[i], idNumber: aMotherIds[i] }],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    families.push(res.json().data);
  }
  const tc = await buildContact(township, 'township_cadre', A.township, { name: A_NAMES.contacts[0] });
  const vc = await buildContact(township, 'village_cadre', A.villages[0], {
    name: A_NAMES.contacts[1],
    userId: contactUser.user.id,
  });
  const lead = await buildContact(leader, 'county_leader', A.county, { name: '司徒县长' });
  await leader.put(`/api/v1/families/${families[0].id}/assignments`, {
    townshipContactId: tc.id,
    villageContactId: vc.id,
    countyLeaderContactId: lead.id,
  });
  await township.put(`/api/v1/families/${families[2].id}/assignments`, {
    townshipContactId: tc.id,
    villageContactId: vc.id,
  });
  await contactUser.post(`/api/v1/families/${families[0].id}/contact-logs`, {
    contactId: vc.id,
    mode: 'home_visit',
    occurredAt: t.clock.now().toISOString(),
  });
  await township.post(`/api/v1/families/${families[0].id}/assistance`, {
    item: 'special_assistance',
    periodFrom: '2025-01',
    amount: 590,
  });
  own = {
    county_staff: await t.signIn('county_staff', A.county),
    sysadmin: await t.signIn('sysadmin', A.county),
    contact: contactUser,
  };
}, 120_000);
afterAll(() => t.close());

describe('county A’s own users do see county A (the scan is not vacuous)', () => {
  it.each([
    ['county_staff', 'GET /families'],
    ['county_staff', 'POST /families/search <A ID number>'],
    ['county_staff', 'POST /families/search <A name>'],
    ['county_staff', 'GET /families/stats'],
    ['county_staff', 'GET /contacts'],
    ['county_staff', 'GET /coverage'],
    ['county_staff', 'GET /coverage/gaps missing_village'],
    ['county_staff', 'GET /compliance/monthly'],
    ['county_staff', 'GET /compliance/contacts'],
    ['county_staff', 'GET /compliance/overdue'],
    ['county_staff', 'GET /families/export.xlsx'],
    ['county_staff', 'GET /compliance/overdue.xlsx'],
    ['contact', 'GET /todos'],
    ['sysadmin', 'GET /users'],
  ] as Array<[Role, string]>)('%s: %s', async (role, name) => {
    const c = calls.find((x) => x.name === name);
    if (!c) return; // an export not (yet) registered
    const res = await send(own[role]!, c);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const text = await answerText(res);
    const tokens = await countyATokens();
    expect(
      tokens.some((tok) => text.includes(tok)),
      `${name}: ${text.slice(0, 300)}`,
    ).toBe(true);
  });
});

describe('users of other counties see nothing of county A', () => {
  it('covers the named endpoints and every parameterless GET of the API', ({ annotate }) => {
    const xlsx = calls.filter((c) => c.url.split('?')[0].endsWith('.xlsx')).map((c) => c.name);
    void annotate(`${calls.length} calls × ${strangers.length} strangers; xlsx: ${xlsx.join(', ') || 'none'}`);
    expect(calls.length).toBeGreaterThan(20);
  });

  it('no identifier of county A in any answer; every answer unchanged by county A’s data', async ({ annotate }) => {
    const tokens = await countyATokens();
    expect(tokens.length).toBeGreaterThan(40);
    const leaks: string[] = [];
    const emptyOk = new Set<string>();
    for (const s of strangers) {
      for (const c of calls) {
        const res = await send(s.session, c);
        const violation = contractViolation(
          res.headers['content-type']?.toString().includes('spreadsheetml')
            ? { statusCode: 200, body: '{"data":1}' }
            : res,
        );
        if (res.statusCode >= 500 || violation) leaks.push(`${s.label} ${c.name}: ${violation}`);
        const text = await answerText(res);
        const found = shownTokens(tokens, text, c);
        if (found.length) leaks.push(`${s.label} ${c.name} (${res.statusCode}) shows ${found.slice(0, 3).join(', ')}`);
        else if (text !== before.get(`${s.label} ${c.name}`))
          leaks.push(`${s.label} ${c.name} (${res.statusCode}) changed after county A's data was added`);
        // Not a leak (nothing shows, nothing moved), but worth knowing: most endpoints answer 404/403 here.
        if (c.url.includes(`=${A.county}`) && res.statusCode === 200) emptyOk.add(c.name);
      }
    }
    if (emptyOk.size) await annotate(`200 (without county A's rows) for county A's code: ${[...emptyOk].join(', ')}`);
    expect(leaks).toEqual([]);
  });

  it('a contact account moved from county A to another county loses county A at once', async () => {
    const sysadmin = await t.signIn('sysadmin', tree.province);
    const mover = await t.signIn('contact', A.villages[0]);
    const vc = await buildContact(await t.signIn('township_staff', A.township), 'village_cadre', A.villages[0], {
      userId: mover.user.id,
    });
    const fam = (
      await t.db.selectFrom('families').select('id').where('region_code', '=', A.villages[0]).executeTakeFirstOrThrow()
    ).id;
    const tc = (
      await t.db
        .selectFrom('contacts')
        .select('id')
        .where('post', '=', 'township_cadre')
        .where('region_code', '=', A.township)
        .executeTakeFirstOrThrow()
    ).id;
    const township = await t.signIn('township_staff', A.township);
    const current = (await township.get(`/api/v1/families/${fam}/assignments`)).json().data.current as Array<{
      post: string;
      contactId: string;
    }>;
    await township.put(`/api/v1/families/${fam}/assignments`, {
      townshipContactId: current.find((a) => a.post === 'township_cadre')?.contactId ?? tc,
      villageContactId: vc.id,
    });
    expect((await mover.get('/api/v1/families')).json().data.map((f: { id: string }) => f.id)).toContain(fam);

    const account = await t.db
      .selectFrom('users')
      .select('version')
      .where('id', '=', mover.user.id)
      .executeTakeFirstOrThrow();
    const moved = await sysadmin.patch(`/api/v1/users/${mover.user.id}`, {
      version: account.version,
      regionCode: other.village,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    // A region change takes effect once the security administrator approves it (三员 separation).
    const security = await t.signIn('security_admin', tree.province);
    const approved = await security.post(`/api/v1/users/${mover.user.id}/approve`, {
      version: moved.json().data.version,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    // Moving ends the old session.
    expect((await mover.get('/api/v1/families')).statusCode).toBe(401);
    const again = await t.login({
      username: mover.user.username,
      password: mover.user.username ? 'Test-Passw0rd!' : '',
    });
    const tokens = await countyATokens();
    const leaks: string[] = [];
    for (const c of [
      ...calls,
      { name: 'GET /families/{A id}', method: 'GET' as const, url: `/api/v1/families/${fam}` },
    ]) {
      const res = await send(again, c);
      const text = await answerText(res);
      const found = shownTokens(tokens, text, c);
      if (found.length || res.statusCode >= 500)
        leaks.push(`${c.name} (${res.statusCode}) shows ${found.slice(0, 3).join(', ')}`);
    }
    expect(leaks).toEqual([]);
  });
});
