'use client';

import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import type { DemoStatus, Topology } from '@/lib/api/contract';
import type { ApiRequestError } from './client';
import { fetchJson, POLLING } from './swr-config';

export const STATUS_KEY = '/api/status';
export const TOPOLOGY_KEY = '/api/topology';

/** What a component sees of a polled resource: the last good answer (kept through errors) and the last error. */
export interface PolledState<T> {
  data: T | undefined;
  error: ApiRequestError | undefined;
}

function usePolled<T>(key: string): PolledState<T> {
  const { data, error } = useSWR<T, ApiRequestError>(key, fetchJson<T>, POLLING);
  return { data, error };
}

/** /api/status, polled once a second and shared by the header badge and the dashboard. */
export function useStatus(): PolledState<DemoStatus> {
  return usePolled<DemoStatus>(STATUS_KEY);
}

/** /api/topology, polled once a second. */
export function useTopology(): PolledState<Topology> {
  return usePolled<Topology>(TOPOLOGY_KEY);
}

/**
 * Writes a fresher status than the last poll's (a server-sent status event) without asking the server again.
 * SWR discards the answer of any poll that left before the write, so an older status cannot overwrite it.
 */
export function useWriteStatus(): (status: DemoStatus) => void {
  const { mutate } = useSWRConfig();
  return useCallback(
    (status: DemoStatus) => void mutate<DemoStatus>(STATUS_KEY, status, { revalidate: false }),
    [mutate],
  );
}
