/** Per-partition bookkeeping of one group consumer: what it has seen, where it reads next, what it stored. */

import type { PolledMessage } from '../wire/messages';

export interface PartitionProgressView {
  partitionId: number;
  /** Highest offset this consumer has received from the partition. */
  lastOffset: bigint | undefined;
  /** Highest offset this consumer has stored (auto-commit or `commit()`). */
  committedOffset: bigint | undefined;
  received: number;
  /** Messages received at or below an offset already received here: a redelivery after a rebalance. */
  redelivered: number;
}

interface Entry {
  lastOffset?: bigint;
  committedOffset?: bigint;
  /** Manual mode only: the offset to read next; unset = ask the server for `Next` (after the stored offset). */
  readFrom?: bigint;
  received: number;
  redelivered: number;
}

export class PartitionProgress {
  readonly #entries = new Map<number, Entry>();

  #entry(partitionId: number): Entry {
    let entry = this.#entries.get(partitionId);
    if (!entry) {
      entry = { received: 0, redelivered: 0 };
      this.#entries.set(partitionId, entry);
    }
    return entry;
  }

  /** Records a polled batch; returns how many of its messages are redeliveries. */
  record(partitionId: number, messages: readonly PolledMessage[]): number {
    if (messages.length === 0) return 0;
    const entry = this.#entry(partitionId);
    let redelivered = 0;
    for (const message of messages) {
      if (entry.lastOffset !== undefined && message.offset <= entry.lastOffset) redelivered++;
      else entry.lastOffset = message.offset;
    }
    entry.received += messages.length;
    entry.redelivered += redelivered;
    entry.readFrom = messages[messages.length - 1]!.offset + 1n;
    return redelivered;
  }

  readFrom(partitionId: number): bigint | undefined {
    return this.#entries.get(partitionId)?.readFrom;
  }

  committed(partitionId: number, offset: bigint): void {
    const entry = this.#entry(partitionId);
    if (entry.committedOffset === undefined || offset > entry.committedOffset) entry.committedOffset = offset;
  }

  /** The next read of this partition resumes after the server's stored offset (redelivering anything unstored). */
  rewind(partitionId: number): void {
    const entry = this.#entries.get(partitionId);
    if (entry) entry.readFrom = undefined;
  }

  rewindAll(): void {
    for (const entry of this.#entries.values()) entry.readFrom = undefined;
  }

  snapshot(): PartitionProgressView[] {
    return [...this.#entries]
      .sort(([a], [b]) => a - b)
      .map(([partitionId, e]) => ({
        partitionId,
        lastOffset: e.lastOffset,
        committedOffset: e.committedOffset,
        received: e.received,
        redelivered: e.redelivered,
      }));
  }
}
