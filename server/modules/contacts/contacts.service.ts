import { randomUUID } from 'node:crypto';
import {
  HELPER_POSTS,
  POST_REGION_LEVEL,
  type AssignmentSet,
  type BulkAssignmentRow,
  type BulkAssignmentSet,
  type ContactCreate,
  type ContactUpdate,
  type Post,
} from '../../../common/schemas/contacts.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { isUniqueViolation, type Executor, type Tx } from '../../platform/db/database.js';
import type { ContactTable } from '../../platform/db/schema.js';
import { sealPhone } from '../../platform/crypto/sealed-fields.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { maskName } from '../../../common/mask.js';
import { authorize } from '../../platform/policy.js';
import {
  actorRange,
  isInScope,
  isWithin,
  levelOfCode,
  SIGNIFICANT_DIGITS,
  subtreeRange,
  type Actor,
} from '../../platform/scope.js';
import type { FamilyLocator } from '../families/family-locator.js';
import * as repo from './contacts.repository.js';

export function contactView(r: repo.ContactRow) {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone_mask,
    post: r.post as Post,
    regionCode: r.region_code,
    regionName: r.region_name,
    organization: r.organization,
    title: r.title,
    userId: r.user_id,
    isActive: r.is_active === 1,
    familyCount: Number(r.family_count),
    version: r.version,
  };
}

const CHILD_LEVEL = {
  province: 'prefecture',
  prefecture: 'county',
  county: 'township',
  township: 'village',
  village: 'village',
} as const;

export function createContactsService(platform: Platform, families: FamilyLocator) {
  const { db, crypto, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

  /** Contacts always have a phone (R3), so the sealed columns are never null here. */
  function encryptPhone(contactId: string, phone: string) {
    const sealed = sealPhone(crypto, `contacts:${contactId}:phone`, phone);
    return { phone_enc: sealed.phone_enc!, phone_idx: sealed.phone_idx!, phone_mask: sealed.phone_mask! };
  }

  async function getInScope(trx: Executor, actor: Actor, id: string): Promise<repo.ContactRow> {
    const row = await repo.findContact(trx, id);
    if (!row || !isInScope(actor, row.region_code)) throw AppError.notFound();
    return row;
  }

  async function checkUserLink(trx: Executor, actor: Actor, userId: string): Promise<void> {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'region_code', 'role'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || !isInScope(actor, user.region_code))
      throw AppError.field('userId', '关联的账户不存在或不在管辖范围内', 'USER_UNKNOWN');
    if (['sysadmin', 'security_admin', 'auditor'].includes(user.role))
      throw AppError.field('userId', '系统管理类账户不能作为联系人', 'USER_ROLE');
  }

  /** A contact usable for a post on a family: in the actor's scope, active, of that post, covering the family's village. */
  async function contactForPost(
    trx: Executor,
    actor: Actor,
    id: string,
    posts: readonly Post[],
    field: string,
    familyRegion: string,
  ) {
    const row = await repo.findContact(trx, id);
    if (!row || !isInScope(actor, row.region_code))
      throw AppError.field(field, '联系人不存在或不在管辖范围内', 'CONTACT_UNKNOWN');
    if (!posts.includes(row.post as Post)) throw AppError.field(field, '联系人的岗位与所选岗位不符', 'POST_MISMATCH');
    if (row.is_active !== 1) throw AppError.field(field, '该联系人已停用', 'CONTACT_INACTIVE');
    if (!isWithin(row.region_code, familyRegion))
      throw AppError.field(field, '联系人负责的区域不包含该家庭', 'CONTACT_REGION');
    return row;
  }

  async function assignmentsView(executor: Executor, familyId: string, actor: Actor) {
    const [current, history] = await Promise.all([
      repo.activeAssignments(executor, [familyId]),
      repo.assignmentHistory(executor, familyId),
    ]);
    return {
      current: current.map((a) => ({
        id: a.id,
        contactId: a.contact_id,
        /** The signed-in user is this contact: the visit form preselects it. */
        isMine: a.user_id !== null && a.user_id === actor.id,
        post: a.post as Post,
        name: a.name,
        phone: a.phone_mask,
        organization: a.organization,
        title: a.title,
        startedAt: a.started_at,
      })),
      history: history.map((a) => ({
        id: a.id,
        contactId: a.contact_id,
        post: a.post as Post,
        name: a.name,
        startedAt: a.started_at,
        endedAt: a.ended_at,
        endReason: a.end_reason,
      })),
    };
  }

  async function assign(trx: Tx, c: RequestContext, familyId: string, contactId: string, post: string): Promise<void> {
    await repo.insertAssignment(trx, {
      id: randomUUID(),
      family_id: familyId,
      contact_id: contactId,
      post,
      started_at: today(),
      ended_at: null,
      end_reason: null,
      created_at: clock.now().toISOString(),
      created_by: c.actor.id,
    });
  }

  const conflict = () => new AppError('CONFLICT', '该家庭的联系人刚被他人调整，请刷新后重试');

  /** The parents' names as every list outside the archive shows them: 钱某兰、李某. */
  async function maskedNames(executor: Executor, familyIds: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string[]>();
    for (const r of await repo.parentNames(executor, familyIds))
      names.set(r.family_id, [...(names.get(r.family_id) ?? []), maskName(r.name)]);
    return new Map([...names].map(([id, list]) => [id, list.join('、')]));
  }

  /** A village for the batch pages: in scope (404 otherwise) and of village level. */
  function requireVillage(actor: Actor, action: 'assignment.write' | 'contact.read', regionCode: string): void {
    authorize(actor, action, regionCode);
    if (levelOfCode(regionCode) !== 'village')
      throw AppError.field('regionCode', '请选择一个村（居）', 'REGION_NOT_VILLAGE');
  }

  async function bulkRows(
    executor: Executor,
    families: Array<{ id: string; archive_no: string; status: string; version: number }>,
  ): Promise<BulkAssignmentRow[]> {
    const ids = families.map((f) => f.id);
    const [names, current] = await Promise.all([maskedNames(executor, ids), repo.activeAssignments(executor, ids)]);
    const holder = (familyId: string, post: Post) => {
      const a = current.find((x) => x.family_id === familyId && x.post === post);
      return a ? { contactId: a.contact_id, name: a.name } : null;
    };
    return families.map((f) => ({
      familyId: f.id,
      archiveNo: f.archive_no,
      familyName: names.get(f.id) ?? '',
      status: f.status,
      version: f.version,
      township: holder(f.id, 'township_cadre'),
      village: holder(f.id, 'village_cadre'),
    }));
  }

  return {
    /** The parents' names, masked, per family: for lists other modules build over families already in scope. */
    maskedNames,
    /** The current 双岗 holders of families already in scope (the offline pack's contact cards). */
    currentAssignments: (executor: Executor, familyIds: string[]) => repo.activeAssignments(executor, familyIds),
    async list(
      c: RequestContext,
      query: { regionCode?: string; post?: string; q?: string; isActive?: boolean },
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'contact.read', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listContacts(
        db,
        { range, post: query.post, q: query.q, isActive: query.isActive },
        page,
      );
      return { data: rows.map(contactView), page: { ...page, total } };
    },

    async get(c: RequestContext, id: string) {
      const row = await getInScope(db, c.actor, id);
      authorize(c.actor, 'contact.read');
      return contactView(row);
    },

    async create(c: RequestContext, input: ContactCreate) {
      authorize(c.actor, 'contact.write');
      return db.transaction().execute(async (trx) => {
        const region = await trx
          .selectFrom('regions')
          .select('level')
          .where('code', '=', input.regionCode)
          .executeTakeFirst();
        if (!region || !isInScope(c.actor, input.regionCode))
          throw AppError.field('regionCode', '区划不存在或不在管辖范围内', 'REGION_UNKNOWN');
        if (region.level !== POST_REGION_LEVEL[input.post])
          throw AppError.field(
            'regionCode',
            `该岗位的联系人应登记在${{ county: '县', township: '乡镇（街道）', village: '村（居）' }[POST_REGION_LEVEL[input.post]]}一级`,
            'REGION_LEVEL',
          );
        if (input.userId) await checkUserLink(trx, c.actor, input.userId);
        const id = randomUUID();
        const now = clock.now().toISOString();
        const row: ContactTable = {
          id,
          name: input.name,
          ...encryptPhone(id, input.phone),
          post: input.post,
          region_code: input.regionCode,
          organization: input.organization ?? null,
          title: input.title ?? null,
          user_id: input.userId ?? null,
          is_active: 1,
          created_at: now,
          updated_at: now,
          version: 1,
        };
        try {
          await repo.insertContact(trx, row);
        } catch (err) {
          if (isUniqueViolation(err)) throw AppError.field('userId', '该账户已关联其他联系人', 'USER_TAKEN');
          throw err;
        }
        await audit.record(trx, c, {
          action: 'contact.create',
          targetType: 'contact',
          targetId: id,
          changes: { name: input.name, post: input.post, regionCode: input.regionCode, phone: row.phone_mask },
        });
        return contactView((await repo.findContact(trx, id))!);
      });
    },

    async update(c: RequestContext, id: string, input: ContactUpdate) {
      const existing = await getInScope(db, c.actor, id);
      authorize(c.actor, 'contact.write');
      return db.transaction().execute(async (trx) => {
        if (input.userId) await checkUserLink(trx, c.actor, input.userId);
        const set: Partial<ContactTable> = { updated_at: clock.now().toISOString() };
        if (input.name !== undefined) set.name = input.name;
        if (input.phone !== undefined) Object.assign(set, encryptPhone(id, input.phone));
        if (input.organization !== undefined) set.organization = input.organization ?? null;
        if (input.title !== undefined) set.title = input.title ?? null;
        if (input.userId !== undefined) set.user_id = input.userId ?? null;
        if (input.isActive !== undefined) {
          if (!input.isActive && Number(existing.family_count) > 0)
            throw AppError.field(
              'isActive',
              `该联系人仍负责 ${existing.family_count} 户家庭，请先交接`,
              'CONTACT_HAS_FAMILIES',
            );
          set.is_active = input.isActive ? 1 : 0;
        }
        let ok: boolean;
        try {
          ok = await repo.updateContact(trx, id, input.version, set);
        } catch (err) {
          if (isUniqueViolation(err)) throw AppError.field('userId', '该账户已关联其他联系人', 'USER_TAKEN');
          throw err;
        }
        if (!ok) throw new AppError('VERSION_CONFLICT');
        const changes = Object.fromEntries(
          Object.entries({
            name: input.name,
            phone: set.phone_mask,
            organization: input.organization,
            title: input.title,
            userId: input.userId,
            isActive: input.isActive,
          }).filter(([, v]) => v !== undefined),
        );
        await audit.record(trx, c, { action: 'contact.update', targetType: 'contact', targetId: id, changes });
        return contactView((await repo.findContact(trx, id))!);
      });
    },

    /** A transferred cadre's families go to a successor in one step; every old post closes with the reason. */
    async handover(c: RequestContext, id: string, successorId: string, reason: string) {
      const from = await getInScope(db, c.actor, id);
      authorize(c.actor, 'assignment.write');
      return db.transaction().execute(async (trx) => {
        const to = await repo.findContact(trx, successorId);
        if (!to || !isInScope(c.actor, to.region_code))
          throw AppError.field('successorContactId', '接任联系人不存在或不在管辖范围内', 'CONTACT_UNKNOWN');
        if (to.id === from.id) throw AppError.field('successorContactId', '接任联系人不能是本人', 'SAME_CONTACT');
        if (to.post !== from.post)
          throw AppError.field('successorContactId', '接任联系人的岗位须与原联系人相同', 'POST_MISMATCH');
        if (to.is_active !== 1) throw AppError.field('successorContactId', '接任联系人已停用', 'CONTACT_INACTIVE');
        const moving = await repo.activeAssignmentsOfContact(trx, id);
        const familyRows = await trx
          .selectFrom('families')
          .select(['id', 'region_code'])
          .where('id', 'in', moving.length ? moving.map((m) => m.family_id) : [''])
          .execute();
        const outside = familyRows.filter((f) => !isWithin(to.region_code, f.region_code));
        if (outside.length)
          throw AppError.field(
            'successorContactId',
            `接任联系人负责的区域不包含其中 ${outside.length} 户家庭`,
            'CONTACT_REGION',
          );
        try {
          for (const a of moving) {
            if (!(await repo.endAssignment(trx, a.id, today(), reason))) throw conflict();
            await assign(trx, c, a.family_id, to.id, a.post);
            await families.bumpVersion(trx, a.family_id);
          }
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict();
          throw err;
        }
        await audit.record(trx, c, {
          action: 'contact.handover',
          targetType: 'contact',
          targetId: id,
          changes: { successorContactId: to.id, reason, families: moving.length },
        });
        return { moved: moving.length };
      });
    },

    async assignments(c: RequestContext, familyId: string) {
      await families.locate(c.actor, familyId);
      return assignmentsView(db, familyId, c.actor);
    },

    /** Sets the family's posts (R1, R2); posts that change close with date and reason, history kept. */
    async setAssignments(c: RequestContext, familyId: string, input: AssignmentSet) {
      const family = await families.locate(c.actor, familyId);
      authorize(c.actor, 'assignment.write', family.region_code);
      if (family.status === 'exited') throw AppError.field('familyId', '已退出的档案不再安排联系人', 'FAMILY_EXITED');
      try {
        return await db.transaction().execute(async (trx) => {
          const wanted: Array<{ post: Post; contactId: string }> = [];
          const t = await contactForPost(
            trx,
            c.actor,
            input.townshipContactId,
            ['township_cadre'],
            'townshipContactId',
            family.region_code,
          );
          const v = await contactForPost(
            trx,
            c.actor,
            input.villageContactId,
            ['village_cadre'],
            'villageContactId',
            family.region_code,
          );
          wanted.push({ post: 'township_cadre', contactId: t.id }, { post: 'village_cadre', contactId: v.id });
          for (const [i, helperId] of (input.helperContactIds ?? []).entries()) {
            const h = await contactForPost(
              trx,
              c.actor,
              helperId,
              HELPER_POSTS,
              `helperContactIds.${i}`,
              family.region_code,
            );
            wanted.push({ post: h.post as Post, contactId: h.id });
          }
          if (input.countyLeaderContactId) {
            const l = await contactForPost(
              trx,
              c.actor,
              input.countyLeaderContactId,
              ['county_leader'],
              'countyLeaderContactId',
              family.region_code,
            );
            wanted.push({ post: 'county_leader', contactId: l.id });
          }
          const current = await repo.activeAssignments(trx, [familyId]);
          // County-leader posts are kept as they are unless the request names one (or null clears it).
          const keepLeader = input.countyLeaderContactId === undefined;
          const reason = input.reason ?? null;
          const changes: Record<string, [string | null, string | null]> = {};
          for (const a of current) {
            if (a.post === 'county_leader' && keepLeader) continue;
            if (!wanted.some((w) => w.post === a.post && w.contactId === a.contact_id)) {
              if (!(await repo.endAssignment(trx, a.id, today(), reason))) throw conflict();
              changes[`${a.post}:${a.contact_id}`] = [a.name, null];
            }
          }
          for (const w of wanted) {
            if (current.some((a) => a.post === w.post && a.contact_id === w.contactId)) continue;
            await assign(trx, c, familyId, w.contactId, w.post);
            changes[`${w.post}:${w.contactId}`] = [null, w.contactId];
          }
          if (Object.keys(changes).length || input.version !== undefined)
            await families.bumpVersion(trx, familyId, input.version);
          if (Object.keys(changes).length)
            await audit.record(trx, c, {
              action: 'assignment.set',
              targetType: 'family',
              targetId: familyId,
              changes: {
                added: Object.keys(changes).filter((k) => changes[k][0] === null),
                removed: Object.keys(changes).filter((k) => changes[k][0] !== null),
                reason,
              },
            });
          return assignmentsView(trx, familyId, c.actor);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict();
        throw err;
      }
    },

    /** The village's families with their current 双岗, for choosing whom to assign in bulk. */
    async bulkRoster(c: RequestContext, regionCode: string): Promise<BulkAssignmentRow[]> {
      requireVillage(c.actor, 'assignment.write', regionCode);
      return bulkRows(db, await repo.familiesOfVillage(db, regionCode));
    },

    /**
     * 批量安排双岗 (issue 11 item 7): the named posts of the chosen families go to one cadre each, every other
     * post is kept. One transaction and one audit row; any family stale, exited or not of the village refuses
     * the whole request with a detail naming that family, and nothing is written.
     */
    async bulkSetAssignments(c: RequestContext, input: BulkAssignmentSet) {
      requireVillage(c.actor, 'assignment.write', input.regionCode);
      try {
        return await db.transaction().execute(async (trx) => {
          const wanted: Array<{ post: Post; contactId: string }> = [];
          if (input.townshipContactId !== undefined) {
            const t = await contactForPost(
              trx,
              c.actor,
              input.townshipContactId,
              ['township_cadre'],
              'townshipContactId',
              input.regionCode,
            );
            wanted.push({ post: 'township_cadre', contactId: t.id });
          }
          if (input.villageContactId !== undefined) {
            const v = await contactForPost(
              trx,
              c.actor,
              input.villageContactId,
              ['village_cadre'],
              'villageContactId',
              input.regionCode,
            );
            wanted.push({ post: 'village_cadre', contactId: v.id });
          }
          const ids = input.families.map((f) => f.familyId);
          const rows = new Map((await repo.familiesByIds(trx, ids)).map((f) => [f.id, f]));
          const errors: ErrorDetail[] = [];
          const seen = new Set<string>();
          input.families.forEach((f, i) => {
            const row = rows.get(f.familyId);
            if (!row || row.region_code !== input.regionCode)
              errors.push({ path: `families.${i}.familyId`, message: '该户不在所选村（居）', code: 'FAMILY_UNKNOWN' });
            else if (seen.has(f.familyId))
              errors.push({ path: `families.${i}.familyId`, message: `${row.archive_no} 重复选择`, code: 'DUPLICATE' });
            else if (row.status === 'exited')
              errors.push({
                path: `families.${i}.familyId`,
                message: `${row.archive_no} 已退出，不再安排联系人`,
                code: 'FAMILY_EXITED',
              });
            else if (row.version !== f.version)
              errors.push({
                path: `families.${i}.version`,
                message: `${row.archive_no} 刚被他人修改，请刷新后重试`,
                code: 'VERSION_CONFLICT',
              });
            seen.add(f.familyId);
          });
          if (errors.length) {
            const stale = errors.every((e) => e.code === 'VERSION_CONFLICT');
            throw new AppError(
              stale ? 'VERSION_CONFLICT' : 'VALIDATION_FAILED',
              `${errors.length} 户不能安排，本次均未保存：${errors[0].message}`,
              errors,
            );
          }
          const current = await repo.activeAssignments(trx, ids);
          const reason = input.reason ?? null;
          let changed = 0;
          for (const f of input.families) {
            let touched = false;
            for (const w of wanted) {
              const held = current.filter((a) => a.family_id === f.familyId && a.post === w.post);
              if (held.length === 1 && held[0].contact_id === w.contactId) continue;
              for (const a of held)
                if (a.contact_id !== w.contactId && !(await repo.endAssignment(trx, a.id, today(), reason)))
                  throw conflict();
              if (!held.some((a) => a.contact_id === w.contactId))
                await assign(trx, c, f.familyId, w.contactId, w.post);
              touched = true;
            }
            if (touched) {
              await families.bumpVersion(trx, f.familyId, f.version);
              changed += 1;
            }
          }
          await audit.record(trx, c, {
            action: 'assignment.bulk_set',
            targetType: 'region',
            targetId: input.regionCode,
            changes: {
              families: input.families.length,
              changed,
              townshipContactId: input.townshipContactId ?? null,
              villageContactId: input.villageContactId ?? null,
              familyIds: ids,
              reason,
            },
          });
          return { changed, families: await bulkRows(trx, await repo.familiesByIds(trx, ids)) };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict();
        throw err;
      }
    },

    /** 联系卡 of every family of a village still in work, for printing several to a sheet (R3); one audit row. */
    async villageContactCards(c: RequestContext, regionCode: string) {
      // A whole village's cards are for its staff and those above (contact.read); a contact prints their own one by one.
      requireVillage(c.actor, 'contact.read', regionCode);
      const [region] = await db.selectFrom('regions').select('name').where('code', '=', regionCode).execute();
      const list = await repo.familiesOfVillage(db, regionCode);
      const ids = list.map((f) => f.id);
      const [names, contacts] = await Promise.all([maskedNames(db, ids), repo.cardContacts(db, ids)]);
      const cards = list.map((f) => ({
        familyId: f.id,
        archiveNo: f.archive_no,
        familyName: names.get(f.id) ?? '',
        regionName: region?.name ?? '',
        address: f.address,
        contacts: contacts
          .filter((r) => r.family_id === f.id)
          .map((r) => ({
            post: r.post as Post,
            name: r.name,
            phone: crypto.decrypt(r.phone_enc, `contacts:${r.id}:phone`),
            organization: r.organization,
            title: r.title,
          })),
      }));
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'family.contact_cards',
          targetType: 'region',
          targetId: regionCode,
          changes: { families: cards.length },
        }),
      );
      return cards;
    },

    /** 双岗 coverage of active families, for the region and each child region (R1, R2). */
    async coverage(c: RequestContext, regionCode?: string) {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const region = await db
        .selectFrom('regions')
        .select(['code', 'name', 'level'])
        .where('code', '=', code)
        .executeTakeFirst();
      if (!region) throw AppError.notFound();
      const level = levelOfCode(code);
      const digits = SIGNIFICANT_DIGITS[CHILD_LEVEL[level]];
      const [rows, children] = await Promise.all([
        repo.coverageByPrefix(db, subtreeRange(code, level), digits),
        db.selectFrom('regions').select(['code', 'name']).where('parent_code', '=', code).orderBy('code').execute(),
      ]);
      const numbers = (r?: (typeof rows)[number]) => ({
        families: Number(r?.families ?? 0),
        bothPosts: Number(r?.both_posts ?? 0),
        missingTownshipPost: Number(r?.missing_township ?? 0),
        missingVillagePost: Number(r?.missing_village ?? 0),
        specialDifficulty: Number(r?.special_difficulty ?? 0),
        specialDifficultyWithoutCountyLeader: Number(r?.sd_without_leader ?? 0),
      });
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      const total = rows
        .map((r) => numbers(r))
        .reduce((a, n) => {
          for (const k of Object.keys(a) as Array<keyof typeof a>) a[k] += n[k];
          return a;
        }, numbers());
      return {
        regionCode: code,
        name: region.name,
        level,
        ...total,
        children:
          level === 'village'
            ? []
            : children.map((ch) => ({
                regionCode: ch.code,
                name: ch.name,
                ...numbers(byPrefix.get(ch.code.slice(0, digits))),
              })),
      };
    },

    async gaps(
      c: RequestContext,
      kind: repo.GapKind,
      regionCode: string | undefined,
      page: { page: number; pageSize: number },
    ) {
      authorize(c.actor, 'compliance.read', regionCode);
      const range = regionCode ? subtreeRange(regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.familiesWithGap(db, range, kind, page);
      return {
        data: rows.map((r) => ({
          id: r.id,
          archiveNo: r.archive_no,
          regionCode: r.region_code,
          regionName: r.region_name,
          familyType: r.family_type,
          isSpecialDifficulty: r.is_special_difficulty === 1,
        })),
        page: { ...page, total },
      };
    },

    /** 联系卡 (R3): the family's contacts with their full work phones, printed and left with the family. */
    async contactCard(c: RequestContext, familyId: string) {
      const family = await families.locate(c.actor, familyId);
      const rows = await db
        .selectFrom('assignments as a')
        .innerJoin('contacts as ct', 'ct.id', 'a.contact_id')
        .select(['ct.id', 'ct.name', 'ct.post', 'ct.phone_enc', 'ct.organization', 'ct.title'])
        .where('a.family_id', '=', familyId)
        .where('a.ended_at', 'is', null)
        .orderBy('a.post', 'desc')
        .execute();
      const contacts = rows.map((r) => ({
        post: r.post as Post,
        name: r.name,
        phone: crypto.decrypt(r.phone_enc, `contacts:${r.id}:phone`),
        organization: r.organization,
        title: r.title,
      }));
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'family.contact_card',
          targetType: 'family',
          targetId: familyId,
          changes: { contacts: contacts.length },
        }),
      );
      const familyName = (await maskedNames(db, [familyId])).get(familyId) ?? '';
      return {
        archiveNo: family.archive_no,
        familyName,
        regionName: family.region_name,
        address: family.address,
        contacts,
      };
    },
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
