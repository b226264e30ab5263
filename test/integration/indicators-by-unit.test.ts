import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreIndicators } from '../../server/modules/stat-returns/indicators/index.js';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/**
 * The assessment's one grouped pass (issue 15, the whole province at 100k families): every unit's figures
 * read at once over a region must be, for each indicator, exactly the unit's own annual-return figure — a
 * county from its groups, a city from its counties' groups. Compared over every registered indicator, for
 * counties and cities that hold different records (and one that holds none).
 */
let t: TestApp;
let a: RegionTree;
let b: RegionTree;
let year: number;

async function family(session: Session, village: string, overrides: Record<string, unknown> = {}) {
  const res = await session.post('/api/v1/families', familyInput(village, { enteredAt: '2020-01-01', ...overrides }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: string; version: number };
}

beforeAll(async () => {
  t = await createTestApp();
  a = await buildRegionTree(t.db);
  b = await buildRegionTree(t.db);
  year = Number(chinaDate(t.clock.now()).slice(0, 4));
  const now = t.clock.now().toISOString();
  const today = chinaDate(t.clock.now());

  // City A, county 1: three families with 双岗, one special-difficulty, one new this year, one exited this
  // year; visits, phone calls, a need, a petition risk and a Beijing petition.
  const ts = await t.signIn('township_staff', a.township);
  const countyA = await t.signIn('county_staff', a.county);
  const tc = await buildContact(ts, 'township_cadre', a.township);
  const vc = await buildContact(ts, 'village_cadre', a.village);
  const f1 = await family(ts, a.village, { isSpecialDifficulty: true });
  const f2 = await family(ts, a.village, { enteredAt: `${year}-02-01` });
  const f3 = await family(ts, a.village, {
    familyType: 'disabled',
    child: { name: '李强', sex: 'male', birthDate: '1992-03-01', disabilityGrade: 2 },
  });
  for (const f of [f1, f2])
    expect(
      (await ts.put(`/api/v1/families/${f.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id }))
        .statusCode,
    ).toBe(200);
  for (const [f, mode] of [
    [f1, 'home_visit'],
    [f2, 'phone'],
    [f1, 'phone'],
  ] as const)
    expect(
      (await ts.post(`/api/v1/families/${f.id}/contact-logs`, { contactId: vc.id, mode, occurredAt: now })).statusCode,
    ).toBe(201);
  const exit = await ts.post(`/api/v1/families/${f3.id}/status`, {
    version: f3.version,
    status: 'exited',
    reason: 'moved_out',
    effectiveDate: today,
  });
  expect(exit.statusCode, exit.body).toBe(200);
  expect(
    (
      await ts.post(`/api/v1/families/${f1.id}/petition-risks`, {
        targetLevel: 'province',
        scope: 'individual',
        riskLevel: 'yellow',
        signals: '多次表示要到省里反映',
      })
    ).statusCode,
  ).toBe(201);
  const need = await ts.post('/api/v1/needs', {
    familyId: f2.id,
    category: 'medical',
    department: 'health',
    description: '住院费用报销',
    deadline: chinaDate(new Date(t.clock.now().getTime() + 30 * 86_400_000)),
  });
  expect([200, 201]).toContain(need.statusCode);
  expect(
    (
      await countyA.post(`/api/v1/families/${f1.id}/petition-events`, {
        level: 'beijing',
        form: 'visit',
        size: 1,
        occurredOn: today,
      })
    ).statusCode,
  ).toBe(201);

  // City A, county 2: one family with 双岗, visited at home.
  const ts2 = await t.signIn('township_staff', `${a.siblingCounty.slice(0, 6)}001000`);
  const tc2 = await buildContact(ts2, 'township_cadre', `${a.siblingCounty.slice(0, 6)}001000`);
  const vc2 = await buildContact(ts2, 'village_cadre', `${a.siblingCounty.slice(0, 6)}001001`);
  const g1 = await family(ts2, `${a.siblingCounty.slice(0, 6)}001001`);
  const assign = await ts2.put(`/api/v1/families/${g1.id}/assignments`, {
    townshipContactId: tc2.id,
    villageContactId: vc2.id,
  });
  expect(assign.statusCode, assign.body).toBe(200);
  const visit = await ts2.post(`/api/v1/families/${g1.id}/contact-logs`, {
    contactId: vc2.id,
    mode: 'home_visit',
    occurredAt: now,
  });
  expect(visit.statusCode, visit.body).toBe(201);

  // City B, county 1: two families, one of them special-difficulty; its county 2 holds nothing.
  const tsB = await t.signIn('township_staff', b.township);
  await family(tsB, b.village);
  await family(tsB, b.siblingVillage, { isSpecialDifficulty: true });
});
afterAll(() => t.close());

describe('indicators of many units in one grouped pass', () => {
  it('gives each county and each city exactly its own annual-return figures, indicator by indicator', async () => {
    const { statReturns } = t.app.services;
    // The core indicators (the return's and the assessment's) read by unit; the people network's are
    // computed unit by unit (no `byUnit`), and are compared here as well.
    expect(
      createCoreIndicators()
        .all()
        .filter((d) => !d.byUnit)
        .map((d) => d.code),
    ).toEqual([]);
    const province = await t.signIn('province_staff', a.province);
    const catalogue = (await province.get('/api/v1/assessment-catalogue')).json().data as Array<{
      source: string;
      code: string;
    }>;
    const codes = catalogue.filter((e) => e.source === 'indicator').map((e) => e.code);
    expect(codes.length).toBeGreaterThan(createCoreIndicators().all().length);
    const units = [a.prefecture, a.county, a.siblingCounty, b.prefecture, b.county, b.siblingCounty];
    const grouped = await statReturns.annualFiguresByUnit(codes, year, a.province, units);
    for (const unit of units) {
      const own = (await statReturns.annualFigures(codes, year, unit)).figures;
      expect({ unit, figures: grouped.get(unit) }).toEqual({ unit, figures: own });
    }
    // The records above are really in the figures (the comparison is not of zeros only).
    expect(grouped.get(a.county)).toMatchObject({
      families_active: 2,
      families_both_posts: 2,
      families_new: 1,
      families_exited: 1,
      phone_contacts: 2,
      home_visit_family_months: 1,
      petition_events_province_or_higher: 1,
      petition_risks: 1,
      needs_raised: 1,
    });
    expect(grouped.get(a.prefecture)).toMatchObject({
      families_active: 3,
      families_both_posts: 3,
      home_visit_family_months: 2,
    });
    expect(grouped.get(b.county)).toMatchObject({ families_active: 2, special_difficulty_families: 1 });
    expect(grouped.get(b.siblingCounty)).toMatchObject({ families_active: 0, home_visit_rate: 0 });
    // A city's rate is over its counties' parts, not an average of their rates.
    expect(grouped.get(a.prefecture)!.home_visit_rate).toBe(
      (await statReturns.annualFigures(['home_visit_rate'], year, a.prefecture)).figures.home_visit_rate,
    );
  });
});
