import { useQuery } from '@tanstack/react-query';
import type { CountyCopyManifest } from '../../../common/schemas/county-copy';
import { api, type Envelope } from './client';
import { downloadFile } from './imports';

export type { CountyCopyManifest };

/** What a copy downloaded now would hold: tables, row counts and digests (no data). */
export function useCountyCopyManifest(regionCode: string | undefined) {
  return useQuery({
    queryKey: ['county-copy', 'manifest', regionCode ?? ''],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<CountyCopyManifest>>('/county-copy/manifest', { regionCode }, signal)).data,
  });
}

export function downloadCountyCopy(regionCode: string) {
  return downloadFile('/county-copy', '县级电子备份.der', { regionCode });
}
