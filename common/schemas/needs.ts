import { z } from 'zod';
import { DEPARTMENTS, NEED_CATEGORIES, NEED_STATUSES } from '../labels.js';
import { RegionCode } from './users.js';
export { DEPARTMENTS, NEED_CATEGORIES, NEED_STATUSES, type NeedStatus } from '../labels.js';
export { JointMeetingCreate, NeedCreate, NeedUpdate } from './responses.js';

/** 诉求 (R11), routed to a department with a deadline. */
export const Need = z.object({
  id: z.string(),
  familyId: z.string(),
  archiveNo: z.string().nullable(),
  regionName: z.string().nullable(),
  contactLogId: z.string().nullable(),
  category: z.enum(NEED_CATEGORIES),
  department: z.enum(DEPARTMENTS),
  description: z.string(),
  /** `YYYY-MM-DD` */
  deadline: z.string(),
  status: z.enum(NEED_STATUSES),
  /** Why it cannot be resolved. */
  statusReason: z.string().nullable(),
  resolution: z.string().nullable(),
  confirmedWithFamilyAt: z.string().nullable(),
  isOverdue: z.boolean(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Need = z.infer<typeof Need>;

/** 联席会议 (R11): the departments present and a decision per need on the agenda. */
export const JointMeeting = z.object({
  id: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  /** `YYYY-MM-DD` */
  heldOn: z.string(),
  departments: z.array(z.enum(DEPARTMENTS)),
  minutes: z.string().nullable(),
  items: z.array(
    z.object({
      needId: z.string(),
      decision: z.string(),
      familyId: z.string(),
      archiveNo: z.string(),
      category: z.enum(NEED_CATEGORIES),
      department: z.enum(DEPARTMENTS),
      description: z.string(),
      status: z.enum(NEED_STATUSES),
    }),
  ),
});
export type JointMeeting = z.infer<typeof JointMeeting>;

/** Resolution rate and overdue count of one responsible department. */
export const NeedsByDepartment = z.object({
  department: z.enum(DEPARTMENTS),
  total: z.number().int(),
  resolved: z.number().int(),
  unresolvable: z.number().int(),
  overdue: z.number().int(),
  /** 0–1 */
  resolutionRate: z.number(),
});
export type NeedsByDepartment = z.infer<typeof NeedsByDepartment>;

const Flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** The list's filters (the page and page size come from PageQuery). */
export const NeedListFilters = z.object({
  regionCode: RegionCode.optional(),
  familyId: z.string().max(64).optional(),
  status: z.enum(NEED_STATUSES).optional(),
  department: z.enum(DEPARTMENTS).optional(),
  isOverdue: Flag,
  /** `false`: still to be handled (open, referred, in progress); `true`: resolved or unresolvable. */
  isClosed: Flag,
});
/** The filters as a browser puts them in the query string (booleans as text). */
export type NeedListQuery = z.input<typeof NeedListFilters>;
