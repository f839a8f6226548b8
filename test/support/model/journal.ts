import type { StoredBatch } from '../wire/batch';
import type { TopicSettings } from '../wire/topic-options';
import type { PartitionState, TopicState } from './state';

/**
 * The per-partition journal of docs/iggy-concepts.md#what-a-crash-loses: an acknowledged message stays in memory until the journal
 * reaches `messages_required_to_save` messages or `size_of_messages_required_to_save` bytes (then the whole
 * journal is written), until a graceful stop, or — with `durability = persisted` — at once. A crash drops it.
 */

/** What a message weighs toward the size threshold: its frame (48-byte header, payload, user headers). */
export function journalWeight(batch: StoredBatch): bigint {
  return BigInt(batch.frames.reduce((sum, frame) => sum + frame.bytes.length, 0));
}

/** Appends an acknowledged batch and flushes when a threshold (or the durability mode) says so. */
export function appendToJournal(
  partition: PartitionState,
  settings: TopicSettings,
  batch: StoredBatch,
): void {
  partition.batches.push(batch);
  partition.journalMessages += batch.frames.length;
  partition.journalBytes += journalWeight(batch);
  if (
    settings.durability === 'persisted' ||
    partition.journalMessages >= settings.messagesRequiredToSave ||
    partition.journalBytes >= settings.sizeOfMessagesRequiredToSave
  ) {
    flushJournal(partition);
  }
}

export function flushJournal(partition: PartitionState): void {
  partition.durableBatches = partition.batches.length;
  partition.journalMessages = 0;
  partition.journalBytes = 0n;
}

export function flushTopic(topic: TopicState): void {
  topic.partitions.forEach(flushJournal);
}

/**
 * What a restart after SIGKILL finds: only the written batches. A stored offset past the data is clamped to
 * the partition's current offset (0 when empty), so a `Next` poll after new sends skips offset 0 — as observed.
 */
export function recoverAfterCrash(partition: PartitionState, sizeOf: (batch: StoredBatch) => number): void {
  partition.batches.splice(partition.durableBatches);
  partition.journalMessages = 0;
  partition.journalBytes = 0n;
  const last = partition.batches.at(-1);
  partition.nextOffset = last ? last.baseOffset + BigInt(last.frames.length) : 0n;
  partition.messagesCount = BigInt(partition.batches.reduce((sum, b) => sum + b.frames.length, 0));
  partition.sizeBytes = BigInt(partition.batches.reduce((sum, b) => sum + sizeOf(b), 0));
  const current = partition.nextOffset === 0n ? 0n : partition.nextOffset - 1n;
  for (const offsets of [partition.consumerOffsets, partition.groupOffsets]) {
    for (const [key, stored] of offsets) if (stored > current) offsets.set(key, current);
  }
}
