import { z } from 'zod';
import { FESTIVALS } from '../festivals.js';
import { CARE_MANNERS, CARE_STATUSES, POSTS } from '../labels.js';
import { FAMILY_TYPES } from './families.js';
import { RegionCode } from './users.js';
export { CARE_MANNERS, CARE_STATUSES, type CareStatus } from '../labels.js';
export { FamilyFestivalCare, FestivalCareCreate } from './responses.js';

const Year = z.coerce
  .number()
  .int()
  .min(1901, { error: '年份应在 1901–2099 之间' })
  .max(2099, { error: '年份应在 1901–2099 之间' });

export const FestivalsQuery = z.object({ year: Year });

/** A festival of a year with its care window; dates are `YYYY-MM-DD` (China time). */
export const FestivalDate = z.object({
  festival: z.enum(FESTIVALS),
  label: z.string(),
  date: z.string(),
  windowFrom: z.string(),
  windowTo: z.string(),
});
export type FestivalDate = z.infer<typeof FestivalDate>;

/** One care recorded (`POST /families/{id}/festival-care`). */
export const FestivalCare = z.object({
  id: z.string(),
  campaignId: z.string(),
  festival: z.enum(FESTIVALS),
  year: z.number(),
  manner: z.enum(CARE_MANNERS),
  amount: z.number().nullable(),
  caredOn: z.string(),
  isOutsideWindow: z.boolean(),
});
export type FestivalCare = z.infer<typeof FestivalCare>;

const Figures = { families: z.number().int(), cared: z.number().int(), declined: z.number().int(), rate: z.number() };
/** Care figures of a region for one festival: `rate` (0–1) counts cared and declined families as done. */
export const CareFigures = z.object(Figures);
export type CareFigures = z.infer<typeof CareFigures>;

/** One festival campaign of a year in a region. */
export const CampaignQuery = z.object({ year: Year, festival: z.enum(FESTIVALS), regionCode: RegionCode.optional() });

export const FestivalCoverage = z.object({
  year: z.number(),
  festival: z.enum(FESTIVALS),
  label: z.string(),
  festivalDate: z.string(),
  windowFrom: z.string(),
  windowTo: z.string(),
  regionCode: z.string(),
  ...Figures,
  children: z.array(z.object({ regionCode: z.string(), name: z.string(), ...Figures })),
});
export type FestivalCoverage = z.infer<typeof FestivalCoverage>;

/** The families a list shows: not yet cared for, cared for, or declined. */
export const CareFamiliesQuery = CampaignQuery.extend({
  status: z.enum(CARE_STATUSES, { error: '状态应为尚未慰问、已慰问或婉拒' }).default('not_cared'),
});

export const CareFamily = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  familyType: z.enum(FAMILY_TYPES),
  /** As on the overdue list: names are not secret to the cadres of the region (DESIGN.md §6 masks IDs and phones). */
  parentNames: z.array(z.string()),
  /** The current 双岗 contacts, by name only. */
  contacts: z.array(z.object({ contactId: z.string(), post: z.enum(POSTS), name: z.string() })),
  care: z.object({ manner: z.enum(CARE_MANNERS), caredOn: z.string() }).nullable(),
});
export type CareFamily = z.infer<typeof CareFamily>;
