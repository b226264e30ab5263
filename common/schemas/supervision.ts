import { z } from 'zod';
import { FESTIVALS, RISK_LEVELS, TARGET_LEVELS } from '../labels.js';
import { NeedsByDepartment } from './needs.js';
import { RegionCode } from './users.js';

export const SupervisionQuery = z.object({ regionCode: RegionCode.optional() });

/** A supervisor's page in one answer (R5, R6, R7, R11). */
export const SupervisionSummary = z.object({
  regionCode: z.string(),
  events: z.object({
    open: z.number().int(),
    overdue: z.number().int(),
    escalated: z.number().int(),
    byAge: z.array(z.object({ bucket: z.string(), count: z.number().int() })),
  }),
  /** The festival whose window is open, else the next one. */
  festival: z.object({
    festival: z.enum(FESTIVALS),
    label: z.string(),
    year: z.number(),
    families: z.number().int(),
    cared: z.number().int(),
    declined: z.number().int(),
    rate: z.number(),
  }),
  /** null for readers without need-to-know of petition data. */
  risks: z
    .array(z.object({ riskLevel: z.enum(RISK_LEVELS), targetLevel: z.enum(TARGET_LEVELS), count: z.number().int() }))
    .nullable(),
  needs: z.array(NeedsByDepartment),
});
export type SupervisionSummary = z.infer<typeof SupervisionSummary>;
