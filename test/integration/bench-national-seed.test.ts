import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { seedNational } from '../../bench/seed-national.js';
import { monthsEndingAt, chinaDateOf } from '../../bench/lib/synthetic.js';
import {
  monthEnd,
  rebuildMonths,
  countyMonthsDrift,
} from '../../server/modules/compliance/family-months.repository.js';
import { prepareDatabase } from '../../server/prepare-database.js';
import { openLoader } from '../../bench/lib/bulk.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/test-db.js';

/**
 * The national seed (issue 19, bench/seed-national.ts) at a small size: it loads by COPY with keys, foreign keys
 * and indexes dropped, so the schema it leaves must be exactly the migrations' one; its facts for the months with
 * logs must be what the product's rebuildMonths computes, and the older months' facts follow the product's
 * counting rule. PostgreSQL only (COPY).
 */
describe.skipIf(TEST_DIALECT !== 'postgres')('bench national seed', () => {
  let seeded: TestDatabase;
  let fresh: TestDatabase;
  const asOf = new Date('2026-11-20T04:00:00Z');
  const months = monthsEndingAt(chinaDateOf(asOf).slice(0, 7), 24);
  const logMonths = months.slice(-3);

  beforeAll(async () => {
    seeded = await createTestDatabase('postgres');
    fresh = await createTestDatabase('postgres');
    await seedNational({ url: seeded.url, families: 400, years: 2, seed: 7, asOf, logMonths: 3, log: () => {} });
    const p = await prepareDatabase(fresh.url, ['42']);
    await p.database.close();
  }, 300_000);

  afterAll(async () => {
    await seeded?.drop();
    await fresh?.drop();
  });

  async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('leaves the schema the migrations made: the same indexes and constraints, all validated', async () => {
    const schema = async (url: string) => ({
      indexes: (
        await query<{ d: string }>(
          url,
          `select indexdef as d from pg_indexes where schemaname = 'public' and indexname not like 'bench%' order by 1`,
        )
      ).map((r) => r.d),
      constraints: (
        await query<{ d: string }>(
          url,
          `select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated as d
             from pg_constraint where connamespace = 'public'::regnamespace order by 1`,
        )
      ).map((r) => r.d),
    });
    const [a, b] = [await schema(seeded.url), await schema(fresh.url)];
    expect(a.indexes).toEqual(b.indexes);
    expect(a.constraints).toEqual(b.constraints);
  });

  it('holds the county sums of its facts (rebuilt after the load, which ran with triggers off)', async () => {
    const [{ n }] = await query<{ n: string }>(seeded.url, 'select count(*) as n from county_months');
    expect(Number(n)).toBeGreaterThan(months.length);
    const loader = openLoader(seeded.url);
    try {
      expect(await countyMonthsDrift(loader.db)).toEqual([]);
    } finally {
      await loader.close();
    }
  });

  it('writes contact logs for the last three months only, and every month of the window as facts', async () => {
    const logs = await query<{ month: string }>(seeded.url, 'select distinct month from contact_logs order by 1');
    expect(logs.map((r) => r.month)).toEqual(logMonths);
    const facts = await query<{ month: string; n: string }>(
      seeded.url,
      'select month, count(*) as n from family_months group by month order by month',
    );
    expect(facts.map((r) => r.month)).toEqual(months);
    for (const { month, n } of facts) {
      const [{ expected }] = await query<{ expected: string }>(
        seeded.url,
        'select count(*) as expected from families where entered_at <= $1',
        [monthEnd(month)],
      );
      expect(Number(n)).toBe(Number(expected));
    }
  });

  it("holds for the months with logs exactly the facts the product's rebuildMonths computes", async () => {
    const snapshot = () =>
      query(
        seeded.url,
        `select family_id, month, region_code, is_counted, home_visits, phone_contacts, contacts, last_contact_at
           from family_months where month = any($1) order by family_id, month`,
        [logMonths],
      );
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(1000);
    const loader = openLoader(seeded.url);
    await rebuildMonths(loader.db, logMonths);
    await loader.close();
    expect(await snapshot()).toEqual(before);
  });

  it("counts the older months' families by the product's rule, visits and calls only when counted", async () => {
    const [bad] = await query<{ n: string }>(
      seeded.url,
      `select count(*) as n from family_months fm join families f on f.id = fm.family_id
        where fm.month <> all($1) and (
          fm.is_counted <> case when f.status = 'active' or f.status_date > to_char((to_date(fm.month, 'YYYY-MM') + interval '1 month' - interval '1 day'), 'YYYY-MM-DD') then 1 else 0 end
          or (fm.is_counted = 0 and fm.contacts > 0)
          or fm.contacts <> fm.home_visits + fm.phone_contacts
          or fm.region_code <> f.region_code
          or (fm.contacts > 0) <> (fm.last_contact_at like fm.month || '-%'))`,
      [logMonths],
    );
    expect(Number(bad.n)).toBe(0);
    const [rate] = await query<{ r: string }>(
      seeded.url,
      `select avg(case when home_visits > 0 then 1.0 else 0 end) as r from family_months
        where month <> all($1) and is_counted = 1`,
      [logMonths],
    );
    expect(Number(rate.r)).toBeGreaterThan(0.8);
    expect(Number(rate.r)).toBeLessThan(0.9);
  });
});
