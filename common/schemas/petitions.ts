import { z } from 'zod';
import {
  HANDLING_KINDS,
  PETITION_FORMS,
  PETITION_RISK_STATUSES,
  PETITION_SCOPES,
  RISK_LEVELS,
  TARGET_LEVELS,
} from '../labels.js';
export { PetitionEventCreate, PetitionHandlingCreate, PetitionRiskCreate } from './responses.js';

/** 信访风险 (R6): a risk, its handlings and the leaders' alert. */
export const PetitionRisk = z.object({
  id: z.string(),
  familyId: z.string(),
  targetLevel: z.enum(TARGET_LEVELS),
  scope: z.enum(PETITION_SCOPES),
  riskLevel: z.enum(RISK_LEVELS),
  signals: z.string(),
  identifiedAt: z.string(),
  visitDueAt: z.string(),
  visitedAt: z.string().nullable(),
  /** `YYYY-MM-DD` */
  reviewDate: z.string().nullable(),
  status: z.enum(PETITION_RISK_STATUSES),
  resolvedAt: z.string().nullable(),
  isLeaderAlerted: z.boolean(),
  handlings: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(HANDLING_KINDS),
      note: z.string(),
      handledAt: z.string(),
      /** The account that wrote it down (display name). */
      handledBy: z.string().nullable(),
    }),
  ),
  version: z.number().int(),
});
export type PetitionRisk = z.infer<typeof PetitionRisk>;

/** A petition that took place (信访事件). */
export const PetitionEvent = z.object({
  id: z.string(),
  riskId: z.string().nullable(),
  level: z.enum(TARGET_LEVELS),
  form: z.enum(PETITION_FORMS),
  size: z.number().int(),
  occurredOn: z.string(),
  outcome: z.string().nullable(),
});
export type PetitionEvent = z.infer<typeof PetitionEvent>;

/** `GET /families/{id}/petition-risks`: the family's risks and its petitions. */
export const PetitionRisks = z.object({ risks: z.array(PetitionRisk), events: z.array(PetitionEvent) });
export type PetitionRisks = z.infer<typeof PetitionRisks>;
