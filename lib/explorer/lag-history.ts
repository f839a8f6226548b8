/**
 * Lag over the last 15 minutes, per consumer or group someone is looking at. Memory is bounded three
 * ways: a fixed ring of points per series, at most EXPLORER_LIMITS.maxLagSeries series (the one watched
 * least recently is evicted), and series nobody asked about for lagUnwatchedMs are dropped; the
 * sampler's timer stops with the last series.
 */
import type { ExplorerLagPoint, ExplorerLagSeries, LagQuery } from './contract';
import { EXPLORER_LIMITS } from './limits';

export type LagSampler = (target: LagQuery) => Promise<bigint | null>;

export interface LagHistoryOptions {
  intervalMs?: number;
  windowMs?: number;
  maxSeries?: number;
  unwatchedMs?: number;
  now?: () => number;
}

class Ring {
  readonly #points: (ExplorerLagPoint | undefined)[];
  #next = 0;
  constructor(capacity: number) {
    this.#points = new Array<ExplorerLagPoint | undefined>(capacity).fill(undefined);
  }
  push(point: ExplorerLagPoint): void {
    this.#points[this.#next] = point;
    this.#next = (this.#next + 1) % this.#points.length;
  }
  /** Oldest first. */
  list(): ExplorerLagPoint[] {
    const n = this.#points.length;
    const out: ExplorerLagPoint[] = [];
    for (let i = 0; i < n; i++) {
      const p = this.#points[(this.#next + i) % n];
      if (p) out.push(p);
    }
    return out;
  }
}

interface Series {
  target: LagQuery;
  ring: Ring;
  watchedAtMs: number;
}

export const seriesKey = (t: LagQuery) => JSON.stringify([t.stream, t.topic, t.kind, t.name]);

export class LagHistory {
  readonly #series = new Map<string, Series>();
  readonly #sample: LagSampler;
  readonly #interval: number;
  readonly #window: number;
  readonly #max: number;
  readonly #unwatched: number;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sampling = false;

  constructor(sample: LagSampler, options: LagHistoryOptions = {}) {
    this.#sample = sample;
    this.#interval = options.intervalMs ?? EXPLORER_LIMITS.lagIntervalMs;
    this.#window = options.windowMs ?? EXPLORER_LIMITS.lagWindowMs;
    this.#max = options.maxSeries ?? EXPLORER_LIMITS.maxLagSeries;
    this.#unwatched = options.unwatchedMs ?? EXPLORER_LIMITS.lagUnwatchedMs;
    this.#now = options.now ?? Date.now;
  }

  get seriesCount(): number {
    return this.#series.size;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** The series for `target`, created (with a first sample) if new; asking keeps it sampled. */
  async watch(target: LagQuery): Promise<ExplorerLagSeries> {
    const key = seriesKey(target);
    let series = this.#series.get(key);
    if (!series) {
      if (this.#series.size >= this.#max) this.#evictOldest();
      series = { target, ring: new Ring(Math.ceil(this.#window / this.#interval)), watchedAtMs: this.#now() };
      this.#series.set(key, series);
      await this.#sampleOne(series);
    }
    series.watchedAtMs = this.#now();
    this.#start();
    return this.view(series);
  }

  view(series: Series): ExplorerLagSeries {
    return {
      kind: series.target.kind,
      name: series.target.name,
      intervalMs: this.#interval,
      windowMs: this.#window,
      points: series.ring.list(),
    };
  }

  /** One round: drop unwatched series, sample the rest; stops the timer when none is left. */
  async tick(): Promise<void> {
    if (this.#sampling) return;
    this.#sampling = true;
    try {
      const now = this.#now();
      for (const [key, series] of this.#series)
        if (now - series.watchedAtMs >= this.#unwatched) this.#series.delete(key);
      if (this.#series.size === 0) {
        this.stop();
        return;
      }
      for (const series of [...this.#series.values()]) await this.#sampleOne(series);
    } finally {
      this.#sampling = false;
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sampleOne(series: Series): Promise<void> {
    let lag: bigint | null;
    try {
      lag = await this.#sample(series.target);
    } catch {
      lag = null;
    }
    series.ring.push({ atMs: this.#now(), lag: lag === null ? null : lag.toString() });
  }

  #evictOldest(): void {
    let oldest: [string, Series] | undefined;
    for (const entry of this.#series)
      if (!oldest || entry[1].watchedAtMs < oldest[1].watchedAtMs) oldest = entry;
    if (oldest) this.#series.delete(oldest[0]);
  }

  #start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.#interval);
    this.#timer.unref?.();
  }
}
