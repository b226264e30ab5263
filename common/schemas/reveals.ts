import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { REVEAL_REQUEST_STATUSES } from '../labels.js';
import { requiredText, Version } from './fields.js';

// The rule lives without Zod so the archive page can check a reason as typed without loading Zod.
export { REVEAL_REASON_MIN, revealReasonProblem } from '../reveal-reason.js';

/**
 * The schema only bounds the text: what the reason says is judged by the service after the scope check
 * (`revealReasonProblem`), so a probe outside the actor's region gets its 404 whatever the body.
 */
export const RevealReason = requiredText(LIMITS.shortText, '查看原因').min(2, { error: '请写明查看原因' });

// ---- Township approval beyond the hourly limit (issue 10 item 16) ----

export { REVEAL_REQUEST_STATUSES, REVEAL_REQUEST_STATUS_LABELS, type RevealRequestStatus } from '../labels.js';

/** The values a reveal may show: a parent's ID number or phone, the child's ID number or disability card. */
export const RevealField = z
  .string()
  .regex(/^(members\.[01]\.(idNumber|phone)|child\.(idNumber|disabilityCertNo))$/, { error: '不支持查看该字段' });

/** Labels of the reveal fields, for the approver's list and the requester's dialog. */
export function revealFieldLabel(field: string): string {
  const [scope, index, name] = field.split('.');
  if (scope === 'child') return index === 'idNumber' ? '子女身份证号码' : '子女残疾证号';
  const who = index === '0' ? '第一位成员' : '第二位成员';
  return `${who}${name === 'idNumber' ? '身份证号码' : '联系电话'}`;
}

/** `POST /api/v1/families/{id}/reveal-requests`: ask the township to let one more value be seen. */
export const RevealRequestCreate = z.strictObject({ field: RevealField, reason: RevealReason });
export type RevealRequestCreate = z.infer<typeof RevealRequestCreate>;

/** `POST /api/v1/reveal-requests/{id}/approve`: the reason is optional when approving. */
export const RevealRequestApprove = z.strictObject({
  version: Version,
  reason: requiredText(LIMITS.shortText, '审批意见').optional(),
});
export type RevealRequestApprove = z.infer<typeof RevealRequestApprove>;

/** `POST /api/v1/reveal-requests/{id}/reject`: a rejection says why (the requester reads it). */
export const RevealRequestReject = z.strictObject({
  version: Version,
  reason: requiredText(LIMITS.shortText, '驳回理由').min(2, { error: '请写明驳回理由' }),
});
export type RevealRequestReject = z.infer<typeof RevealRequestReject>;

/** `GET /api/v1/reveal-requests?status=&familyId=&mine=`. */
export const RevealRequestListQuery = z.object({
  status: z.enum(REVEAL_REQUEST_STATUSES, { error: '状态不正确' }).optional(),
  familyId: z.string().max(64).optional(),
  /** Only the reader's own requests (the requester's dialog). */
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type RevealRequestListQuery = z.infer<typeof RevealRequestListQuery>;

export const RevealRequestView = z.object({
  id: z.string(),
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  field: z.string(),
  fieldLabel: z.string(),
  reason: z.string(),
  status: z.enum(REVEAL_REQUEST_STATUSES),
  requestedById: z.string(),
  requestedByName: z.string(),
  requestedAt: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  /** Until when an approved request may be used. */
  expiresAt: z.string().nullable(),
  usedAt: z.string().nullable(),
  version: z.number().int(),
  abilities: z.object({ decide: z.boolean() }),
});
export type RevealRequestView = z.infer<typeof RevealRequestView>;
