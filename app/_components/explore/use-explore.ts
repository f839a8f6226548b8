'use client';

import useSWR, { type SWRConfiguration } from 'swr';
import { ApiRequestError, getJson } from '../api/client';

/**
 * One explorer view's data: SWR refreshes it every `refreshMs` while the tab is visible (SWR does not
 * refresh hidden tabs), again on focus, and keeps the last answer while a refresh runs. null = no request.
 */
export function useExplore<T>(url: string | null, refreshMs: number, options: SWRConfiguration<T> = {}) {
  return useSWR<T, ApiRequestError>(url, (key: string) => getJson<T>(key), {
    refreshInterval: refreshMs,
    refreshWhenHidden: false,
    revalidateOnFocus: true,
    // A 4xx will not change by asking again at once; the refresh interval asks again later.
    shouldRetryOnError: false,
    keepPreviousData: true,
    ...options,
  });
}
