import { z } from 'zod';
import { TODO_KINDS } from '../labels.js';
export { TODO_KINDS, type TodoKind } from '../labels.js';

/** One piece of due work of `GET /todos` (server/modules/todos/todos.service.ts). */
export const Todo = z.object({
  kind: z.enum(TODO_KINDS),
  familyId: z.string(),
  archiveNo: z.string(),
  /** The family's parents, masked (钱某兰、李某国; common/mask.ts maskName); '' for work not about a family. */
  familyName: z.string(),
  title: z.string(),
  regionName: z.string(),
  /** An ISO instant, or a `YYYY-MM-DD` date for month ends and festival windows. */
  dueAt: z.string(),
  detail: z.string(),
  /** Lower is more urgent: alerts and overdue responses first, then by deadline; the list arrives most urgent first. */
  urgency: z.number().int(),
  /** Work not about one family (training_due): the web page it opens; familyId and archiveNo are then ''. */
  path: z.string().optional(),
});
export type Todo = z.infer<typeof Todo>;
