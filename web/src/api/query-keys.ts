/**
 * Query keys of the resources other resources invalidate, in one module that imports nothing, so two api
 * modules never import each other for a key (families ↔ needs did). A resource's own hooks re-export its keys.
 */

export const familyKeys = {
  all: ['families'] as const,
  search: <S extends object>(search: S) => ['families', 'search', search] as const,
  stats: (regionCode: string | undefined) => ['families', 'stats', regionCode ?? ''] as const,
  one: (id: string) => ['families', id] as const,
  part: (id: string, part: string) => ['families', id, part] as const,
};

// Everything about needs sits under 'needs', so one invalidation refreshes lists, figures and meetings.
export const needKeys = {
  all: ['needs'] as const,
  list: <F extends object>(filters: F) => ['needs', 'list', filters] as const,
  byDepartment: (regionCode: string | undefined) => ['needs', 'by-department', regionCode ?? ''] as const,
  meetings: (regionCode: string | undefined) => ['needs', 'meetings', regionCode ?? ''] as const,
};
