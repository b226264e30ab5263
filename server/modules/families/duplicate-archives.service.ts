import { maskIdNumber } from '../../../common/mask.js';
import type {
  DuplicateListQuery,
  DuplicateResolve,
  DuplicateView,
} from '../../../common/schemas/duplicate-archives.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { DuplicateArchiveTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { actorRange, isInScope, subtreeRange, type Actor } from '../../platform/scope.js';
import * as repo from './duplicate-archives.repository.js';
import type { FamiliesService } from './families.service.js';
import * as familiesRepo from './families.repository.js';

/**
 * Cross-region duplicate archives (issue 10 item 2, docs/AUTHORIZATION.md). A creator whose new archive
 * names a parent archived outside their scope is answered as for a fresh number; the pair is flagged here
 * to the lowest region over both (at least the county), whose staff resolve it:
 *   - transfer: the family moved. The older archive exits as 户籍迁出 and gives up the parent's ID number;
 *     the new archive keeps it (and now owns it).
 *   - reject: the new archive is a mistake. It exits (其他) with the reason, and owns no ID number.
 */
export function createDuplicateArchivesService(
  platform: Platform,
  families: Pick<FamiliesService, 'exitForDuplicate'>,
) {
  const { db, clock, audit } = platform;

  async function views(actor: Actor, rows: DuplicateArchiveTable[]): Promise<DuplicateView[]> {
    const familyIds = [...new Set(rows.flatMap((r) => [r.new_family_id, r.existing_family_id]))];
    const [archives, members, regions, users] = await Promise.all([
      repo.archivesByIds(db, familyIds),
      repo.membersByFamilies(db, familyIds),
      repo.regionNames(db, [...new Set(rows.map((r) => r.supervising_code))]),
      repo.userNames(db, [...new Set(rows.flatMap((r) => (r.resolved_by ? [r.resolved_by] : [])))]),
    ]);
    const archiveById = new Map(archives.map((a) => [a.id, a]));
    const regionName = new Map(regions.map((r) => [r.code, r.name]));
    const userName = new Map(users.map((u) => [u.id, u.display_name]));
    const side = (familyId: string, idx: string) => {
      const a = archiveById.get(familyId);
      // A side outside the reader's scope (across provinces) is not shown at all.
      if (!a || !isInScope(actor, a.region_code)) return null;
      const m = members.find((x) => x.family_id === familyId && x.id_number_idx === idx);
      return {
        familyId: a.id,
        archiveNo: a.archive_no,
        regionCode: a.region_code,
        regionName: a.region_name,
        status: a.status,
        enteredAt: a.entered_at,
        createdAt: a.created_at,
        memberName: m?.name ?? null,
        memberRelation: m?.relation ?? null,
        idNumber: m ? maskIdNumber(m.id_number_mask) : null,
      };
    };
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      supervisingCode: r.supervising_code,
      supervisingName: regionName.get(r.supervising_code) ?? r.supervising_code,
      newArchive: side(r.new_family_id, r.id_number_idx),
      existingArchive: side(r.existing_family_id, r.id_number_idx),
      reason: r.reason,
      createdAt: r.created_at,
      resolvedAt: r.resolved_at,
      resolvedByName: r.resolved_by ? (userName.get(r.resolved_by) ?? null) : null,
      version: r.version,
      abilities: { resolve: r.status === 'pending' && can(actor, 'duplicate.resolve') },
    }));
  }

  /** The flag if the actor supervises it: 404 outside their region, 403 for a role that may not resolve. */
  async function loadSupervised(actor: Actor, id: string): Promise<DuplicateArchiveTable> {
    const row = await repo.findDuplicate(db, id);
    if (!row) throw AppError.notFound();
    authorize(actor, 'duplicate.resolve', row.supervising_code);
    return row;
  }

  return {
    async list(c: RequestContext, query: DuplicateListQuery, page: { page: number; pageSize: number }) {
      authorize(c.actor, 'duplicate.resolve', query.regionCode);
      const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.listDuplicates(db, range, query.status, page);
      return { data: await views(c.actor, rows), page: { ...page, total } };
    },

    async resolve(c: RequestContext, id: string, input: DuplicateResolve): Promise<DuplicateView> {
      const row = await loadSupervised(c.actor, id);
      if (row.status !== 'pending') throw new AppError('INVALID_STATE', '该重复建档已处理');
      if (input.version !== undefined && input.version !== row.version) throw new AppError('VERSION_CONFLICT');
      const [existing, fresh] = await Promise.all([
        familiesRepo.findFamily(db, row.existing_family_id),
        familiesRepo.findFamily(db, row.new_family_id),
      ]);
      if (!existing || !fresh) throw AppError.notFound();
      const now = clock.now().toISOString();

      await db.transaction().execute(async (trx) => {
        if (input.resolution === 'transfer') {
          if (!isInScope(c.actor, existing.region_code))
            throw new AppError('INVALID_STATE', '原档案不在本级管辖范围内，不能转移，请与原档案所在地协调');
          if (fresh.status === 'exited') throw new AppError('INVALID_STATE', '新档案已退出，不能转移');
          await families.exitForDuplicate(
            trx,
            c,
            existing.id,
            'moved_out',
            `重复建档处理：户籍已迁出，档案转至迁入地（${input.reason}）`,
          );
          // The older archive gives up the numbers the new one holds; the new one takes them over.
          const freshMembers = await familiesRepo.membersOf(trx, [fresh.id]);
          const idxs = freshMembers.map((m) => m.id_number_idx);
          await familiesRepo.releaseFamilyClaims(trx, existing.id, idxs);
          const held = await repo.claimsOf(trx, idxs);
          if (held.some((h) => h.family_id !== fresh.id))
            throw new AppError('INVALID_STATE', '该身份证号码另有档案持有，请先处理相关的重复建档');
          await familiesRepo.insertClaims(
            trx,
            freshMembers
              .filter((m) => !held.some((h) => h.member_id === m.id))
              .map((m) => ({ id_number_idx: m.id_number_idx, family_id: fresh.id, member_id: m.id })),
          );
        } else {
          await families.exitForDuplicate(trx, c, fresh.id, 'other', `重复建档，经上级核查不予建档：${input.reason}`);
          await repo.releaseAllClaims(trx, fresh.id);
        }
        const status = input.resolution === 'transfer' ? 'transferred' : 'rejected';
        const done = await repo.updateDuplicate(trx, row.id, row.version, {
          status,
          reason: input.reason,
          resolved_at: now,
          resolved_by: c.actor.id,
        });
        if (!done) throw new AppError('VERSION_CONFLICT');
        // Who resolved what, not the reason's words (free text stays out of the audit log).
        await audit.record(trx, c, {
          action: 'duplicate_archive.resolve',
          targetType: 'duplicate_archive',
          targetId: row.id,
          changes: { resolution: input.resolution, status: [row.status, status] },
        });
      });
      const [after] = await views(c.actor, [(await repo.findDuplicate(db, id))!]);
      return after;
    },
  };
}
export type DuplicateArchivesService = ReturnType<typeof createDuplicateArchivesService>;
