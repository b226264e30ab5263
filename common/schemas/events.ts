import { z } from 'zod';
import { AFFECTED, EVENT_KINDS, EVENT_STATUSES } from '../labels.js';
export { AFFECTED, EVENT_KINDS, EVENT_STATUSES } from '../labels.js';
import { EventCreate } from './responses.js';
export { EventClose, EventCreate } from './responses.js';

/** 重大情况 (R5) as every endpoint answers it: the event, its escalations and the visit that answered it. */
export const MajorEvent = z.object({
  id: z.string(),
  familyId: z.string(),
  kind: z.enum(EVENT_KINDS),
  affectedRelation: z.enum(AFFECTED).nullable(),
  affected: z.string().nullable(),
  occurredAt: z.string(),
  description: z.string().nullable(),
  responseDueAt: z.string(),
  status: z.enum(EVENT_STATUSES),
  /** 0 with the family's contacts, 1 sent to the township, 2 to the county. */
  escalationLevel: z.number().int(),
  escalations: z.array(z.object({ level: z.number().int(), escalatedAt: z.string() })),
  respondedAt: z.string().nullable(),
  responseLogId: z.string().nullable(),
  /** The home visit that answered the event, and the contact who made it. */
  responseVisit: z.object({ occurredAt: z.string(), contactName: z.string() }).nullable(),
  followUp: z.string().nullable(),
  closedAt: z.string().nullable(),
  deathConfirmedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type MajorEvent = z.infer<typeof MajorEvent>;
/** The report as a client may send it (`affectedRelation` defaults to the family). */
export type MajorEventCreate = z.input<typeof EventCreate>;
