import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { Role } from '../../../common/roles';
import { readPackMeta } from '../offline/offline-db';
import { orOffline } from '../offline/or-offline';
import { api, type Envelope } from './client';
import { TODO_ROLES } from './todo-roles';

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
  | 'stat_return_review'
  | 'survey_call'
  | 'survey_discrepancy'
  | 'reveal_request'
  | 'supervision_order'
  | 'accountability_case';

export interface Todo {
  kind: TodoKind;
  familyId: string;
  archiveNo: string;
  /** The family's parents, masked (钱某兰、李某国); '' for work not about a family. */
  familyName: string;
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

export { TODO_ROLES } from './todo-roles';

const todosQuery = queryOptions({
  queryKey: todoKeys.all,
  queryFn: ({ signal }) =>
    orOffline(
      async () => (await api.get<Envelope<Todo[]>>('/todos', undefined, signal)).data,
      // Without signal: the todos as of the last sync (issue #17).
      async () => ((await readPackMeta())?.todos as Todo[] | undefined) ?? null,
    ),
});

export function useTodos(enabled = true) {
  return useQuery({ ...todosQuery, enabled });
}

/**
 * Asks for the due work as soon as the session is known, while the home page's code is still loading
 * and rendering: one wait fewer before 我的待办 shows (bench: Fast 3G).
 */
export function prefetchTodos(queryClient: QueryClient, role: Role): void {
  if (TODO_ROLES.includes(role)) void queryClient.prefetchQuery(todosQuery);
}
