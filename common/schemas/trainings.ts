import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { POSTS, TRAINING_TOPICS } from '../labels.js';
import { requiredText, text, Version, WorkDate } from './fields.js';
import { RegionCode } from './users.js';
export { TRAINING_TOPICS, TRAINING_TOPIC_LABELS } from '../labels.js';

/** Most attendees one session records (a county-wide session of every contact stays well below). */
export const MAX_ATTENDEES = 2000;
const ContactIds = z
  .array(z.string().min(1).max(64), { error: '请选择参加培训的联系人' })
  .max(MAX_ATTENDEES, { error: `一次培训最多登记 ${MAX_ATTENDEES} 人` });

/* Requests */

export const TrainingCreate = z.strictObject({
  regionCode: RegionCode,
  title: requiredText(LIMITS.shortText, '培训名称'),
  heldOn: WorkDate,
  topics: z
    .array(z.enum(TRAINING_TOPICS, { error: '培训内容应为扶助政策、心理疏导、群众工作方法或其他' }))
    .min(1, { error: '请选择培训内容' })
    .max(TRAINING_TOPICS.length),
  trainer: text(LIMITS.name, '授课人').nullish(),
  hours: z.number().positive({ error: '学时应大于 0' }).max(80, { error: '学时不能超过 80' }).nullish(),
  attendeeContactIds: ContactIds.default([]),
});
export type TrainingCreate = z.infer<typeof TrainingCreate>;

export const AttendanceSet = z.strictObject({ version: Version, contactIds: ContactIds });
export type AttendanceSet = z.infer<typeof AttendanceSet>;

const Year = z.coerce.number().int().min(2016).max(2099);
export const TrainingListQuery = z.object({ regionCode: RegionCode.optional(), year: Year.optional() });
export const TrainingCoverageQuery = z.object({ regionCode: RegionCode.optional(), year: Year.optional() });

/* Responses */

export const Training = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  title: z.string(),
  heldOn: z.string(),
  topics: z.array(z.enum(TRAINING_TOPICS)),
  trainer: z.string().nullable(),
  hours: z.number().nullable(),
  attendeeCount: z.number().int(),
  version: z.number().int(),
});
export type Training = z.infer<typeof Training>;

const Person = z.object({
  contactId: z.string(),
  name: z.string(),
  post: z.enum(POSTS),
  regionCode: z.string(),
  regionName: z.string(),
});
export type TrainingPerson = z.infer<typeof Person>;

export const TrainingDetail = Training.extend({ attendees: z.array(Person) });
export type TrainingDetail = z.infer<typeof TrainingDetail>;

export const TrainingCoverage = z.object({
  regionCode: z.string(),
  year: z.number().int(),
  /** Active contacts in the region, and those among them at one session or more this year (R15). */
  contacts: z.number().int(),
  trained: z.number().int(),
  /** The first 1,000 untrained contacts; the paged list has them all. */
  untrained: z.array(Person),
  untrainedTotal: z.number().int(),
  /** Every county and township of the region with its sessions of the year. */
  regions: z.array(
    z.object({ regionCode: z.string(), name: z.string(), level: z.string(), sessions: z.number().int() }),
  ),
  children: z.array(
    z.object({ regionCode: z.string(), name: z.string(), contacts: z.number().int(), trained: z.number().int() }),
  ),
});
export type TrainingCoverage = z.infer<typeof TrainingCoverage>;

export const ContactTrainings = z.object({
  contactId: z.string(),
  isTrainedThisYear: z.boolean(),
  trainings: z.array(Training),
});
export type ContactTrainings = z.infer<typeof ContactTrainings>;

const RowError = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export const AttendanceImportResult = z.object({
  mode: z.enum(['validate', 'commit']),
  total: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  /** Already recorded as attending: nothing to add. */
  skipped: z.number().int(),
  errors: z.array(RowError),
  training: TrainingDetail.nullable(),
});
export type AttendanceImportResult = z.infer<typeof AttendanceImportResult>;
