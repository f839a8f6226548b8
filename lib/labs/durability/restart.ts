/**
 * How the durability lab notices that Iggy restarted, and what it concludes. The app does not own the
 * server's process: it sees a connection dropped by the server (Iggy went away), and after it is back a
 * partition that came back shorter than the lab saw it (PartitionWatch, the demo's reset detection) or
 * every message there. The first state read after that concludes: loss, or no loss.
 */

import type { IggyClient, TopicDetails } from '@/lib/iggy';
import { PartitionWatch, RESET_CAUSE, type PartitionResetEvent } from '@/lib/demo/partition-watch';
import type { LabHost } from '../runtime';
import type { DurabilityTopicKind, LostRangeView, RestartOutcomeView } from './contract';
import { explainRestart } from './explanations';
import { DURABILITY_TOPICS } from './limits';

export const KINDS: readonly DurabilityTopicKind[] = ['default', 'persisted'];
export const PARTITION = 0;

type WatchedEvent = { kind: DurabilityTopicKind; event: PartitionResetEvent };

export interface RestartDetectorDeps {
  host: LabHost;
  now: () => number;
  /** Acknowledged messages the lab computes are only in memory right now. */
  inMemoryTotal: () => bigint;
}

const newWatches = (): Record<DurabilityTopicKind, PartitionWatch> => ({
  default: new PartitionWatch(),
  persisted: new PartitionWatch(),
});

export class RestartDetector {
  readonly #deps: RestartDetectorDeps;
  #watches = newWatches();
  /** Connections the lab listens to for a drop by the server. */
  #listening = new WeakSet<IggyClient>();
  #everConnected = false;
  #connectionLostAt: number | undefined;
  #inMemoryAtLoss: bigint | undefined;
  #pendingEvents: WatchedEvent[] = [];
  #lastRestart: RestartOutcomeView | null = null;

  constructor(deps: RestartDetectorDeps) {
    this.#deps = deps;
  }

  /** The watch of a lab topic's partition (sends report to it what they were answered). */
  watch(kind: DurabilityTopicKind): PartitionWatch {
    return this.#watches[kind];
  }

  /** Iggy went away and the lab has not seen it back yet. */
  get awaitingReturn(): boolean {
    return this.#connectionLostAt !== undefined;
  }

  get lastRestart(): RestartOutcomeView | null {
    return this.#lastRestart;
  }

  /** A drop the lab did not cause (its own closes leave no error) means Iggy went away. */
  listen(client: IggyClient): void {
    this.#everConnected = true;
    if (this.#listening.has(client)) return;
    this.#listening.add(client);
    const stop = client.onStateChange((state, error) => {
      if (state === 'idle' && error) this.markLost();
    });
    this.#deps.host.addCleanup(stop);
  }

  markLost(): void {
    // Never connected yet: Iggy was not there to go away.
    if (!this.#everConnected || this.#connectionLostAt !== undefined) return;
    this.#connectionLostAt = this.#deps.now();
    this.#inMemoryAtLoss ??= this.#deps.inMemoryTotal();
  }

  /** A partition came back shorter (seen by a send or a state read). */
  noteLoss(kind: DurabilityTopicKind, event: PartitionResetEvent): void {
    this.#inMemoryAtLoss ??= this.#deps.inMemoryTotal();
    this.#pendingEvents.push({ kind, event });
  }

  /** A topic that is gone (or new): its offsets from 0 again are not a loss. */
  forgetTopic(kind: DurabilityTopicKind): void {
    this.#watches[kind].forget();
  }

  /**
   * Compares what a state read got with what the lab saw before; true when it concludes a restart
   * (then `lastRestart` says what it found).
   */
  observe(
    topics: ReadonlyMap<DurabilityTopicKind, TopicDetails | null>,
    issuedAt: ReadonlyMap<DurabilityTopicKind, number>,
  ): boolean {
    for (const kind of KINDS) {
      const topic = topics.get(kind) ?? null;
      const partition = topic?.partitions.find((p) => p.id === PARTITION);
      if (!topic || !partition) continue;
      // Recreated under the same name (by anyone): offsets from 0 again are not a loss.
      this.#watches[kind].observeTopic(topic.createdAtMicros);
      const event = this.#watches[kind].observePartition(
        PARTITION,
        partition.currentOffset,
        partition.messagesCount,
        undefined,
        issuedAt.get(kind),
      );
      if (event) this.noteLoss(kind, event);
    }
    if (this.#pendingEvents.length === 0 && this.#connectionLostAt === undefined) return false;
    this.#lastRestart = this.#conclude(this.#pendingEvents, topics);
    this.#pendingEvents = [];
    this.#connectionLostAt = undefined;
    this.#inMemoryAtLoss = undefined;
    return true;
  }

  forget(): void {
    this.#watches = newWatches();
    this.#connectionLostAt = undefined;
    this.#inMemoryAtLoss = undefined;
    this.#pendingEvents = [];
    this.#lastRestart = null;
    this.#listening = new WeakSet();
    this.#everConnected = false;
  }

  #conclude(
    events: WatchedEvent[],
    topics: ReadonlyMap<DurabilityTopicKind, TopicDetails | null>,
  ): RestartOutcomeView {
    const lostAt = this.#connectionLostAt;
    const before = this.#inMemoryAtLoss ?? this.#deps.inMemoryTotal();
    const lost: LostRangeView[] = events.map(({ kind, event }) => ({
      topic: DURABILITY_TOPICS[kind],
      partitionId: event.partitionId,
      lostFrom: event.lostFrom,
      lostTo: event.lostTo,
      lostCount: event.lostCount,
      exact: event.exact,
    }));
    const persistedKept = Boolean(topics.get('persisted')) && !events.some((e) => e.kind === 'persisted');
    return {
      outcome: lost.length > 0 ? 'loss' : 'no-loss',
      noticedAt: new Date(this.#deps.now()).toISOString(),
      connectionLostAt: lostAt === undefined ? null : new Date(lostAt).toISOString(),
      lost,
      inMemoryBefore: before.toString(),
      explanation: explainRestart(lost, persistedKept, lostAt, before),
      cause: lost.length > 0 ? RESET_CAUSE : null,
    };
  }
}
