// Offset and lag arithmetic on u64 decimal strings (bigint inside, never a lossy number).

function toBig(value: string | null | undefined): bigint | null {
  if (value === null || value === undefined || !/^\d+$/.test(value)) return null;
  return BigInt(value);
}

export interface PartitionLag {
  /** Offset of the newest message, or null when the partition is empty. */
  currentOffset: bigint | null;
  /** Offset the consumer stored (the last one it processed), or null when it never stored one. */
  storedOffset: bigint | null;
  /** Messages the consumer has not processed yet. */
  lag: bigint;
}

/**
 * Iggy reports current offset 0 for an empty partition too, so the message count decides whether offset 0 exists.
 * With no stored offset the consumer has processed nothing: every message is lag.
 */
export function partitionLag(
  currentOffset: string,
  messagesCount: string,
  storedOffset: string | null | undefined,
): PartitionLag {
  const count = toBig(messagesCount) ?? 0n;
  const current = count === 0n ? null : toBig(currentOffset);
  const stored = toBig(storedOffset ?? null);
  if (current === null) return { currentOffset: null, storedOffset: stored, lag: 0n };
  if (stored === null) return { currentOffset: current, storedOffset: null, lag: current + 1n };
  return { currentOffset: current, storedOffset: stored, lag: current > stored ? current - stored : 0n };
}

export interface LaneWindow {
  /** First offset drawn at the left edge of the lane. */
  start: bigint;
  /** Offset at the right edge (the newest message). */
  end: bigint;
  /** Number of offsets the lane shows (end - start + 1). */
  span: number;
  /** Position of the stored-offset marker in 0..1, or null when it falls before the window or does not exist. */
  storedAt: number | null;
  /** Where the lag gap begins, in 0..1 (0 when everything in view is unconsumed). */
  lagFrom: number;
}

const MIN_SPAN = 24;

function niceSpan(needed: bigint): number {
  // Steps of 1-2-5 so the lane rescales rarely while the lag grows.
  let base = 1;
  for (;;) {
    for (const m of [1, 2, 5]) {
      const candidate = BigInt(base * m);
      if (candidate >= needed) return Math.max(MIN_SPAN, base * m);
    }
    base *= 10;
    if (base > 1e15) return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * The lane shows the newest offsets of the partition, wide enough that the lag gap fits with room to spare,
 * so a lag of 3 is visible on a partition holding millions of messages.
 */
export function laneWindow(lag: PartitionLag): LaneWindow | null {
  const end = lag.currentOffset;
  if (end === null) return null;
  const needed = (lag.lag * 3n) / 2n + 4n;
  const span = niceSpan(needed);
  const bigSpan = BigInt(span);
  const start = end + 1n >= bigSpan ? end + 1n - bigSpan : 0n;
  const shown = Number(end - start + 1n);
  const position = (offset: bigint) => (shown <= 1 ? 1 : Number(offset - start + 1n) / shown);
  let storedAt: number | null = null;
  let lagFrom = 0;
  if (lag.storedOffset !== null && lag.storedOffset >= start) {
    const clamped = lag.storedOffset > end ? end : lag.storedOffset;
    storedAt = position(clamped);
    lagFrom = storedAt;
  }
  return { start, end, span: shown, storedAt, lagFrom };
}
