import { z } from 'zod';
import { POSTS } from '../labels.js';
import { REGION_LEVELS } from '../roles.js';
import { FAMILY_TYPES } from './families.js';
import { MonthParam } from './fields.js';
import { RegionCode } from './users.js';

/** A region (or the actor's own) and a month (the current one when absent). */
export const ComplianceQuery = z.object({ regionCode: RegionCode.optional(), month: MonthParam.optional() });
export type ComplianceQuery = z.input<typeof ComplianceQuery>;

const Figures = { families: z.number().int(), visited: z.number().int(), rate: z.number() };
/** Home-visit figures of one region or contact for one month. `rate` is 0–1. */
export const VisitFigures = z.object(Figures);
export type VisitFigures = z.infer<typeof VisitFigures>;

/** Home-visit compliance (R4) of a region and each child region for one month. */
export const MonthlyCompliance = z.object({
  regionCode: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  /** `YYYY-MM` */
  month: z.string(),
  ...Figures,
  children: z.array(z.object({ regionCode: z.string(), name: z.string(), ...Figures })),
  /** Set when a lagging read replica answered (DATABASE_READ_URL): the figures are as of this time (数据截至). */
  asOf: z.string().nullable(),
});
export type MonthlyCompliance = z.infer<typeof MonthlyCompliance>;

export const TrendPoint = z.object({ month: z.string(), ...Figures });
export type TrendPoint = z.infer<typeof TrendPoint>;

export const ContactCompliance = z.object({
  contactId: z.string(),
  name: z.string(),
  post: z.enum(POSTS),
  regionCode: z.string(),
  regionName: z.string(),
  ...Figures,
});
export type ContactCompliance = z.infer<typeof ContactCompliance>;

/** A family nobody home-visited in the month, with its contacts (phones masked). */
export const OverdueFamily = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  familyType: z.enum(FAMILY_TYPES),
  parentNames: z.array(z.string()),
  contactsThisMonth: z.number().int(),
  lastContactAt: z.string().nullable(),
  lastHomeVisitAt: z.string().nullable(),
  /** Phones are masked. */
  contacts: z.array(z.object({ contactId: z.string(), post: z.enum(POSTS), name: z.string(), phone: z.string() })),
});
export type OverdueFamily = z.infer<typeof OverdueFamily>;
