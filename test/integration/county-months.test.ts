import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
import type { AssignedFamily } from '../support/factories.js';
import {
  ensureMonthRows,
  rebuildMonths,
  rebuildCountyMonths,
  syncFamilyMonth,
  countyMonthsDrift,
} from '../../server/modules/compliance/family-months.repository.js';

/**
 * `county_months` (0032) is the sum of the family-month facts per county, kept by triggers whichever write
 * changed a fact: after every kind of write here it equals the facts, and every level's roll-up and trend read
 * from it show the figures the facts give.
 */
let team: ContactTeam;
const families: Array<AssignedFamily['family']> = [];
const HOUR = 3_600_000;

beforeAll(async () => {
  team = await buildContactTeam({ userAtTestClock: true });
  for (let i = 0; i < 3; i++) families.push((await team.family()).family);
});
afterAll(() => team.t.close());

function ago(ms: number) {
  return new Date(team.t.clock.now().getTime() - ms).toISOString();
}

async function logContact(family: AssignedFamily['family'], mode: 'home_visit' | 'phone', occurredAt: string) {
  const res = await team.contact.post(`/api/v1/families/${family.id}/contact-logs`, {
    contactId: team.contactId,
    mode,
    occurredAt,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string };
}

/** The figures per unit of `digits` digits for one month, summed from the facts directly. */
async function fromFacts(month: string, digits: number) {
  const rows = await team.t.db
    .selectFrom('family_months')
    .select([
      sql<string>`substr(region_code, 1, ${sql.lit(digits)})`.as('prefix'),
      sql<number>`sum(is_counted)`.as('families'),
      sql<number>`sum(case when is_counted = 1 and home_visits > 0 then 1 else 0 end)`.as('visited'),
    ])
    .where('month', '=', month)
    .where('region_code', 'like', `${team.tree.prefecture.slice(0, 4)}%`)
    .groupBy(sql`substr(region_code, 1, ${sql.lit(digits)})`)
    .execute();
  return new Map(rows.map((r) => [r.prefix, { families: Number(r.families), visited: Number(r.visited) }]));
}

async function expectRollupsMatchFacts() {
  expect(await countyMonthsDrift(team.t.db)).toEqual([]);
  const month = team.t.clock.now().toISOString().slice(0, 7);
  const province = await team.t.signIn('province_staff', team.tree.province);
  // The levels above a county (the sums) and a county's townships and a township's villages (the facts), each
  // against the facts themselves.
  for (const [code, digits] of [
    [team.tree.province, 4],
    [team.tree.prefecture, 6],
    [team.tree.county, 9],
    [team.tree.township, 12],
  ] as const) {
    const res = await province.get(`/api/v1/compliance/monthly?regionCode=${code}`);
    expect(res.statusCode, res.body).toBe(200);
    const facts = await fromFacts(month, digits);
    for (const child of res.json().data.children as Array<{ regionCode: string; families: number; visited: number }>)
      expect({ code: child.regionCode, families: child.families, visited: child.visited }).toEqual({
        code: child.regionCode,
        ...(facts.get(child.regionCode.slice(0, digits)) ?? { families: 0, visited: 0 }),
      });
  }
  const trend = (await province.get(`/api/v1/compliance/trend?regionCode=${team.tree.county}&months=3`)).json().data;
  const facts = await fromFacts(month, 6);
  expect(trend.at(-1)).toMatchObject(facts.get(team.tree.county.slice(0, 6)) ?? { families: 0, visited: 0 });
}

describe('county_months (the sums every roll-up above a county reads)', () => {
  it('follows new families and contact logs: a first home visit counts, a second changes nothing', async () => {
    await logContact(families[0], 'home_visit', ago(2 * HOUR));
    await logContact(families[0], 'home_visit', ago(HOUR));
    await logContact(families[1], 'phone', ago(HOUR));
    await expectRollupsMatchFacts();
    const month = team.t.clock.now().toISOString().slice(0, 7);
    const rows = await team.t.db
      .selectFrom('county_months')
      .selectAll()
      .where('month', '=', month)
      .where('county_code', '=', team.tree.county)
      .execute();
    // One row per shard (the last character of a family's id) that holds any of the three families.
    const shards = new Set(families.map((f) => f.id.slice(-1)));
    expect(rows.map((r) => r.shard).sort()).toEqual([...shards].sort());
    const total = (k: 'families' | 'visited' | 'phone_contacts') => rows.reduce((n, r) => n + Number(r[k]), 0);
    expect([total('families'), total('visited'), total('phone_contacts')]).toEqual([3, 1, 1]);
  });

  it('follows a log moved to another month, a status change and a move to another county', async () => {
    const log = await logContact(families[2], 'home_visit', ago(HOUR));
    const moved = await team.contact.patch(`/api/v1/contact-logs/${log.id}`, {
      version: 1,
      occurredAt: ago(38 * 24 * HOUR),
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await expectRollupsMatchFacts();

    const version = (await team.township.get(`/api/v1/families/${families[1].id}`)).json().data.version;
    const paused = await team.township.post(`/api/v1/families/${families[1].id}/status`, {
      version,
      status: 'paused',
      reason: 'other',
      effectiveDate: team.t.clock.now().toISOString().slice(0, 10),
    });
    expect(paused.statusCode, paused.body).toBe(200);
    await expectRollupsMatchFacts();

    const f0 = (await team.township.get(`/api/v1/families/${families[0].id}`)).json().data;
    const move = await team.township.patch(`/api/v1/families/${families[0].id}`, {
      version: f0.version,
      regionCode: team.tree.siblingVillage,
    });
    expect(move.statusCode, move.body).toBe(200);
    await expectRollupsMatchFacts();
    // A move to another county (the archive's transfer): its row leaves one county's sums for the other's —
    // through the same fact write the service makes.
    const row = await team.t.db
      .selectFrom('families')
      .select(['id', 'status', 'status_date'])
      .where('id', '=', families[0].id)
      .executeTakeFirstOrThrow();
    const month = team.t.clock.now().toISOString().slice(0, 7);
    await syncFamilyMonth(team.t.db, { ...row, region_code: `${team.tree.siblingCounty.slice(0, 6)}001001` }, month);
    await expectRollupsMatchFacts();
  });

  it('follows the bulk statements (a month’s rows, a rebuild) and is rebuilt after a load with triggers off', async () => {
    await ensureMonthRows(team.t.db, '2027-01');
    await rebuildMonths(team.t.db, ['2026-10', team.t.clock.now().toISOString().slice(0, 7)]);
    await expectRollupsMatchFacts();

    // What a bulk load with triggers off leaves: stale sums. The drift names them; the rebuild mends them.
    await team.t.db
      .updateTable('county_months')
      .set({ visited: 99 })
      .where('county_code', '=', team.tree.county)
      .execute();
    expect((await countyMonthsDrift(team.t.db)).length).toBeGreaterThan(0);
    await rebuildCountyMonths(team.t.db);
    await expectRollupsMatchFacts();
  });
});
