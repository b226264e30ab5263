/**
 * The archive's service as the routes and the other modules see it (issue 12): its use cases, each in its own
 * file by concern — the read (`family-reads`), creation (`family-creation`), edits of the family, its parents
 * and child (`family-edits`), status changes (`family-status`), assistance (`family-assistance`) and the reveal
 * (`family-reveal`) — over what they share (`family-archive`, `family-claims`), put together here. What most
 * other modules need of the archive is `family-locator.ts`, not this.
 */
import type { Platform } from '../../platform/context.js';
import type { ComplianceFacts } from '../compliance/compliance.service.js';
import type { ContactAssignments } from '../contacts/contact-assignments.js';
import { createFamilyArchive } from './family-archive.js';
import { createFamilyAssistance } from './family-assistance.js';
import { createFamilyClaims } from './family-claims.js';
import { createFamilyCreation } from './family-creation.js';
import { createFamilyEdits } from './family-edits.js';
import { createFamilyReads } from './family-reads.js';
import { createFamilyReveal } from './family-reveal.js';
import { createFamilyStatus } from './family-status.js';

export { BatchItemError } from './family-creation.js';
export type { FamilyListQuery } from './family-reads.js';

export function createFamiliesService(
  platform: Platform,
  facts: ComplianceFacts,
  assignments: Pick<ContactAssignments, 'endForFamily' | 'resumeForFamily'>,
) {
  const archive = createFamilyArchive(platform);
  const claims = createFamilyClaims(platform);
  return {
    ...createFamilyReads(platform, archive),
    ...createFamilyCreation(platform, archive, claims, facts),
    ...createFamilyEdits(platform, archive, claims, facts),
    ...createFamilyStatus(platform, archive, facts, assignments),
    ...createFamilyAssistance(platform, archive),
    ...createFamilyReveal(platform),
  };
}

export type FamiliesService = ReturnType<typeof createFamiliesService>;
