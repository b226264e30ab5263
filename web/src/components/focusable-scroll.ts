import { useEffect } from 'react';

/**
 * Scrolling containers antd renders for wide tables and for drawers (a long detail on a phone), and the
 * chart/table scroll boxes of the dashboard.
 */
const SCROLLERS = '.ant-table-content, .ant-table-body, .ant-drawer-body, [data-scroll-region]';

function label(el: Element): string {
  if (el.classList.contains('ant-drawer-body')) {
    const title = el.closest('.ant-drawer-section, .ant-drawer-content')?.querySelector('.ant-drawer-title');
    return `${title?.textContent?.trim() || '详情'}（可滚动）`;
  }
  const card = el.closest('.ant-card');
  const title = card?.querySelector('.ant-card-head-title')?.textContent?.trim();
  return title ? `${title}（可滚动）` : '表格（可滚动）';
}

/**
 * WCAG 2.1.1: a region that scrolls must be reachable from the keyboard (axe `scrollable-region-focusable`).
 * antd creates the scrolling boxes of wide tables itself, so the layout makes every such box focusable
 * and named as it appears — one place instead of an option on every table.
 */
export function useFocusableScrollRegions(): void {
  useEffect(() => {
    const mark = () => {
      for (const el of document.querySelectorAll(SCROLLERS))
        if (!el.hasAttribute('tabindex')) {
          el.setAttribute('tabindex', '0');
          el.setAttribute('role', 'region');
          el.setAttribute('aria-label', label(el));
        }
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
}
