import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckDigit, makeIdNumber } from '../../common/validators/id-number.js';
import {
  buildContact,
  buildRegionTree,
  buildUser,
  phoneNumber,
  TEST_PASSWORD,
  type RegionTree,
} from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { readSheet } from '../support/uploads.js';

/**
 * Issue 10 item 1: nothing a role may see without a reveal — taken together, from every view — narrows
 * an ID number to fewer than 1,000 candidates. The attacker is counted generously: the area code is
 * given (the family's county), the sex is given, and every visible character, date, year and month
 * anywhere in what the role receives is used, with the check digit applied.
 */

let t: TestApp;
let tree: RegionTree;
let village: Session;
let township: Session;
let familyId: string;
let laterId: string;

// Birth dates chosen so no other date in the data shares their year-month by chance.
const mother = makeIdNumber({ regionCode6: '420881', birthDate: '1965-05-05', sequence: 382 });
const father = makeIdNumber({ regionCode6: '420881', birthDate: '1962-11-17', sequence: 517 });
const fatherNew = makeIdNumber({ regionCode6: '420881', birthDate: '1963-09-21', sequence: 139 });
const child = makeIdNumber({ regionCode6: '420881', birthDate: '1990-03-01', sequence: 231 });
const youngMother = makeIdNumber({ regionCode6: '420881', birthDate: '1980-07-17', sequence: 444 });

function addYears(date: string, years: number) {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}

function birthOf(id: string) {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** The ways a date may be written in an answer, a sheet or a message. */
function spellings(date: string): string[] {
  const [y, m, d] = date.split('-');
  return [date, `${y}${m}${d}`, `${y}/${m}/${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${y}年${m}月${d}日`];
}
function monthSpellings(date: string): string[] {
  const [y, m] = date.split('-');
  return [`${y}-${m}`, `${y}${m}`, `${y}/${m}`, `${y}年${Number(m)}月`, `${y}年${m}月`];
}

function daysIn(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1))
    out.push(d.toISOString().slice(0, 10));
  return out;
}

/** How many ID numbers fit everything in `corpus` about the person whose number is `id`. */
export function candidates(id: string, sex: 'male' | 'female', corpus: string): number {
  if (corpus.includes(id)) return 1;
  const known: Array<string | null> = Array.from({ length: 18 }, (_, i) => (i < 6 ? id[i] : null));
  // Every ID-shaped token that could be this person's (generous: the attacker knows whose it is).
  for (const m of corpus.matchAll(/[0-9X*]{18}/g)) {
    const token = m[0];
    if (![...token].every((ch, i) => ch === '*' || ch === id[i])) continue;
    [...token].forEach((ch, i) => {
      if (ch !== '*') known[i] = ch;
    });
  }
  const birth = birthOf(id);
  const eligible = addYears(birth, 49);
  const year = birth.slice(0, 4);
  let dates: string[];
  if ([...spellings(birth), ...spellings(eligible)].some((s) => corpus.includes(s))) dates = [birth];
  else if ([...monthSpellings(birth), ...monthSpellings(eligible)].some((s) => corpus.includes(s))) {
    const month = birth.slice(0, 7);
    dates = daysIn(`${month}-01`, `${month}-31`).filter((d) => d.startsWith(month));
  } else dates = daysIn(`${year}-01-01`, `${year}-12-31`);

  let count = 0;
  for (const date of dates) {
    const digits = date.replaceAll('-', '');
    if (![...digits].every((ch, i) => known[6 + i] === null || known[6 + i] === ch)) continue;
    for (let seq = 0; seq < 1000; seq += 1) {
      if (seq % 2 !== (sex === 'male' ? 1 : 0)) continue;
      const s = String(seq).padStart(3, '0');
      if (![...s].every((ch, i) => known[14 + i] === null || known[14 + i] === ch)) continue;
      const first17 = id.slice(0, 6) + digits + s;
      if (known[17] !== null && idCheckDigit(first17) !== known[17]) continue;
      count += 1;
    }
  }
  return count;
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  village = await t.signIn('village_staff', tree.village);
  township = await t.signIn('township_staff', tree.township);

  const created = await village.post('/api/v1/families', {
    familyType: 'bereaved',
    regionCode: tree.village,
    address: '保成路 8 号',
    enteredAt: '2020-01-01',
    members: [
      { relation: 'mother', name: '张秀英', idNumber: mother, phone: phoneNumber() },
      { relation: 'father', name: '李国强', idNumber: father, phone: phoneNumber() },
    ],
    child: { name: '李明', sex: 'male', birthDate: '1990-03-01', idNumber: child, deathDate: '2015-05-01' },
  });
  expect(created.statusCode).toBe(201);
  familyId = created.json().data.id;
  // A corrected ID number: the history now holds the father's old and new number and birth date.
  const patched = await village.patch(`/api/v1/families/${familyId}`, {
    version: 1,
    members: [{ relation: 'father', idNumber: fatherNew }],
  });
  expect(patched.statusCode).toBe(200);
  // Not yet eligible: the reason names the day she turns 49.
  const later = await village.post('/api/v1/families', {
    familyType: 'bereaved',
    regionCode: tree.village,
    address: '保成路 9 号',
    enteredAt: '2020-01-01',
    members: [{ relation: 'mother', name: '王小红', idNumber: youngMother }],
    child: { name: '王乐', sex: 'female', birthDate: '2001-06-01', deathDate: '2019-08-01' },
  });
  expect(later.statusCode).toBe(201);
  laterId = later.json().data.id;
});
afterAll(() => t.close());

async function bodies(session: Session, urls: string[]): Promise<string> {
  const out: string[] = [];
  for (const url of urls) {
    const res = await session.get(url);
    expect(res.statusCode, url).toBe(200);
    out.push(res.body);
  }
  return out.join('\n');
}

async function familyViews(session: Session, withExport: boolean): Promise<string> {
  const parts = [
    await bodies(session, [
      `/api/v1/families/${familyId}`,
      `/api/v1/families/${familyId}/history`,
      `/api/v1/families/${laterId}`,
      `/api/v1/families/${laterId}/history`,
      `/api/v1/families?regionCode=${tree.village}&pageSize=200`,
    ]),
    (await session.post('/api/v1/families/search', { q: '张' })).body,
    (await session.post('/api/v1/families/search', { q: '王' })).body,
  ];
  if (withExport) {
    const res = await session.get(`/api/v1/families/export.xlsx?regionCode=${tree.village}`);
    expect(res.statusCode).toBe(200);
    parts.push(JSON.stringify(await readSheet(res.rawPayload)));
  }
  return parts.join('\n');
}

const people: Array<[string, string, 'male' | 'female']> = [
  ['mother', mother, 'female'],
  ['father (old number, in the history)', father, 'male'],
  ['father', fatherNew, 'male'],
  ['child', child, 'male'],
  ['young mother', youngMother, 'female'],
];

function expectUnguessable(corpus: string) {
  for (const [who, id, sex] of people) {
    const n = candidates(id, sex, corpus);
    expect(n, `${who}: ${n} candidates`).toBeGreaterThanOrEqual(1_000);
  }
}

describe('what a role without reveal sees narrows no ID number below 1,000 candidates', () => {
  it('a city officer: archive, lists, searches, history and export', async () => {
    const prefecture = await t.signIn('prefecture_staff', tree.prefecture);
    expectUnguessable(await familyViews(prefecture, true));
  });

  it('a province officer: the same', async () => {
    const province = await t.signIn('province_staff', tree.province);
    expectUnguessable(await familyViews(province, true));
  });

  it('a contact assigned to both families: archive, lists, history and to-dos', async () => {
    const user = await buildUser(t.db, 'contact', tree.village);
    const vc = await buildContact(township, 'village_cadre', tree.village, { userId: user.id });
    const tc = await buildContact(township, 'township_cadre', tree.township);
    for (const id of [familyId, laterId]) {
      const res = await township.put(`/api/v1/families/${id}/assignments`, {
        townshipContactId: tc.id,
        villageContactId: vc.id,
      });
      expect(res.statusCode).toBe(200);
    }
    const contact = await t.login({ username: user.username, password: TEST_PASSWORD });
    expectUnguessable([await familyViews(contact, false), await bodies(contact, ['/api/v1/todos'])].join('\n'));
  });

  it('the auditor: every audit row the families module wrote', async () => {
    const auditor = await t.signIn('auditor', tree.province);
    const res = await auditor.get('/api/v1/audit-events?pageSize=200');
    expect(res.statusCode).toBe(200);
    expectUnguessable(res.body);
  });

  it('counts a leak as one: the old mask beside a full birth date gave the number away', () => {
    const leaked = `{"idNumber":"420***********${mother.slice(14)}","birthDate":"1965-05-05"}`;
    expect(candidates(mother, 'female', leaked)).toBe(1);
    expect(candidates(mother, 'female', '{"birthDate":"1965","eligibleFrom":"2014-05"}')).toBeGreaterThan(10_000);
  });

  it('still shows the full birth date to a role that may reveal (it could reveal the number anyway)', async () => {
    const f = (await village.get(`/api/v1/families/${familyId}`)).json().data;
    expect(f.members[0]).toMatchObject({ birthDate: '1965-05-05', idNumber: '420***************' });
    expect(f.specialAssistance.eligibleFrom).toBe('2014-05-05');
    const prefecture = await t.signIn('prefecture_staff', tree.prefecture);
    const seen = (await prefecture.get(`/api/v1/families/${familyId}`)).json().data;
    expect(seen.members[0]).toMatchObject({ birthDate: '1965', idNumber: '420***************' });
    expect(seen.eligibleFrom).toBe('2014-05');
    const young = (await prefecture.get(`/api/v1/families/${laterId}`)).json().data;
    expect(young.specialAssistance.persons[0].reason).toContain('2029-07）');
  });
});
