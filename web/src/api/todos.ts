import { useQuery } from '@tanstack/react-query';
import { api, type Envelope } from './client';

/** The kinds of due work `GET /todos` returns (server/modules/todos/todos.service.ts). */
export type TodoKind =
  | 'event_response'
  | 'petition_visit'
  | 'petition_alert'
  | 'visit_due'
  | 'festival_care'
  | 'need_overdue'
  | 'training_due'
  | 'stat_return_due'
  | 'stat_return_review';

export interface Todo {
  kind: TodoKind;
  familyId: string;
  archiveNo: string;
  title: string;
  regionName: string;
  /** An ISO instant, or a `YYYY-MM-DD` date for month ends and festival windows. */
  dueAt: string;
  detail: string;
  /** Lower is more urgent; the list arrives most urgent first. */
  urgency: number;
  /** Work not about one family (training_due): the page it opens. */
  path?: string;
}

export const todoKeys = { all: ['todos'] as const };

export function useTodos(enabled = true) {
  return useQuery({
    queryKey: todoKeys.all,
    queryFn: async ({ signal }) => (await api.get<Envelope<Todo[]>>('/todos', undefined, signal)).data,
    enabled,
  });
}
