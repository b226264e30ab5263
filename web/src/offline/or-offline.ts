import { isApiError } from '../api/client';

/**
 * A read that falls back on the phone's copy when there is no connection. Its own module: 我的待办's query is
 * in the entry, the sync engine is not (sync-loader.ts).
 */
export async function orOffline<T>(fetcher: () => Promise<T>, fallback: () => Promise<T | null>): Promise<T> {
  try {
    return await fetcher();
  } catch (err) {
    if (isApiError(err, 'NETWORK_ERROR')) {
      const value = await fallback().catch(() => null);
      if (value !== null) return value;
    }
    throw err;
  }
}
