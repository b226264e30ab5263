import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { fetchRegionChildren, type Region } from '../api/regions';

export function isLeafRegion(region: Region): boolean {
  return region.level === 'village' || region.childCount === 0;
}

/**
 * The children loaded so far under a root, one level at a time (a province has 27,000 villages).
 * Both the 区划 page's Tree and the region picker's TreeSelect are built from it.
 */
export function useLazyRegionTree() {
  const queryClient = useQueryClient();
  const [childrenOf, setChildrenOf] = useState<Record<string, Region[]>>({});

  const loadChildren = useCallback(
    async (code: string) => {
      const children = await fetchRegionChildren(queryClient, code);
      setChildrenOf((current) => (current[code] ? current : { ...current, [code]: children }));
    },
    [queryClient],
  );

  /** Loads every level above `path`'s last region, so that region shows in the tree. */
  const loadPath = useCallback(
    async (path: readonly Region[]) => {
      await Promise.all(path.slice(0, -1).map((region) => loadChildren(region.code)));
    },
    [loadChildren],
  );

  return { childrenOf, loadChildren, loadPath };
}
