import { useEffect } from 'react';

export const PRODUCT_NAME = '特殊家庭扶助关怀平台';

export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} - ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}
