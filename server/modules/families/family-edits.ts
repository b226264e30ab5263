/**
 * Editing an archive: the family's fields, its parents (a changed ID number re-claims or is flagged, a parent
 * may be added) and its child, checked as a whole as if new, in one transaction with its history.
 */
import type { FamilyDetail, ChildInput, FamilyPatch, MemberInput } from '../../../common/schemas/families.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { FamilyMemberTable, FamilyTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import type { ComplianceFacts } from '../compliance/compliance.service.js';
import * as repo from './families.repository.js';
import { type FamilyArchive, snapshot } from './family-archive.js';
import type { FamilyClaims } from './family-claims.js';
import { loadFamilyInScope } from './family-locator.js';
import { retryClaimRace } from './family-creation.js';
import { parseIdNumber } from '../../../common/validators/id-number.js';
import {
  childColumns,
  FAMILY_PATCH_COLUMNS,
  json,
  MEMBER_PATCH_COLUMNS,
  memberRow,
  sealMemberIdNumber,
  sealMemberPhone,
} from './families.columns.js';
import { diff } from './families.views.js';

export function createFamilyEdits(
  platform: Platform,
  archive: FamilyArchive,
  claims: FamilyClaims,
  facts: ComplianceFacts,
) {
  const { db, crypto, clock } = platform;
  const { requireVillageInScope, checkProblems, eligibleFrom, view, record } = archive;
  const { findDuplicates, writeClaimsAndFlags } = claims;

  async function updateOnce(c: RequestContext, id: string, patch: FamilyPatch): Promise<FamilyDetail> {
    const existing = await loadFamilyInScope(db, c.actor, id);
    authorize(c.actor, 'family.write', existing.region_code);
    return db.transaction().execute(async (trx) => {
      const before = await view(trx, c.actor, id);
      if (before.version !== patch.version) throw new AppError('VERSION_CONFLICT');
      if (patch.regionCode && patch.regionCode !== before.regionCode)
        await requireVillageInScope(trx, c.actor, patch.regionCode);
      const storedMembers = await repo.membersOf(trx, [id]);
      const [storedChild] = await repo.childrenOf(trx, [id]);

      // Merge the patch over what is stored, then check the whole archive as if it were new.
      const mergedMembers = storedMembers.map((m) => ({
        relation: m.relation as 'father' | 'mother',
        idNumber: '',
        sex: m.sex as 'male' | 'female',
        birthDate: m.birth_date,
        isDeceased: m.is_deceased === 1,
        deathDate: m.death_date,
        stored: m,
      }));
      const newMembers: Array<{ position: number; input: MemberInput }> = [];
      for (const p of patch.members ?? []) {
        const target = mergedMembers.find((m) => m.relation === p.relation);
        if (target) {
          if (p.idNumber) {
            const parsed = parseIdNumber(p.idNumber);
            if (parsed.ok)
              Object.assign(target, { idNumber: parsed.value, sex: parsed.sex, birthDate: parsed.birthDate });
          }
          if (p.isDeceased !== undefined) target.isDeceased = p.isDeceased;
          if (p.deathDate !== undefined) target.deathDate = p.deathDate ?? null;
        } else {
          if (!p.name || !p.idNumber)
            throw AppError.field(
              `members`,
              `新增${p.relation === 'father' ? '父亲' : '母亲'}须填写姓名和身份证号码`,
              'REQUIRED',
            );
          newMembers.push({ position: storedMembers.length + newMembers.length, input: p as MemberInput });
        }
      }
      const shapeMembers = [
        ...mergedMembers.map((m) => ({
          ...m,
          idNumber: m.idNumber || crypto.decrypt(m.stored.id_number_enc, `family_members:${m.stored.id}:id_number`),
        })),
        ...newMembers.map((n) => n.input),
      ];
      const child = {
        ...before.child,
        ...patch.child,
        idNumber:
          patch.child?.idNumber ??
          (storedChild.id_number_enc
            ? crypto.decrypt(storedChild.id_number_enc, `family_children:${id}:id_number`)
            : null),
        disabilityCertNo:
          patch.child?.disabilityCertNo !== undefined
            ? patch.child.disabilityCertNo
            : storedChild.disability_cert_enc
              ? crypto.decrypt(storedChild.disability_cert_enc, `family_children:${id}:disability_cert`)
              : null,
      };
      checkProblems({
        familyType: patch.familyType ?? before.familyType,
        enteredAt: patch.enteredAt ?? before.enteredAt,
        members: shapeMembers,
        child: child as ChildInput,
      });
      const changedIds = [
        ...(patch.members ?? [])
          .filter((p) => p.idNumber)
          .map((p) => ({
            idNumber: p.idNumber!,
            position: shapeMembers.findIndex((m) => m.relation === p.relation),
          })),
      ];
      const flags = changedIds.length ? await findDuplicates(trx, c.actor, changedIds, id) : [];

      const set: Partial<FamilyTable> = { updated_at: clock.now().toISOString() };
      for (const [from, to] of FAMILY_PATCH_COLUMNS)
        if (patch[from] !== undefined) (set as Record<string, unknown>)[to] = patch[from] ?? null;
      if (patch.isSpecialDifficulty !== undefined) set.is_special_difficulty = patch.isSpecialDifficulty ? 1 : 0;
      if (patch.extra !== undefined) set.extra = json(patch.extra);

      /** Members whose ID number is new to this archive: they claim it (or are flagged). */
      const reclaimed: FamilyMemberTable[] = [];
      for (const p of patch.members ?? []) {
        const stored = storedMembers.find((m) => m.relation === p.relation);
        if (!stored) continue;
        const ms: Partial<FamilyMemberTable> = {};
        if (p.name !== undefined) ms.name = p.name;
        if (p.idNumber) {
          const parsed = parseIdNumber(p.idNumber);
          if (parsed.ok)
            Object.assign(ms, {
              sex: parsed.sex,
              birth_date: parsed.birthDate,
              ...sealMemberIdNumber(crypto, stored.id, parsed.value),
            });
          if (parsed.ok && ms.id_number_idx !== stored.id_number_idx) {
            await repo.releaseMemberClaim(trx, stored.id);
            reclaimed.push({ ...stored, ...ms });
          }
        }
        if (p.phone !== undefined) Object.assign(ms, sealMemberPhone(crypto, stored.id, p.phone));
        for (const [from, to] of MEMBER_PATCH_COLUMNS)
          if (p[from] !== undefined) (ms as Record<string, unknown>)[to] = p[from] ?? null;
        if (p.isDeceased !== undefined || p.deathDate) ms.is_deceased = p.isDeceased || p.deathDate ? 1 : 0;
        if (p.extra !== undefined) ms.extra = json(p.extra);
        if (Object.keys(ms).length) await repo.updateMember(trx, stored.id, ms);
      }
      for (const n of newMembers) {
        const row = memberRow(crypto, id, n.position, n.input);
        await repo.insertMember(trx, row);
        reclaimed.push(row);
      }
      await writeClaimsAndFlags(trx, c, [
        { family: { id, region_code: set.region_code ?? existing.region_code }, members: reclaimed, flags },
      ]);
      if (patch.child) {
        const cs = childColumns(crypto, id, patch.child);
        if (Object.keys(cs).length) await repo.updateChild(trx, id, cs);
      }

      const members = await repo.membersOf(trx, [id]);
      const [childRow] = await repo.childrenOf(trx, [id]);
      const familyNow = { ...existing, ...set } as FamilyTable;
      set.eligible_from = await eligibleFrom(trx, familyNow, members, childRow);
      if (!(await repo.updateFamilyRow(trx, id, patch.version, set))) throw new AppError('VERSION_CONFLICT');
      if (set.region_code) await facts.familyChanged(trx, familyNow);
      if (set.region_code || patch.members?.length) await repo.reindexNames(trx, [id]);
      const after = await view(trx, c.actor, id);
      const changes = diff(snapshot(before), snapshot(after));
      await record(trx, c, id, 'update', changes);
      return after;
    });
  }

  return {
    async update(c: RequestContext, id: string, patch: FamilyPatch): Promise<FamilyDetail> {
      return retryClaimRace(() => updateOnce(c, id, patch));
    },
  };
}
