import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { STAFFING_CHECK, STAFFING_DUTIES } from '../labels.js';
import { requiredText, Version } from './fields.js';
import { RegionCode } from './users.js';
export { STAFFING_DUTIES, STAFFING_DUTY_LABELS, STAFFING_CHECK } from '../labels.js';

const Person = z.strictObject({
  /** A user account of the county; the name may then be left to the account's display name. */
  userId: z.string().min(1).max(64).nullish(),
  name: requiredText(LIMITS.name, '姓名').optional(),
});

/* Requests */

export const CountyStaffingSet = z.strictObject({
  leader: Person.nullable(),
  staff: z.array(Person).max(STAFFING_CHECK.maxStaff, { error: `工作人员为 1–${STAFFING_CHECK.maxStaff} 名` }),
  /** The county's staffing version as the client saw it; absent the first time. */
  version: Version.optional(),
});
export type CountyStaffingSet = z.infer<typeof CountyStaffingSet>;

export const CountyStaffingQuery = z.object({
  regionCode: RegionCode.optional(),
  complete: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/* Responses */

export const CountyStaffingCheck = z.object({
  regionCode: z.string(),
  name: z.string(),
  hasLeader: z.boolean(),
  staffCount: z.number().int(),
  complete: z.boolean(),
  leaderName: z.string().nullable(),
  staffNames: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
export type CountyStaffingCheck = z.infer<typeof CountyStaffingCheck>;

const StaffingMember = z.object({
  id: z.string(),
  duty: z.enum(STAFFING_DUTIES),
  userId: z.string().nullable(),
  name: z.string(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
});
export const CountyStaffing = z.object({
  regionCode: z.string(),
  name: z.string(),
  leader: StaffingMember.nullable(),
  staff: z.array(StaffingMember),
  history: z.array(StaffingMember),
  hasLeader: z.boolean(),
  staffCount: z.number().int(),
  complete: z.boolean(),
  version: z.number().int().nullable(),
});
export type CountyStaffing = z.infer<typeof CountyStaffing>;

const summaryRow = { regionCode: z.string(), name: z.string(), counties: z.number().int(), complete: z.number().int() };
export const CountyStaffingSummary = z.object({
  ...summaryRow,
  children: z.array(z.object(summaryRow)),
});
export type CountyStaffingSummary = z.infer<typeof CountyStaffingSummary>;
