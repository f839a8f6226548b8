import { describe, expect, it } from 'vitest';
import { appendToJournal, flushJournal, journalWeight, recoverAfterCrash } from '../../support/model/journal';
import { type PartitionState, currentOffset, newPartition } from '../../support/model/state';
import { type StoredBatch, storedBatchSizeBytes } from '../../support/wire/batch';
import { DEFAULT_TOPIC_SETTINGS, type TopicSettings } from '../../support/wire/topic-options';

/** docs/iggy-concepts.md#what-a-crash-loses: what a partition journal keeps, writes and loses. */

function batchOf(partition: PartitionState, count: number, payloadBytes = 10): StoredBatch {
  const batch: StoredBatch = {
    partitionId: partition.id,
    baseOffset: partition.nextOffset,
    baseTimestamp: 0n,
    originTimestamp: 0n,
    frames: Array.from({ length: count }, (_, i) => ({
      bytes: Buffer.alloc(48 + payloadBytes),
      offsetDelta: i,
    })),
  };
  return batch;
}

/** What the send path does around appendToJournal. */
function send(partition: PartitionState, settings: TopicSettings, count: number, payloadBytes = 10): void {
  const batch = batchOf(partition, count, payloadBytes);
  appendToJournal(partition, settings, batch);
  partition.nextOffset += BigInt(count);
  partition.messagesCount += BigInt(count);
  partition.sizeBytes += BigInt(storedBatchSizeBytes(batch));
}

const settings = (overrides: Partial<TopicSettings> = {}): TopicSettings => ({
  ...DEFAULT_TOPIC_SETTINGS,
  ...overrides,
});

describe('partition journal', () => {
  it('keeps 1 023 default-sized sends in memory and writes all 1 024 on the 1 024th', () => {
    const p = newPartition(0, 0n);
    for (let i = 0; i < 1023; i += 1) send(p, settings(), 1);
    expect(p.journalMessages).toBe(1023);
    expect(p.durableBatches).toBe(0);
    send(p, settings(), 1);
    expect(p.journalMessages).toBe(0);
    expect(p.durableBatches).toBe(1024);
  });

  it('a batch that crosses the count is written whole, together with what was waiting', () => {
    const p = newPartition(0, 0n);
    send(p, settings({ messagesRequiredToSave: 10 }), 4);
    send(p, settings({ messagesRequiredToSave: 10 }), 25);
    expect(p.journalMessages).toBe(0);
    expect(p.durableBatches).toBe(2);
  });

  it('counts frame bytes (header + payload + user headers) toward the size threshold, not the batch header', () => {
    const p = newPartition(0, 0n);
    const batch = batchOf(p, 3, 100);
    expect(journalWeight(batch)).toBe(3n * 148n);
    const s = settings({ sizeOfMessagesRequiredToSave: 1024n });
    for (let i = 0; i < 6; i += 1) send(p, s, 1, 100);
    expect(p.journalBytes).toBe(888n);
    send(p, s, 1, 100);
    expect(p.journalBytes).toBe(0n);
    expect(p.durableBatches).toBe(7);
  });

  it('durability persisted writes every send at once', () => {
    const p = newPartition(0, 0n);
    send(p, settings({ durability: 'persisted' }), 1);
    expect(p.durableBatches).toBe(1);
    expect(p.journalMessages).toBe(0);
  });

  it('a crash keeps the written prefix and clamps stored offsets past it, leaving the others alone', () => {
    const p = newPartition(0, 0n);
    const s = settings({ messagesRequiredToSave: 5 });
    send(p, s, 5); // offsets 0..4, written
    send(p, s, 3); // offsets 5..7, journal only
    p.consumerOffsets.set(1, 7n);
    p.consumerOffsets.set(2, 3n);
    p.groupOffsets.set(0, 6n);
    recoverAfterCrash(p, storedBatchSizeBytes);
    expect(p.nextOffset).toBe(5n);
    expect(currentOffset(p)).toBe(4n);
    expect(p.messagesCount).toBe(5n);
    expect(p.sizeBytes).toBe(BigInt(256 + 5 * 58));
    expect(p.consumerOffsets.get(1)).toBe(4n);
    expect(p.consumerOffsets.get(2)).toBe(3n);
    expect(p.groupOffsets.get(0)).toBe(4n);
  });

  it('a crash that empties a partition reads current offset 0, count 0, and clamps a stored 49 to 0', () => {
    const p = newPartition(0, 0n);
    send(p, settings(), 50);
    p.consumerOffsets.set(1, 49n);
    recoverAfterCrash(p, storedBatchSizeBytes);
    expect([p.nextOffset, currentOffset(p), p.messagesCount, p.sizeBytes]).toEqual([0n, 0n, 0n, 0n]);
    expect(p.consumerOffsets.get(1)).toBe(0n);
  });

  it('after a flush (graceful stop) a crash loses nothing', () => {
    const p = newPartition(0, 0n);
    send(p, settings(), 3);
    flushJournal(p);
    recoverAfterCrash(p, storedBatchSizeBytes);
    expect(p.messagesCount).toBe(3n);
  });
});
