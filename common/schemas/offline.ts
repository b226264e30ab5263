import { z } from 'zod';
import { CurrentAssignment } from './contacts.js';
import { FAMILY_STATUSES, FAMILY_TYPES } from './families.js';

/**
 * What a phone keeps for field use without signal (issue #17, `GET /api/v1/offline-pack`): the user's todos
 * and, per family they log visits for, what the visit form needs. Names are masked (张某英), phones masked,
 * no ID numbers, no address, no birth dates: a lost phone gives away little.
 */
export const OfflineTodo = z.object({
  kind: z.string(),
  familyId: z.string(),
  archiveNo: z.string(),
  /** The family's parents, masked (钱某兰、李某国). */
  familyName: z.string(),
  title: z.string(),
  regionName: z.string(),
  dueAt: z.string(),
  detail: z.string(),
  urgency: z.number().int(),
  path: z.string().optional(),
});

export const OfflineFamily = z.object({
  id: z.string(),
  archiveNo: z.string(),
  familyType: z.enum(FAMILY_TYPES),
  regionCode: z.string(),
  /** The village (社区) the family lives in. */
  regionName: z.string(),
  isSpecialDifficulty: z.boolean(),
  status: z.enum(FAMILY_STATUSES),
  version: z.number().int(),
  /** The parents, names masked. */
  members: z.array(z.object({ relation: z.enum(['father', 'mother']), name: z.string(), isDeceased: z.boolean() })),
  /** The family's current contacts as `GET /families/:id/assignments` lists them (phones masked). */
  contacts: z.array(CurrentAssignment),
});
export type OfflineFamily = z.infer<typeof OfflineFamily>;

export const OfflinePack = z.object({
  userId: z.string(),
  generatedAt: z.string(),
  todos: z.array(OfflineTodo),
  families: z.array(OfflineFamily),
  /** True when the user has more families than a phone keeps (OFFLINE_FAMILY_LIMIT); the most urgent are kept. */
  truncated: z.boolean(),
});
export type OfflinePack = z.infer<typeof OfflinePack>;

/** The most families one phone keeps offline. */
export const OFFLINE_FAMILY_LIMIT = 500;
