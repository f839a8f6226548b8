/**
 * The consumer's bounded timeline: the newest messages in arrival order, at most `capacity` of them.
 * It refuses an offset that is not above the last one kept for its partition, which is what keeps a
 * reconnect (or an auto-commit that did not land) from showing a message twice.
 */
export interface BufferedMessage {
  offset: bigint;
  partitionId: number;
}

export interface MessageBufferOptions {
  capacity: number;
}

export const DEFAULT_BUFFER_CAPACITY = 1000;

export class MessageBuffer<T extends BufferedMessage> {
  readonly capacity: number;
  // A ring: `start` is the oldest slot, `size` the number of live slots.
  private readonly slots: (T | undefined)[];
  private start = 0;
  private size = 0;
  private readonly lastOffsetByPartition = new Map<number, bigint>();

  constructor(options: MessageBufferOptions = { capacity: DEFAULT_BUFFER_CAPACITY }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${options.capacity}`);
    }
    this.capacity = options.capacity;
    this.slots = new Array<T | undefined>(options.capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Last offset accepted for a partition (survives eviction from the ring). */
  lastOffset(partitionId: number): bigint | undefined {
    return this.lastOffsetByPartition.get(partitionId);
  }

  /** Newest offset across partitions, or undefined while empty. */
  latestOffset(): bigint | undefined {
    return this.size === 0 ? undefined : this.at(this.size - 1)?.offset;
  }

  /** Adds a message; returns false (and keeps nothing) when its offset is not new for its partition. */
  push(message: T): boolean {
    const last = this.lastOffsetByPartition.get(message.partitionId);
    if (last !== undefined && message.offset <= last) return false;
    this.lastOffsetByPartition.set(message.partitionId, message.offset);
    if (this.size < this.capacity) {
      this.slots[(this.start + this.size) % this.capacity] = message;
      this.size += 1;
    } else {
      this.slots[this.start] = message;
      this.start = (this.start + 1) % this.capacity;
    }
    return true;
  }

  /** Forgets everything, including the per-partition high-water marks (used when a topic was recreated). */
  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.lastOffsetByPartition.clear();
  }

  /** Forgets the high-water mark of one partition, e.g. after its topic was deleted and recreated. */
  resetPartition(partitionId: number): void {
    this.lastOffsetByPartition.delete(partitionId);
  }

  /** All kept messages, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i += 1) {
      const item = this.at(i);
      if (item) out.push(item);
    }
    return out;
  }

  /**
   * Oldest-first messages whose offset is above `after`, at most `limit` of them (the oldest ones,
   * so a client paging with the last offset it saw never misses any). Without `after`: the newest `limit`.
   */
  query(after: bigint | undefined, limit: number): T[] {
    if (limit <= 0) return [];
    if (after === undefined) {
      const from = Math.max(0, this.size - limit);
      const out: T[] = [];
      for (let i = from; i < this.size; i += 1) {
        const item = this.at(i);
        if (item) out.push(item);
      }
      return out;
    }
    const out: T[] = [];
    for (let i = 0; i < this.size && out.length < limit; i += 1) {
      const item = this.at(i);
      if (item && item.offset > after) out.push(item);
    }
    return out;
  }

  private at(index: number): T | undefined {
    return this.slots[(this.start + index) % this.capacity];
  }
}
