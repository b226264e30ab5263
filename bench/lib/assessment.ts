import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/platform/db/database.js';
import { chinaDate } from '../../server/platform/clock.js';
import type { capturingHandle, Replayer } from './capture.js';
import { isRead } from './capture.js';
import { summarize, type Summary } from './stats.js';

/**
 * R16–R17's assessment (考核) over the whole province: a draft scheme of the province, scored live for every
 * city and county from the statistical-return indicators (`statReturns.annualFigures`, the annual return's
 * own definitions) with the province-level petition deduction — `GET /assessment-schemes/{id}/result` as the
 * page reads it. Beside it, from the same run: the same indicators computed once for the province (the annual
 * return's own computation, one region instead of every unit) and, as the floor, every read the result
 * issued replayed through the bare driver. The scheme row is inserted for the run and removed after it.
 */
export interface AssessmentBenchResult {
  units: number;
  statements: number;
  result: Summary;
  provinceFigures: Summary;
  baseline: Summary;
}

const PROVINCE = '420000000000';
const ITEMS = [
  { source: 'indicator', code: 'home_visit_rate', weight: 60, direction: 'higher', floor: 50, target: 95 },
  {
    source: 'indicator',
    code: 'families_both_posts',
    perFamily: true,
    weight: 40,
    direction: 'higher',
    floor: 80,
    target: 100,
  },
] as const;
const CODES = ['home_visit_rate', 'families_both_posts', 'families_active', 'petition_events_province_or_higher'];

export async function measureAssessment(
  o: {
    app: FastifyInstance;
    recorder: FastifyInstance;
    capture: ReturnType<typeof capturingHandle>;
    replayer: Replayer;
    database: { db: Db };
    sessions: Record<string, { cookie: string }>;
  },
  runs: number,
): Promise<AssessmentBenchResult> {
  const db = o.database.db;
  const year = Number(chinaDate(new Date()).slice(0, 4));
  // A leftover of an interrupted run is removed first.
  await db.deleteFrom('assessment_schemes').where('name', '=', 'bench assessment').execute();
  const id = randomUUID();
  await db
    .insertInto('assessment_schemes')
    .values({
      id,
      region_code: PROVINCE,
      year,
      name: 'bench assessment',
      survey_id: null,
      definition: JSON.stringify({ items: ITEMS, deductions: [{ kind: 'province_petition', pointsPerEvent: 5 }] }),
      status: 'draft',
      snapshot: null,
      created_by: 'bench',
      created_at: new Date().toISOString(),
      published_at: null,
      published_by_name: null,
      version: 1,
    })
    .execute();
  const get = () =>
    o.app.inject({
      method: 'GET',
      url: `/api/v1/assessment-schemes/${id}/result`,
      headers: { cookie: o.sessions.province.cookie },
    });
  try {
    const first = await get();
    if (first.statusCode !== 200) throw new Error(`assessment result: ${first.statusCode} ${first.body.slice(0, 200)}`);
    const units = (first.json() as { data: { units: unknown[] } }).data.units.length;
    // The statements of one result, captured through the recording app (its session is the same cookie's).
    o.capture.start();
    const rec = await o.recorder.inject({
      method: 'GET',
      url: `/api/v1/assessment-schemes/${id}/result`,
      headers: { cookie: o.sessions.province.cookie },
    });
    const statements = o.capture.stop().filter(isRead);
    if (rec.statusCode !== 200) throw new Error(`assessment result (recorded): ${rec.statusCode}`);

    const resultMs: number[] = [];
    const provinceMs: number[] = [];
    const baseMs: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const t0 = performance.now();
      const res = await get();
      const t1 = performance.now();
      if (res.statusCode !== 200) throw new Error(`assessment result: ${res.statusCode}`);
      await o.app.services.statReturns.annualFigures(CODES, year, PROVINCE);
      const t2 = performance.now();
      await o.replayer.run(statements);
      const t3 = performance.now();
      resultMs.push(t1 - t0);
      provinceMs.push(t2 - t1);
      baseMs.push(t3 - t2);
    }
    return {
      units,
      statements: statements.length,
      result: summarize(resultMs),
      provinceFigures: summarize(provinceMs),
      baseline: summarize(baseMs),
    };
  } finally {
    await db.deleteFrom('assessment_schemes').where('id', '=', id).execute();
  }
}
