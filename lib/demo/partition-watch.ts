import type { PartitionReset } from './types';

/**
 * Remembers, per partition, the highest offset this process has seen the server hold (from the producer's
 * send replies, the consumer's polls and topology reads) and notices when the server later reports less.
 * Iggy 0.9.0 keeps new messages in an in-memory journal and writes them to disk only every 1,024 messages
 * or 1 MiB per partition, or on a graceful shutdown: after a crash those offsets are handed out again.
 */

/** Why the server reports fewer offsets than it did; the only cause this app knows of besides a recreated topic. */
export const RESET_CAUSE = 'the server restarted before flushing its in-memory journal';

/** What revealed the reset. */
export type ResetSource = PartitionReset['noticedBy'];

/** A reset as the watch reports it; the runtime adds where it falls in the message order (`afterSeq`). */
export type PartitionResetEvent = Omit<PartitionReset, 'afterSeq'>;

export interface PartitionWatchOptions {
  now?: () => number;
  /** Events kept for `recent()` (older ones are dropped). */
  capacity?: number;
  /** Called with every new event and every refinement of the newest event of a partition. */
  onEvent?: (event: PartitionResetEvent, refined: boolean) => void;
}

interface WatchedPartition {
  /** Highest offset we know the server held; -1 = we know it is empty; undefined = never looked. */
  highest: bigint | undefined;
  /** The watch's tick when `highest` last changed. */
  highestTick: number;
  /** Increments on every new (not refined) reset event of this partition. */
  epoch: number;
  /** A stored offset above the data that was already reported. */
  flaggedStored?: bigint;
  /** The latest event, while later observations may still lower its lostFrom (nothing new above it yet). */
  open?: { event: PartitionResetEvent; lostTo: bigint; level: bigint; exact: boolean };
}

const DEFAULT_CAPACITY = 20;

export class PartitionWatch {
  readonly #partitions = new Map<number, WatchedPartition>();
  readonly #events: PartitionResetEvent[] = [];
  readonly #now: () => number;
  readonly #capacity: number;
  readonly #onEvent: PartitionWatchOptions['onEvent'];
  #nextEventId = 1;
  #topicCreatedAt: bigint | undefined;
  #clock = 0;

  constructor(options: PartitionWatchOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#capacity = Math.max(1, options.capacity ?? DEFAULT_CAPACITY);
    this.#onEvent = options.onEvent;
  }

  /**
   * Take one before issuing a request and pass it with the answer. Requests run concurrently on two connections:
   * an answer that reports less than we knew is evidence of a reset only if we knew it before the request left —
   * otherwise what we knew may come from this very request (a consumer that saw the message a send put there
   * before the send's reply was handled).
   */
  tick(): number {
    return ++this.#clock;
  }

  /** The producer's send landed at baseOffset..baseOffset+count-1: everything from baseOffset on was handed out again. */
  observeSent(
    partitionId: number,
    baseOffset: bigint,
    count: number,
    issuedAt?: number,
  ): PartitionResetEvent | undefined {
    if (count <= 0) return undefined;
    const event = this.#observeLevel(partitionId, baseOffset - 1n, true, 'send', issuedAt);
    this.#raise(partitionId, baseOffset + BigInt(count) - 1n);
    return event;
  }

  /**
   * A poll reply: its current offset bounds what survived from above (the reply cannot tell an empty
   * partition from one holding offset 0), and its messages prove the offsets they carry exist.
   */
  observePolled(
    partitionId: number,
    currentOffset: bigint,
    offsets: readonly bigint[] = [],
    issuedAt?: number,
  ): PartitionResetEvent | undefined {
    const highest = this.#watched(partitionId).highest;
    let event: PartitionResetEvent | undefined;
    if (highest !== undefined && currentOffset < highest)
      event = this.#observeLevel(partitionId, currentOffset, false, 'poll', issuedAt);
    // An empty partition also answers current offset 0: only a higher one proves the offset exists.
    else if (currentOffset > 0n) this.#raise(partitionId, currentOffset);
    for (const offset of offsets) this.#raise(partitionId, offset);
    return event;
  }

  /**
   * A topic read (and, when known, the consumer's stored offset). `messagesCount 0` with current offset 0 is an
   * empty partition; a partition emptied by retention keeps its current offset, so that is not a reset.
   * A stored offset above the current offset points at messages that no longer exist.
   */
  observePartition(
    partitionId: number,
    currentOffset: bigint,
    messagesCount: bigint,
    storedOffset?: bigint | null,
    issuedAt?: number,
  ): PartitionResetEvent | undefined {
    const level = messagesCount === 0n && currentOffset === 0n ? -1n : currentOffset;
    // Only an empty partition pins what survived; otherwise new sends may already sit above the survivors.
    const byTopology = this.#observeLevel(partitionId, level, level === -1n, 'topology', issuedAt);
    const watched = this.#watched(partitionId);
    if (byTopology || storedOffset === undefined || storedOffset === null || storedOffset <= level)
      return byTopology;
    if (this.#isStale(watched, issuedAt)) return undefined;
    // Already reported (by this reset, or the same stored offset earlier): once is enough.
    if (watched.flaggedStored === storedOffset) return undefined;
    if (watched.open && storedOffset <= watched.open.lostTo) return undefined;
    watched.flaggedStored = storedOffset;
    // The stored offset says a consumer read up to there: at least level+1..stored is gone.
    this.#raise(partitionId, storedOffset);
    return this.#observeLevel(partitionId, level, false, 'stored-offset', undefined);
  }

  /**
   * After a reset the consumer found that messages from `firstNewOffset` on are new (stamped after the last one it
   * had shown): the loss started there, which may lower an inexact event's lostFrom.
   */
  observeFirstNew(partitionId: number, firstNewOffset: bigint): PartitionResetEvent | undefined {
    const watched = this.#partitions.get(partitionId);
    if (!watched?.open) return undefined;
    return this.#refine(watched, firstNewOffset - 1n, true, false);
  }

  /** The message at `offset` is not the one this app saw there (another server stamp): offsets were handed out again. */
  observeReplaced(partitionId: number, offset: bigint, issuedAt?: number): PartitionResetEvent | undefined {
    return this.#observeLevel(partitionId, offset - 1n, false, 'poll', issuedAt);
  }

  /** Bumps on every new reset of the partition; a consumer compares it with the epoch it last handled. */
  epochOf(partitionId: number): number {
    return this.#partitions.get(partitionId)?.epoch ?? 0;
  }

  /** Highest offset we know the server held (-1n = known empty), if we ever looked. */
  highestSeen(partitionId: number): bigint | undefined {
    return this.#partitions.get(partitionId)?.highest;
  }

  /** Newest last, at most `capacity`. */
  recent(): PartitionResetEvent[] {
    return this.#events.map((e) => ({ ...e }));
  }

  /**
   * The topic's creation stamp, from any read of it: a different one means it was deleted and recreated under the
   * same name, so its offsets from 0 are a new topic's, not a loss.
   */
  observeTopic(createdAtMicros: bigint): void {
    if (this.#topicCreatedAt !== undefined && createdAtMicros !== this.#topicCreatedAt) this.forget();
    this.#topicCreatedAt = createdAtMicros;
  }

  /** The topic is gone (deleted, or recreated under the same name): offsets from 0 again are expected, not a loss. */
  forget(partitionId?: number): void {
    if (partitionId === undefined) {
      for (const id of this.#partitions.keys()) this.forget(id);
      return;
    }
    const watched = this.#partitions.get(partitionId);
    if (!watched) return;
    this.#setHighest(watched, undefined);
    watched.open = undefined;
    watched.flaggedStored = undefined;
  }

  /** `level` = highest offset the server says it holds of what we saw (-1 = none). */
  #observeLevel(
    partitionId: number,
    level: bigint,
    exact: boolean,
    source: ResetSource,
    issuedAt: number | undefined,
  ): PartitionResetEvent | undefined {
    const watched = this.#watched(partitionId);
    if (watched.highest === undefined) {
      this.#setHighest(watched, level);
      return undefined;
    }
    if (level >= watched.highest) {
      this.#raise(partitionId, level);
      return undefined;
    }
    // We learned the higher offset only after this request left: no evidence either way.
    if (this.#isStale(watched, issuedAt)) return undefined;
    // Lower than before. Part of the reset we already reported (nothing new seen since)? Then refine it.
    // Lower again with nothing new seen since the last reset: the same reset, known better now.
    if (watched.open) return this.#refine(watched, level, exact);
    const lostTo = watched.highest;
    const lostFrom = level + 1n;
    const event: PartitionResetEvent = {
      id: this.#nextEventId++,
      partitionId,
      lostFrom: lostFrom.toString(),
      lostTo: lostTo.toString(),
      lostCount: (lostTo - lostFrom + 1n).toString(),
      exact,
      noticedAt: new Date(this.#now()).toISOString(),
      noticedBy: source,
      cause: RESET_CAUSE,
    };
    watched.epoch += 1;
    this.#setHighest(watched, level);
    watched.open = { event, lostTo, level, exact };
    this.#events.push(event);
    while (this.#events.length > this.#capacity) this.#events.shift();
    this.#onEvent?.({ ...event }, false);
    return { ...event };
  }

  #refine(
    watched: WatchedPartition,
    level: bigint,
    exact: boolean,
    lowerHighest = true,
  ): PartitionResetEvent | undefined {
    const open = watched.open!;
    if (level >= open.level) return undefined;
    open.level = level;
    open.exact = exact;
    // A lower report from the server lowers what it holds; new messages found by the consumer do not.
    if (lowerHighest) this.#setHighest(watched, level);
    const lostFrom = level + 1n;
    const event = open.event;
    event.lostFrom = lostFrom.toString();
    event.lostCount = (open.lostTo - lostFrom + 1n).toString();
    event.exact = exact;
    this.#onEvent?.({ ...event }, true);
    return { ...event };
  }

  /** New data at `offset`: once it passes the level right after a reset, that reset can no longer be refined. */
  #raise(partitionId: number, offset: bigint): void {
    const watched = this.#watched(partitionId);
    if (watched.highest === undefined || offset > watched.highest) this.#setHighest(watched, offset);
    if (watched.open && offset > watched.open.level) watched.open = undefined;
  }

  #setHighest(watched: WatchedPartition, value: bigint | undefined): void {
    watched.highest = value;
    watched.highestTick = ++this.#clock;
  }

  #isStale(watched: WatchedPartition, issuedAt: number | undefined): boolean {
    return issuedAt !== undefined && issuedAt < watched.highestTick;
  }

  #watched(partitionId: number): WatchedPartition {
    let watched = this.#partitions.get(partitionId);
    if (!watched) {
      watched = { highest: undefined, highestTick: 0, epoch: 0 };
      this.#partitions.set(partitionId, watched);
    }
    return watched;
  }
}
