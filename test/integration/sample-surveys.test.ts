import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact, buildRegionTree, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, testCrypto, type Session, type TestApp } from '../support/test-app.js';

// The test clock stands at 2026-11-28 (China time 10:00).
const FRAME_DATE = '2026-11-01';

let t: TestApp;
let tree: RegionTree;
let province: Session;
let city: Session;
let county: Session;
let township: Session;
let siblingTownship: Session;
const familyIds: string[] = [];
let townshipContact: string;
let villageContact: string;

async function newFamily(session: Session, village: string, enteredAt = '2020-01-01'): Promise<string> {
  const res = await session.post('/api/v1/families', familyInput(village, { enteredAt }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id;
}

const draw = (body: Record<string, unknown>) =>
  province.post('/api/v1/sample-surveys', { year: 2026, frameDate: FRAME_DATE, seed: '2026 年省级抽样', ...body });

async function surveyCount(): Promise<number> {
  const r = await t.db
    .selectFrom('sample_surveys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  province = await t.signIn('province_staff', tree.province);
  city = await t.signIn('prefecture_staff', tree.prefecture);
  county = await t.signIn('county_staff', tree.county);
  township = await t.signIn('township_staff', tree.township);
  const siblingCountyTownship = `${tree.siblingCounty.slice(0, 6)}001000`;
  siblingTownship = await t.signIn('township_staff', siblingCountyTownship);
  townshipContact = (await buildContact(township, 'township_cadre', tree.township)).id;
  villageContact = (await buildContact(township, 'village_cadre', tree.village)).id;
  // 30 families in the first county (10 of them disabled), 10 in the sibling county.
  for (let i = 0; i < 30; i++) familyIds.push(await newFamily(township, i % 2 ? tree.village : tree.siblingVillage));
  for (let i = 0; i < 10; i++)
    familyIds.push(await newFamily(siblingTownship, `${siblingCountyTownship.slice(0, 9)}001`));
  await t.db
    .updateTable('families')
    .set({ family_type: 'disabled' })
    .where('id', 'in', familyIds.slice(0, 10))
    .execute();
}, 120_000);
afterAll(() => t.close());

describe('bad input: a clear error, nothing stored', () => {
  it.each([
    ['rate 0', { rate: 0 }, 'rate'],
    ['rate over 20 %', { rate: 0.21 }, 'rate'],
    ['q above 1', { q: 1.5 }, 'q'],
    ['q below 0', { q: -0.1 }, 'q'],
    ['a frame date in the future', { frameDate: '2026-12-01' }, 'frameDate'],
    ['a seed of 201 characters', { seed: 'x'.repeat(201) }, 'seed'],
  ])('%s', async (_name, body, path) => {
    const res = await draw(body);
    expect(res.statusCode, res.body).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details[0].path).toBe(path);
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await surveyCount()).toBe(0);
  });

  it('a county account may not draw (403), a city account neither', async () => {
    for (const s of [county, city]) {
      const res = await s.post('/api/v1/sample-surveys', { year: 2026, frameDate: FRAME_DATE, seed: 's' });
      expect(res.statusCode).toBe(403);
    }
    expect(await surveyCount()).toBe(0);
  });
});

describe('frame, allocation and selection', () => {
  let surveyId: string;
  let sampled: string[];

  it('a dry run shows the allocation and the families, and stores nothing', async () => {
    const res = await draw({ rate: 0.2, dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json().data;
    expect(d.id).toBeNull();
    expect(d.frameSize).toBe(40);
    expect(d.sampleSize).toBe(8);
    expect(d.familyIds).toHaveLength(8);
    expect(d.strata.reduce((a: number, s: { sample: number }) => a + s.sample, 0)).toBe(8);
    expect(await surveyCount()).toBe(0);
  });

  it('draws: the frame frozen with its SM3 digest, strata county × family type, π and weight stored', async () => {
    const res = await draw({ rate: 0.2 });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json().data;
    surveyId = d.id;
    expect(d.frameSize).toBe(40);
    expect(d.sampleSize).toBe(Math.ceil(0.2 * 40));
    expect(d.frameDigest).toBe(testCrypto().sm3([...familyIds].sort().join('\n')));
    expect(d).toMatchObject({
      q: 0.5,
      minPerCounty: 1,
      rate: 0.2,
      prng: 'xoroshiro128plus',
      allocationRule: 'power-allocation/v1',
    });
    const strata = d.strata.map((s: { regionCode: string; familyType: string; population: number }) => [
      s.regionCode,
      s.familyType,
      s.population,
    ]);
    expect(strata).toEqual([
      [tree.county, 'bereaved', 20],
      [tree.county, 'disabled', 10],
      [tree.siblingCounty, 'bereaved', 10],
    ]);
    const fams = await province.get(`/api/v1/sample-surveys/${surveyId}/families?pageSize=100`);
    expect(fams.statusCode).toBe(200);
    const rows = fams.json().data as Array<{
      familyId: string;
      regionCode: string;
      familyType: string;
      weight: number;
      pi: number;
      status: string;
      phoneMask: string;
    }>;
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      const s = d.strata.find(
        (x: { regionCode: string; familyType: string }) =>
          x.regionCode === r.regionCode.slice(0, 6).padEnd(12, '0') && x.familyType === r.familyType,
      );
      expect(r.pi).toBeCloseTo(s.sample / s.population, 12);
      expect(r.weight).toBeCloseTo(s.population / s.sample, 12);
      expect(r.status).toBe('pending');
      expect(r.phoneMask).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    sampled = rows.map((r) => r.familyId).sort();
    const frame = await t.db
      .selectFrom('sample_survey_frame')
      .select('family_id')
      .where('survey_id', '=', surveyId)
      .execute();
    expect(frame).toHaveLength(40);
    const audit = await t.db.selectFrom('audit_events').select('action').where('target_id', '=', surveyId).execute();
    expect(audit.map((a) => a.action)).toContain('sampleSurvey.draw');
  });

  it('one survey per region and year', async () => {
    const res = await draw({ rate: 0.2, seed: 'again' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0]).toMatchObject({ path: 'id', message: surveyId });
  });

  it('same frame + seed + rule ⇒ the identical sample, also after the live data changed', async () => {
    // Families added after the frame date, and one that left before it (a corrected record).
    await newFamily(township, tree.village, '2026-11-20');
    await t.db
      .updateTable('families')
      .set({ status: 'exited', status_date: '2026-10-01' })
      .where('id', '=', familyIds[39])
      .execute();
    const rep = await province.get(`/api/v1/sample-surveys/${surveyId}/reproduction`);
    expect(rep.statusCode, rep.body).toBe(200);
    expect(rep.json().data).toMatchObject({ isDigestMatching: true, isSampleMatching: true, sampleSize: 8 });
    // The live frame changed: a new draw today would run on another frame (and digest).
    const live = (await draw({ rate: 0.2, dryRun: true })).json().data;
    expect(live.frameSize).toBe(39);
    const fams = (await province.get(`/api/v1/sample-surveys/${surveyId}/families?pageSize=100`)).json().data;
    expect(fams.map((f: { familyId: string }) => f.familyId).sort()).toEqual(sampled);
  });

  it('a different seed draws a different sample', async () => {
    const a = (await draw({ rate: 0.2, dryRun: true, seed: 'seed A' })).json().data.familyIds;
    const b = (await draw({ rate: 0.2, dryRun: true, seed: 'seed B' })).json().data.familyIds;
    expect(a).toHaveLength(8);
    expect([...b].sort()).not.toEqual([...a].sort());
  });
});

describe('survey work, discrepancies and estimates', () => {
  let surveyId: string;
  let rows: Array<{ familyId: string; regionCode: string; surveyorId: string | null; status: string }>;
  let cityStaffSurveyor: Session;

  beforeAll(async () => {
    surveyId = (await province.get('/api/v1/sample-surveys')).json().data[0].id;
    rows = (await province.get(`/api/v1/sample-surveys/${surveyId}/families?pageSize=100`)).json().data;
    cityStaffSurveyor = city;
  });

  const answers = {
    knowsContacts: 'none',
    lastHomeVisit: 'never',
    festivalCare: true,
    needsResolved: true,
    satisfaction: 2,
    comment: '希望多来看看',
  };

  it('refuses a response for a family not in the sample, and one not assigned to the caller', async () => {
    const outside = familyIds.find((id) => !rows.some((r) => r.familyId === id))!;
    const res = await province.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
      familyId: outside,
      mode: 'phone',
      reached: true,
      answers,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'familyId', code: 'NOT_IN_SAMPLE' });
    const notMine = await city.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
      familyId: rows[0].familyId,
      mode: 'phone',
      reached: false,
    });
    expect(notMine.statusCode).toBe(403);
    const counties = await county.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
      familyId: rows[0].familyId,
      mode: 'phone',
      reached: false,
    });
    expect([403, 404]).toContain(counties.statusCode);
    const attempts = await t.db.selectFrom('sample_survey_attempts').selectAll().execute();
    expect(attempts).toHaveLength(0);
  });

  it('assigns families to city staff of their city; phones only for the assigned surveyor, audited', async () => {
    const bad = await province.post(`/api/v1/sample-surveys/${surveyId}/assignments`, {
      surveyorId: county.user.id,
      regionCode: tree.prefecture,
    });
    expect(bad.statusCode).toBe(400);
    const res = await province.post(`/api/v1/sample-surveys/${surveyId}/assignments`, {
      surveyorId: city.user.id,
      regionCode: tree.prefecture,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.assigned).toBe(8);
    const target = rows[0].familyId;
    expect((await province.post(`/api/v1/sample-surveys/${surveyId}/families/${target}/phone`, {})).statusCode).toBe(
      403,
    );
    const reveal = await cityStaffSurveyor.post(`/api/v1/sample-surveys/${surveyId}/families/${target}/phone`, {});
    expect(reveal.statusCode, reveal.body).toBe(200);
    expect(reveal.json().data.phones[0].phone).toMatch(/^1\d{10}$/);
    const listed = (await province.get(`/api/v1/sample-surveys/${surveyId}/families/${target}`)).json().data;
    expect(listed.parents[0].phoneMask).toMatch(/\*{4}/);
    expect(JSON.stringify(listed)).not.toContain(reveal.json().data.phones[0].phone);
    const audit = await t.db.selectFrom('audit_events').select('action').where('target_id', '=', target).execute();
    expect(audit.map((a) => a.action)).toContain('sampleSurvey.phone_reveal');
    const mine = (await city.get(`/api/v1/sample-surveys/${surveyId}/families?mine=true`)).json().data;
    expect(mine).toHaveLength(8);
    // The surveyor's todo: families still to reach; reading the sample list is audited.
    const todos = (await city.get('/api/v1/todos')).json().data as Array<{ kind: string; title: string; path: string }>;
    const call = todos.find((x) => x.kind === 'survey_call')!;
    expect(call.title).toContain('8 户待访问');
    expect(call.path).toBe(`/sample-surveys/${surveyId}/calls`);
    const reads = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'sampleSurvey.read')
      .where('actor_id', '=', city.user.id)
      .execute();
    expect(reads.length).toBeGreaterThan(0);
  });

  it('compares the answers with the records: discrepancies with a Chinese explanation', async () => {
    const target =
      rows.find((r) => r.regionCode === tree.village) ??
      rows.find((r) => r.regionCode.startsWith(tree.county.slice(0, 6)))!;
    // The records: both contacts assigned and a home visit 10 days ago.
    const put = await township.put(`/api/v1/families/${target.familyId}/assignments`, {
      townshipContactId: townshipContact,
      villageContactId: villageContact,
    });
    expect(put.statusCode, put.body).toBe(200);
    const log = await township.post(`/api/v1/families/${target.familyId}/contact-logs`, {
      contactId: townshipContact,
      mode: 'home_visit',
      occurredAt: new Date(t.clock.now().getTime() - 10 * 86_400_000).toISOString(),
    });
    expect(log.statusCode, log.body).toBe(201);
    const res = await city.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
      familyId: target.familyId,
      mode: 'phone',
      reached: true,
      answers,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json().data;
    expect(body.status).toBe('reached');
    const codes = body.discrepancies.map((d: { code: string }) => d.code).sort();
    expect(codes).toEqual(['CONTACTS_UNKNOWN', 'VISIT_DENIED']);
    const visit = body.discrepancies.find((d: { code: string }) => d.code === 'VISIT_DENIED');
    expect(visit.message).toContain('近三个月有 1 次登门走访');
    // A second response for a reached family.
    const again = await city.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
      familyId: target.familyId,
      mode: 'phone',
      reached: true,
      answers,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0].code).toBe('ALREADY_RESPONDED');
    const stored = await t.db
      .selectFrom('sample_survey_responses')
      .selectAll()
      .where('family_id', '=', target.familyId)
      .execute();
    expect(stored).toHaveLength(1);

    // The county explains each flagged one; the township below cannot.
    const list = await county.get(`/api/v1/survey-discrepancies?regionCode=${tree.county}`);
    expect(list.statusCode).toBe(200);
    const items = list.json().data as Array<{ id: string; version: number; status: string }>;
    expect(items).toHaveLength(2);
    const todos = (await county.get('/api/v1/todos')).json().data as Array<{ kind: string }>;
    expect(todos.some((x) => x.kind === 'survey_discrepancy')).toBe(true);
    expect(
      (
        await township.post(`/api/v1/survey-discrepancies/${items[0].id}/explain`, {
          version: 1,
          explanation: '已核实',
        })
      ).statusCode,
    ).toBe(403);
    const empty = await county.post(`/api/v1/survey-discrepancies/${items[0].id}/explain`, {
      version: 1,
      explanation: ' ',
    });
    expect(empty.statusCode).toBe(400);
    const ok = await county.post(`/api/v1/survey-discrepancies/${items[0].id}/explain`, {
      version: 1,
      explanation: '经核实，走访时家中仅有老人的亲属，家庭未记得。',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data.status).toBe('explained');
    expect((await siblingTownship.get(`/api/v1/survey-discrepancies`)).statusCode).toBe(403);
  });

  it('three unanswered calls make a family unreachable and bring in the stratum’s next reserve', async () => {
    const target = rows.find((r) => r.status === 'pending' && !r.regionCode.startsWith(tree.county.slice(0, 6)))!;
    let last;
    for (let i = 0; i < 3; i++) {
      last = await city.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
        familyId: target.familyId,
        mode: 'phone',
        reached: false,
      });
      expect(last.statusCode, last.body).toBe(201);
    }
    const body = last!.json().data;
    expect(body).toMatchObject({ status: 'unreachable', attempts: 3, outcome: 'no_answer' });
    expect(body.replacement.familyId).toBeTruthy();
    const reserve = (await city.get(`/api/v1/sample-surveys/${surveyId}/families/${body.replacement.familyId}`)).json()
      .data;
    expect(reserve).toMatchObject({
      isReserve: true,
      replacesFamilyId: target.familyId,
      status: 'pending',
      surveyorId: city.user.id,
    });
    expect(
      (
        await city.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
          familyId: target.familyId,
          mode: 'phone',
          reached: false,
        })
      ).statusCode,
    ).toBe(409);
    // A wrong number is unreachable at once; a refusal is final and not replaced.
    const fresh = (await province.get(`/api/v1/sample-surveys/${surveyId}/families?status=pending&pageSize=100`)).json()
      .data as typeof rows;
    const refuse = fresh.find((r) => r.familyId !== body.replacement.familyId);
    const refused = await city.post(`/api/v1/sample-surveys/${surveyId}/responses`, {
      familyId: refuse!.familyId,
      mode: 'phone',
      reached: false,
      outcome: 'refused',
    });
    expect(refused.json().data).toMatchObject({ status: 'refused', replacement: null });
  });

  it('weighted estimates with 95 % intervals per city and province, and the response rate', async () => {
    const res = await province.get(`/api/v1/sample-surveys/${surveyId}/estimates`);
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json().data;
    expect(e.region.regionCode).toBe(tree.province);
    expect(e.children.map((c: { regionCode: string }) => c.regionCode)).toEqual([tree.prefecture]);
    expect(e.region.respondents).toBe(1);
    expect(e.region.sampled).toBe(9);
    expect(e.region.responseRate).toBeCloseTo(1 / 9, 12);
    const sat = e.region.indicators.find((i: { indicator: string }) => i.indicator === 'satisfaction');
    expect(sat.estimate).toBe(2);
    const cityView = await city.get(`/api/v1/sample-surveys/${surveyId}/estimates`);
    expect(cityView.json().data.region.regionCode).toBe(tree.prefecture);
    expect((await county.get(`/api/v1/sample-surveys/${surveyId}/estimates`)).statusCode).toBe(403);
    const overview = (await province.get(`/api/v1/sample-surveys/${surveyId}`)).json().data;
    expect(overview.progress).toMatchObject({ sampled: 9, reached: 1, refused: 1, unreachable: 1, replacements: 1 });
  });

  it('the service function for the assessment gives the same per-region estimates', async () => {
    const byService = await t.app.services.sampleSurveys.estimatesFor(tree.prefecture, surveyId);
    const byApi = (
      await province.get(`/api/v1/sample-surveys/${surveyId}/estimates?regionCode=${tree.prefecture}`)
    ).json().data;
    expect(byService.region.indicators).toEqual(byApi.region.indicators);
  });
});
