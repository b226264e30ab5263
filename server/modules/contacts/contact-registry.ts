/**
 * The contact registry (R3): the cadres and helpers who may hold a family's posts, each registered at the
 * level their post belongs to, with a sealed work phone and optionally the account they sign in with.
 */
import { randomUUID } from 'node:crypto';
import {
  POST_REGION_LEVEL,
  type Contact,
  type ContactCreate,
  type ContactListFilters,
  type ContactUpdate,
} from '../../../common/schemas/contacts.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { isUniqueViolation, type Executor } from '../../platform/db/database.js';
import type { ContactTable } from '../../platform/db/schema.js';
import { sealPhone } from '../../platform/crypto/sealed-fields.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, isInScope, subtreeRange, type Actor } from '../../platform/scope.js';
import { regionByCode } from '../regions/regions.service.js';
import * as repo from './contacts.repository.js';
import { contactView } from './contacts.views.js';

/** A contact the actor may see: in their region (404 otherwise). */
export async function contactInScope(trx: Executor, actor: Actor, id: string): Promise<repo.ContactRow> {
  const row = await repo.findContact(trx, id);
  if (!row || !isInScope(actor, row.region_code)) throw AppError.notFound();
  return row;
}

export function createContactRegistry(platform: Pick<Platform, 'db' | 'crypto' | 'clock' | 'audit'>) {
  const { db, crypto, clock, audit } = platform;

  /** Contacts always have a phone (R3), so the sealed columns are never null here. */
  function encryptPhone(contactId: string, phone: string) {
    const sealed = sealPhone(crypto, `contacts:${contactId}:phone`, phone);
    return { phone_enc: sealed.phone_enc!, phone_idx: sealed.phone_idx!, phone_mask: sealed.phone_mask! };
  }

  async function checkUserLink(trx: Executor, actor: Actor, userId: string): Promise<void> {
    const user = await repo.userForLink(trx, userId);
    if (!user || !isInScope(actor, user.region_code))
      throw AppError.field('userId', '关联的账户不存在或不在管辖范围内', 'USER_UNKNOWN');
    if (['sysadmin', 'security_admin', 'auditor'].includes(user.role))
      throw AppError.field('userId', '系统管理类账户不能作为联系人', 'USER_ROLE');
  }

  return {
    async list(
      c: RequestContext,
      query: ContactListFilters,
      page: { page: number; pageSize: number },
    ): Promise<{ data: Contact[]; page: { page: number; pageSize: number; total: number } }> {
      authorize(c.actor, 'contact.read', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listContacts(
        db,
        { range, post: query.post, q: query.q, isActive: query.isActive },
        page,
      );
      return { data: rows.map(contactView), page: { ...page, total } };
    },

    async get(c: RequestContext, id: string): Promise<Contact> {
      const row = await contactInScope(db, c.actor, id);
      authorize(c.actor, 'contact.read');
      return contactView(row);
    },

    async create(c: RequestContext, input: ContactCreate): Promise<Contact> {
      authorize(c.actor, 'contact.write');
      return db.transaction().execute(async (trx) => {
        const region = await regionByCode(trx, input.regionCode);
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

    async update(c: RequestContext, id: string, input: ContactUpdate): Promise<Contact> {
      const existing = await contactInScope(db, c.actor, id);
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
  };
}
