/** Per-second produced/consumed counters for a sliding window (180 s by default), for the UI's sparkline. */
export interface ThroughputPoint {
  /** Start of the second, ISO. */
  t: string;
  produced: number;
  consumed: number;
}

export interface ThroughputSnapshot {
  intervalMs: 1000;
  points: ThroughputPoint[];
}

export const THROUGHPUT_WINDOW_SECONDS = 180;

export class ThroughputHistory {
  // Buckets indexed by (epoch second mod window); `seconds` says which second a bucket holds.
  readonly #seconds: number[];
  readonly #produced: number[];
  readonly #consumed: number[];

  constructor(readonly windowSeconds = THROUGHPUT_WINDOW_SECONDS) {
    this.#seconds = new Array<number>(windowSeconds).fill(-1);
    this.#produced = new Array<number>(windowSeconds).fill(0);
    this.#consumed = new Array<number>(windowSeconds).fill(0);
  }

  recordProduced(count: number, nowMs: number): void {
    const slot = this.#slotFor(nowMs);
    this.#produced[slot] = (this.#produced[slot] ?? 0) + count;
  }

  recordConsumed(count: number, nowMs: number): void {
    const slot = this.#slotFor(nowMs);
    this.#consumed[slot] = (this.#consumed[slot] ?? 0) + count;
  }

  /** Exactly `windowSeconds` points ending with the current second, oldest first, zero-filled. */
  snapshot(nowMs: number): ThroughputSnapshot {
    const nowSecond = Math.floor(nowMs / 1000);
    const points: ThroughputPoint[] = [];
    for (let second = nowSecond - this.windowSeconds + 1; second <= nowSecond; second += 1) {
      const slot = this.#mod(second);
      const live = this.#seconds[slot] === second;
      points.push({
        t: new Date(second * 1000).toISOString(),
        produced: live ? (this.#produced[slot] ?? 0) : 0,
        consumed: live ? (this.#consumed[slot] ?? 0) : 0,
      });
    }
    return { intervalMs: 1000, points };
  }

  #slotFor(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    const slot = this.#mod(second);
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second;
      this.#produced[slot] = 0;
      this.#consumed[slot] = 0;
    }
    return slot;
  }

  #mod(second: number): number {
    return ((second % this.windowSeconds) + this.windowSeconds) % this.windowSeconds;
  }
}
