import { describe, expect, it } from 'vitest';
import { Consumer, type PolledMessage } from '@/lib/iggy';
import { PartitionCursor, TopicCursors } from '@/lib/demo/partition-cursor';
import { PartitionWatch } from '@/lib/demo/partition-watch';
import { consumerTarget, readStoredOffsets, type StoredOffsetClient } from '@/lib/demo/stored-offsets';
import { polledMessage as message } from './polled-message';

const offsets = (messages: PolledMessage[]) => messages.map((m) => m.offset);

describe('PartitionCursor', () => {
  it('hands on each offset once: a retried poll or an overlapping gap fetch yields only what is new', () => {
    const cursor = new PartitionCursor();
    expect(offsets(cursor.take([message(0n, 10n), message(1n, 11n)]))).toEqual([0n, 1n]);
    expect(offsets(cursor.take([message(1n, 11n), message(2n, 12n)]))).toEqual([2n]);
    expect(offsets(cursor.take([message(0n, 10n)]))).toEqual([]);
    expect(cursor.delivered).toBe(2n);
    expect(cursor.deliveredStamp).toBe(12n);
    expect(cursor.gapStart).toBe(2n);
  });

  it('starts the gap at the stored offset read before the first Next poll, or -1 when none is stored', () => {
    const cursor = new PartitionCursor();
    cursor.beforeNextPoll();
    expect(cursor.gapStart).toBeUndefined(); // nothing read yet: no gap to check
    cursor.stored = null;
    cursor.beforeNextPoll();
    expect(cursor.gapStart).toBe(-1n);
    cursor.stored = 41n;
    cursor.beforeNextPoll();
    expect(cursor.gapStart).toBe(41n);
    cursor.take([message(42n, 5n)]);
    cursor.stored = 99n;
    cursor.beforeNextPoll(); // something delivered: the gap starts after it, not at the stored offset
    expect(cursor.gapStart).toBe(42n);
  });

  it('after a partition reset takes offsets from 0 again and keeps the newest stamp as the replay cutoff', () => {
    const cursor = new PartitionCursor();
    cursor.stored = 7n;
    cursor.take([message(6n, 60n), message(7n, 70n)]);
    cursor.restart('partition');
    expect(cursor.delivered).toBeUndefined();
    expect(cursor.gapStart).toBeUndefined();
    expect(cursor.newestStamp).toBe(70n);
    expect(cursor.stored).toBe(7n);
    expect(offsets(cursor.take([message(0n, 80n)]))).toEqual([0n]);
  });

  it('forgets the stamps on a recreated topic, and the server figures too when the topic is gone', () => {
    const recreated = new PartitionCursor();
    recreated.observe({ id: 1, currentOffset: 3n, messagesCount: 4n }, 3n);
    recreated.take([message(3n, 30n)]);
    recreated.restart('topic');
    expect(recreated.newestStamp).toBeUndefined();
    expect(recreated.lag()).toBe(0n);

    const gone = new PartitionCursor();
    gone.observe({ id: 1, currentOffset: 3n, messagesCount: 4n }, 1n);
    expect(gone.lag()).toBe(2n);
    gone.restart('topic-gone');
    expect(gone.stored).toBeNull();
    expect(gone.lag()).toBeUndefined();
  });

  it('counts a replayed survivor as handled without moving backwards', () => {
    const cursor = new PartitionCursor();
    cursor.take([message(5n, 50n)]);
    cursor.readPast(4n, 40n);
    expect(cursor.delivered).toBe(5n);
    cursor.readPast(8n, 80n);
    expect(cursor.delivered).toBe(8n);
    expect(cursor.deliveredStamp).toBe(80n);
    expect(offsets(cursor.take([message(8n, 80n), message(9n, 90n)]))).toEqual([9n]);
  });

  it('takes a Next poll with auto-commit as storing its last offset', () => {
    const cursor = new PartitionCursor();
    cursor.afterNextPoll(4n, undefined);
    expect(cursor.currentOffset).toBe(4n);
    expect(cursor.stored).toBeUndefined();
    cursor.afterNextPoll(9n, 9n);
    expect(cursor.stored).toBe(9n);
    expect(cursor.messagesCount).toBe(10n);
  });
});

describe('TopicCursors', () => {
  it('restarts every partition as expected (no reset event) and sums lag over the listed partitions', () => {
    const events: unknown[] = [];
    const watch = new PartitionWatch({ onEvent: (event) => events.push(event) });
    const cursors = new TopicCursors();
    cursors.observe(
      [
        { id: 2, currentOffset: 9n, messagesCount: 10n },
        { id: 1, currentOffset: 4n, messagesCount: 5n },
      ],
      [
        { partitionId: 1, offset: 1n },
        { partitionId: 2, offset: null },
      ],
    );
    expect(cursors.ids).toEqual([1, 2]);
    expect(cursors.lag()).toBe(3n + 10n);
    expect(cursors.storedOffsets()).toEqual([
      { partitionId: 1, offset: 1n },
      { partitionId: 2, offset: null },
    ]);
    watch.observePartition(1, 4n, 5n, 1n);
    cursors.of(1).take([message(4n, 40n)]);
    expect(cursors.anyDelivered()).toBe(true);

    cursors.restartAll('topic', watch);
    expect(cursors.anyDelivered()).toBe(false);
    expect(cursors.of(1).isHandled(watch.epochOf(1))).toBe(true);
    // Offsets from 0 again are now expected: the watch reports no loss.
    watch.observePartition(1, 0n, 1n, null);
    expect(events).toEqual([]);

    cursors.restartAll('topic-gone', watch);
    expect(cursors.ids).toEqual([]);
    expect(cursors.lag()).toBeUndefined();
  });
});

describe('readStoredOffsets', () => {
  it('reads each partition in turn and yields null where nothing is stored', async () => {
    const asked: unknown[] = [];
    const client: StoredOffsetClient = {
      getConsumerOffset: async (target) => {
        asked.push(target);
        return target.partitionId === 2
          ? null
          : { partitionId: target.partitionId ?? 0, currentOffset: 9n, storedOffset: 7n };
      },
    };
    const where = consumerTarget({ streamName: 's', topicName: 't', consumerName: 'c' });
    const read: [number, bigint | null][] = [];
    for await (const { partition, stored } of readStoredOffsets(client, where, [{ id: 1 }, { id: 2 }]))
      read.push([partition.id, stored]);
    expect(read).toEqual([
      [1, 7n],
      [2, null],
    ]);
    expect(asked).toEqual([
      { consumer: Consumer.single('c'), streamId: 's', topicId: 't', partitionId: 1 },
      { consumer: Consumer.single('c'), streamId: 's', topicId: 't', partitionId: 2 },
    ]);
  });
});
