'use client';

import useSWR from 'swr';
import { getJson, type ApiError } from './client';
import type { DemoStatus, Topology } from './types';

export const STATUS_KEY = '/api/status';
export const TOPOLOGY_KEY = '/api/topology';
const REFRESH_INTERVAL_MS = 1_000;

// SWR stops refreshing while the tab is hidden (refreshWhenHidden defaults to false).
export function useStatus() {
  return useSWR<DemoStatus, ApiError>(STATUS_KEY, getJson, {
    refreshInterval: REFRESH_INTERVAL_MS,
    keepPreviousData: true,
    shouldRetryOnError: false,
  });
}

export function useTopology() {
  return useSWR<Topology, ApiError>(TOPOLOGY_KEY, getJson, {
    refreshInterval: REFRESH_INTERVAL_MS,
    shouldRetryOnError: false,
  });
}
