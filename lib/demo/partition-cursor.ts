import { partitionLag, type PolledMessage } from '@/lib/iggy';
import type { PartitionWatch } from './partition-watch';

/** A partition's figures as read with its topic. */
export interface PartitionFigures {
  id: number;
  currentOffset: bigint;
  messagesCount: bigint;
}

/** What offsets starting again makes a cursor forget (see `PartitionCursor.restart`). */
export type RestartScope =
  /**
   * The server lost data on this partition and hands its offsets out again. The newest stamp shown is kept:
   * what comes after the loss is stamped later, so it tells a new message from a survivor on the next replay.
   */
  | 'partition'
  /** The topic was deleted and created again: nothing delivered from the old one applies. */
  | 'topic'
  /** The topic is gone: what the server said about the partition goes too. */
  | 'topic-gone';

/**
 * Where the demo's consumer stands on one partition: the newest offset it handed on (the de-duplication by
 * offset: anything at or below it is a replay), where a gap would start after a failed call, the partition
 * reset it has dealt with, and the server's figures as last read. Offsets starting again is handled in one
 * place, `restart()`.
 */
export class PartitionCursor {
  /** Newest offset handed on in this process. */
  #delivered: bigint | undefined;
  /** Server stamp of the message at `#delivered` (or read past by a replay), to tell it from a newcomer. */
  #deliveredStamp: bigint | undefined;
  /** Server stamp of the newest message handed on: what came after a reset is stamped later. */
  #newestStamp: bigint | undefined;
  /**
   * Before anything was delivered: the stored offset (-1 = none) as it stood right before the latest Next
   * poll. If that poll's reply is lost after its auto-commit, the gap starts here.
   */
  #startAfter: bigint | undefined;
  /** The partition watch's reset epoch this cursor has dealt with. */
  #handledEpoch = 0;

  /** Consumer offset stored on the server (as last read or committed); null = none, undefined = not read. */
  stored: bigint | null | undefined;
  currentOffset: bigint | undefined;
  messagesCount: bigint | undefined;

  get delivered(): bigint | undefined {
    return this.#delivered;
  }

  get deliveredStamp(): bigint | undefined {
    return this.#deliveredStamp;
  }

  get newestStamp(): bigint | undefined {
    return this.#newestStamp;
  }

  /**
   * Where this consumer stood before a failed call: the last delivered offset, or (nothing delivered yet) the
   * stored offset as it was before the last poll. Undefined: nothing to check.
   */
  get gapStart(): bigint | undefined {
    return this.#delivered ?? this.#startAfter;
  }

  /**
   * The one place that decides "is this message new?": offsets at or below the last delivered one are replays
   * (a retried poll, a gap fetch overlapping a poll). Returns the new ones, in order, and moves past them.
   */
  take(messages: readonly PolledMessage[]): PolledMessage[] {
    const fresh: PolledMessage[] = [];
    for (const message of messages) {
      if (this.#delivered !== undefined && message.offset <= this.#delivered) continue;
      this.#delivered = message.offset;
      this.#deliveredStamp = message.timestampMicros;
      if (this.#newestStamp === undefined || message.timestampMicros > this.#newestStamp)
        this.#newestStamp = message.timestampMicros;
      fresh.push(message);
    }
    return fresh;
  }

  /** A replay read past `offset` without showing it again (a survivor): it still counts as handled. */
  readPast(offset: bigint, stamp: bigint | undefined): void {
    if (this.#delivered !== undefined && offset <= this.#delivered) return;
    this.#delivered = offset;
    if (stamp !== undefined) this.#deliveredStamp = stamp;
  }

  /** The partition as the topic was read, and the stored offset read with it (undefined: not read). */
  observe(partition: PartitionFigures, stored?: bigint | null): void {
    this.currentOffset = partition.currentOffset;
    this.messagesCount = partition.messagesCount;
    if (stored !== undefined) this.stored = stored;
  }

  /** Call right before a Next poll with auto-commit: until something is delivered, the gap starts here. */
  beforeNextPoll(): void {
    if (this.#delivered === undefined && this.stored !== undefined) this.#startAfter = this.stored ?? -1n;
  }

  /** A Next poll with auto-commit answered: the server stored the last offset it returned. */
  afterNextPoll(currentOffset: bigint, lastOffset: bigint | undefined): void {
    this.currentOffset = currentOffset;
    if (lastOffset === undefined) return;
    this.stored = lastOffset;
    // messagesCount is at least offset + 1.
    if ((this.messagesCount ?? 0n) <= currentOffset) this.messagesCount = currentOffset + 1n;
  }

  /** Whether the watch's reset epoch for this partition is the one this cursor has dealt with. */
  isHandled(epoch: number): boolean {
    return epoch === this.#handledEpoch;
  }

  handled(epoch: number): void {
    this.#handledEpoch = epoch;
  }

  /** Offsets start again: forget what was delivered, so the de-duplication does not drop the new messages. */
  restart(scope: RestartScope): void {
    this.#delivered = undefined;
    this.#deliveredStamp = undefined;
    this.#startAfter = undefined;
    if (scope === 'partition') return;
    this.#newestStamp = undefined;
    if (scope === 'topic') return;
    this.stored = null;
    this.currentOffset = undefined;
    this.messagesCount = undefined;
  }

  /** Messages not committed yet, once all three figures were read. */
  lag(): bigint | undefined {
    if (this.messagesCount === undefined || this.currentOffset === undefined || this.stored === undefined)
      return undefined;
    return partitionLag(this.currentOffset, this.messagesCount, this.stored);
  }
}

/** The cursors of the consumer's topic, and its partitions as last read (in id order; none while it is missing). */
export class TopicCursors {
  readonly #cursors = new Map<number, PartitionCursor>();
  #ids: number[] = [];

  get ids(): readonly number[] {
    return this.#ids;
  }

  /** The partition's cursor, created on first use (a cursor outlives its partition leaving the list). */
  of(partitionId: number): PartitionCursor {
    let cursor = this.#cursors.get(partitionId);
    if (!cursor) {
      cursor = new PartitionCursor();
      this.#cursors.set(partitionId, cursor);
    }
    return cursor;
  }

  /** The cursor a status reports: the partition delivered from last, else the first one. */
  shown(lastDeliveredPartition: number | undefined): PartitionCursor | undefined {
    const partitionId = lastDeliveredPartition ?? this.#ids[0];
    return partitionId === undefined ? undefined : this.#cursors.get(partitionId);
  }

  usePartitions(partitions: readonly { id: number }[]): void {
    this.#ids = partitions.map((p) => p.id).sort((a, b) => a - b);
  }

  /** Figures and stored offsets read by someone else. */
  observe(
    partitions: readonly PartitionFigures[],
    stored: { partitionId: number; offset: bigint | null }[],
  ): void {
    this.usePartitions(partitions);
    for (const partition of partitions) this.of(partition.id).observe(partition);
    for (const entry of stored) this.of(entry.partitionId).stored = entry.offset;
  }

  /** Per-partition stored offsets as last seen (null = nothing stored yet). */
  storedOffsets(): { partitionId: number; offset: bigint | null }[] {
    return this.#ids.map((partitionId) => ({
      partitionId,
      offset: this.#cursors.get(partitionId)?.stored ?? null,
    }));
  }

  anyDelivered(): boolean {
    return [...this.#cursors.values()].some((c) => c.delivered !== undefined);
  }

  /** Every partition's offsets start again, expectedly: the watch must not report it as a loss. */
  restartAll(scope: Exclude<RestartScope, 'partition'>, watch: PartitionWatch): void {
    for (const [partitionId, cursor] of this.#cursors) {
      cursor.restart(scope);
      watch.forget(partitionId);
      cursor.handled(watch.epochOf(partitionId));
    }
    if (scope === 'topic-gone') this.#ids = [];
  }

  /** Messages in the topic the consumer has not committed yet, summed over partitions. */
  lag(): bigint | undefined {
    let total: bigint | undefined;
    for (const partitionId of this.#ids) {
      const lag = this.#cursors.get(partitionId)?.lag();
      if (lag !== undefined) total = (total ?? 0n) + lag;
    }
    return total;
  }
}
