/**
 * What leaves the server about contacts and their 双岗 posts: the registry's row, a family's current and past
 * posts, the coverage figures.
 */
import type { Assignments, Contact, CoverageFigures, CoverageGap, Post } from '../../../common/schemas/contacts.js';
import type { FamilyType } from '../../../common/schemas/families.js';
import type { Actor } from '../../platform/scope.js';
import type * as repo from './contacts.repository.js';

export function contactView(r: repo.ContactRow): Contact {
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

/** A family's posts: who holds them now, and who held them before with when and why it ended. */
export function assignmentsView(
  current: Awaited<ReturnType<typeof repo.activeAssignments>>,
  history: Awaited<ReturnType<typeof repo.assignmentHistory>>,
  actor: Pick<Actor, 'id'>,
): Assignments {
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

/** The coverage figures of one region's row (or zeros for a child region without families). */
export function coverageNumbers(r?: Awaited<ReturnType<typeof repo.coverageByPrefix>>[number]): CoverageFigures {
  return {
    families: Number(r?.families ?? 0),
    bothPosts: Number(r?.both_posts ?? 0),
    missingTownshipPost: Number(r?.missing_township ?? 0),
    missingVillagePost: Number(r?.missing_village ?? 0),
    specialDifficulty: Number(r?.special_difficulty ?? 0),
    specialDifficultyWithoutCountyLeader: Number(r?.sd_without_leader ?? 0),
  };
}

/** A family behind a coverage gap. */
export function coverageGapView(r: Awaited<ReturnType<typeof repo.familiesWithGap>>['rows'][number]): CoverageGap {
  return {
    id: r.id,
    archiveNo: r.archive_no,
    regionCode: r.region_code,
    regionName: r.region_name,
    familyType: r.family_type as FamilyType,
    isSpecialDifficulty: r.is_special_difficulty === 1,
  };
}
