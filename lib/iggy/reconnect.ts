/** Reconnect settings; the pacing itself (capped exponential backoff, deterministic) lives in backoff.ts. */

export interface ReconnectOptions {
  enabled?: boolean;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Infinity by default */
  maxAttempts?: number;
}

export const DEFAULT_RECONNECT: Required<ReconnectOptions> = {
  enabled: true,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  maxAttempts: Infinity,
};
