'use client';

import {
  createContext,
  createElement,
  useContext,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { DemoStatus, Topology } from '@/lib/api/contract';
import { getJson } from './client';
import { PolledResource, type PolledState } from './polled-resource';

export const STATUS_KEY = '/api/status';
export const TOPOLOGY_KEY = '/api/topology';
/** A dashboard must notice a change (and recovery from an error) within a second. */
export const REFRESH_INTERVAL_MS = 1_000;

/** The resources the page polls; one set per page, shared by the header badge and the dashboard. */
export class DemoData {
  readonly status = new PolledResource<DemoStatus>(
    () => getJson<DemoStatus>(STATUS_KEY),
    REFRESH_INTERVAL_MS,
  );
  readonly topology = new PolledResource<Topology>(
    () => getJson<Topology>(TOPOLOGY_KEY),
    REFRESH_INTERVAL_MS,
  );
}

let pageData: DemoData | undefined;
const DemoDataContext = createContext<DemoData | null>(null);

/** Gives its subtree its own resources (tests use it so no answer leaks from one test into the next). */
export function DemoDataProvider({ children }: { children: ReactNode }) {
  const [data] = useState(() => new DemoData());
  return createElement(DemoDataContext.Provider, { value: data }, children);
}

/** The page's resources: the provider's, or else one set for the whole page (no provider needed in the app). */
export function useDemoData(): DemoData {
  const provided = useContext(DemoDataContext);
  return provided ?? (pageData ??= new DemoData());
}

const NOTHING_YET: PolledState<never> = { data: undefined, error: undefined };
const serverSnapshot = () => NOTHING_YET;

function usePolled<T>(resource: PolledResource<T>): PolledState<T> {
  return useSyncExternalStore(resource.subscribe, resource.getSnapshot, serverSnapshot);
}

export function useStatus(): PolledState<DemoStatus> {
  return usePolled(useDemoData().status);
}

export function useTopology(): PolledState<Topology> {
  return usePolled(useDemoData().topology);
}
