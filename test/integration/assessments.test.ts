import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/** Issue 15 part 5: 考核 — schemes, scores from the return indicators and the survey, frozen when published. */
let t: TestApp;
let tree: RegionTree;
let otherTree: RegionTree;
let township: Session;
let county: Session;
let siblingCounty: Session;
let city: Session;
let otherCity: Session;
let province: Session;
let year: number;
const familyIds: string[] = [];
let tc: { id: string };
let vc: { id: string };

type Unit = {
  rank: number;
  regionCode: string;
  level: string;
  score: number;
  itemsScore: number;
  provincePetitions: number;
  deduction: number;
  items: Array<{ code: string; value: number | null; score: number }>;
};

const scheme = (over: Record<string, unknown> = {}) => ({
  year,
  name: '年度目标责任考核',
  items: [
    { source: 'indicator', code: 'home_visit_rate', weight: 60, floor: 0, target: 100 },
    { source: 'indicator', code: 'families_both_posts', perFamily: true, weight: 40, floor: 0, target: 100 },
  ],
  deductions: [{ kind: 'province_petition', pointsPerEvent: 5 }],
  ...over,
});

async function schemeCount(): Promise<number> {
  return (await t.db.selectFrom('assessment_schemes').selectAll().execute()).length;
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  otherTree = await buildRegionTree(t.db);
  township = await t.signIn('township_staff', tree.township);
  county = await t.signIn('county_staff', tree.county);
  siblingCounty = await t.signIn('county_staff', tree.siblingCounty);
  city = await t.signIn('prefecture_staff', tree.prefecture);
  otherCity = await t.signIn('prefecture_staff', otherTree.prefecture);
  province = await t.signIn('province_staff', tree.province);
  year = Number(chinaDate(t.clock.now()).slice(0, 4));
  tc = await buildContact(township, 'township_cadre', tree.township);
  vc = await buildContact(township, 'village_cadre', tree.village);
  // County A: two families, both with 双岗; one visited this month, the other petitions in Beijing.
  for (let i = 0; i < 2; i += 1) {
    const f = (await township.post('/api/v1/families', familyInput(tree.village, { enteredAt: '2020-01-01' }))).json()
      .data as { id: string };
    familyIds.push(f.id);
    await township.put(`/api/v1/families/${f.id}/assignments`, { townshipContactId: tc.id, villageContactId: vc.id });
  }
  expect(
    (
      await township.post(`/api/v1/families/${familyIds[0]}/contact-logs`, {
        contactId: vc.id,
        mode: 'home_visit',
        occurredAt: t.clock.now().toISOString(),
      })
    ).statusCode,
  ).toBe(201);
  expect(
    (
      await county.post(`/api/v1/families/${familyIds[1]}/petition-events`, {
        level: 'beijing',
        form: 'visit',
        size: 1,
        occurredOn: chinaDate(t.clock.now()),
      })
    ).statusCode,
  ).toBe(201);
});
afterAll(() => t.close());

describe('考核: bad schemes are refused by field, nothing stored', () => {
  it('weights not summing to 100, a broken rule, an unknown indicator, a survey item without a survey', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { items: [{ source: 'indicator', code: 'home_visit_rate', weight: 60, floor: 0, target: 100 }] },
        'items',
        'WEIGHTS_SUM',
      ],
      [
        { items: [{ source: 'indicator', code: 'home_visit_rate', weight: 100, floor: 50, target: 10 }] },
        'items.0.target',
        'RULE_INVALID',
      ],
      [
        {
          items: [{ source: 'indicator', code: 'major_events', direction: 'lower', weight: 100, floor: 0, target: 5 }],
        },
        'items.0.target',
        'RULE_INVALID',
      ],
      [
        { items: [{ source: 'indicator', code: 'no_such_figure', weight: 100, floor: 0, target: 1 }] },
        'items.0.code',
        'UNKNOWN_INDICATOR',
      ],
      [
        { items: [{ source: 'survey', code: 'response_rate', weight: 100, floor: 0, target: 100 }] },
        'surveyId',
        'SURVEY_REQUIRED',
      ],
      [{ year: year + 1 }, 'year', 'YEAR_FUTURE'],
    ];
    for (const [over, path, code] of cases) {
      const res = await city.post('/api/v1/assessment-schemes', scheme(over));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({ path, code });
      expect(res.json().error.details[0].message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // A county may not run a scheme, nor may a city run one for a county.
    expect((await county.post('/api/v1/assessment-schemes', scheme({ regionCode: tree.county }))).statusCode).toBe(403);
    const countyLevel = await city.post('/api/v1/assessment-schemes', scheme({ regionCode: tree.county }));
    expect(countyLevel.json().error.details[0]).toMatchObject({ path: 'regionCode', code: 'UNIT_LEVEL' });
    // Another branch's city is out of scope: 404.
    expect(
      (await otherCity.post('/api/v1/assessment-schemes', scheme({ regionCode: tree.prefecture }))).statusCode,
    ).toBe(404);
    expect(await schemeCount()).toBe(0);
  });
});

describe('考核: a city’s scheme over its counties', () => {
  let id: string;
  let frozen: { units: Unit[] };

  it('computes each county live from the statistical-return indicators, with the petition deduction', async () => {
    const res = await city.post('/api/v1/assessment-schemes', scheme());
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().data.id;
    expect(res.json().data).toMatchObject({ status: 'draft', regionCode: tree.prefecture, abilities: { edit: true } });
    const result = (await city.get(`/api/v1/assessment-schemes/${id}/result`)).json().data as {
      status: string;
      units: Unit[];
    };
    expect(result.status).toBe('draft');
    expect(result.units.every((u) => u.level === 'county')).toBe(true);
    const a = result.units.find((u) => u.regionCode === tree.county)!;
    const b = result.units.find((u) => u.regionCode === tree.siblingCounty)!;
    // The figures are the annual return's own (one definition): the same service call gives the same numbers.
    const { figures } = await t.app.services.statReturns.annualFigures(
      ['home_visit_rate', 'families_both_posts', 'families_active', 'petition_events_province_or_higher'],
      year,
      tree.county,
    );
    expect(a.items[0].value).toBe(figures.home_visit_rate);
    expect(figures.families_active).toBe(2);
    expect(figures.families_both_posts).toBe(2);
    expect(a.items[1].value).toBe(100);
    expect(a.items[1].score).toBe(40);
    expect(a.items[0].score).toBe(Math.round(60 * figures.home_visit_rate) / 100);
    expect(a.provincePetitions).toBe(1);
    expect(a.deduction).toBe(5);
    expect(a.score).toBe(Math.round((a.items[0].score + 40 - 5) * 100) / 100);
    // The sibling county has no families: zero points, ranked after county A.
    expect(b.score).toBe(0);
    expect(a.rank).toBe(1);
    expect(b.rank).toBe(2);
  });

  it('scores the very figures of the county’s own annual return (one definition per figure)', async () => {
    const created = await county.post('/api/v1/stat-returns', {
      template: 'annual',
      period: String(year),
      regionCode: tree.county,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { figures } = created.json().data as { figures: Record<string, number> };
    const units = (await city.get(`/api/v1/assessment-schemes/${id}/result`)).json().data.units as Unit[];
    const a = units.find((u) => u.regionCode === tree.county)!;
    expect(a.items[0]).toMatchObject({ code: 'home_visit_rate', value: figures.home_visit_rate });
    expect(a.items[1].value).toBe(Math.round((1000 * figures.families_both_posts) / figures.families_active) / 10);
    expect(a.provincePetitions).toBe(figures.petition_events_province_or_higher);
    expect(figures.petition_events_province_or_higher).toBe(1);
  });

  it('hides a draft from the counties; refuses another city; edits by version', async () => {
    expect((await county.get(`/api/v1/assessment-schemes/${id}`)).statusCode).toBe(404);
    expect((await county.get(`/api/v1/assessment-schemes/${id}/result`)).statusCode).toBe(404);
    expect((await otherCity.get(`/api/v1/assessment-schemes/${id}`)).statusCode).toBe(404);
    expect((await county.get('/api/v1/assessment-schemes')).json().data).toEqual([]);
    // The province reads the city's draft (in its scope) but does not edit it.
    expect((await province.get(`/api/v1/assessment-schemes/${id}`)).json().data.abilities).toEqual({
      edit: false,
      publish: false,
    });
    expect((await province.post(`/api/v1/assessment-schemes/${id}/publish`, { version: 1 })).statusCode).toBe(403);
    const bad = await city.put(`/api/v1/assessment-schemes/${id}`, {
      ...scheme({ items: [{ source: 'indicator', code: 'home_visit_rate', weight: 90, floor: 0, target: 100 }] }),
      version: 1,
    });
    expect(bad.json().error.details[0]).toMatchObject({ path: 'items', code: 'WEIGHTS_SUM' });
    const ok = await city.put(`/api/v1/assessment-schemes/${id}`, {
      ...scheme({ name: '年度考核（修订）' }),
      version: 1,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data).toMatchObject({ name: '年度考核（修订）', version: 2 });
    expect((await city.put(`/api/v1/assessment-schemes/${id}`, { ...scheme(), version: 1 })).statusCode).toBe(409);
  });

  it('publishing freezes the result: later records change a draft’s figures, never the published one', async () => {
    const pub = await city.post(`/api/v1/assessment-schemes/${id}/publish`, { version: 2 });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json().data).toMatchObject({ status: 'published', abilities: { edit: false, publish: false } });
    frozen = (await city.get(`/api/v1/assessment-schemes/${id}/result`)).json().data;
    const before = frozen.units.find((u) => u.regionCode === tree.county)!;
    // The second family is visited now: the live figure rises, the published result stays.
    expect(
      (
        await township.post(`/api/v1/families/${familyIds[1]}/contact-logs`, {
          contactId: vc.id,
          mode: 'home_visit',
          occurredAt: t.clock.now().toISOString(),
        })
      ).statusCode,
    ).toBe(201);
    const after = (await city.get(`/api/v1/assessment-schemes/${id}/result`)).json().data;
    expect(after).toEqual(frozen);
    const draft = (await city.post('/api/v1/assessment-schemes', scheme())).json().data;
    const live = (await city.get(`/api/v1/assessment-schemes/${draft.id}/result`)).json().data.units as Unit[];
    const now = live.find((u) => u.regionCode === tree.county)!;
    expect(now.items[0].value).toBeGreaterThan(before.items[0].value!);
    expect(now.score).toBeGreaterThan(before.score);
    // Published: no more edits, no second publication.
    expect((await city.put(`/api/v1/assessment-schemes/${id}`, { ...scheme(), version: 3 })).statusCode).toBe(409);
    expect((await city.post(`/api/v1/assessment-schemes/${id}/publish`, { version: 3 })).statusCode).toBe(409);
  });

  it('a county reads its own published result only; another branch gets 404', async () => {
    const list = (await county.get('/api/v1/assessment-schemes')).json().data as Array<{ id: string }>;
    expect(list.map((s) => s.id)).toEqual([id]);
    const mine = (await county.get(`/api/v1/assessment-schemes/${id}/result`)).json().data.units as Unit[];
    expect(mine.map((u) => u.regionCode)).toEqual([tree.county]);
    expect(mine[0]).toEqual(frozen.units.find((u) => u.regionCode === tree.county));
    const sibling = (await siblingCounty.get(`/api/v1/assessment-schemes/${id}/result`)).json().data.units as Unit[];
    expect(sibling.map((u) => u.regionCode)).toEqual([tree.siblingCounty]);
    expect((await county.post(`/api/v1/assessment-schemes/${id}/publish`, { version: 3 })).statusCode).toBe(403);
    expect((await township.get(`/api/v1/assessment-schemes/${id}/result`)).statusCode).toBe(404);
    expect((await otherCity.get(`/api/v1/assessment-schemes/${id}/result`)).statusCode).toBe(404);
  });

  it('exports the ranking as xlsx and audits the writes and the export', async () => {
    const res = await city.get(`/api/v1/assessment-schemes/${id}/export.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['名次', '单位', '区划代码', '层级', '总分']);
    const first = ws.getRow(2);
    expect(String(first.getCell(3).value)).toBe(frozen.units[0].regionCode);
    expect(Number(first.getCell(5).value)).toBe(frozen.units[0].score);
    const actions = (
      await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'assessment.%').execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['assessment.create', 'assessment.update', 'assessment.publish', 'assessment.export']),
    );
  });
});

describe('考核: the province over its cities and counties, with the survey figures', () => {
  it('ranks cities among cities and counties among counties; survey figures come from estimatesFor', async () => {
    const frameDate = chinaDate(t.clock.now());
    const draw = await province.post('/api/v1/sample-surveys', {
      year,
      frameDate,
      seed: '考核测试',
      rate: 0.2,
      minPerCounty: 1,
    });
    expect(draw.statusCode, draw.body).toBe(201);
    const surveyId = draw.json().data.id as string;
    const sampled = (await province.get(`/api/v1/sample-surveys/${surveyId}/families`)).json().data as Array<{
      familyId: string;
    }>;
    const answer = await province.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
      familyId: sampled[0].familyId,
      mode: 'phone',
      reached: true,
      answers: {
        knowsContacts: 'none',
        lastHomeVisit: 'never',
        festivalCare: true,
        needsResolved: true,
        satisfaction: 4,
      },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const res = await province.post(
      '/api/v1/assessment-schemes',
      scheme({
        surveyId,
        items: [
          { source: 'indicator', code: 'home_visit_rate', weight: 40, floor: 0, target: 100 },
          { source: 'survey', code: 'response_rate', weight: 20, floor: 0, target: 100 },
          { source: 'survey', code: 'satisfaction', weight: 20, floor: 1, target: 5 },
          { source: 'survey', code: 'discrepancy_rate', direction: 'lower', weight: 20, floor: 100, target: 0 },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    // A city may not publish the province's draft (not in its scope: 404).
    expect(
      (await city.post(`/api/v1/assessment-schemes/${res.json().data.id}/publish`, { version: 1 })).statusCode,
    ).toBe(404);
    const units = (await province.get(`/api/v1/assessment-schemes/${res.json().data.id}/result`)).json().data
      .units as Unit[];
    const cities = units.filter((u) => u.level === 'prefecture');
    const counties = units.filter((u) => u.level === 'county');
    expect(cities.map((u) => u.regionCode)).toEqual(expect.arrayContaining([tree.prefecture, otherTree.prefecture]));
    expect(counties.map((u) => u.regionCode)).toContain(tree.county);
    expect(cities[0].rank).toBe(1);
    expect(counties[0].rank).toBe(1);
    const est = await t.app.services.sampleSurveys.estimatesFor(tree.prefecture, surveyId);
    const a = units.find((u) => u.regionCode === tree.county)!;
    const aEst = est.children.find((ch) => ch.regionCode === tree.county)!;
    expect(a.items[1].value).toBe(Math.round(aEst.responseRate! * 1000) / 10);
    expect(a.items[2].value).toBe(4);
    expect(a.items[2].score).toBe(15);
    // The answer ("never visited") disagrees with the records: 100 % discrepancy, 0 of 20 points.
    expect(a.items[3].value).toBe(100);
    expect(a.items[3].score).toBe(0);
  });
});
