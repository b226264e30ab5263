/**
 * Run by test/torture/long/spreadsheets.test.ts in a child with a small heap
 * (`node --max-old-space-size=… --import tsx`): every hostile file goes through the whole read path the
 * import uses (inspectUpload, then readHeaderAndRows to the end). One JSON line per file on stdout, then a summary
 * line with the base and peak RSS. Anything but rows or an AppError naming `file` is reported as a crash.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import { AppError } from '../../../server/platform/errors.js';
import { inspectUpload, readHeaderAndRows } from '../../../server/platform/spreadsheets/index.js';
import { buildXlsx, worksheetXml } from '../../fixtures/zip-builder.js';
import { hostileCorpus, randomFile, storedSheetAmplifier } from './hostile-files.js';

const RANDOM_RUNS = Number(process.env.SPREADSHEET_RANDOM_RUNS ?? 1000);
const CASE_TIMEOUT_MS = 30_000;

type Outcome =
  | { kind: 'rows'; rows: Array<Array<string | null>> }
  | { kind: 'refused'; code: string }
  | { kind: 'crash'; error: string };

async function readAll(buf: Buffer, fileName: string): Promise<Outcome> {
  try {
    const { kind } = await inspectUpload(buf, fileName);
    // As the import reads: the header (an empty file is refused), then every row.
    const { header, rows: rest } = await readHeaderAndRows(buf, kind);
    const rows: Array<Array<string | null>> = [header];
    for await (const r of rest) if (rows.length < 50) rows.push(r.cells);
    return { kind: 'rows', rows };
  } catch (err) {
    if (err instanceof AppError && err.details[0]?.path === 'file' && /[\u4e00-\u9fff]/.test(err.message))
      return { kind: 'refused', code: String(err.details[0].code) };
    return { kind: 'crash', error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err) };
  }
}

function withTimeout<T>(p: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CASE_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Peak RSS of the process so far (kernel-measured: sees peaks while the event loop is blocked). */
const maxRss = () => process.resourceUsage().maxRSS * 1024;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

// Warm-up: modules loaded, one small file of each kind read.
await readAll(Buffer.from('a,b\n1,2\n'), 'w.csv');
await readAll(
  await buildXlsx({ sheet: worksheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>') }),
  'w.xlsx',
);
const base = maxRss();
const only = process.env.ONLY;
const corpus =
  only === 'D3'
    ? [
        {
          name: 'D3: stored sheet, one row of 2.5 million empty elements (9.5 MB)',
          fileName: 'amplifier.xlsx',
          expect: 'any',
          build: () => storedSheetAmplifier(9.5 * 1024 * 1024),
        },
      ]
    : hostileCorpus({ bombBytes: Number(process.env.BOMB_BYTES ?? 450_000_000) });

for (const file of corpus) {
  const buf = await file.build();
  const started = performance.now();
  const before = maxRss();
  loop.reset();
  const outcome = await withTimeout(readAll(buf, file.fileName));
  const line: Record<string, unknown> = {
    name: file.name,
    expect: file.expect,
    bytes: buf.length,
    ms: Math.round(performance.now() - started),
    /** Growth of the peak RSS during this file (0 when it stayed below an earlier peak). */
    rssGrowthMB: Math.round((maxRss() - before) / 1e5) / 10,
    blockedMs: Math.round(loop.max / 1e6),
  };
  if (outcome === 'timeout') line.outcome = 'timeout';
  else if (outcome.kind === 'rows') {
    line.outcome = 'rows';
    line.problem = file.check?.(outcome.rows) ?? null;
  } else if (outcome.kind === 'refused') line.outcome = outcome.code;
  else {
    line.outcome = 'crash';
    line.error = outcome.error;
  }
  console.log(JSON.stringify(line));
  if (global.gc) global.gc();
}

if (only) {
  console.log(JSON.stringify({ summary: true, baseMB: Math.round(base / 1e6), peakMB: Math.round(maxRss() / 1e6) }));
  process.exit(0);
}

const good = await buildXlsx({
  sharedStrings: ['<si><t>母亲姓名</t></si>', '<si><t>张秀英</t></si>'],
  sheet: worksheetXml(
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>家庭类别</t></is></c></row>' +
      '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="inlineStr"><is><t>失独家庭</t></is></c><c r="C2" s="1"><v>45000</v></c></row>',
  ),
});
const counts: Record<string, number> = {};
const crashes: string[] = [];
for (const sample of fc.sample(randomFile(good), RANDOM_RUNS)) {
  const buf = await sample.buf;
  const outcome = await withTimeout(readAll(buf, sample.fileName));
  const key = outcome === 'timeout' ? 'timeout' : outcome.kind === 'refused' ? outcome.code : outcome.kind;
  counts[key] = (counts[key] ?? 0) + 1;
  if (outcome === 'timeout' || outcome.kind === 'crash')
    crashes.push(
      `${sample.name} (${sample.fileName}, ${buf.length} B): ${outcome === 'timeout' ? 'timeout' : outcome.error}`,
    );
}
console.log(
  JSON.stringify({
    summary: true,
    random: RANDOM_RUNS,
    counts,
    crashes: crashes.slice(0, 20),
    baseMB: Math.round(base / 1e6),
    peakMB: Math.round(maxRss() / 1e6),
  }),
);
