/**
 * An archive's status: 在册, 暂停, 退出 by hand (`changeStatus`), a parent's confirmed death (`recordDeath`),
 * the exit that resolves a cross-region duplicate (`exitForDuplicate`); the family's 双岗 posts follow.
 */
import type { FamilyDetail, StatusChange } from '../../../common/schemas/families.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db/database.js';
import type { FamilyTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { isInScope } from '../../platform/scope.js';
import type { ComplianceFacts } from '../compliance/compliance.service.js';
import * as repo from './families.repository.js';
import type { FamilyArchive } from './family-archive.js';
import { loadFamilyInScope } from './family-locator.js';
import { FAMILY_STATUS, STATUS_REASON } from '../../../common/code-lists.js';
import { FAMILY_END_PREFIX, type ContactAssignments } from '../contacts/contact-assignments.js';

const EXIT_REASONS = ['reborn_or_adopted', 'both_parents_deceased', 'moved_out', 'recovered', 'other'];
const PAUSE_REASONS = ['away', 'other'];

export function createFamilyStatus(
  platform: Platform,
  archive: FamilyArchive,
  facts: ComplianceFacts,
  assignments: Pick<ContactAssignments, 'endForFamily' | 'resumeForFamily'>,
) {
  const { db, clock } = platform;
  const { today, eligibleFrom, view, record } = archive;

  /**
   * A family's work follows its status, in the status change's transaction: an exit ends its contacts'
   * assignments and a pause suspends them (both with the status's reason, audited as `assignment.set`);
   * resuming a paused family gives its contacts back (those still active and covering it, posts not
   * filled meanwhile).
   */
  async function followStatus(
    trx: Tx,
    c: RequestContext,
    family: Pick<FamilyTable, 'id' | 'region_code'>,
    from: string,
    to: string,
    reason: string,
  ): Promise<void> {
    if (to === 'exited' || to === 'paused')
      await assignments.endForFamily(trx, c, family.id, `${FAMILY_END_PREFIX[to]}${STATUS_REASON[reason] ?? reason}`);
    else if (from === 'paused' && to === 'active')
      await assignments.resumeForFamily(
        trx,
        c,
        family.id,
        family.region_code,
        `${FAMILY_STATUS.active}：${STATUS_REASON[reason] ?? reason}`,
      );
  }

  return {
    /**
     * A confirmed death of a parent (R5): the member is marked deceased; when no parent is left the
     * archive exits with 夫妻双方均已亡故.
     */
    async recordDeath(
      trx: Tx,
      c: RequestContext,
      familyId: string,
      relation: 'father' | 'mother',
      deathDate: string,
    ): Promise<void> {
      const family = await loadFamilyInScope(trx, c.actor, familyId);
      authorize(c.actor, 'family.write', family.region_code);
      const members = await repo.membersOf(trx, [familyId]);
      const member = members.find((m) => m.relation === relation);
      if (!member) throw AppError.field('affectedRelation', '档案中没有该成员', 'MEMBER_UNKNOWN');
      if (deathDate < member.birth_date) throw AppError.field('occurredAt', '死亡日期早于出生日期', 'DATE_ORDER');
      await repo.updateMember(trx, member.id, { is_deceased: 1, death_date: deathDate });
      const nobodyLeft = members.every((m) => m.id === member.id || m.is_deceased === 1);
      const set: Partial<FamilyTable> = { updated_at: clock.now().toISOString() };
      if (nobodyLeft && family.status !== 'exited')
        Object.assign(set, {
          status: 'exited',
          status_reason: 'both_parents_deceased',
          status_date: deathDate,
          status_note: '重大情况（亡故）确认后自动退出',
        });
      const [child] = await repo.childrenOf(trx, [familyId]);
      set.eligible_from = await eligibleFrom(
        trx,
        { ...family, ...set } as FamilyTable,
        await repo.membersOf(trx, [familyId]),
        child,
      );
      if (!(await repo.updateFamilyRow(trx, familyId, family.version, set))) throw new AppError('VERSION_CONFLICT');
      await facts.familyChanged(trx, { ...family, ...set } as FamilyTable);
      if (set.status === 'exited') await followStatus(trx, c, family, family.status, 'exited', 'both_parents_deceased');
      await record(trx, c, familyId, 'death', {
        [`members.${relation}.isDeceased`]: [false, true],
        [`members.${relation}.deathDate`]: [member.death_date, deathDate],
        ...(set.status
          ? { status: [family.status, set.status], statusReason: [family.status_reason, set.status_reason] }
          : {}),
      });
    },

    /**
     * Ends an archive as the resolution of a cross-region duplicate (duplicate-archives.service): the
     * supervising staff act without `family.write`, so the caller has authorized `duplicate.resolve` over
     * both archives. Recorded in the archive's history and audit like any exit. An exited archive keeps its
     * status and only gets the history entry.
     */
    async exitForDuplicate(
      trx: Tx,
      c: RequestContext,
      familyId: string,
      statusReason: 'moved_out' | 'other',
      note: string,
    ): Promise<void> {
      const family = await repo.findFamily(trx, familyId);
      if (!family || !isInScope(c.actor, family.region_code)) throw AppError.notFound();
      if (family.status === 'exited') {
        await record(trx, c, familyId, 'duplicate', { statusNote: [family.status_note, note] });
        return;
      }
      const members = await repo.membersOf(trx, [familyId]);
      const [child] = await repo.childrenOf(trx, [familyId]);
      const set: Partial<FamilyTable> = {
        status: 'exited',
        status_reason: statusReason,
        status_date: today(),
        status_note: note,
        updated_at: clock.now().toISOString(),
      };
      set.eligible_from = await eligibleFrom(trx, { ...family, ...set } as FamilyTable, members, child);
      if (!(await repo.updateFamilyRow(trx, familyId, family.version, set))) throw new AppError('VERSION_CONFLICT');
      await facts.familyChanged(trx, { ...family, ...set } as FamilyTable);
      await followStatus(trx, c, family, family.status, 'exited', statusReason);
      await record(trx, c, familyId, 'duplicate', {
        status: [family.status, 'exited'],
        statusReason: [family.status_reason, statusReason],
        statusDate: [family.status_date, set.status_date],
        statusNote: [family.status_note, note],
      });
    },

    async changeStatus(c: RequestContext, id: string, input: StatusChange): Promise<FamilyDetail> {
      const existing = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.write', existing.region_code);
      const allowed =
        input.status === 'exited' ? EXIT_REASONS : input.status === 'paused' ? PAUSE_REASONS : ['resumed', 'other'];
      if (!allowed.includes(input.reason)) throw AppError.field('reason', '变更原因与目标状态不符', 'REASON_MISMATCH');
      // A stale version is a conflict first: the status it was judged against may be the one another writer set.
      if (input.version !== existing.version) throw new AppError('VERSION_CONFLICT');
      if (input.status === existing.status) throw AppError.field('status', '档案已是该状态', 'STATUS_UNCHANGED');
      if (existing.status === 'exited' && c.actor.role !== 'township_staff')
        throw new AppError('FORBIDDEN', '已退出的档案只能由乡镇（街道）工作人员恢复');
      if (input.effectiveDate > today()) throw AppError.field('effectiveDate', '生效日期不能晚于今天', 'DATE_FUTURE');
      if (input.effectiveDate < existing.entered_at)
        throw AppError.field('effectiveDate', '生效日期不能早于建档日期', 'DATE_ORDER');
      if (input.reason === 'recovered' && existing.family_type !== 'disabled')
        throw AppError.field('reason', '“子女康复”只适用于伤残家庭', 'REASON_MISMATCH');
      return db.transaction().execute(async (trx) => {
        const members = await repo.membersOf(trx, [id]);
        const [child] = await repo.childrenOf(trx, [id]);
        const set: Partial<FamilyTable> = {
          status: input.status,
          status_reason: input.reason,
          status_date: input.effectiveDate,
          status_note: input.note ?? null,
          updated_at: clock.now().toISOString(),
        };
        set.eligible_from = await eligibleFrom(trx, { ...existing, ...set } as FamilyTable, members, child);
        if (!(await repo.updateFamilyRow(trx, id, input.version, set))) throw new AppError('VERSION_CONFLICT');
        await facts.familyChanged(trx, { ...existing, ...set } as FamilyTable);
        await followStatus(trx, c, existing, existing.status, input.status, input.reason);
        await record(trx, c, id, 'status', {
          status: [existing.status, input.status],
          statusReason: [existing.status_reason, input.reason],
          statusDate: [existing.status_date, input.effectiveDate],
          ...(input.note ? { statusNote: [existing.status_note, input.note] } : {}),
        });
        return view(trx, c.actor, id);
      });
    },
  };
}
