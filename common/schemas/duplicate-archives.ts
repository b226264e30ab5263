import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { DUPLICATE_RESOLUTIONS, DUPLICATE_STATUSES } from '../labels.js';
import { requiredText, Version } from './fields.js';
import { RegionCode } from './users.js';
export {
  DUPLICATE_RESOLUTIONS,
  DUPLICATE_RESOLUTION_LABELS,
  DUPLICATE_STATUSES,
  DUPLICATE_STATUS_LABELS,
  type DuplicateResolution,
  type DuplicateStatus,
} from '../labels.js';

/** `GET /api/v1/duplicate-archives?regionCode=&status=` (DESIGN.md §5.2). */
export const DuplicateListQuery = z.object({
  regionCode: RegionCode.optional(),
  status: z.enum(DUPLICATE_STATUSES, { error: '状态不正确' }).optional(),
});
export type DuplicateListQuery = z.infer<typeof DuplicateListQuery>;

/** `POST /api/v1/duplicate-archives/{id}/resolve`. `version`, when sent, guards against a stale page. */
export const DuplicateResolve = z.strictObject({
  resolution: z.enum(DUPLICATE_RESOLUTIONS, { error: '请选择处理方式' }),
  reason: requiredText(LIMITS.shortText, '处理理由').min(4, { error: '处理理由至少 4 个字' }),
  version: Version.optional(),
});
export type DuplicateResolve = z.infer<typeof DuplicateResolve>;

/** One side of the pair: null when it lies outside the reader's scope (across provinces). */
const ArchiveSide = z
  .object({
    familyId: z.string(),
    archiveNo: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    status: z.string(),
    enteredAt: z.string(),
    createdAt: z.string(),
    /** The parent whose ID number both archives hold, as this archive names them (number masked). */
    memberName: z.string().nullable(),
    memberRelation: z.string().nullable(),
    idNumber: z.string().nullable(),
  })
  .nullable();

export const DuplicateView = z.object({
  id: z.string(),
  status: z.enum(DUPLICATE_STATUSES),
  supervisingCode: z.string(),
  supervisingName: z.string(),
  newArchive: ArchiveSide,
  existingArchive: ArchiveSide,
  reason: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  version: z.number().int(),
  abilities: z.object({ resolve: z.boolean() }),
});
export type DuplicateView = z.infer<typeof DuplicateView>;
