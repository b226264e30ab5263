import { randomUUID } from 'node:crypto';
import type { Post } from '../../../common/labels.js';
import type {
  AttendanceImportResult,
  AttendanceSet,
  Training,
  TrainingCoverage,
  TrainingCreate,
  TrainingDetail,
  TrainingPerson,
} from '../../../common/schemas/trainings.js';
import { parsePhone } from '../../../common/validators/phone.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isInScope, isWithin, levelOfCode, subtreeRange, type RegionRange } from '../../platform/scope.js';
import { inspectUpload, isFormulaCell, readHeaderAndRows } from '../../platform/spreadsheets/index.js';
import * as regions from '../regions/regions.service.js';
import { childDigits } from '../people/rollup.js';
import * as repo from './trainings.repository.js';

const countyOf = (code: string) => `${code.slice(0, 6)}000000`;
const UNTRAINED_SHOWN = 1000;
const SHEET_MAX_ROWS = 2000;

function trainingView(r: repo.TrainingRow): Training {
  return {
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    title: r.title,
    heldOn: r.held_on,
    topics: JSON.parse(r.topics) as Training['topics'],
    trainer: r.trainer,
    hours: r.duration_minutes === null ? null : r.duration_minutes / 60,
    attendeeCount: Number(r.attendee_count ?? 0),
    version: r.version,
  };
}

function personView(r: {
  id: string;
  name: string;
  post: string;
  region_code: string;
  region_name: string;
}): TrainingPerson {
  return { contactId: r.id, name: r.name, post: r.post as Post, regionCode: r.region_code, regionName: r.region_name };
}

/** Active contacts of a subtree and those trained in the year, per child region (R15). */
export async function trainingCoverageCounts(db: Executor, code: string, year: number) {
  const digits = childDigits(code);
  const rows = await repo.trainedByPrefix(db, subtreeRange(code), year, digits);
  const total = rows.reduce((a, r) => ({ contacts: a.contacts + r.contacts, trained: a.trained + r.trained }), {
    contacts: 0,
    trained: 0,
  });
  return { rows, total, digits };
}

/** The indicator contacts_trained: active contacts of a subtree at one session or more in the year. */
export async function countTrainedContacts(db: Executor, range: RegionRange, year: number): Promise<number> {
  return (await repo.trainedByPrefix(db, range, year, 2)).reduce((s, r) => s + r.trained, 0);
}

/** The indicator trainings_held: sessions organised in a subtree in the year. */
export async function countTrainingsHeld(db: Executor, range: RegionRange, year: number): Promise<number> {
  return (await repo.sessionsByRegion(db, range, year)).reduce((s, r) => s + r.n, 0);
}

/**
 * 培训 (R15): counties and townships train their contacts at least once a year. Attendance comes from
 * the contact registry — picked, or matched from a sign-in sheet by name and phone.
 */
export function createTrainingsService(platform: Platform) {
  const { db, clock, audit, crypto } = platform;
  const today = () => chinaDate(clock.now());
  const thisYear = () => Number(today().slice(0, 4));

  async function getInScope(c: RequestContext, id: string) {
    const row = await repo.findTraining(db, id);
    if (!row || !isInScope(c.actor, row.region_code)) throw AppError.notFound();
    authorize(c.actor, 'training.read');
    return row;
  }

  async function detail(executor: Executor, id: string): Promise<TrainingDetail> {
    const [row, attendees] = await Promise.all([repo.findTraining(executor, id), repo.attendeesOf(executor, id)]);
    return { ...trainingView(row!), attendees: attendees.map(personView) };
  }

  /**
   * Attendees must be contacts the actor can see (else 404, as for any object out of scope), active,
   * in the organiser's county, listed once.
   */
  async function checkAttendees(c: RequestContext, trainingRegion: string, ids: string[], field: string) {
    const seen = new Map<string, number>();
    ids.forEach((id, i) => {
      if (seen.has(id)) throw AppError.field(`${field}.${i}`, `与第 ${seen.get(id)! + 1} 位参训人重复`, 'DUPLICATE');
      seen.set(id, i);
    });
    const rows = new Map((await repo.contactsByIds(db, ids)).map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      const contact = rows.get(id);
      if (!contact || !isInScope(c.actor, contact.region_code)) throw AppError.notFound();
      if (contact.is_active !== 1) throw AppError.field(`${field}.${i}`, `${contact.name}已停用`, 'CONTACT_INACTIVE');
      if (!isWithin(countyOf(trainingRegion), contact.region_code))
        throw AppError.field(`${field}.${i}`, `${contact.name}不属于组织培训的县`, 'CONTACT_REGION');
    });
  }

  return {
    async list(
      c: RequestContext,
      query: { regionCode?: string; year?: number },
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'training.read', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listTrainings(db, { range, year: query.year }, page);
      return { data: rows.map(trainingView), page: { ...page, total } };
    },

    async get(c: RequestContext, id: string): Promise<TrainingDetail> {
      await getInScope(c, id);
      return detail(db, id);
    },

    async create(c: RequestContext, input: TrainingCreate): Promise<TrainingDetail> {
      authorize(c.actor, 'training.write');
      const region = await regions.regionBrief(db, input.regionCode);
      if (!region || !isInScope(c.actor, input.regionCode))
        throw AppError.field('regionCode', '区划不存在或不在管辖范围内', 'REGION_UNKNOWN');
      if (!['county', 'township'].includes(region.level))
        throw AppError.field('regionCode', '培训由县或乡镇（街道）组织', 'REGION_LEVEL');
      if (input.heldOn > today()) throw AppError.field('heldOn', '培训日期不能晚于今天', 'DATE_FUTURE');
      await checkAttendees(c, input.regionCode, input.attendeeContactIds, 'attendeeContactIds');
      const id = randomUUID();
      const year = Number(input.heldOn.slice(0, 4));
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        await repo.insertTraining(trx, {
          id,
          region_code: input.regionCode,
          title: input.title,
          held_on: input.heldOn,
          year,
          topics: JSON.stringify([...new Set(input.topics)]),
          trainer: input.trainer ?? null,
          duration_minutes: input.hours ? Math.round(input.hours * 60) : null,
          created_by: c.actor.id,
          created_at: now,
          version: 1,
        });
        await repo.addAttendees(trx, id, year, input.attendeeContactIds, now);
        await audit.record(trx, c, {
          action: 'training.create',
          targetType: 'training',
          targetId: id,
          changes: {
            regionCode: input.regionCode,
            title: input.title,
            heldOn: input.heldOn,
            attendees: input.attendeeContactIds.length,
          },
        });
        return detail(trx, id);
      });
    },

    /** Replaces the attendance list (marking on a phone during the session). */
    async setAttendance(c: RequestContext, id: string, input: AttendanceSet): Promise<TrainingDetail> {
      const training = await getInScope(c, id);
      authorize(c.actor, 'training.write');
      await checkAttendees(c, training.region_code, input.contactIds, 'contactIds');
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        if (!(await repo.bumpTraining(trx, id, input.version))) throw new AppError('VERSION_CONFLICT');
        const current = new Set((await repo.attendeesOf(trx, id)).map((a) => a.id));
        const wanted = new Set(input.contactIds);
        const added = input.contactIds.filter((x) => !current.has(x));
        const removed = [...current].filter((x) => !wanted.has(x));
        await repo.removeAttendees(trx, id, removed);
        await repo.addAttendees(trx, id, training.year, added, now);
        await audit.record(trx, c, {
          action: 'training.attendance',
          targetType: 'training',
          targetId: id,
          changes: { added: added.length, removed: removed.length },
        });
        return detail(trx, id);
      });
    },

    /**
     * A sign-in sheet (姓名, 手机号码): each row must match one active contact of the organiser's county
     * that the actor can see, by phone (blind index) and name. Any row in error: nothing is stored.
     */
    async importAttendance(
      c: RequestContext,
      id: string,
      file: { buffer: Buffer; fileName: string },
      mode: 'validate' | 'commit',
    ): Promise<AttendanceImportResult> {
      const training = await getInScope(c, id);
      authorize(c.actor, 'training.write');
      const { kind } = await inspectUpload(file.buffer, file.fileName);
      const { header, rows } = await readHeaderAndRows(file.buffer, kind, { maxRows: SHEET_MAX_ROWS });
      const norm = header.map((h) => h.replace(/[*\s]/g, ''));
      const nameCol = norm.findIndex((h) => h === '姓名');
      const phoneCol = norm.findIndex((h) => ['手机号码', '手机号', '联系电话', '电话'].includes(h));
      const missing = [nameCol < 0 ? '姓名' : null, phoneCol < 0 ? '手机号码' : null].filter(Boolean);
      if (missing.length) throw AppError.field('file', `缺少必填列：${missing.join('、')}`, 'MISSING_COLUMNS');
      const parsed: Array<{ row: number; name: string; phoneIdx: string }> = [];
      const errors: AttendanceImportResult['errors'] = [];
      let total = 0;
      for await (const r of rows) {
        total += 1;
        const name = r.cells[nameCol] ?? '';
        const phone = r.cells[phoneCol] ?? '';
        if (isFormulaCell(name) || isFormulaCell(phone)) {
          errors.push({ row: r.rowNumber, field: isFormulaCell(name) ? '姓名' : '手机号码', message: '单元格含公式' });
          continue;
        }
        if (!name) {
          errors.push({ row: r.rowNumber, field: '姓名', message: '请填写姓名' });
          continue;
        }
        const p = parsePhone(phone);
        if (!p.ok) {
          errors.push({ row: r.rowNumber, field: '手机号码', message: '手机号码格式不正确' });
          continue;
        }
        parsed.push({ row: r.rowNumber, name, phoneIdx: crypto.blindIndex('phone', p.value) });
      }
      const range = actorRange(c.actor);
      const county = subtreeRange(countyOf(training.region_code), 'county');
      const candidates = (
        await repo.contactsByPhoneIndex(db, range, [...new Set(parsed.map((p) => p.phoneIdx))])
      ).filter((x) => x.region_code >= county.from && x.region_code <= county.to);
      const already = new Set((await repo.attendeesOf(db, id)).map((a) => a.id));
      const firstRowOf = new Map<string, number>();
      const toAdd: string[] = [];
      let skipped = 0;
      for (const p of parsed) {
        const match = candidates.filter((x) => x.phone_idx === p.phoneIdx && x.name === p.name);
        if (match.length !== 1) {
          errors.push({
            row: p.row,
            field: '姓名',
            message: match.length
              ? '有多名联系人同名同号，请在页面中勾选'
              : '联系人名册中没有此人（姓名与手机号码不符或不在管辖范围内）',
          });
          continue;
        }
        const contactId = match[0].id;
        const first = firstRowOf.get(contactId);
        if (first !== undefined) {
          errors.push({ row: p.row, field: '姓名', message: `与第 ${first} 行重复` });
          continue;
        }
        firstRowOf.set(contactId, p.row);
        if (already.has(contactId)) skipped += 1;
        else toAdd.push(contactId);
      }
      errors.sort((a, b) => a.row - b.row);
      const rejected = new Set(errors.map((e) => e.row)).size;
      const result = { mode, total, rejected, skipped, errors: errors.slice(0, 1000) };
      if (mode === 'validate' || errors.length)
        return { ...result, accepted: mode === 'validate' ? toAdd.length : 0, training: null };
      const now = clock.now().toISOString();
      return db.transaction().execute(async (trx) => {
        if (!(await repo.bumpTraining(trx, id, training.version))) throw new AppError('VERSION_CONFLICT');
        await repo.addAttendees(trx, id, training.year, toAdd, now);
        await audit.record(trx, c, {
          action: 'training.attendance_import',
          targetType: 'training',
          targetId: id,
          changes: { rows: total, added: toAdd.length, skipped },
        });
        return { ...result, accepted: toAdd.length, training: await detail(trx, id) };
      });
    },

    async coverage(c: RequestContext, regionCode?: string, year?: number): Promise<TrainingCoverage> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'training.read', code);
      const region = await regions.regionBrief(db, code);
      if (!region) throw AppError.notFound();
      const y = year ?? thisYear();
      const range = subtreeRange(code);
      const [{ rows, total, digits }, untrained, organisers, sessions, children] = await Promise.all([
        trainingCoverageCounts(db, code, y),
        repo.untrained(db, range, y, { page: 1, pageSize: UNTRAINED_SHOWN }),
        regions.regionsInRange(db, range, ['county', 'township']),
        repo.sessionsByRegion(db, range, y),
        levelOfCode(code) === 'village' ? Promise.resolve([]) : regions.childRegions(db, code),
      ]);
      const sessionsOf = new Map(sessions.map((s) => [s.regionCode, s.n]));
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      return {
        regionCode: code,
        year: y,
        ...total,
        untrained: untrained.rows.map(personView),
        untrainedTotal: untrained.total,
        regions: organisers.map((r) => ({
          regionCode: r.code,
          name: r.name,
          level: r.level,
          sessions: sessionsOf.get(r.code) ?? 0,
        })),
        children: children.map((ch) => {
          const r = byPrefix.get(ch.code.slice(0, digits));
          return { regionCode: ch.code, name: ch.name, contacts: r?.contacts ?? 0, trained: r?.trained ?? 0 };
        }),
      };
    },

    /** One contact's sessions, and whether they are trained this year. */
    async ofContact(c: RequestContext, contactId: string) {
      const contact = await repo.findContactRegion(db, contactId);
      if (!contact || !isInScope(c.actor, contact.region_code)) throw AppError.notFound();
      authorize(c.actor, 'training.read');
      const rows = await repo.trainingsOfContact(db, contactId);
      const year = thisYear();
      return { contactId, isTrainedThisYear: rows.some((r) => r.year === year), trainings: rows.map(trainingView) };
    },

    async untrained(
      c: RequestContext,
      regionCode: string | undefined,
      year: number | undefined,
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'training.read', regionCode);
      const range = regionCode ? subtreeRange(regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.untrained(db, range, year ?? thisYear(), page);
      return { data: rows.map(personView), page: { ...page, total } };
    },

    /**
     * For the township's todos in the last quarter (Oct–Dec): its untrained contacts this year, so the
     * yearly training (R15) is not forgotten. Empty before October and for other roles.
     */
    async untrainedForTodos(c: RequestContext) {
      if (c.actor.role !== 'township_staff') return null;
      const date = today();
      if (Number(date.slice(5, 7)) < 10) return null;
      const { rows, total } = await repo.untrained(db, actorRange(c.actor), Number(date.slice(0, 4)), {
        page: 1,
        pageSize: 5,
      });
      if (!total) return null;
      const region = await regions.regionBrief(db, c.actor.regionCode);
      return {
        total,
        names: rows.map((r) => r.name),
        regionName: region?.name ?? '',
        dueAt: `${date.slice(0, 4)}-12-31`,
      };
    },
  };
}

export type TrainingsService = ReturnType<typeof createTrainingsService>;
