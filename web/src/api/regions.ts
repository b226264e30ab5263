import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { FoundRegion, Region } from '../../../common/schemas/regions';
import { api, type Envelope, type ListEnvelope } from './client';

export type { FoundRegion, Region };

export const regionKeys = {
  one: (code: string) => ['regions', code] as const,
  children: (code: string) => ['regions', code, 'children'] as const,
  path: (code: string, rootCode: string) => ['regions', code, 'path', rootCode] as const,
};

// Region data changes once a year at most.
const REGION_STALE_TIME = 60 * 60 * 1000;
const CHILDREN_PAGE_SIZE = 100;

function getRegion(code: string, signal?: AbortSignal) {
  return api.get<Envelope<Region>>(`/regions/${encodeURIComponent(code)}`, undefined, signal).then((r) => r.data);
}

/** All children of a region; a township can have more villages than one page holds. */
async function listAllChildren(code: string, signal?: AbortSignal): Promise<Region[]> {
  const all: Region[] = [];
  for (let page = 1; ; page++) {
    const result = await api.get<ListEnvelope<Region>>(
      `/regions/${encodeURIComponent(code)}/children`,
      { page, pageSize: CHILDREN_PAGE_SIZE },
      signal,
    );
    all.push(...result.data);
    if (result.data.length === 0 || all.length >= result.page.total) return all;
  }
}

export function regionQuery(code: string) {
  return {
    queryKey: regionKeys.one(code),
    queryFn: ({ signal }: { signal?: AbortSignal }) => getRegion(code, signal),
    staleTime: REGION_STALE_TIME,
  };
}

export function regionChildrenQuery(code: string) {
  return {
    queryKey: regionKeys.children(code),
    queryFn: ({ signal }: { signal?: AbortSignal }) => listAllChildren(code, signal),
    staleTime: REGION_STALE_TIME,
  };
}

/** Regions under `rootCode` whose name contains `q` (at most 20); nothing is asked for an empty `q`. */
export function useRegionSearch(rootCode: string, q: string) {
  return useQuery({
    queryKey: ['regions', rootCode, 'search', q] as const,
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<FoundRegion[]>>(`/regions/${encodeURIComponent(rootCode)}/search`, { q }, signal)).data,
    enabled: q !== '',
    staleTime: REGION_STALE_TIME,
  });
}

export function useRegion(code: string | undefined) {
  return useQuery({ ...regionQuery(code ?? ''), enabled: !!code });
}

export function useRegionChildren(code: string | undefined) {
  return useQuery({ ...regionChildrenQuery(code ?? ''), enabled: !!code });
}

/** Loads a region's children and remembers each child on its own, so opening one needs no request. */
export async function fetchRegionChildren(queryClient: QueryClient, code: string): Promise<Region[]> {
  const children = await queryClient.fetchQuery(regionChildrenQuery(code));
  for (const child of children) {
    if (!queryClient.getQueryData(regionKeys.one(child.code)))
      queryClient.setQueryData(regionKeys.one(child.code), child);
  }
  return children;
}

export function cachedRegion(queryClient: QueryClient, code: string): Region | undefined {
  return queryClient.getQueryData<Region>(regionKeys.one(code));
}

/**
 * The regions from `rootCode` down to `code`, both included, by following parentCode.
 * Fails with the API's 404 when `code` is outside the signed-in user's scope.
 */
export async function fetchRegionPath(queryClient: QueryClient, code: string, rootCode: string): Promise<Region[]> {
  const path: Region[] = [];
  let current = await queryClient.fetchQuery(regionQuery(code));
  path.unshift(current);
  while (current.code !== rootCode && current.parentCode) {
    current = await queryClient.fetchQuery(regionQuery(current.parentCode));
    path.unshift(current);
  }
  return path;
}

export function useRegionPath(code: string | undefined, rootCode: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: regionKeys.path(code ?? '', rootCode ?? ''),
    queryFn: () => fetchRegionPath(queryClient, code!, rootCode!),
    enabled: !!code && !!rootCode,
    staleTime: REGION_STALE_TIME,
  });
}
