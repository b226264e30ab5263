/**
 * The contacts module's service as the routes and the other modules see it: the registry, the 双岗 posts and
 * their coverage, each in its own file (issue 12), put together here. A module that needs one of them takes
 * `Pick<ContactsService, …>` of what it calls.
 */
import type { Platform } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import type { FamilyLocator } from '../families/family-locator.js';
import { createContactAssignments } from './contact-assignments.js';
import { createContactCoverage } from './contact-coverage.js';
import { createContactRegistry } from './contact-registry.js';
import * as repo from './contacts.repository.js';

export { contactView } from './contacts.views.js';
/** A contact's families, the one count every table of contacts uses (the registry, 走访督导's contact table). */
export { familiesOfContact } from './contacts.repository.js';

/** The current 双岗 contacts of these families (`{ family_id, post, id, name, phone_mask }`), for other modules' lists. */
export function dualPostContactsOf(executor: Executor, familyIds: string[]) {
  return repo.dualPostContacts(executor, familyIds);
}

export function createContactsService(platform: Platform, families: FamilyLocator) {
  return {
    ...createContactRegistry(platform),
    ...createContactAssignments(platform, families),
    ...createContactCoverage(platform),
  };
}

export type ContactsService = ReturnType<typeof createContactsService>;
