import { z } from 'zod';
import { CONTACT_MODES, DIRECTIONS, MENTAL_SCALE, POSTS, PROBLEM_AREAS, SELF_CARE_LEVELS } from '../labels.js';
import { LIMITS } from '../limits.js';
import { text, Version, WorkInstant } from './fields.js';
export { CONTACT_MODES, DIRECTIONS, MENTAL_SCALE, PROBLEM_AREAS, SELF_CARE_LEVELS } from '../labels.js';

// No defaults here: the PATCH schema is derived from these fields, and a default there would overwrite
// what is stored with it whenever the field is left out.
const contactLogFields = {
  mode: z.enum(CONTACT_MODES, { error: '联系方式应为登门走访、电话、网络或其他' }),
  direction: z.enum(DIRECTIONS, { error: '联系发起方不正确' }),
  occurredAt: WorkInstant,
  participants: text(LIMITS.shortText, '参与人').nullish(),
  health: text(LIMITS.shortText, '身体状况').nullish(),
  selfCare: z.enum(SELF_CARE_LEVELS).nullish(),
  mentalState: z.enum(MENTAL_SCALE, { error: '精神状态不正确' }).nullish(),
  demands: text(LIMITS.longText, '诉求').nullish(),
  policiesExplained: text(LIMITS.longText, '政策宣传').nullish(),
  problemsCoordinated: z.array(z.enum(PROBLEM_AREAS)).max(PROBLEM_AREAS.length).nullish(),
  followUps: text(LIMITS.longText, '后续事项').nullish(),
  notes: text(LIMITS.longText, '备注').nullish(),
};

export const ContactLogCreate = z.strictObject({
  contactId: z.string().max(64, { error: '联系人不正确' }),
  ...contactLogFields,
  direction: contactLogFields.direction.default('outreach'),
});
/** The body as the server reads it (`direction` defaulted). */
export type ContactLogCreate = z.infer<typeof ContactLogCreate>;
/** The body as a client may send it (`direction` may be left out). */
export type ContactLogCreateInput = z.input<typeof ContactLogCreate>;

export const ContactLogUpdate = z.strictObject(contactLogFields).partial().extend({ version: Version }).strict();
export type ContactLogUpdate = z.infer<typeof ContactLogUpdate>;

/** 联系记录 (R4) as every endpoint answers it. */
export const ContactLog = z.object({
  id: z.string(),
  familyId: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  contactPost: z.enum(POSTS),
  mode: z.enum(CONTACT_MODES),
  direction: z.enum(DIRECTIONS),
  occurredAt: z.string(),
  participants: z.string().nullable(),
  health: z.string().nullable(),
  selfCare: z.enum(SELF_CARE_LEVELS).nullable(),
  mentalState: z.enum(MENTAL_SCALE).nullable(),
  demands: z.string().nullable(),
  policiesExplained: z.string().nullable(),
  problemsCoordinated: z.array(z.enum(PROBLEM_AREAS)),
  followUps: z.string().nullable(),
  notes: z.string().nullable(),
  /** Logged by staff for the contact. */
  isOnBehalf: z.boolean(),
  createdAt: z.string(),
  revisions: z.number().int(),
  version: z.number().int(),
});
export type ContactLog = z.infer<typeof ContactLog>;
