import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/platform/db/database.js';
import type { RequestContext } from '../../server/platform/context.js';
import type { capturingHandle, Replayer } from './capture.js';
import { isRead } from './capture.js';
import { summarize, type Summary } from './stats.js';

/**
 * R16's draw at the size of the province: freezing the frame (every active family's id stored, SM3 over
 * the sorted ids), the power allocation and the seeded selection, in one transaction with its audit row —
 * `sampleSurveys.draw` as the route calls it. Also the dry run (the same without storing), and, as the
 * floor, the frame's own SELECT replayed through the bare driver. Each stored draw is removed again so the
 * cached database stays as seeded (its audit rows stay: the log is append-only).
 */
export interface SurveyDrawResult {
  frameSize: number;
  sampleSize: number;
  strata: number;
  draw: Summary;
  /** CPU time of the bench process per draw: on SQLite all of the work, what it costs on an idle core. */
  drawCpu: Summary;
  dryRun: Summary;
  baseline: Summary;
  frameStatement: string;
}

const PROVINCE = '420000000000';

function provinceActor(): RequestContext {
  return {
    actor: {
      id: 'bench-survey',
      username: 'bench-survey',
      displayName: '基准测试',
      role: 'province_staff',
      regionCode: PROVINCE,
      regionLevel: 'province',
      sessionIdHash: '',
      mustChangePassword: false,
    },
    requestId: 'bench-survey',
  };
}

async function removeSurvey(db: Db, id: string) {
  await db.transaction().execute(async (trx) => {
    for (const table of [
      'survey_discrepancies',
      'sample_survey_responses',
      'sample_survey_attempts',
      'sample_survey_families',
      'sample_survey_strata',
      'sample_survey_frame',
    ] as const)
      await trx.deleteFrom(table).where('survey_id', '=', id).execute();
    await trx.deleteFrom('sample_surveys').where('id', '=', id).execute();
  });
}

export async function measureSurveyDraw(
  o: {
    app: FastifyInstance;
    recorder: FastifyInstance;
    capture: ReturnType<typeof capturingHandle>;
    replayer: Replayer;
    database: { db: Db };
  },
  runs: number,
): Promise<SurveyDrawResult> {
  const c = provinceActor();
  const input = (year: number, dryRun: boolean) => ({
    year,
    frameDate: new Date().toISOString().slice(0, 10),
    seed: `bench ${year}`,
    rate: 0.01,
    q: 0.5,
    minPerCounty: 1,
    replaceUnreachable: true,
    dryRun,
  });
  // Years no real survey uses; a leftover of an interrupted run is removed first.
  const years = Array.from({ length: runs + 1 }, (_, i) => 2090 + i);
  for (const s of await o.database.db.selectFrom('sample_surveys').select('id').where('year', '>=', 2090).execute())
    await removeSurvey(o.database.db, s.id);

  o.capture.start();
  const first = await o.recorder.services.sampleSurveys.draw(c, input(years[0], true));
  const frameQuery = o.capture
    .stop()
    .filter((s) => isRead(s) && /from "families"/.test(s.sql) && /entered_at/.test(s.sql));
  if (frameQuery.length !== 1) throw new Error(`survey draw: expected one frame SELECT, captured ${frameQuery.length}`);

  const drawMs: number[] = [];
  const drawCpu: number[] = [];
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  const dryMs: number[] = [];
  const baseMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const stored = await o.app.services.sampleSurveys.draw(c, input(years[i + 1], false));
    const t1 = performance.now();
    drawCpu.push(cpuMs(process.cpuUsage()) - cpuMs(c0));
    await o.app.services.sampleSurveys.draw(c, input(years[i + 1], true));
    const t2 = performance.now();
    await o.replayer.run(frameQuery);
    const t3 = performance.now();
    drawMs.push(t1 - t0);
    dryMs.push(t2 - t1);
    baseMs.push(t3 - t2);
    await removeSurvey(o.database.db, stored.id!);
  }
  return {
    frameSize: first.frameSize,
    sampleSize: first.sampleSize,
    strata: first.strata.length,
    draw: summarize(drawMs),
    drawCpu: summarize(drawCpu),
    dryRun: summarize(dryMs),
    baseline: summarize(baseMs),
    frameStatement: frameQuery[0].sql,
  };
}
