import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DEPARTMENTS, NEED_CATEGORIES } from '../../../common/schemas/responses';
import { api, type Envelope } from './client';
import { todoKeys } from './todos';

/** 诉求 (R11), routed to a department with a deadline. */
export interface NeedCreate {
  familyId: string;
  contactLogId?: string | null;
  category: (typeof NEED_CATEGORIES)[number];
  department: (typeof DEPARTMENTS)[number];
  description: string;
  /** `YYYY-MM-DD`, today or later. */
  deadline: string;
}

export interface Need {
  id: string;
  familyId: string;
  category: string;
  department: string;
  description: string;
  deadline: string;
  status: string;
  isOverdue: boolean;
  version: number;
}

export function useCreateNeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: NeedCreate) => (await api.post<Envelope<Need>>('/needs', input)).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: todoKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['supervision'] });
    },
  });
}
