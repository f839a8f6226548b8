/** The cluster client's settings: defaults and validation. */

import { invalidArgument } from '../errors';

export interface ClusterOptions {
  /** How long one search for the primary (and a call waiting for it) may take; default 30 000 ms. */
  failoverDeadlineMs?: number;
  /** How long a 57 (not committed yet) is retried on the same node before looking elsewhere; default 2 000 ms. */
  transientWaitMs?: number;
  /** How long a 58 (not accepted here) is retried on the same node before looking elsewhere; default 300 ms. */
  notAcceptedWaitMs?: number;
}

export type ClusterSettings = Required<ClusterOptions>;

export const DEFAULT_CLUSTER: ClusterSettings = {
  failoverDeadlineMs: 30_000,
  transientWaitMs: 2_000,
  notAcceptedWaitMs: 300,
};

export function clusterSettings(options: ClusterOptions | boolean | undefined): ClusterSettings {
  const given = typeof options === 'object' && options !== null ? options : {};
  const merged = { ...DEFAULT_CLUSTER, ...given };
  for (const key of Object.keys(DEFAULT_CLUSTER) as (keyof ClusterSettings)[]) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw invalidArgument(`cluster.${key} must be a positive number of milliseconds`);
  }
  return merged;
}
