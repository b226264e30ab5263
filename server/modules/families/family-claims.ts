/**
 * One archive per household: a parent's ID number stands in one archive only. A new or changed parent either
 * claims the number or, archived outside the actor's scope, is flagged to the supervising level
 * (duplicate-archives) without the actor learning of it.
 */
import { randomUUID } from 'node:crypto';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/database.js';
import type { FamilyMemberTable, FamilyTable } from '../../platform/db/schema.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { isInScope, SIGNIFICANT_DIGITS, type Actor } from '../../platform/scope.js';
import * as repo from './families.repository.js';

export type ArchivedParent = {
  id_number_idx: string;
  family_id: string;
  region_code: string;
  archive_no: string;
  status: string;
};
/** A parent archived outside the actor's scope: flagged to the supervising level, never named to the actor. */
export type Flag = { idx: string; existing: ArchivedParent };

/**
 * One archive per household: a parent's ID number may stand in one archive only. An archive inside the
 * actor's scope refuses the new one, naming it; one outside it must not change the answer at all (the
 * platform would tell whether someone is a special-family parent elsewhere): it is returned as a flag.
 */
export function checkDuplicates(
  actor: Actor,
  members: Array<{ idx: string; position: number }>,
  hits: ArchivedParent[],
  ownFamilyId?: string,
): { error?: AppError; flags: Flag[] } {
  const details: ErrorDetail[] = [];
  const flags: Flag[] = [];
  for (const m of members) {
    const own = hits.filter((h) => h.id_number_idx === m.idx && h.family_id !== ownFamilyId);
    const visible = own.find((h) => isInScope(actor, h.region_code));
    if (visible)
      details.push({
        path: `members.${m.position}.idNumber`,
        message: `该身份证号码已在本辖区档案 ${visible.archive_no} 中，一户只建一档`,
        code: 'DUPLICATE_ID_NUMBER',
      });
    // One flag per number: against an archive still in force if there is one (an exited one may be the
    // archive a family moved away from, and a transfer already ended it).
    else if (own.length) flags.push({ idx: m.idx, existing: own.find((h) => h.status !== 'exited') ?? own[0] });
  }
  return details.length ? { error: new AppError('CONFLICT', details[0].message, details), flags } : { flags };
}

/** The lowest region over both archives, at least the county: its staff resolve the pair. */
function supervisingCode(a: string, b: string): string {
  for (const digits of [SIGNIFICANT_DIGITS.county, SIGNIFICANT_DIGITS.prefecture])
    if (a.slice(0, digits) === b.slice(0, digits)) return a.slice(0, digits).padEnd(12, '0');
  // Across cities the province; across provinces the new archive's province (it sees only its own side).
  return a.slice(0, SIGNIFICANT_DIGITS.province).padEnd(12, '0');
}

export function createFamilyClaims(platform: Pick<Platform, 'crypto' | 'clock' | 'audit'>) {
  const { crypto, clock, audit } = platform;

  async function findDuplicates(
    trx: Executor,
    actor: Actor,
    members: Array<{ idNumber: string; position: number }>,
    ownFamilyId?: string,
  ): Promise<Flag[]> {
    const withIdx = members.map((m) => ({ idx: crypto.blindIndex('id_number', m.idNumber), position: m.position }));
    const hits = await repo.familiesWithIdNumbers(
      trx,
      withIdx.map((m) => m.idx),
    );
    const { error, flags } = checkDuplicates(actor, withIdx, hits, ownFamilyId);
    if (error) throw error;
    return flags;
  }

  /**
   * What the database must hold for new or changed parents: a claim for each parent not archived elsewhere,
   * a flag row for each that is. Written in the actor's transaction, audited apart from the archive's own
   * row, so the archive's answer, history and audit row are those of a fresh number.
   */
  async function writeClaimsAndFlags(
    trx: Tx,
    c: RequestContext,
    archives: Array<{ family: Pick<FamilyTable, 'id' | 'region_code'>; members: FamilyMemberTable[]; flags: Flag[] }>,
  ): Promise<void> {
    const now = clock.now().toISOString();
    const claims = archives.flatMap((a) =>
      a.members
        .filter((m) => !a.flags.some((f) => f.idx === m.id_number_idx))
        .map((m) => ({ id_number_idx: m.id_number_idx, family_id: a.family.id, member_id: m.id })),
    );
    await repo.insertClaims(trx, claims);
    const rows = archives.flatMap((a) => {
      const seen = new Set<string>();
      return a.flags
        .filter((f) => !seen.has(f.existing.family_id) && seen.add(f.existing.family_id))
        .map((f) => ({
          id: randomUUID(),
          id_number_idx: f.idx,
          new_family_id: a.family.id,
          new_region_code: a.family.region_code,
          existing_family_id: f.existing.family_id,
          supervising_code: supervisingCode(a.family.region_code, f.existing.region_code),
          status: 'pending' as const,
          reason: null,
          created_at: now,
          created_by: c.actor.id,
          resolved_at: null,
          resolved_by: null,
          version: 1,
        }));
    });
    await repo.insertDuplicates(trx, rows);
    for (const r of rows)
      await audit.record(trx, c, {
        action: 'duplicate_archive.flag',
        targetType: 'duplicate_archive',
        targetId: r.id,
        changes: { supervisingCode: r.supervising_code },
      });
  }

  return { findDuplicates, writeClaimsAndFlags };
}

export type FamilyClaims = ReturnType<typeof createFamilyClaims>;
