/**
 * Defects the torture tests found, each reproduced exactly, kept as regression tests. All four were fixed
 * in 252921b (input guard for U+0000, 32-bit Version schema, non-empty userId, bounded ExcelJS chunks); until
 * then these tests were marked `it.fails`. A new finding goes here the same way: the exact reproduction,
 * marked `it.fails` for the dialect it breaks while it is open, plus an entry in KNOWN_DEFECTS
 * (support/fuzz.ts) so the fuzzing keeps looking past it.
 *
 * D1 — PostgreSQL: a string holding U+0000 reaches a text column or a query parameter; PostgreSQL refuses
 *      it ("invalid byte sequence for encoding UTF8: 0x00") and the API answers 500 instead of 400.
 *      SQLite stored it (201). Any free-text field of any endpoint, and the login username (before sign-in).
 *      Now refused with 400 CONTROL_CHARACTER on both databases.
 * D2 — PostgreSQL: `version` is validated as any positive integer, the column is int4; a version above
 *      2,147,483,647 reaches `UPDATE … WHERE version = $n` and PostgreSQL answers "value out of range for
 *      type integer" → 500 instead of 400. (PATCH /families compared it in JS first: 409.) Now 400 everywhere.
 * D4 — Both: `userId: ""` on POST /contacts or PATCH /contacts/{id} skips the account check (`if (input.userId)`)
 *      but is stored as the user_id, which references users.id: "FOREIGN KEY constraint failed" (SQLite) /
 *      23503 (PostgreSQL) → 500 instead of 400 naming userId. Found by the 1,000-case fuzzing.
 * D3 — Both: an xlsx whose sheet part is *stored* (no compression, so ratio 1 and under every zip limit)
 *      reaches ExcelJS as one 9.5 MB chunk, and the SAX events of the whole part are built at once: one row
 *      of 2.5 million empty `<y/>` elements takes the reader to ~1.1 GB RSS (OOM under a 512 MB heap).
 *      The same XML deflated is read in ~120 MB. Heavy, so reproduced in long/spreadsheets.test.ts
 *      with support/hostile-files.ts `storedSheetAmplifier`; through the API it is one POST /family-imports
 *      by township staff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact, buildRegionTree, buildUser, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { contractViolation, rowCounts } from './support/harness.js';

let t: TestApp;
let tree: RegionTree;
let township: Session;
let sysadmin: Session;
let family: { id: string; version: number };
let tc: string;
let vc: string;
let logId: string;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  sysadmin = await t.signIn('sysadmin', tree.province);
  family = (await township.post('/api/v1/families', familyInput(tree.village))).json().data;
  tc = (await buildContact(township, 'township_cadre', tree.township)).id;
  vc = (await buildContact(township, 'village_cadre', tree.village)).id;
  await township.put(`/api/v1/families/${family.id}/assignments`, { townshipContactId: tc, villageContactId: vc });
  logId = (
    await township.post(`/api/v1/families/${family.id}/contact-logs`, {
      contactId: vc,
      mode: 'phone',
      occurredAt: t.clock.now().toISOString(),
    })
  ).json().data.id;
});
afterAll(() => t.close());

/** Refused with 400 and the error envelope naming `path` (and `code`), nothing written, on both databases. */
async function expectRefusedCleanly(
  call: () => Promise<{ statusCode: number; body: string }>,
  path?: string,
  code?: string,
) {
  const before = await rowCounts(t.db);
  const res = await call();
  expect(contractViolation(res), res.body).toBeNull();
  expect(res.statusCode, res.body).toBe(400);
  const detail = JSON.parse(res.body).error.details[0];
  if (path !== undefined) expect(detail.path).toBe(path);
  if (code !== undefined) expect(detail.code).toBe(code);
  expect(await rowCounts(t.db)).toEqual(before);
}

describe('D1: U+0000 in a string (was 500 on PostgreSQL)', () => {
  it('POST /families with address "a\\u0000b"', async () => {
    await expectRefusedCleanly(
      () => township.post('/api/v1/families', familyInput(tree.village, { address: '保成路\u00008 号' })),
      'address',
      'CONTROL_CHARACTER',
    );
  });

  it('POST /contacts with name "王\\u0000"', async () => {
    await expectRefusedCleanly(
      () =>
        township.post('/api/v1/contacts', {
          name: '王\u0000',
          phone: '13900001111',
          post: 'village_cadre',
          regionCode: tree.village,
        }),
      'name',
      'CONTROL_CHARACTER',
    );
  });

  it('POST /families/{id}/assistance with note "\\u0000"', async () => {
    await expectRefusedCleanly(
      () =>
        township.post(`/api/v1/families/${family.id}/assistance`, {
          item: 'special_assistance',
          periodFrom: '2025-01',
          amount: 1,
          note: '\u0000',
        }),
      'note',
      'CONTROL_CHARACTER',
    );
  });

  it('POST /families/search with q "张\\u0000"', async () => {
    await expectRefusedCleanly(
      () => township.post('/api/v1/families/search', { q: '张\u0000' }),
      'q',
      'CONTROL_CHARACTER',
    );
  });

  it('POST /auth/login with username "admin\\u0000" (no session needed)', async () => {
    await expectRefusedCleanly(
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'admin\u0000', password: 'x' },
        }),
      'username',
      'CONTROL_CHARACTER',
    );
  });
});

describe('D2: a version above 2^31 − 1 (was 500 on PostgreSQL)', () => {
  const BIG = 2 ** 31;

  it('PATCH /families/{id}', async () => {
    await expectRefusedCleanly(
      () => township.patch(`/api/v1/families/${family.id}`, { version: BIG, address: '新' }),
      'version',
    );
  });

  it('POST /families/{id}/status', async () => {
    await expectRefusedCleanly(
      () =>
        township.post(`/api/v1/families/${family.id}/status`, {
          version: BIG,
          status: 'paused',
          reason: 'away',
          effectiveDate: t.clock.now().toISOString().slice(0, 10),
        }),
      'version',
    );
  });

  it('PUT /families/{id}/assignments', async () => {
    await expectRefusedCleanly(
      () =>
        township.put(`/api/v1/families/${family.id}/assignments`, {
          townshipContactId: tc,
          villageContactId: vc,
          version: BIG,
        }),
      'version',
    );
  });

  it('PATCH /contacts/{id}', async () => {
    await expectRefusedCleanly(() => township.patch(`/api/v1/contacts/${vc}`, { version: BIG, name: '改' }), 'version');
  });

  it('PATCH /contact-logs/{id}', async () => {
    await expectRefusedCleanly(
      () => township.patch(`/api/v1/contact-logs/${logId}`, { version: BIG, notes: '改' }),
      'version',
    );
  });

  it('PATCH /users/{id}', async () => {
    const user = await buildUser(t.db, 'village_staff', tree.village);
    await expectRefusedCleanly(
      () => sysadmin.patch(`/api/v1/users/${user.id}`, { version: BIG, displayName: '改' }),
      'version',
    );
  });
});

describe('D4: userId "" on a contact (was 500 on both databases)', () => {
  it('POST /contacts with userId ""', async () => {
    await expectRefusedCleanly(
      () =>
        township.post('/api/v1/contacts', {
          name: '王五',
          phone: '13900002222',
          post: 'village_cadre',
          regionCode: tree.village,
          userId: '',
        }),
      'userId',
    );
  });

  it('PATCH /contacts/{id} with userId ""', async () => {
    const contact = await buildContact(township, 'volunteer', tree.village);
    await expectRefusedCleanly(
      () => township.patch(`/api/v1/contacts/${contact.id}`, { version: 1, userId: '' }),
      'userId',
    );
  });
});
