/**
 * 双岗 (R1, R2): who holds a family's township and village posts (and its helpers and county leader), set one
 * family at a time or for a village in bulk, handed over when a cadre leaves, printed as 联系卡. Changing a
 * family's posts moves the archive's version on (`FamilyLocator.bumpVersion`).
 */
import { randomUUID } from 'node:crypto';
import {
  HELPER_POSTS,
  type Assignments,
  type AssignmentSet,
  type BulkAssignmentResult,
  type BulkAssignmentRow,
  type BulkAssignmentSet,
  type ContactCard,
  type HandoverResult,
  type Post,
  type VillageContactCard,
} from '../../../common/schemas/contacts.js';
import type { FamilyStatus } from '../../../common/schemas/families.js';
import { maskName } from '../../../common/mask.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { isUniqueViolation, type Executor, type Tx } from '../../platform/db/database.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { isInScope, isWithin, levelOfCode, type Actor } from '../../platform/scope.js';
import { parentNamesOf, type FamilyLocator } from '../families/family-locator.js';
import { regionName } from '../regions/regions.service.js';
import { contactInScope } from './contact-registry.js';
import * as repo from './contacts.repository.js';
import { assignmentsView as postsView } from './contacts.views.js';

/** How an assignment ended with its family's status: `家庭退出：迁出`, `家庭暂停：外出`. */
export const FAMILY_END_PREFIX = { exited: '家庭退出：', paused: '家庭暂停：' } as const;

export function createContactAssignments(
  platform: Pick<Platform, 'db' | 'crypto' | 'clock' | 'audit'>,
  families: FamilyLocator,
) {
  const { db, crypto, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

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

  async function assignmentsView(executor: Executor, familyId: string, actor: Actor): Promise<Assignments> {
    const [current, history] = await Promise.all([
      repo.activeAssignments(executor, [familyId]),
      repo.assignmentHistory(executor, familyId),
    ]);
    return postsView(current, history, actor);
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

  /**
   * The parents' names as every list outside the archive shows them: 钱某兰、李某. `known`: the parents' names
   * (in order) of families the caller has read already, masked here without reading them again.
   */
  async function maskedNames(
    executor: Executor,
    familyIds: string[],
    known?: ReadonlyMap<string, readonly string[]>,
  ): Promise<Map<string, string>> {
    const names = new Map<string, string[]>();
    const unread: string[] = [];
    for (const id of familyIds) {
      const given = known?.get(id);
      if (given)
        names.set(
          id,
          given.map((n) => maskName(n)),
        );
      else unread.push(id);
    }
    for (const r of await parentNamesOf(executor, unread))
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
      status: f.status as FamilyStatus,
      version: f.version,
      township: holder(f.id, 'township_cadre'),
      village: holder(f.id, 'village_cadre'),
    }));
  }

  /** What following a family's status changed, audited as one `assignment.set` (nothing changed, no row). */
  async function recordFollow(
    trx: Tx,
    c: RequestContext,
    familyId: string,
    change: { added: string[]; removed: string[] },
    why: string,
  ) {
    if (change.removed.length || change.added.length)
      await audit.record(trx, c, {
        action: 'assignment.set',
        targetType: 'family',
        targetId: familyId,
        changes: { ...change, reason: why },
      });
  }

  return {
    /**
     * A family's work follows its status, in the status change's transaction (families.service): an exit ends
     * its contacts' assignments and a pause suspends them, with the status's reason `why` (audited as
     * `assignment.set`).
     */
    async endForFamily(trx: Tx, c: RequestContext, familyId: string, why: string): Promise<void> {
      const ended = await repo.endAssignmentsOfFamily(trx, familyId, today(), why);
      await recordFollow(trx, c, familyId, { added: [], removed: ended.map((a) => `${a.post}:${a.contact_id}`) }, why);
    },

    /**
     * Resuming a paused family gives its contacts back: those its last pause suspended that are still active
     * and cover its village (`familyRegion`), on posts not filled meanwhile.
     */
    async resumeForFamily(trx: Tx, c: RequestContext, familyId: string, familyRegion: string, why: string) {
      const added: string[] = [];
      const open = await repo.activeAssignments(trx, [familyId]);
      for (const a of await repo.lastSuspendedAssignments(trx, familyId, FAMILY_END_PREFIX.paused)) {
        const taken = open.some((o) =>
          ['township_cadre', 'village_cadre', 'county_leader'].includes(a.post)
            ? o.post === a.post
            : o.contact_id === a.contact_id,
        );
        if (taken || a.is_active !== 1 || !isWithin(a.region_code, familyRegion)) continue;
        await assign(trx, c, familyId, a.contact_id, a.post);
        added.push(`${a.post}:${a.contact_id}`);
      }
      await recordFollow(trx, c, familyId, { added, removed: [] }, why);
    },

    /** The parents' names, masked, per family: for lists other modules build over families already in scope. */
    maskedNames,
    /** The current 双岗 holders of families already in scope (the offline pack's contact cards). */
    currentAssignments: (executor: Executor, familyIds: string[]) => repo.activeAssignments(executor, familyIds),
    /** A transferred cadre's families go to a successor in one step; every old post closes with the reason. */
    async handover(c: RequestContext, id: string, successorId: string, reason: string): Promise<HandoverResult> {
      const from = await contactInScope(db, c.actor, id);
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
        const familyRows = await repo.familyRegions(
          trx,
          moving.map((m) => m.family_id),
        );
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

    async assignments(c: RequestContext, familyId: string): Promise<Assignments> {
      await families.locate(c.actor, familyId);
      return assignmentsView(db, familyId, c.actor);
    },

    /** Sets the family's posts (R1, R2); posts that change close with date and reason, history kept. */
    async setAssignments(c: RequestContext, familyId: string, input: AssignmentSet): Promise<Assignments> {
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
    async bulkSetAssignments(c: RequestContext, input: BulkAssignmentSet): Promise<BulkAssignmentResult> {
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
    async villageContactCards(c: RequestContext, regionCode: string): Promise<VillageContactCard[]> {
      // A whole village's cards are for its staff and those above (contact.read); a contact prints their own one by one.
      requireVillage(c.actor, 'contact.read', regionCode);
      const region = await regionName(db, regionCode);
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

    /** 联系卡 (R3): the family's contacts with their full work phones, printed and left with the family. */
    async contactCard(c: RequestContext, familyId: string): Promise<ContactCard> {
      const family = await families.locate(c.actor, familyId);
      const rows = await repo.familyCardContacts(db, familyId);
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

export type ContactAssignments = ReturnType<typeof createContactAssignments>;
