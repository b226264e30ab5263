import { randomUUID } from 'node:crypto';
import type { ImportJob, ImportMode } from '../../../common/schemas/family-imports.js';
import type { FamilyCreate } from '../../../common/schemas/families.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { FamilyImportTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isInScope } from '../../platform/scope.js';
import {
  inspectUpload,
  readHeaderAndRows,
  writeXlsx,
  type SpreadsheetKind,
} from '../../platform/spreadsheets/index.js';
import * as familiesRepo from './families.repository.js';
import { BatchItemError, type FamiliesService } from './families.service.js';
import * as repo from './family-imports.repository.js';
import {
  columnForPath,
  headerOf,
  mapHeader,
  originalCells,
  parseRow,
  rowIdNumbers,
  templateSheets,
  type ColumnKey,
  type RowError,
  type VillageIndex,
} from './family-sheet.js';

export type { ImportMode };

/** Limits of one import, documented in docs/imports.md. */
export const IMPORT_LIMITS = {
  maxRows: 20_000,
  /** Entries of `errors` (and of `skips`) kept in the job and returned. */
  maxErrors: 1_000,
  /** Rows kept (encrypted) for the error workbook, and the UTF-8 bytes they may take. */
  maxErrorRows: 1_000,
  maxErrorRowBytes: 600_000,
  maxCellChars: 200,
  /** Rows between two progress writes. */
  progressEvery: 200,
  /** A queued or running job without a heartbeat for this long belongs to a process that died. */
  staleAfterMs: 5 * 60_000,
} as const;

const INTERNAL_FAILURE = '导入失败：服务器内部错误，未写入任何数据，请稍后重新上传';
const STALE_FAILURE = '导入中断（服务重启），未写入任何数据，请重新上传';

interface ErrorRow {
  row: number;
  cells: (string | null)[];
  reason: string;
}

interface Outcome {
  total: number;
  accepted: number;
  rejected: number;
  skipped: number;
  errors: RowError[];
  skips: RowError[];
  isTruncated: boolean;
  errorRows: { header: string[]; rows: ErrorRow[] } | null;
}

function jobView(j: FamilyImportTable, actor: { id: string }): ImportJob {
  return {
    id: j.id,
    status: j.status as ImportJob['status'],
    mode: j.mode as ImportMode,
    stage: j.stage as ImportJob['stage'],
    fileName: j.file_name,
    total: j.total,
    processed: j.processed,
    accepted: j.accepted,
    rejected: j.rejected,
    skipped: j.skipped,
    errors: JSON.parse(j.errors) as RowError[],
    skips: JSON.parse(j.skips) as RowError[],
    isTruncated: j.is_truncated === 1,
    message: j.message,
    hasErrorFile: j.created_by === actor.id && j.status === 'done' && j.rejected > 0,
    createdAt: j.created_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
  };
}
export type ImportJobView = ImportJob;

/** Keeps a file name displayable and bounded: no path, no control or format characters. */
function cleanFileName(name: string): string {
  const base = String(name ?? '')
    .split(/[\\/]/)
    .pop()!
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
    .trim();
  return (base || 'upload').slice(0, 200);
}

/**
 * Family imports (DESIGN.md §5, issue 3 part 7): the upload is inspected before anything unzips it,
 * then a background run validates every row and, in commit mode with no errors, creates every family in
 * one transaction through `families.createManyIn`. The job row holds all state; the file stays in memory only.
 */
export function createFamilyImportsService(platform: Platform, families: FamiliesService) {
  const { db, crypto, clock, audit } = platform;
  const now = () => clock.now().toISOString();
  /** Start times of each account's recent validate-only imports (this process's; see docs/imports.md). */
  const validateStarts = new Map<string, number[]>();
  /** Runs of this process, only so shutdown can wait for them; nothing else reads this. */
  const running = new Set<Promise<void>>();

  async function villageIndex(c: RequestContext): Promise<VillageIndex> {
    const regions = await repo.regionsIn(db, actorRange(c.actor));
    const villages = new Map<string, string>();
    const otherCodes = new Set<string>();
    for (const r of regions) {
      if (r.level === 'village') villages.set(r.code, r.name);
      else otherCodes.add(r.code);
    }
    return { villages, otherCodes };
  }

  async function loadVisible(c: RequestContext, id: string): Promise<FamilyImportTable> {
    const job = await repo.findJob(db, id);
    if (!job) throw AppError.notFound();
    authorize(c.actor, 'family.import', job.region_code);
    return job;
  }

  /** Reads and checks every row; writes nothing but progress. */
  async function validate(
    jobId: string,
    c: RequestContext,
    buffer: Buffer,
    kind: SpreadsheetKind,
  ): Promise<Outcome & { valid: Array<{ row: number; input: FamilyCreate }> }> {
    const { header, rows } = await readHeaderAndRows(buffer, kind, { maxRows: IMPORT_LIMITS.maxRows });
    const { index, missing } = mapHeader(header);
    if (missing.length) throw AppError.field('file', `缺少必填列：${missing.join('、')}`, 'MISSING_COLUMNS');
    const regions = await villageIndex(c);
    const today = chinaDate(clock.now());

    const out: Outcome & { valid: Array<{ row: number; input: FamilyCreate }> } = {
      total: 0,
      accepted: 0,
      rejected: 0,
      skipped: 0,
      errors: [],
      skips: [],
      isTruncated: false,
      errorRows: { header, rows: [] },
      valid: [],
    };
    let errorRowBytes = 0;
    /** Blind index of each parent ID number seen so far → where: duplicates within the file. */
    const seen = new Map<string, { row: number; key: ColumnKey }>();
    type Pending = {
      row: number;
      cells: (string | null)[];
      errors: RowError[];
      input?: FamilyCreate;
      parents: Array<{ key: ColumnKey; idx: string }>;
    };
    let pending: Pending[] = [];

    const reject = (p: Pending) => {
      out.rejected += 1;
      for (const e of p.errors) {
        if (out.errors.length < IMPORT_LIMITS.maxErrors) out.errors.push(e);
        else out.isTruncated = true;
      }
      const entry: ErrorRow = {
        row: p.row,
        cells: originalCells(p.cells, IMPORT_LIMITS.maxCellChars),
        reason: p.errors.map((e) => `${e.field}：${e.message}`).join('；'),
      };
      const bytes = Buffer.byteLength(JSON.stringify(entry));
      if (
        out.errorRows!.rows.length < IMPORT_LIMITS.maxErrorRows &&
        errorRowBytes + bytes <= IMPORT_LIMITS.maxErrorRowBytes
      ) {
        out.errorRows!.rows.push(entry);
        errorRowBytes += bytes;
      } else out.isTruncated = true;
    };
    const skip = (row: number, field: string, message: string) => {
      out.skipped += 1;
      if (out.skips.length < IMPORT_LIMITS.maxErrors) out.skips.push({ row, field, message });
    };

    const flush = async () => {
      // Only archives inside the importer's scope count: one elsewhere must not change a row's answer (it
      // would tell whether someone is a special-family parent there). The commit flags it to the
      // supervising level instead (families.createManyIn).
      const found = new Map(
        (
          await familiesRepo.familiesWithIdNumbers(db, [
            ...new Set(pending.flatMap((p) => p.parents.map((x) => x.idx))),
          ])
        )
          .filter((r) => isInScope(c.actor, r.region_code))
          .map((r) => [r.id_number_idx, r]),
      );
      for (const p of pending) {
        if (p.errors.length === 0 && p.input) {
          const hits = p.parents.map((x) => ({ ...x, hit: found.get(x.idx) }));
          const archived = hits.filter((h) => h.hit);
          const families = new Set(archived.map((h) => h.hit!.family_id));
          const first = archived[0]?.hit;
          if (archived.length === hits.length && families.size === 1 && first) {
            skip(p.row, headerOf(archived[0].key), `已建档（档案编号 ${first.archive_no}），跳过`);
            continue;
          }
          for (const h of archived) {
            p.errors.push({
              row: p.row,
              field: headerOf(h.key),
              message: `该身份证号码已在本辖区档案 ${h.hit!.archive_no} 中，一户只建一档`,
            });
          }
        }
        if (p.errors.length) reject(p);
        else out.valid.push({ row: p.row, input: p.input! });
      }
      pending = [];
      await repo.updateJob(db, jobId, { processed: out.total, heartbeat_at: now() });
    };

    for await (const { rowNumber, cells } of rows) {
      out.total += 1;
      const result = parseRow(rowNumber, cells, index, regions, today);
      if (result.kind === 'example') {
        // The template's own example: not data, so neither a row of the file nor "已建档跳过"; listed so
        // nobody wonders where it went.
        out.total -= 1;
        if (out.skips.length < IMPORT_LIMITS.maxErrors)
          out.skips.push({ row: rowNumber, field: headerOf('serial'), message: '模板示例行，不导入（不计入数据行）' });
      } else {
        const errors = result.kind === 'invalid' ? result.errors : [];
        const parents = rowIdNumbers(cells, index).map((x) => ({
          key: x.key,
          idx: crypto.blindIndex('id_number', x.idNumber),
        }));
        for (const x of parents) {
          const before = seen.get(x.idx);
          if (before) {
            const field = headerOf(x.key);
            if (!errors.some((e) => e.field === field))
              errors.push({
                row: rowNumber,
                field,
                message: `与第 ${before.row} 行的${headerOf(before.key)}重复，一户只建一档`,
              });
          } else seen.set(x.idx, { row: rowNumber, key: x.key });
        }
        pending.push({
          row: rowNumber,
          cells,
          errors,
          input: result.kind === 'valid' ? result.input : undefined,
          parents,
        });
      }
      if (pending.length >= IMPORT_LIMITS.progressEvery) await flush();
    }
    await flush();
    out.accepted = out.valid.length;
    return out;
  }

  function resultColumns(o: Outcome): Partial<FamilyImportTable> {
    return {
      total: o.total,
      processed: o.total,
      accepted: o.accepted,
      rejected: o.rejected,
      skipped: o.skipped,
      errors: JSON.stringify(o.errors),
      skips: JSON.stringify(o.skips),
      is_truncated: o.isTruncated ? 1 : 0,
    };
  }

  async function finish(
    executor: Tx,
    c: RequestContext,
    job: FamilyImportTable,
    status: 'done' | 'failed',
    set: Partial<FamilyImportTable>,
    created: string[] = [],
  ): Promise<void> {
    const at = now();
    const final = { ...job, ...set };
    await repo.updateJob(executor, job.id, { ...set, status, stage: null, heartbeat_at: at, finished_at: at });
    // One audit row per import, naming the archives it created (sorted, so a range is easy to read).
    await audit.record(executor, c, {
      action: 'family.import',
      targetType: 'family_import',
      targetId: job.id,
      outcome: status === 'done' ? 'success' : 'failure',
      changes: {
        mode: job.mode,
        fileName: job.file_name,
        total: final.total,
        accepted: final.accepted,
        rejected: final.rejected,
        skipped: final.skipped,
        ...(created.length ? { archiveNos: [...created].sort() } : {}),
      },
    });
  }

  async function run(job: FamilyImportTable, c: RequestContext, buffer: Buffer, kind: SpreadsheetKind) {
    const startedAt = now();
    await repo.updateJob(db, job.id, {
      status: 'running',
      stage: 'validating',
      started_at: startedAt,
      heartbeat_at: startedAt,
    });
    let outcome: Awaited<ReturnType<typeof validate>>;
    try {
      outcome = await validate(job.id, c, buffer, kind);
    } catch (err) {
      const message = err instanceof AppError ? err.message : INTERNAL_FAILURE;
      await db.transaction().execute((trx) => finish(trx, c, job, 'failed', { message }));
      return;
    }
    const errorRowsEnc =
      outcome.rejected > 0 && outcome.errorRows
        ? crypto.encrypt(JSON.stringify(outcome.errorRows), `family_imports:${job.id}:error_rows`)
        : null;
    const result = { ...resultColumns(outcome), error_rows_enc: errorRowsEnc };

    if (job.mode === 'validate' || outcome.rejected > 0 || outcome.valid.length === 0) {
      if (job.mode === 'commit') result.accepted = 0;
      await db.transaction().execute((trx) => finish(trx, c, job, 'done', result));
      return;
    }

    await repo.updateJob(db, job.id, { stage: 'committing', processed: 0, heartbeat_at: now() });
    try {
      await db.transaction().execute(async (trx) => {
        const created = await families.createManyIn(
          trx,
          c,
          outcome.valid.map((v) => v.input),
          {
            chunk: IMPORT_LIMITS.progressEvery,
            // Progress and heartbeat from another pooled connection, so a long commit is neither invisible nor
            // taken for dead. SQLite has a single connection, held by this transaction: it reports at the end.
            onChunk: async (done) => {
              if (platform.dialect === 'postgres')
                await repo.updateJob(db, job.id, { processed: done, heartbeat_at: now() });
            },
          },
        );
        await finish(trx, c, job, 'done', result, created);
      });
    } catch (err) {
      const failedRow = err instanceof BatchItemError ? outcome.valid[err.index] : undefined;
      if (!(err instanceof BatchItemError) || !failedRow) {
        await db
          .transaction()
          .execute((trx) => finish(trx, c, job, 'failed', { ...result, accepted: 0, message: INTERNAL_FAILURE }));
        return;
      }
      // Someone archived one of these parents between validation and commit: nothing was written.
      const refusal = err.error;
      const positions = failedRow.input.members.map((m) => m.relation);
      const errors = (
        refusal.details.length ? refusal.details : [{ path: 'familyType', message: refusal.message }]
      ).map((d) => ({
        row: failedRow.row,
        field: headerOf(columnForPath(d.path.split('.'), positions)),
        message: d.message,
      }));
      await db.transaction().execute((trx) =>
        finish(trx, c, job, 'done', {
          ...result,
          accepted: 0,
          rejected: 1,
          errors: JSON.stringify(errors),
          error_rows_enc: null,
        }),
      );
    }
  }

  return {
    /** Before reading an upload at all: a role that may not import gets its 403 without sending the file. */
    assertMayImport(c: RequestContext): void {
      authorize(c.actor, 'family.import');
    },

    /**
     * A validate-only import is a question about many ID numbers at once: at most `IMPORT_VALIDATE_LIMIT`
     * per account in `IMPORT_VALIDATE_WINDOW_MINUTES`. Counts this one, or answers the seconds to wait.
     */
    takeValidateSlot(c: RequestContext): number | null {
      const { limit, windowMinutes } = platform.config.importValidate;
      const at = clock.now().getTime();
      const windowMs = windowMinutes * 60_000;
      const recent = (validateStarts.get(c.actor.id) ?? []).filter((t) => t > at - windowMs);
      if (recent.length >= limit) {
        validateStarts.set(c.actor.id, recent);
        return Math.max(1, Math.ceil((recent[0] + windowMs - at) / 1000));
      }
      validateStarts.set(c.actor.id, [...recent, at]);
      return null;
    },

    /** Inspects the upload (400 naming `file` when refused), queues the job and starts it after the answer. */
    async start(
      c: RequestContext,
      file: { buffer: Buffer; fileName: string },
      mode: ImportMode,
      onCrash: (err: unknown) => void = () => {},
    ): Promise<ImportJobView> {
      authorize(c.actor, 'family.import');
      const { kind } = await inspectUpload(file.buffer, file.fileName);
      const job: FamilyImportTable = {
        id: randomUUID(),
        status: 'queued',
        mode,
        stage: null,
        file_name: cleanFileName(file.fileName),
        created_by: c.actor.id,
        region_code: c.actor.regionCode,
        total: 0,
        processed: 0,
        accepted: 0,
        rejected: 0,
        skipped: 0,
        errors: '[]',
        skips: '[]',
        is_truncated: 0,
        message: null,
        error_rows_enc: null,
        created_at: now(),
        started_at: null,
        heartbeat_at: null,
        finished_at: null,
      };
      await repo.insertJob(db, job);
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => run(job, c, file.buffer, kind))
        // The database itself failed: the stale-job sweep fails the job later; the process stays up.
        .catch(onCrash)
        .finally(() => running.delete(task));
      running.add(task);
      return jobView(job, c.actor);
    },

    async get(c: RequestContext, id: string): Promise<ImportJobView> {
      return jobView(await loadVisible(c, id), c.actor);
    },

    /** The rows in error as uploaded, with a 错误原因 column, and the full error list. Only for the uploader. */
    async errorWorkbook(c: RequestContext, id: string): Promise<Buffer> {
      const job = await loadVisible(c, id);
      if (job.created_by !== c.actor.id) throw AppError.notFound();
      if (job.status !== 'done' && job.status !== 'failed')
        throw new AppError('CONFLICT', '导入尚未完成，请稍后再下载错误清单');
      const stored = job.error_rows_enc
        ? (JSON.parse(crypto.decrypt(job.error_rows_enc, `family_imports:${job.id}:error_rows`)) as {
            header: string[];
            rows: ErrorRow[];
          })
        : { header: [] as string[], rows: [] as ErrorRow[] };
      const errors = JSON.parse(job.errors) as RowError[];
      const columns = [
        { header: '原行号', key: 'row', width: 8, text: false },
        ...stored.header.map((h, i) => ({ header: h || `第 ${i + 1} 列`, key: `c${i}` })),
        { header: '错误原因', key: 'reason', width: 60, text: false },
      ];
      const buffer = await writeXlsx([
        {
          name: '错误行',
          columns,
          rows: stored.rows.map((r) => ({
            row: r.row,
            reason: r.reason,
            ...Object.fromEntries(r.cells.map((v, i) => [`c${i}`, v])),
          })),
          dropdownRows: 1,
        },
        {
          name: '错误清单',
          columns: [
            { header: '行号', key: 'row', width: 8, text: false },
            { header: '列', key: 'field', width: 24, text: false },
            { header: '错误原因', key: 'message', width: 80, text: false },
          ],
          rows: errors.map((e) => ({ ...e })),
          dropdownRows: 1,
        },
      ]);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'family.import.errors',
          targetType: 'family_import',
          targetId: job.id,
          changes: { rows: stored.rows.length },
        }),
      );
      return buffer;
    },

    /** The template for the importer's township: its villages in the dropdown. */
    async template(c: RequestContext): Promise<Buffer> {
      authorize(c.actor, 'family.import');
      const { villages } = await villageIndex(c);
      return writeXlsx(templateSheets([...villages].map(([code, name]) => ({ code, name }))));
    },

    /** At start: a job whose process died (no heartbeat for 5 minutes) is failed; it wrote nothing. */
    async failStaleJobs(): Promise<number> {
      const at = clock.now();
      return repo.failStale(db, new Date(at.getTime() - IMPORT_LIMITS.staleAfterMs).toISOString(), {
        status: 'failed',
        stage: null,
        message: STALE_FAILURE,
        finished_at: at.toISOString(),
      });
    },

    /** Lets shutdown wait for this process's runs (they would otherwise find the database closed). */
    async drain(): Promise<void> {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
export type FamilyImportsService = ReturnType<typeof createFamilyImportsService>;
