import { MAX_RATE_PER_SEC, MIN_RATE_PER_SEC } from './limits';

/**
 * Decides how many messages are due at a moment so that the long-run average equals the rate
 * exactly, whatever the timer jitter: after `elapsed` ms since the baseline, ceil(rate × elapsed)
 * messages should have gone out. Above ~20 msgs/s the producer wakes every TICK_MS and sends the
 * whole deficit as one batch; below that it sleeps until the next message is due.
 */
export const TICK_MS = 50;
/** Above this rate the producer sends one batch per tick instead of one message per wake-up. */
export const BATCHING_THRESHOLD_PER_SEC = 20;

export function assertValidRate(ratePerSec: number): void {
  if (!Number.isFinite(ratePerSec) || ratePerSec < MIN_RATE_PER_SEC || ratePerSec > MAX_RATE_PER_SEC) {
    throw new RangeError(
      `ratePerSec must be between ${MIN_RATE_PER_SEC} and ${MAX_RATE_PER_SEC}, got ${ratePerSec}`,
    );
  }
}

export class RatePacer {
  #rate: number;
  #baselineMs: number;
  #sentSinceBaseline = 0;
  readonly #maxBacklogSeconds: number;

  /**
   * @param maxBacklogSeconds how much missed sending (e.g. while Iggy was down) may be made up
   *   afterwards; anything older is dropped so a recovery never floods the topic.
   */
  constructor(ratePerSec: number, nowMs: number, maxBacklogSeconds = 1) {
    this.#maxBacklogSeconds = maxBacklogSeconds;
    assertValidRate(ratePerSec);
    this.#rate = ratePerSec;
    this.#baselineMs = nowMs;
  }

  get ratePerSec(): number {
    return this.#rate;
  }

  /** Changes the rate from now on; what was already due under the old rate stays due. */
  setRate(ratePerSec: number, nowMs: number): void {
    assertValidRate(ratePerSec);
    const outstanding = Math.max(0, this.dueCount(nowMs));
    this.#rate = ratePerSec;
    this.#baselineMs = nowMs;
    // Re-express the outstanding deficit against the new baseline: ceil(rate × 0) = 0, so a
    // negative "sent" keeps exactly that many messages due.
    this.#sentSinceBaseline = -outstanding;
  }

  /** Restarts the accounting, e.g. when the producer is started again. */
  reset(nowMs: number): void {
    this.#baselineMs = nowMs;
    this.#sentSinceBaseline = 0;
  }

  /** Messages that should be sent now to stay on schedule (after dropping an oversized backlog). */
  dueCount(nowMs: number): number {
    const elapsedMs = Math.max(0, nowMs - this.#baselineMs);
    // The small epsilon absorbs float error such as 0.1 × 30000 / 1000 = 3.0000000000000004.
    const target = Math.ceil((this.#rate * elapsedMs) / 1000 - 1e-9);
    let deficit = target - this.#sentSinceBaseline;
    const maxBacklog = Math.max(1, Math.ceil(this.#rate * this.#maxBacklogSeconds));
    if (deficit > maxBacklog) {
      this.#sentSinceBaseline = target - maxBacklog;
      deficit = maxBacklog;
    }
    return Math.max(0, deficit);
  }

  /** Records messages that went out (or were given up on). */
  markSent(count: number): void {
    this.#sentSinceBaseline += count;
  }

  /** Milliseconds until at least one more message is due (0 if one is due now). */
  msUntilNextDue(nowMs: number): number {
    if (this.dueCount(nowMs) > 0) return 0;
    // ceil(rate × e) exceeds `sent` as soon as rate × e > sent.
    const dueAtMs = this.#baselineMs + (this.#sentSinceBaseline * 1000) / this.#rate;
    return Math.max(1, Math.ceil(dueAtMs - nowMs) + 1);
  }

  /** How long the producer should sleep before looking again. */
  sleepMs(nowMs: number): number {
    const untilNext = this.msUntilNextDue(nowMs);
    if (untilNext === 0) return 0;
    // The first message after a (re)start goes out at once; only then does batching per tick begin.
    if (this.#rate <= BATCHING_THRESHOLD_PER_SEC || this.#sentSinceBaseline <= 0) return untilNext;
    return TICK_MS;
  }
}
