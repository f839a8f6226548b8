'use client';

import { useState, type ReactNode } from 'react';
import { SWRConfig, type Cache, type SWRConfiguration } from 'swr';
import { ApiRequestError, getJson } from './client';

/** A dashboard must notice a change (and recovery from an error) within a second. */
export const REFRESH_INTERVAL_MS = 1_000;

/** The one fetcher of every polled resource: the key is the URL, every failure an ApiRequestError. */
export async function fetchJson<T>(url: string): Promise<T> {
  try {
    return await getJson<T>(url);
  } catch (cause) {
    throw cause instanceof ApiRequestError ? cause : new ApiRequestError('INTERNAL', 'Unexpected error', 0);
  }
}

// Keys with an error retry already waiting, per cache: a focus refresh that fails must not start a second
// retry loop beside the first (each would ask once a second).
const retrying = new WeakMap<object, Set<string>>();
const NO_CACHE = {};

/**
 * How every polled resource behaves. The badge lives in the root layout, outside any provider the page could
 * add, so the hooks pass these themselves rather than through an SWRConfig (which would also tie docs pages to
 * the dashboard's module).
 */
export const POLLING: SWRConfiguration = {
  refreshInterval: REFRESH_INTERVAL_MS,
  // Paused while the tab is hidden; shown or focused again, it refreshes at once.
  refreshWhenHidden: false,
  revalidateOnFocus: true,
  focusThrottleInterval: 0,
  // Readers that mount or tick within half an interval of an answer share it; a poll one interval later
  // always asks anew (SWR's default of 2 s would quietly halve the pace).
  dedupingInterval: REFRESH_INTERVAL_MS / 2,
  // The app usually runs on this machine: the browser's idea of being offline says nothing about it.
  refreshWhenOffline: true,
  isOnline: () => true,
  // SWR stops polling a key in error and retries with a growing backoff instead; retrying at the polling pace
  // keeps "recovery shows within one interval", as the page promises ("This page reconnects by itself").
  onErrorRetry: (_error, key, config, revalidate, options) => {
    // The hook hands over its full configuration, cache included, though the public type omits it.
    const cache = (config as { cache?: Cache }).cache ?? NO_CACHE;
    const keys = retrying.get(cache) ?? new Set<string>();
    retrying.set(cache, keys);
    if (keys.has(key)) return;
    keys.add(key);
    setTimeout(() => {
      keys.delete(key);
      void revalidate(options);
    }, REFRESH_INTERVAL_MS);
  },
};

/**
 * A cache of its own for a subtree. The app needs none (all readers share SWR's page-wide cache); tests use
 * it so no answer leaks from one test into the next.
 */
export function DemoDataProvider({ children }: { children: ReactNode }) {
  const [provider] = useState(() => () => new Map());
  return <SWRConfig value={{ provider }}>{children}</SWRConfig>;
}
