import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { PAIRING_KINDS, PARTNER_KINDS } from '../labels.js';
import { requiredText, text, Version, WorkDate } from './fields.js';
import { RegionCode } from './users.js';
export { PARTNER_KINDS, PARTNER_KIND_LABELS, PAIRING_KINDS, PAIRING_KIND_LABELS } from '../labels.js';

const Id = z.string().min(1).max(64);

/* Requests */

export const PartnerOrganizationCreate = z.strictObject({
  regionCode: RegionCode,
  kind: z.enum(PARTNER_KINDS, { error: '组织类别不正确' }),
  name: requiredText(LIMITS.shortText, '组织名称'),
  contactPerson: text(LIMITS.name, '联系人').nullish(),
});
export type PartnerOrganizationCreate = z.infer<typeof PartnerOrganizationCreate>;

export const PartnerOrganizationQuery = z.object({
  regionCode: RegionCode.optional(),
  kind: z.enum(PARTNER_KINDS, { error: '组织类别不正确' }).optional(),
  q: z.string().trim().max(LIMITS.search).optional(),
});

export const PairingCreate = z.strictObject({
  organizationId: Id.nullish(),
  volunteerName: text(LIMITS.name, '志愿者姓名').nullish(),
  kind: z.enum(PAIRING_KINDS, { error: '帮扶内容应为精神慰藉、生活照料、陪同就医或其他' }),
  startedOn: WorkDate,
  description: text(LIMITS.shortText, '帮扶说明').nullish(),
});
export type PairingCreate = z.infer<typeof PairingCreate>;

export const PairingEnd = z.strictObject({
  version: Version,
  endedOn: WorkDate,
  reason: requiredText(LIMITS.shortText, '结束原因'),
});
export type PairingEnd = z.infer<typeof PairingEnd>;

export const PairingActivityCreate = z.strictObject({
  occurredOn: WorkDate,
  kind: z.enum(PAIRING_KINDS, { error: '活动内容不正确' }),
  note: text(LIMITS.longText, '活动情况').nullish(),
});
export type PairingActivityCreate = z.infer<typeof PairingActivityCreate>;

export const PairingListQuery = z.object({
  regionCode: RegionCode.optional(),
  kind: z.enum(PAIRING_KINDS, { error: '帮扶内容不正确' }).optional(),
  organizationId: Id.optional(),
  isActive: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/* Responses */

export const PartnerOrganization = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  kind: z.enum(PARTNER_KINDS),
  name: z.string(),
  contactPerson: z.string().nullable(),
  activePairings: z.number().int(),
  version: z.number().int(),
});
export type PartnerOrganization = z.infer<typeof PartnerOrganization>;

export const PairingActivity = z.object({
  id: z.string(),
  occurredOn: z.string(),
  kind: z.enum(PAIRING_KINDS),
  note: z.string().nullable(),
});
export type PairingActivity = z.infer<typeof PairingActivity>;

export const Pairing = z.object({
  id: z.string(),
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  volunteerName: z.string().nullable(),
  kind: z.enum(PAIRING_KINDS),
  description: z.string().nullable(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
  isActive: z.boolean(),
  activityCount: z.number().int(),
  lastActivityOn: z.string().nullable(),
  version: z.number().int(),
});
export type Pairing = z.infer<typeof Pairing>;

export const PairingWithActivities = Pairing.extend({ activities: z.array(PairingActivity) });
export type PairingWithActivities = z.infer<typeof PairingWithActivities>;

const coverageRow = { regionCode: z.string(), name: z.string(), families: z.number().int(), paired: z.number().int() };
export const PairingCoverage = z.object({
  ...coverageRow,
  /** Active pairings (a family may have several). */
  pairings: z.number().int(),
  children: z.array(z.object(coverageRow)),
});
export type PairingCoverage = z.infer<typeof PairingCoverage>;
