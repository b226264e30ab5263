import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegionTree, familyInput, idNumberFor, phoneNumber, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { backfillIdNumberTails } from '../../server/modules/families/search-backfill.js';

let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let village: Session;
let township: Session;
let county: Session;

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  village = await t.signIn('village_staff', tree.village);
  township = await t.signIn('township_staff', tree.township);
  county = await t.signIn('county_staff', tree.county);
});
afterAll(() => t.close());

async function create(session: Session, input: Record<string, unknown>) {
  const res = await session.post('/api/v1/families', input);
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
  return res.json().data;
}

describe('creating an archive', () => {
  it('accepts the smallest family, issues an archive number and masks sensitive values', async () => {
    const input = familyInput(tree.village);
    const res = await village.post('/api/v1/families', input);
    expect(res.statusCode).toBe(201);
    const f = res.json().data;
    expect(f.archiveNo).toMatch(new RegExp(`^TS${tree.village}\\d{4}$`));
    expect(f).toMatchObject({ version: 1, status: 'active', familyType: 'bereaved', regionCode: tree.village });
    const mother = f.members[0];
    expect(mother.idNumber).toBe('420***************');
    expect(mother.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(mother).toMatchObject({ sex: 'female', birthDate: '1965-05-05' });
    expect(res.body).not.toContain(input.members[0].idNumber);
    expect(res.body).not.toContain(input.members[0].phone);
  });

  it('names the field and problem of every bad value, in Chinese', async () => {
    const good = familyInput(tree.village);
    const id = good.members[0].idNumber;
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [
        { members: [{ ...good.members[0], idNumber: id.slice(0, 17) + (id[17] === '1' ? '2' : '1') }] },
        'members.0.idNumber',
        400,
      ],
      [{ members: [{ ...good.members[0], idNumber: '420881650505122' }] }, 'members.0.idNumber', 400],
      [{ members: [{ ...good.members[0], relation: 'father' }] }, 'members.0.idNumber', 400],
      [{ members: [{ ...good.members[0], birthDate: '1966-01-01' }] }, 'members.0.birthDate', 400],
      [{ members: [{ ...good.members[0], phone: '12345' }] }, 'members.0.phone', 400],
      [{ members: [{ ...good.members[0], name: '张'.repeat(100_000) }] }, 'members.0.name', 400],
      [{ child: { ...good.child, deathDate: undefined } }, 'child.deathDate', 400],
      [{ child: { ...good.child, deathDate: '1989-01-01' } }, 'child.deathDate', 400],
      [{ child: { ...good.child, deathDate: '2099-01-01' } }, 'child.deathDate', 400],
      [{ child: { ...good.child, birthDate: '1990-02-30' } }, 'child.birthDate', 400],
      [
        { familyType: 'disabled', child: { sex: 'male', birthDate: '1990-03-01', disabilityGrade: 5 } },
        'child.disabilityGrade',
        400,
      ],
      [{ regionCode: tree.township }, 'regionCode', 400],
      [{ regionCode: '999999999999' }, 'regionCode', 400],
      [{ regionCode: tree.siblingVillage }, 'regionCode', 400],
      [{ familyType: 'orphan' }, 'familyType', 400],
    ];
    for (const [override, path, status] of cases) {
      const res = await village.post('/api/v1/families', { ...good, ...override });
      expect(res.statusCode, path).toBe(status);
      const detail = res.json().error.details.find((d: { path: string }) => d.path === path);
      expect(detail, `${path}: ${res.body.slice(0, 300)}`).toBeDefined();
      expect(detail.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const list = (await township.get('/api/v1/families?pageSize=200')).json();
    expect(list.data.every((f: { members: Array<{ name: string }> }) => f.members[0].name.length < 100)).toBe(true);
  });

  it('keeps one archive per household: a parent’s ID number twice is a 409', async () => {
    const first = familyInput(tree.village);
    await create(village, first);
    const again = await township.post('/api/v1/families', familyInput(tree.siblingVillage, { members: first.members }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0]).toMatchObject({ path: 'members.0.idNumber', code: 'DUPLICATE_ID_NUMBER' });
  });

  it('issues distinct archive numbers to concurrent creations in one village', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => township.post('/api/v1/families', familyInput(tree.siblingVillage))),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => r.json().data.archiveNo);
    expect(new Set(numbers).size).toBe(20);
  });

  it('lets the county read but not write', async () => {
    expect((await county.post('/api/v1/families', familyInput(tree.village))).statusCode).toBe(403);
  });
});

describe('finding and reading', () => {
  let family: { id: string; archiveNo: string };
  let input: ReturnType<typeof familyInput>;
  beforeAll(async () => {
    input = familyInput(tree.village, {
      members: [
        { relation: 'mother', name: '欧阳淑芬', idNumber: idNumberFor('female', '1958-08-08'), phone: phoneNumber() },
      ],
    });
    family = await create(village, input);
  });

  it('finds a family by name prefix, full ID number, phone and archive number', async () => {
    const byName = (await county.get(`/api/v1/families?q=${encodeURIComponent('欧阳')}`)).json();
    expect(byName.data.map((f: { id: string }) => f.id)).toContain(family.id);
    const byId = (await county.post('/api/v1/families/search', { q: input.members[0].idNumber })).json();
    expect(byId.data.map((f: { id: string }) => f.id)).toEqual([family.id]);
    const byPhone = (await county.post('/api/v1/families/search', { q: input.members[0].phone })).json();
    expect(byPhone.data.map((f: { id: string }) => f.id)).toEqual([family.id]);
    const byArchive = (await county.get(`/api/v1/families?q=${family.archiveNo}`)).json();
    expect(byArchive.data.map((f: { id: string }) => f.id)).toEqual([family.id]);
  });

  it('finds a name by any part of it and an ID number by its last 6, within scope, and says how it searched', async () => {
    const ids = (body: { data: Array<{ id: string }> }) => body.data.map((f) => f.id);
    // Infix and suffix of the name, one character and three, lower- and upper-case X in the last 6.
    for (const q of ['淑芬', '阳淑', '芬', '阳淑芬', '欧阳淑芬'])
      expect(ids((await county.post('/api/v1/families/search', { q })).json()), q).toContain(family.id);
    const idNumber = input.members[0].idNumber as string;
    const tail = idNumber.slice(-6);
    const byTail = (await county.post('/api/v1/families/search', { q: tail.toLowerCase() })).json();
    expect(ids(byTail)).toContain(family.id);
    expect(byTail.search).toMatchObject({ kind: 'id_number_tail', regionCode: tree.county });
    expect(byTail.search.description).toContain('后 6 位');
    // Pairs in two different names do not make a match: 芬 and 欧 are in one name, "芬欧" is in none.
    expect(ids((await county.post('/api/v1/families/search', { q: '淑芬欧' })).json())).not.toContain(family.id);
    // The township below sees it; another county sees neither by name nor by the last 6.
    expect(ids((await township.post('/api/v1/families/search', { q: '淑芬' })).json())).toContain(family.id);
    const stranger = await t.signIn('county_staff', other.county);
    expect((await stranger.post('/api/v1/families/search', { q: '淑芬' })).json().data).toEqual([]);
    const none = (await stranger.post('/api/v1/families/search', { q: tail })).json();
    expect(none.data).toEqual([]);
    expect(none.search).toMatchObject({ kind: 'id_number_tail', regionCode: other.county });
    // An empty name search says where and how it looked; a full ID number is never repeated.
    const empty = (await county.post('/api/v1/families/search', { q: '某琴' })).json();
    expect(empty.data).toEqual([]);
    expect(empty.search).toMatchObject({ kind: 'name' });
    expect(empty.search.description).toContain('某琴');
    const full = await county.post('/api/v1/families/search', { q: idNumber });
    expect(full.json().search.kind).toBe('id_number');
    expect(full.body).not.toContain(idNumber);
    // The plain last 6 is stored nowhere: only its keyed index.
    const stored = await t.db
      .selectFrom('family_members')
      .selectAll()
      .where('family_id', '=', family.id)
      .executeTakeFirstOrThrow();
    expect(stored.id_number_tail_idx).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(tail);
  });

  it('fills the keyed last-6 index of members stored before it at startup', async () => {
    const idNumber = idNumberFor('female', '1961-03-03');
    const f = await create(
      village,
      familyInput(tree.village, { members: [{ relation: 'mother', name: '周淑华', idNumber, phone: phoneNumber() }] }),
    );
    await t.db.updateTable('family_members').set({ id_number_tail_idx: null }).where('family_id', '=', f.id).execute();
    const found = async () =>
      (
        (await county.post('/api/v1/families/search', { q: idNumber.slice(-6) })).json().data as Array<{ id: string }>
      ).map((x) => x.id);
    expect(await found()).not.toContain(f.id);
    expect(await backfillIdNumberTails(t.db, t.app.platform.crypto)).toBeGreaterThanOrEqual(1);
    expect(await found()).toContain(f.id);
    expect(await backfillIdNumberTails(t.db, t.app.platform.crypto)).toBe(0);
  });

  it('keeps the name index current when a name changes', async () => {
    const f = await create(
      village,
      familyInput(tree.village, {
        members: [
          { relation: 'mother', name: '司马玉琴', idNumber: idNumberFor('female', '1960-02-02'), phone: phoneNumber() },
        ],
      }),
    );
    const found = async (q: string) =>
      ((await county.post('/api/v1/families/search', { q })).json().data as Array<{ id: string }>).map((x) => x.id);
    expect(await found('玉琴')).toContain(f.id);
    const patched = await township.patch(`/api/v1/families/${f.id}`, {
      version: f.version,
      members: [{ relation: 'mother', name: '司马秀兰' }],
    });
    expect(patched.statusCode).toBe(200);
    expect(await found('玉琴')).not.toContain(f.id);
    expect(await found('秀兰')).toContain(f.id);
  });

  it('never shows a family to another county: 404 by id, absent from lists and searches', async () => {
    const stranger = await t.signIn('county_staff', other.county);
    expect((await stranger.get(`/api/v1/families/${family.id}`)).statusCode).toBe(404);
    expect((await stranger.patch(`/api/v1/families/${family.id}`, { version: 1, address: 'x' })).statusCode).toBe(404);
    expect(
      (await stranger.post(`/api/v1/families/${family.id}/reveal`, { field: 'members.0.idNumber', reason: '核对' }))
        .statusCode,
    ).toBe(404);
    expect((await stranger.post('/api/v1/families/search', { q: input.members[0].idNumber })).json().data).toEqual([]);
    expect((await stranger.get('/api/v1/families')).json().page.total).toBe(0);
    expect((await stranger.get(`/api/v1/families?regionCode=${tree.county}`)).statusCode).toBe(404);
  });

  it('reveals a full value only with a reason, and audits it', async () => {
    const noReason = await village.post(`/api/v1/families/${family.id}/reveal`, {
      field: 'members.0.idNumber',
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    const res = await village.post(`/api/v1/families/${family.id}/reveal`, {
      field: 'members.0.idNumber',
      reason: '办理特扶申报核对',
    });
    expect(res.json().data).toEqual({ field: 'members.0.idNumber', value: input.members[0].idNumber });
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['changes', 'actor_username'])
      .where('action', '=', 'family.reveal')
      .where('target_id', '=', family.id)
      .execute();
    expect(audited).toHaveLength(1);
    // The reason is free text: kept as a keyed digest, never in clear (issue 10 item 3).
    expect(JSON.parse(audited[0].changes!)).toEqual({
      v: 1,
      facts: { field: 'members.0.idNumber', reason: { digest: expect.stringMatching(/^[0-9a-f]{32}$/) } },
    });
    expect(audited[0].changes).not.toContain('办理特扶申报核对');
    const prefecture = await t.signIn('prefecture_staff', tree.prefecture);
    expect(
      (await prefecture.post(`/api/v1/families/${family.id}/reveal`, { field: 'members.0.idNumber', reason: '核对' }))
        .statusCode,
    ).toBe(403);
  });

  it('shows special assistance with the amount, or why not', async () => {
    const f = (await county.get(`/api/v1/families/${family.id}`)).json().data;
    expect(f.specialAssistance).toMatchObject({ isEligible: true, monthlyTotal: 590, eligibleFrom: '2007-08-08' });
    const disabled = await create(
      village,
      familyInput(tree.village, {
        familyType: 'disabled',
        child: { sex: 'female', birthDate: '1992-01-01', disabilityGrade: 4 },
      }),
    );
    expect(disabled.specialAssistance).toMatchObject({ isEligible: false, monthlyTotal: 0 });
    expect(disabled.specialAssistance.reason).toContain('4级');
    const young = await create(
      village,
      familyInput(tree.village, {
        members: [{ relation: 'mother', name: '年轻', idNumber: idNumberFor('female', '1985-01-01') }],
      }),
    );
    expect(young.specialAssistance.isEligible).toBe(false);
    expect(young.specialAssistance.eligibleFrom).toBe('2034-01-01');
    const eligibleOnly = (await county.get('/api/v1/families?isEligible=true&pageSize=200'))
      .json()
      .data.map((x: { id: string }) => x.id);
    expect(eligibleOnly).toContain(family.id);
    expect(eligibleOnly).not.toContain(young.id);
  });
});

describe('keeping the archive current', () => {
  it('records what changed, masked, and refuses a stale version without writing', async () => {
    const f = await create(village, familyInput(tree.village));
    const newPhone = phoneNumber();
    const res = await village.patch(`/api/v1/families/${f.id}`, {
      version: 1,
      address: '保成路 10 号',
      isSpecialDifficulty: true,
      members: [{ relation: 'mother', phone: newPhone, health: 'chronic' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ version: 2, address: '保成路 10 号', isSpecialDifficulty: true });
    const stale = await village.patch(`/api/v1/families/${f.id}`, { version: 1, address: '别处' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const now = (await village.get(`/api/v1/families/${f.id}`)).json().data;
    expect(now.address).toBe('保成路 10 号');

    const history = (await village.get(`/api/v1/families/${f.id}/history`)).json().data;
    const update = history.find((h: { action: string }) => h.action === 'update');
    expect(update.changes.address).toEqual(['保成路 8 号', '保成路 10 号']);
    expect(update.changes['members.mother.phone'][1]).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(JSON.stringify(history)).not.toContain(newPhone);
  });

  it('records an exit with its reason, and refuses an exit dated before entry', async () => {
    const f = await create(village, familyInput(tree.village, { enteredAt: '2020-01-01' }));
    const early = await village.post(`/api/v1/families/${f.id}/status`, {
      version: 1,
      status: 'exited',
      reason: 'moved_out',
      effectiveDate: '2019-06-01',
    });
    expect(early.json().error.details[0]).toMatchObject({ path: 'effectiveDate', code: 'DATE_ORDER' });
    const wrongReason = await village.post(`/api/v1/families/${f.id}/status`, {
      version: 1,
      status: 'exited',
      reason: 'away',
      effectiveDate: '2026-01-01',
    });
    expect(wrongReason.statusCode).toBe(400);
    const res = await village.post(`/api/v1/families/${f.id}/status`, {
      version: 1,
      status: 'exited',
      reason: 'reborn_or_adopted',
      effectiveDate: '2026-01-01',
      note: '收养一子',
    });
    expect(res.json().data).toMatchObject({ status: 'exited', statusReason: 'reborn_or_adopted', version: 2 });
    expect(res.json().data.specialAssistance.isEligible).toBe(false);
    const backByVillage = await village.post(`/api/v1/families/${f.id}/status`, {
      version: 2,
      status: 'active',
      reason: 'resumed',
      effectiveDate: '2026-02-01',
    });
    expect(backByVillage.statusCode).toBe(403);
  });

  it('records assistance received, kept by the township', async () => {
    const f = await create(village, familyInput(tree.village));
    const byVillage = await village.post(`/api/v1/families/${f.id}/assistance`, {
      item: 'festival',
      periodFrom: '2026-02',
      amount: 200,
    });
    expect(byVillage.statusCode).toBe(403);
    const res = await township.post(`/api/v1/families/${f.id}/assistance`, {
      item: 'festival',
      periodFrom: '2026-02',
      amount: 200,
      source: 'county',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.assistance[0]).toMatchObject({ item: 'festival', amount: 200, periodFrom: '2026-02' });
  });
});

describe('numbers by region', () => {
  it('counts families by township for a county officer', async () => {
    const stats = (await county.get('/api/v1/families/stats')).json().data;
    const mine = stats.children.find((c: { regionCode: string }) => c.regionCode === tree.township);
    const sibling = stats.children.find((c: { regionCode: string }) => c.regionCode === tree.siblingTownship);
    expect(mine.total).toBeGreaterThan(5);
    expect(sibling.total).toBe(0);
    expect(stats.total).toBe(stats.children.reduce((s: number, c: { total: number }) => s + c.total, 0));
    expect(stats.total).toBe(stats.bereaved + stats.disabled);
  });
});
