/**
 * Who leads a replicated Iggy cluster (docs/iggy-concepts.md#replication-and-clusters), as a pure model:
 * node liveness, the view number and the timers of a view change, on an injected clock so unit tests can
 * step through a failover without waiting for it.
 *
 * The rules (what the real 0.9.0 cluster showed, and where it did not show, our choice — see
 * test/support/README.md#cluster-mode):
 * - the primary of view v is node `v mod N`;
 * - a primary that dies is noticed by the backups `heartbeatTimeoutMs` after the kill; they start a view
 *   change to v+1, which completes `electionDelayMs` later when node (v+1) mod N is alive and a quorum
 *   (⌊N/2⌋+1) of nodes is alive — 5 000 + 250 ms by default, the 5.25 s a real 3-node cluster took;
 * - a view change that cannot complete (its candidate is dead, or no quorum) escalates to the next view
 *   after `viewChangeTimeoutMs`; a restart that makes the current candidate electable completes it after
 *   `electionDelayMs`;
 * - a restarted node rejoins as a follower, even when the view still names it (it was killed and came back
 *   before the election): the view change that its death started goes on;
 * - only a live primary of a settled view with a live quorum accepts writes; without a quorum it is stalled.
 */

export interface ClusterClock {
  now(): number;
  /** Runs fn after ms; returns a cancel function. */
  schedule(ms: number, fn: () => void): () => void;
}

export const realClock: ClusterClock = {
  now: () => Date.now(),
  schedule: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface ClusterTimings {
  /** Backups start a view change after this long without their primary (real default `heartbeat_timeout` 5 s). */
  heartbeatTimeoutMs: number;
  /** How long a view change with a live candidate and a quorum takes to settle (observed: 250 ms). */
  electionDelayMs: number;
  /** A view change that cannot settle escalates to the next view after this (real `view_change_status_timeout` 5 s). */
  viewChangeTimeoutMs: number;
}

export const DEFAULT_CLUSTER_TIMINGS: ClusterTimings = {
  heartbeatTimeoutMs: 5000,
  electionDelayMs: 250,
  viewChangeTimeoutMs: 5000,
};

export type ClusterStatus = 'normal' | 'view-change';

export interface ViewChangeEvent {
  /** The settled view (status normal) and its primary. */
  view: number;
  primary: number;
  atMs: number;
}

export class ClusterModel {
  readonly size: number;
  readonly timings: ClusterTimings;
  readonly #clock: ClusterClock;
  readonly #alive: boolean[];
  /** The last settled view: what cluster metadata reports (role = leader for node view mod N). */
  #view = 0;
  #status: ClusterStatus = 'normal';
  /** While changing views: the view being elected. */
  #candidateView = 0;
  #cancelTimer: (() => void) | undefined;
  readonly #listeners = new Set<(event: ViewChangeEvent) => void>();

  constructor(size: number, timings: Partial<ClusterTimings> = {}, clock: ClusterClock = realClock) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`a cluster needs 1 or more nodes, got ${size}`);
    this.size = size;
    this.timings = { ...DEFAULT_CLUSTER_TIMINGS, ...timings };
    for (const [key, value] of Object.entries(this.timings)) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`${key} must be ≥ 0, got ${value}`);
    }
    this.#clock = clock;
    this.#alive = Array.from({ length: size }, () => true);
  }

  get view(): number {
    return this.#view;
  }

  get status(): ClusterStatus {
    return this.#status;
  }

  get quorum(): number {
    return Math.floor(this.size / 2) + 1;
  }

  /** The node cluster metadata names leader: the primary of the last settled view, alive or not. */
  get metadataPrimary(): number {
    return this.#view % this.size;
  }

  /** The node that accepts writes now, or undefined (view change under way, primary dead, no quorum). */
  get writablePrimary(): number | undefined {
    const primary = this.metadataPrimary;
    if (this.#status !== 'normal' || !this.#alive[primary] || this.liveCount() < this.quorum)
      return undefined;
    return primary;
  }

  /** The primary of a settled view that is alive but has no quorum: it cannot commit anything. */
  get stalledPrimary(): number | undefined {
    const primary = this.metadataPrimary;
    if (this.#status !== 'normal' || !this.#alive[primary] || this.liveCount() >= this.quorum)
      return undefined;
    return primary;
  }

  isAlive(index: number): boolean {
    return this.#alive[this.#checkIndex(index)]!;
  }

  liveCount(): number {
    return this.#alive.filter(Boolean).length;
  }

  onViewChange(listener: (event: ViewChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** SIGKILL of one node. Killing the primary of a settled view starts the failover clock. */
  kill(index: number): void {
    this.#checkIndex(index);
    if (!this.#alive[index]) return;
    this.#alive[index] = false;
    if (this.#status === 'normal' && index === this.metadataPrimary) {
      this.#status = 'view-change';
      this.#candidateView = this.#view;
      this.#arm(this.timings.heartbeatTimeoutMs, () => this.#startViewChange(this.#view + 1));
    }
  }

  /** The node comes back with its data, as a follower. It may make a stalled view change electable. */
  restart(index: number): void {
    this.#checkIndex(index);
    if (this.#alive[index]) return;
    const changing = this.#status === 'view-change' && this.#candidateView > this.#view;
    // Already electable: its election is running; not yet past the heartbeat timeout: it starts on time.
    const wasElectable = changing && this.#electable(this.#candidateView);
    this.#alive[index] = true;
    if (changing && !wasElectable && this.#electable(this.#candidateView)) {
      const view = this.#candidateView;
      this.#arm(this.timings.electionDelayMs, () => this.#settle(view));
    }
  }

  /** Stops every timer (teardown). */
  dispose(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#listeners.clear();
  }

  #startViewChange(view: number): void {
    this.#candidateView = view;
    if (this.#electable(view)) this.#arm(this.timings.electionDelayMs, () => this.#settle(view));
    else this.#arm(this.timings.viewChangeTimeoutMs, () => this.#startViewChange(view + 1));
  }

  #settle(view: number): void {
    // Liveness may have changed while the election ran (a kill during those 250 ms): re-check.
    if (!this.#electable(view)) return this.#startViewChange(view + 1);
    this.#cancelTimer = undefined;
    this.#view = view;
    this.#status = 'normal';
    const event = { view, primary: view % this.size, atMs: this.#clock.now() };
    for (const listener of this.#listeners) listener(event);
  }

  #electable(view: number): boolean {
    return this.#alive[view % this.size]! && this.liveCount() >= this.quorum;
  }

  #arm(ms: number, fn: () => void): void {
    this.#cancelTimer?.();
    this.#cancelTimer = this.#clock.schedule(ms, () => {
      this.#cancelTimer = undefined;
      fn();
    });
  }

  #checkIndex(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`node index ${index} is outside 0..${this.size - 1}`);
    }
    return index;
  }
}
