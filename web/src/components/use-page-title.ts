import { useEffect, useSyncExternalStore } from 'react';

export const PRODUCT_NAME = '特殊家庭扶助关怀平台';

// The current page's title, for the one <h1> the layout renders (issue 11 item 11): each page names itself
// once, here, and both the browser tab and the heading follow.
let current = '';
const listeners = new Set<() => void>();

export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} - ${PRODUCT_NAME}` : PRODUCT_NAME;
    current = title ?? '';
    for (const l of listeners) l();
  }, [title]);
}

/** The title the page gave with usePageTitle. */
export function useCurrentPageTitle(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
