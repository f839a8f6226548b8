'use client';

import useSWR, { type SWRConfiguration } from 'swr';
import type { DemoStatus, Topology } from '@/lib/api/contract';
import { getJson, type ApiRequestError } from './client';

export const STATUS_KEY = '/api/status';
export const TOPOLOGY_KEY = '/api/topology';
const REFRESH_INTERVAL_MS = 1_000;

/**
 * SWR skips its refresh interval while the last answer was an error and falls back to error retries with
 * exponential backoff (minutes, eventually). A dashboard must notice recovery within a second, so errors
 * are retried at the same steady pace, and not at all while the tab is hidden (focus revalidates anyway).
 */
export const steadyPolling: SWRConfiguration = {
  refreshInterval: REFRESH_INTERVAL_MS,
  refreshWhenHidden: false,
  shouldRetryOnError: true,
  errorRetryCount: undefined,
  onErrorRetry: (_error, _key, _config, revalidate, { retryCount }) => {
    const retry = () => void revalidate({ retryCount });
    if (typeof document !== 'undefined' && document.hidden) {
      document.addEventListener('visibilitychange', retry, { once: true });
      return;
    }
    setTimeout(retry, REFRESH_INTERVAL_MS);
  },
};

export function useStatus() {
  return useSWR<DemoStatus, ApiRequestError>(STATUS_KEY, getJson, {
    ...steadyPolling,
    keepPreviousData: true,
  });
}

export function useTopology() {
  return useSWR<Topology, ApiRequestError>(TOPOLOGY_KEY, getJson, steadyPolling);
}
