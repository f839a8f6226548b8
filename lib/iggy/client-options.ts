/** IggyClient's options: defaults and validation, turned into the session keeper's settings. */

import { invalidArgument } from './errors';
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
