import { useCallback } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import type { FamilyFilters, FamilySearch, FamilyStatus, FamilyType } from '../../api/families';
import { parseIdNumber } from '../../../../common/validators/id-number';
import { parsePhone } from '../../../../common/validators/phone';
import { readPage, DEFAULT_PAGE_SIZE } from '../../components/url-state';

/** A search for one person's full ID number or phone: not written into the export's link. */
export function isPersonalNumber(q: string): boolean {
  return parseIdNumber(q).ok || parsePhone(q).ok;
}

const TYPES: readonly string[] = ['bereaved', 'disabled'];
const STATUSES: readonly string[] = ['active', 'paused', 'exited'];
const flag = (value: string | null) => (value === 'true' || value === 'false' ? value : undefined);

/** The URL parameters of the list's filters (region, type, status, special difficulty, 特扶 eligibility). */
export type FilterParam = 'region' | 'type' | 'status' | 'difficulty' | 'eligible';

export function readFamilyFilters(params: URLSearchParams): FamilyFilters {
  const type = params.get('type');
  const status = params.get('status');
  const region = params.get('region');
  return {
    regionCode: region && /^\d{12}$/.test(region) ? region : undefined,
    familyType: type && TYPES.includes(type) ? (type as FamilyType) : undefined,
    status: status && STATUSES.includes(status) ? (status as FamilyStatus) : undefined,
    isSpecialDifficulty: flag(params.get('difficulty')),
    isEligible: flag(params.get('eligible')),
  };
}

interface ListState {
  q?: string;
}

/**
 * The list's filters and page live in the address bar (bookmarkable, survive reload). The search box does
 * not: it may hold an ID number or a phone, so it is kept in the history entry's state instead — it still
 * comes back with the browser's back button and on reload, but never shows in a URL, a log or a Referer.
 */
export function useFamilyListState() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const q = (location.state as ListState | null)?.q ?? '';
  const filters = readFamilyFilters(params);
  const page = readPage(params);
  const search: FamilySearch = { ...filters, q: q || undefined, ...page };

  const update = useCallback(
    (changes: Record<string, string | undefined>, nextQ: string, keepPage = false) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          if (!keepPage) next.delete('page');
          return next;
        },
        { state: nextQ ? ({ q: nextQ } satisfies ListState) : null },
      );
    },
    [setParams],
  );

  const setFilter = useCallback(
    (param: FilterParam, value: string | undefined) => update({ [param]: value }, q),
    [update, q],
  );
  const setQuery = useCallback((value: string) => update({}, value.trim()), [update]);
  const setPage = useCallback(
    (nextPage: number, pageSize: number) =>
      update(
        {
          page: nextPage > 1 ? String(nextPage) : undefined,
          pageSize: pageSize !== DEFAULT_PAGE_SIZE ? String(pageSize) : undefined,
        },
        q,
        true,
      ),
    [update, q],
  );
  const clearAll = useCallback(() => setParams(new URLSearchParams(), { state: null }), [setParams]);

  return { q, filters, page, search, setFilter, setQuery, setPage, clearAll };
}
