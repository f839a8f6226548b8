/**
 * Waiting between attempts: one capped exponential backoff and one sleep that a shutdown can cut
 * short. The client's reconnect loop and transient retries use these, and so can its callers.
 */

/** Delay before attempt `attempt` (0-based): initial, 2×, 4×, … capped at max. */
export function backoffDelayMs(attempt: number, initialDelayMs: number, maxDelayMs: number): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  return Math.min(maxDelayMs, initialDelayMs * 2 ** exponent);
}

/** A plain pause; nothing can cut it short. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** A sleep that cancel() (e.g. close() or stop()) ends at once; a new wait() cancels the previous one. */
export class CancellableSleep {
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    this.cancel();
    if (ms <= 0) return Promise.resolve();
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

/** Any number of concurrent sleeps that one cancel() ends together (a client's searches on close()). */
export class SleepGroup {
  readonly #wakers = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.#wakers.add(wake);
    });
  }

  cancel(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}
