/**
 * A sleep that can be cut short: loops park here between ticks, and stop() wakes them at once instead of waiting
 * out a 5 s backoff. Named like lib/iggy's own helpers (CancellableSleep, backoffDelayMs): one name per concept.
 */
export class CancellableSleep {
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  wait(ms: number): Promise<void> {
    this.cancel();
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wake = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      };
      this.timer = setTimeout(() => this.wake?.(), ms);
    });
  }

  cancel(): void {
    this.wake?.();
  }
}

/** Capped exponential backoff before attempt `attempt` (0-based): 250 ms, 500 ms, 1 s … up to maxDelayMs. */
export function backoffDelayMs(attempt: number, initialDelayMs = 250, maxDelayMs = 5000): number {
  return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, Math.min(attempt, 20)));
}
