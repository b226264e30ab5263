import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export const PAGE_SIZE_OPTIONS = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export function readPage(params: URLSearchParams): { page: number; pageSize: number } {
  const page = Number.parseInt(params.get('page') ?? '', 10);
  const pageSize = Number.parseInt(params.get('pageSize') ?? '', 10);
  return {
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZE_OPTIONS as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/**
 * Filters and paging kept in the address bar, so a list can be bookmarked, shared and survives reload.
 * Changing a filter goes back to page 1.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();

  const setFilters = useCallback(
    (changes: Record<string, string | undefined>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          if (!('page' in changes)) next.delete('page');
          return next;
        },
        { replace: false },
      );
    },
    [setParams],
  );

  const setPage = useCallback(
    (page: number, pageSize: number) =>
      setFilters({
        page: page > 1 ? String(page) : undefined,
        pageSize: pageSize !== DEFAULT_PAGE_SIZE ? String(pageSize) : undefined,
      }),
    [setFilters],
  );

  return { params, setFilters, setPage };
}
