/**
 * The lab's model of one partition's in-memory journal: Iggy appends acknowledged
 * messages to the journal and writes the whole journal to the segment file once it holds
 * `messages_required_to_save` messages or `size_of_messages_required_to_save` bytes (the batch that
 * crossed the line included), or on a graceful shutdown. Nothing here asks the server: the server does
 * not report its journal, so the lab computes it from the sends it made, and says so.
 */

import type { DurabilityTopicKind, InMemoryView } from './contract';

/** Size a message adds toward the size threshold: its 48-byte frame header plus payload (no user headers here). */
export const MESSAGE_FRAME_HEADER_BYTES = 48;

export interface FlushThresholds {
  messages: number;
  bytes: bigint;
}

export interface JournalLedger {
  /** The partition's message count the ledger accounts for. */
  accounted: bigint;
  /** Messages in the journal (not yet written). */
  count: number;
  bytes: bigint;
  basis: 'lab-sends' | 'partition-count';
}

export const emptyLedger = (accounted = 0n): JournalLedger => ({
  accounted,
  count: 0,
  bytes: 0n,
  basis: 'lab-sends',
});

export const messageWeight = (payloadBytes: number): bigint =>
  BigInt(MESSAGE_FRAME_HEADER_BYTES + payloadBytes);

/** One SendMessages of messages weighing `weights` bytes each, then the flush check. */
export function recordBatch(
  ledger: JournalLedger,
  weights: readonly bigint[],
  thresholds: FlushThresholds,
): JournalLedger {
  if (weights.length === 0) return ledger;
  const count = ledger.count + weights.length;
  const bytes = weights.reduce((sum, w) => sum + w, ledger.bytes);
  const accounted = ledger.accounted + BigInt(weights.length);
  if (count >= thresholds.messages || bytes >= thresholds.bytes)
    return { accounted, count: 0, bytes: 0n, basis: ledger.basis };
  return { accounted, count, bytes, basis: ledger.basis };
}

/**
 * The partition holds a count the ledger does not account for (someone else sent, or the app started
 * after the sends): assume one message per flush check, so the journal holds what is left after the
 * last multiple of the message threshold; weigh it at the partition's average message size.
 */
export function estimateFromPartition(
  messagesCount: bigint,
  sizeBytes: bigint,
  thresholds: FlushThresholds,
): JournalLedger {
  if (messagesCount <= 0n) return emptyLedger(0n);
  const average = sizeBytes / messagesCount;
  let count = Number(messagesCount % BigInt(thresholds.messages));
  // The size threshold flushes earlier when the messages are heavy: the journal never reaches it.
  if (average > 0n) {
    const bySize = thresholds.bytes / average;
    if (bySize > 0n && BigInt(count) >= bySize) count = Number(BigInt(count) % bySize);
  }
  return { accounted: messagesCount, count, bytes: average * BigInt(count), basis: 'partition-count' };
}

/**
 * The partition grew past what the ledger accounts for (another sender): assume the extra messages came
 * one per send on top of the journal the lab knew, so they continue its count toward the threshold.
 */
export function extendEstimate(
  ledger: JournalLedger,
  messagesCount: bigint,
  sizeBytes: bigint,
  thresholds: FlushThresholds,
): JournalLedger {
  if (messagesCount < ledger.accounted) return estimateFromPartition(messagesCount, sizeBytes, thresholds);
  const total = BigInt(ledger.count) + (messagesCount - ledger.accounted);
  const count = Number(total % BigInt(thresholds.messages));
  const average = messagesCount > 0n ? sizeBytes / messagesCount : 0n;
  return { accounted: messagesCount, count, bytes: average * BigInt(count), basis: 'partition-count' };
}

/** The journal was written (graceful restart) or lost (crash): what the partition holds is on disk. */
export const afterRestart = (messagesCount: bigint): JournalLedger => emptyLedger(messagesCount);

/**
 * What the page shows of a partition's journal: for a persisted topic nothing (each send waited for the
 * disk); otherwise the ledger (or, without one, an estimate from the partition), saying how it was reached.
 */
export function inMemoryView(
  kind: DurabilityTopicKind,
  partition: { messagesCount: bigint; sizeBytes: bigint; currentOffset: bigint },
  known: JournalLedger | undefined,
  thresholds: FlushThresholds,
): InMemoryView {
  if (kind === 'persisted')
    return {
      count: '0',
      bytes: '0',
      offsets: null,
      basis: 'persisted',
      how: 'durability=persisted: Iggy answers a send only once stable storage holds it, so no acknowledged message is only in memory.',
    };
  const ledger = known ?? estimateFromPartition(partition.messagesCount, partition.sizeBytes, thresholds);
  const count = BigInt(ledger.count);
  const rule = `the journal is written at ${thresholds.messages} messages or ${thresholds.bytes} bytes, as the topic reports`;
  return {
    count: count.toString(),
    bytes: ledger.bytes.toString(),
    offsets:
      count > 0n
        ? { from: (partition.currentOffset - count + 1n).toString(), to: partition.currentOffset.toString() }
        : null,
    basis: ledger.basis,
    how:
      ledger.basis === 'lab-sends'
        ? `Computed, not read from Iggy: replayed from the lab's own sends since the journal was last empty (${rule}, 48 bytes of header per message counted).`
        : `Estimated, not read from Iggy: the partition holds messages the lab did not send (another sender, or sends before the app started), so it assumes they came one per send and counts them toward the threshold (${rule}).`,
  };
}
