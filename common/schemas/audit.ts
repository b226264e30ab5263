import { z } from 'zod';
import { AUDIT_CATEGORIES, SECURITY_EVENT_KINDS } from '../labels.js';
import { ROLES } from '../roles.js';

/**
 * The stored `changes` of an audit row, format version 1. A hash-chained row outlives the code that wrote it,
 * so the format is versioned and every reader goes through this schema.
 *
 * What a row may hold (docs/AUTHORIZATION.md "Audit log"): *which* fields changed, codes and numbers in clear
 * (enums, region codes, counts, ids, dates of work records), ID and phone numbers only as the masks of
 * `common/mask.ts`, and every other personal value (names, addresses, birth and death dates, causes, free
 * text) only as a keyed digest (HMAC-SM3, `digest`): whoever holds the key can check "was it this value?",
 * nobody can read it.
 */
export const AuditValue = z.union([
  z.object({ value: z.union([z.string().max(64), z.number(), z.boolean()]) }),
  z.object({ mask: z.string().max(40) }),
  z.object({ digest: z.string().regex(/^[0-9a-f]{32}$/) }),
  z.null(),
]);
export type AuditValue = z.infer<typeof AuditValue>;

export const AuditFieldChange = z.object({
  path: z.string().max(120),
  before: AuditValue.optional(),
  after: AuditValue.optional(),
});
export type AuditFieldChange = z.infer<typeof AuditFieldChange>;

const Scalar = z.union([z.string().max(64), z.number(), z.boolean(), z.null()]);
export const AuditFact = z.union([
  Scalar,
  z.array(Scalar).max(100_000),
  z.object({ digest: z.string().regex(/^[0-9a-f]{32}$/) }),
  z.object({ mask: z.string().max(40) }),
]);
export type AuditFact = z.infer<typeof AuditFact>;

export const AuditChangesV1 = z.object({
  v: z.literal(1),
  fields: z.array(AuditFieldChange).optional(),
  facts: z.record(z.string(), AuditFact).optional(),
});
export type AuditChangesV1 = z.infer<typeof AuditChangesV1>;

/** Rows written before format 1 may hold personal values: readers are shown only which keys they had. */
export const AuditChangesLegacy = z.object({ v: z.literal(0), keys: z.array(z.string()) });

export const AuditChanges = z.union([AuditChangesV1, AuditChangesLegacy]);
export type AuditChanges = z.infer<typeof AuditChanges>;

export const AuditEventView = z.object({
  seq: z.number().int(),
  occurredAt: z.string(),
  actorUsername: z.string().nullable(),
  actorRole: z.enum(ROLES).nullable(),
  actorRegionCode: z.string().nullable(),
  action: z.string(),
  /** Chinese name of the action ("登录"); the code itself for an action this version does not know. */
  actionLabel: z.string(),
  category: z.enum(AUDIT_CATEGORIES).nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** How a person names the target: an archive number, an account's username, a region's name — never a family member's name. */
  targetLabel: z.string().nullable(),
  targetRegionCode: z.string().nullable(),
  targetRegionName: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  changes: AuditChanges.nullable(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

const IsoInstant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}/, { error: '日期格式应为 YYYY-MM-DD' });

export const AuditQuery = z.object({
  category: z.enum(AUDIT_CATEGORIES).optional(),
  action: z.string().max(64).optional(),
  actor: z.string().max(64).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditCheckpointView = z.object({
  count: z.number().int(),
  headHash: z.string(),
  at: z.string(),
});
export type AuditCheckpointView = z.infer<typeof AuditCheckpointView>;

/**
 * - `matches`: the chain holds at least the newest checkpoint's rows and its head is the checkpoint's.
 * - `rows_missing`: the chain is shorter than the checkpoint: rows `missingFrom`..`missingTo` were removed.
 * - `head_mismatch`: the row at the checkpoint's position is not the one the checkpoint signed.
 * - `signature_invalid`: a checkpoint line does not carry a valid signature (the file was edited).
 * - `none`: no checkpoint yet (a new installation), or the anchor file is missing.
 */
export const ANCHOR_STATES = ['matches', 'rows_missing', 'head_mismatch', 'signature_invalid', 'none'] as const;

export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The chain position where the chain first fails to hold. */
  brokenAt: z.number().int().nullable(),
  anchor: z.enum(ANCHOR_STATES),
  checkpoint: AuditCheckpointView.nullable(),
  missingFrom: z.number().int().nullable(),
  missingTo: z.number().int().nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export { SECURITY_EVENT_KINDS };
