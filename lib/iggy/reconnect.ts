/** Reconnect pacing: capped exponential backoff, deterministic so tests and logs are predictable. */

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

/** Delay before attempt `attempt` (0-based): initial, 2×, 4×, … capped at max. */
export function backoffDelayMs(attempt: number, initialDelayMs: number, maxDelayMs: number): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  return Math.min(maxDelayMs, initialDelayMs * 2 ** exponent);
}

/** A sleep that close() can cut short. */
export class CancellableSleep {
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    this.cancel();
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#wake = undefined;
        resolve();
      }, ms);
    });
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
