// Offsets for the partition lanes, as bigints (u64 decimal strings, never a lossy number). Lag is the server's
// number (lib/iggy/lag.ts); the page only parses it.
import type { ConsumerPartitionOffset, TopologyPartition } from '@/lib/api/contract';

function toBig(value: string | null | undefined): bigint | null {
  if (value === null || value === undefined || !/^\d+$/.test(value)) return null;
  return BigInt(value);
}

export interface LaneOffsets {
  /** Offset of the newest message, or null when the partition is empty. */
  currentOffset: bigint | null;
  /** Offset the consumer stored (the last one it processed), or null when it never stored one. */
  storedOffset: bigint | null;
  /** Messages the consumer has not processed yet, as the server reported it (null when it did not). */
  lag: bigint | null;
}

/** Iggy reports current offset 0 for an empty partition too, so the message count decides whether offset 0 exists. */
export function laneOffsets(
  partition: Pick<TopologyPartition, 'currentOffset' | 'messagesCount'>,
  consumer: Pick<ConsumerPartitionOffset, 'offset' | 'lag'> | undefined,
): LaneOffsets {
  const count = toBig(partition.messagesCount) ?? 0n;
  return {
    currentOffset: count === 0n ? null : toBig(partition.currentOffset),
    storedOffset: toBig(consumer?.offset),
    lag: toBig(consumer?.lag),
  };
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
export function laneWindow(lag: LaneOffsets): LaneWindow | null {
  const end = lag.currentOffset;
  if (end === null) return null;
  const needed = ((lag.lag ?? 0n) * 3n) / 2n + 4n;
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
