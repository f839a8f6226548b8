/**
 * The consumer's bounded timeline: the newest messages in arrival order, at most `capacity` of them. Whether a
 * message is new was decided by the consumer loop, which numbered it (`seq`); the buffer only keeps them in that
 * order so a page can page through them with the last `seq` it holds.
 */
export interface BufferedMessage {
  /** Assigned by the consumer loop: strictly increasing for the life of the loop, across partitions. */
  seq: number;
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
  readonly #slots: (T | undefined)[];
  #start = 0;
  #size = 0;
  #lastSeq = 0;

  constructor(options: MessageBufferOptions = { capacity: DEFAULT_BUFFER_CAPACITY }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${options.capacity}`);
    }
    this.capacity = options.capacity;
    this.#slots = new Array<T | undefined>(options.capacity);
  }

  get length(): number {
    return this.#size;
  }

  /** Offset of the newest message kept (in whichever partition it arrived), or undefined while empty. */
  latestOffset(): bigint | undefined {
    return this.#size === 0 ? undefined : this.#at(this.#size - 1)?.offset;
  }

  /**
   * Appends a message. A `seq` not above the last one pushed is refused (returns false): the loop never hands
   * one out, and keeping the ring sorted by seq is what lets query() answer "everything after seq N".
   */
  push(message: T): boolean {
    if (!Number.isSafeInteger(message.seq) || message.seq <= this.#lastSeq) return false;
    this.#lastSeq = message.seq;
    if (this.#size < this.capacity) {
      this.#slots[(this.#start + this.#size) % this.capacity] = message;
      this.#size += 1;
    } else {
      this.#slots[this.#start] = message;
      this.#start = (this.#start + 1) % this.capacity;
    }
    return true;
  }

  /** Forgets every message (the topic was deleted). Seq numbering carries on, so the order guard stays. */
  clear(): void {
    this.#slots.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }

  /** All kept messages, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i += 1) {
      const item = this.#at(i);
      if (item) out.push(item);
    }
    return out;
  }

  /**
   * Oldest-first messages whose seq is above `afterSeq`, at most `limit` of them (the oldest ones, so a client
   * paging with the last seq it saw never misses any). Without `afterSeq`: the newest `limit`.
   */
  query(afterSeq: number | undefined, limit: number): T[] {
    if (limit <= 0) return [];
    const out: T[] = [];
    if (afterSeq === undefined) {
      for (let i = Math.max(0, this.#size - limit); i < this.#size; i += 1) {
        const item = this.#at(i);
        if (item) out.push(item);
      }
      return out;
    }
    for (let i = this.#firstAbove(afterSeq); i < this.#size && out.length < limit; i += 1) {
      const item = this.#at(i);
      if (item) out.push(item);
    }
    return out;
  }

  /** Index of the oldest kept message with seq > afterSeq (binary search: the ring is sorted by seq). */
  #firstAbove(afterSeq: number): number {
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#at(mid)?.seq ?? Infinity) > afterSeq) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  #at(index: number): T | undefined {
    return this.#slots[(this.#start + index) % this.capacity];
  }
}
