/** IggyClient's options: defaults and validation, turned into the session keeper's settings. */

import { clusterSettings, type ClusterOptions, type ClusterSettings } from './cluster/options';
import type { NodeAddress } from './cluster/roster';
import { invalidArgument } from './errors';
import { formatAddress } from './url';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './reconnect';
import type { KeeperSettings } from './session-keeper';
import { DEFAULT_MAX_FRAME_BYTES } from './wire/constants';

export interface IggyClientOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  /** default 5000 */
  connectTimeoutMs?: number;
  /** default 10000 */
  requestTimeoutMs?: number;
  /** default 64 MiB */
  maxFrameBytes?: number;
  /** default 5000; 0 disables keep-alive */
  pingIntervalMs?: number;
  reconnect?: ReconnectOptions;
  /** default 'iggy-demo-ts' */
  sdkName?: string;
  /** default the package version */
  sdkVersion?: string;
  /**
   * Every node of a cluster the client may use (the seed list); `host`/`port` is tried first. Two or more turn
   * the cluster client on (docs/architecture.md#the-cluster-aware-connection).
   */
  seeds?: { host: string; port: number }[];
  /**
   * Cluster awareness: on by default with two or more seeds; `true` or settings turn it on for one address too
   * (after login the client reads the cluster metadata and moves to the leader). `false` keeps it off.
   */
  cluster?: boolean | ClusterOptions;
}

/** Cluster-aware settings, or undefined for a plain single-address client. */
export interface ClusterClientSettings extends ClusterSettings {
  seeds: NodeAddress[];
}

export const SDK_NAME = 'iggy-demo-ts';
export const SDK_VERSION = '0.1.0';

function milliseconds(value: number | undefined, fallback: number, what: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalidArgument(
      `${what} must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds`,
    );
  }
  return value;
}

/** Throws an invalid-argument IggyError naming the first bad seed or cluster setting. */
export function clusterClientSettings(options: IggyClientOptions): ClusterClientSettings | undefined {
  const seeds: NodeAddress[] = [
    { host: options.host, port: options.port, address: formatAddress(options.host, options.port) },
  ];
  for (const [index, seed] of (options.seeds ?? []).entries()) {
    if (!seed || typeof seed.host !== 'string' || seed.host.trim() === '')
      throw invalidArgument(`seeds[${index}].host must be a non-empty string`);
    if (!Number.isInteger(seed.port) || seed.port < 1 || seed.port > 65535)
      throw invalidArgument(`seeds[${index}].port must be an integer from 1 to 65535`);
    const address = formatAddress(seed.host, seed.port);
    if (!seeds.some((s) => s.address.toLowerCase() === address.toLowerCase()))
      seeds.push({ host: seed.host, port: seed.port, address });
  }
  const on = options.cluster === undefined ? seeds.length > 1 : options.cluster !== false;
  if (!on) return undefined;
  return { ...clusterSettings(options.cluster), seeds };
}

/** Throws an invalid-argument IggyError naming the first bad option. */
export function keeperSettings(options: IggyClientOptions): KeeperSettings {
  if (!options || typeof options !== 'object') throw invalidArgument('IggyClient needs options');
  if (typeof options.host !== 'string' || options.host.trim() === '')
    throw invalidArgument('host must be a non-empty string');
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw invalidArgument('port must be an integer from 1 to 65535');
  }
  if (typeof options.username !== 'string' || options.username === '')
    throw invalidArgument('username must be a non-empty string');
  if (typeof options.password !== 'string' || options.password === '')
    throw invalidArgument('password must be a non-empty string');
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 256)
    throw invalidArgument('maxFrameBytes must be an integer >= 256');
  const reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
  milliseconds(reconnect.initialDelayMs, 0, 'reconnect.initialDelayMs', true);
  milliseconds(reconnect.maxDelayMs, 0, 'reconnect.maxDelayMs', true);
  if (!(reconnect.maxAttempts >= 0)) throw invalidArgument('reconnect.maxAttempts must be >= 0');
  return {
    host: options.host,
    port: options.port,
    credentials: {
      username: options.username,
      password: options.password,
      sdkName: options.sdkName ?? SDK_NAME,
      sdkVersion: options.sdkVersion ?? SDK_VERSION,
    },
    connectTimeoutMs: milliseconds(options.connectTimeoutMs, 5_000, 'connectTimeoutMs'),
    requestTimeoutMs: milliseconds(options.requestTimeoutMs, 10_000, 'requestTimeoutMs'),
    pingIntervalMs: milliseconds(options.pingIntervalMs, 5_000, 'pingIntervalMs', true),
    maxFrameBytes,
    reconnect,
  };
}
