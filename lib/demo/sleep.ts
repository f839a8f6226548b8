/**
 * A sleep that can be cut short: loops park here between ticks, and stop() wakes them at once
 * instead of waiting out a 5 s backoff.
 */
export class WakeableSleep {
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  sleep(ms: number): Promise<void> {
    this.interrupt();
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

  interrupt(): void {
    this.wake?.();
  }
}

/** Capped exponential backoff: 250 ms, 500 ms, 1 s … up to maxMs. */
export function backoffMs(attempt: number, initialMs = 250, maxMs = 5000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempt, 20)));
}
