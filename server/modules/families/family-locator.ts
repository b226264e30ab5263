/**
 * The slice of the archive other modules need (issue 12): find a family the actor may see, and move its
 * version on when something that belongs to it (its 双岗) changes. Modules that work on a family — contacts,
 * contact logs, events, needs, petitions, festivals, the people around it — take this as
 * `Pick<FamilyLocator, 'locate'>` (or with `bumpVersion`), not the whole archive service, so the archive's
 * own use cases can change without touching them.
 */
import type { Platform } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { isInScope, type Actor } from '../../platform/scope.js';
import * as repo from './families.repository.js';

/** The family if the actor may see it at all: in their region, and for a contact, assigned to them. */
export async function loadFamilyInScope(trx: Executor, actor: Actor, id: string): Promise<repo.FamilyRow> {
  const row = await repo.findFamily(trx, id);
  if (!row || !isInScope(actor, row.region_code)) throw AppError.notFound();
  if (actor.role === 'contact' && !(await repo.isAssignedToUser(trx, id, actor.id))) throw AppError.notFound();
  return row;
}

/** The parents' names of these families (`{ family_id, name }`, by family and position), for other modules' lists. */
export function parentNamesOf(executor: Executor, familyIds: string[]) {
  return repo.parentNames(executor, familyIds);
}

export function createFamilyLocator(platform: Pick<Platform, 'db' | 'clock'>) {
  const { db, clock } = platform;
  return {
    /** The family row for a reader, after the scope and role checks, for other modules' services. */
    async locate(actor: Actor, id: string, executor: Executor = db): Promise<repo.FamilyRow> {
      const row = await loadFamilyInScope(executor, actor, id);
      authorize(actor, 'family.read', row.region_code);
      return row;
    },

    /**
     * Assignments are part of the archive: changing them moves its version on. With the version the client
     * saw, a concurrent change answers 409 on both databases.
     */
    async bumpVersion(trx: Tx, id: string, version?: number): Promise<void> {
      const now = clock.now().toISOString();
      const ok =
        version === undefined
          ? await repo.touchFamily(trx, id, now)
          : await repo.updateFamilyRow(trx, id, version, { updated_at: now });
      if (!ok) throw new AppError('VERSION_CONFLICT');
    },
  };
}

export type FamilyLocator = ReturnType<typeof createFamilyLocator>;
