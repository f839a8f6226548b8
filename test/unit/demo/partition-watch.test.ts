import { describe, expect, it } from 'vitest';
import { PartitionWatch, RESET_CAUSE, type PartitionResetEvent } from '@/lib/demo/partition-watch';

function watchWithLog(capacity?: number) {
  const seen: { event: PartitionResetEvent; refined: boolean }[] = [];
  const watch = new PartitionWatch({
    now: () => Date.UTC(2026, 11, 1, 12, 0, 0),
    onEvent: (event, refined) => seen.push({ event, refined }),
    ...(capacity === undefined ? {} : { capacity }),
  });
  return { watch, seen };
}

describe('PartitionWatch', () => {
  it('stays quiet while offsets only grow, whatever reports them', () => {
    const { watch, seen } = watchWithLog();
    expect(watch.observePartition(0, 0n, 0n, null)).toBeUndefined();
    expect(watch.observeSent(0, 0n, 10)).toBeUndefined();
    expect(watch.observePolled(0, 9n, [0n, 1n, 2n])).toBeUndefined();
    expect(watch.observePartition(0, 9n, 10n, 2n)).toBeUndefined();
    expect(watch.observeSent(0, 10n, 1)).toBeUndefined();
    expect(watch.highestSeen(0)).toBe(10n);
    expect(seen).toEqual([]);
    expect(watch.epochOf(0)).toBe(0);
  });

  it('a send that gets an offset it already handed out reports the exact lost range', () => {
    const { watch, seen } = watchWithLog();
    watch.observeSent(0, 0n, 114); // offsets 0..113
    const event = watch.observeSent(0, 0n, 1);
    expect(event).toEqual({
      id: 1,
      partitionId: 0,
      lostFrom: '0',
      lostTo: '113',
      lostCount: '114',
      exact: true,
      noticedAt: '2026-12-01T12:00:00.000Z',
      noticedBy: 'send',
      cause: RESET_CAUSE,
    });
    expect(seen).toEqual([{ event, refined: false }]);
    expect(watch.epochOf(0)).toBe(1);
    // The consumer then sees offset 0 and current offset 0: that is the new data, not another reset.
    expect(watch.observePolled(0, 0n, [0n])).toBeUndefined();
    expect(watch.observePartition(0, 0n, 1n, 0n)).toBeUndefined();
    expect(watch.recent()).toHaveLength(1);
  });

  it('a topic read of an empty partition reports everything seen as lost, once', () => {
    const { watch } = watchWithLog();
    watch.observePartition(0, 49n, 50n, 49n);
    const event = watch.observePartition(0, 0n, 0n, 0n);
    expect(event).toMatchObject({
      lostFrom: '0',
      lostTo: '49',
      lostCount: '50',
      exact: true,
      noticedBy: 'topology',
    });
    // The clamped stored offset 0 on the empty partition is part of the same reset, and reads repeat.
    expect(watch.observePartition(0, 0n, 0n, 0n)).toBeUndefined();
    expect(watch.observePartition(0, 0n, 0n, null)).toBeUndefined();
    expect(watch.recent()).toHaveLength(1);
  });

  it('a durable prefix that survived leaves only the tail reported as lost', () => {
    const { watch } = watchWithLog();
    watch.observeSent(0, 0n, 1100); // 0..1099, the first 1024 written to disk
    expect(watch.observePartition(0, 1023n, 1024n, 1023n)).toMatchObject({
      lostFrom: '1024',
      lostTo: '1099',
      lostCount: '76',
      exact: false, // new sends may already sit at 1024.. when we look
    });
  });

  it('a poll reply gives only an upper bound; a later topic read or send lowers lostFrom in the same event', () => {
    const { watch, seen } = watchWithLog();
    watch.observePolled(0, 113n, [110n, 111n, 112n, 113n]);
    const first = watch.observePolled(0, 0n, []);
    expect(first).toMatchObject({ id: 1, lostFrom: '1', lostTo: '113', exact: false, noticedBy: 'poll' });
    const refined = watch.observePartition(0, 0n, 0n, 0n);
    expect(refined).toMatchObject({ id: 1, lostFrom: '0', lostCount: '114', exact: true });
    expect(seen.map((s) => s.refined)).toEqual([false, true]);
    expect(watch.recent()).toEqual([refined]);
    expect(watch.epochOf(0)).toBe(1); // a refinement is not a second reset

    // The same via a send (no topic read in between).
    const other = watchWithLog().watch;
    other.observePolled(0, 5n, [5n]);
    other.observePolled(0, 0n, []);
    expect(other.observeSent(0, 0n, 1)).toMatchObject({ id: 1, lostFrom: '0', exact: true });
    expect(other.observeSent(0, 1n, 1)).toBeUndefined();
    expect(other.recent()).toHaveLength(1);
  });

  it('the consumer finding the first newly stamped offset refines an inexact event', () => {
    const { watch } = watchWithLog();
    watch.observeSent(0, 0n, 50);
    // New sends by someone else landed before we looked: current 2 hides that 0 and 1 are new too.
    expect(watch.observePartition(0, 2n, 3n, 0n)).toMatchObject({ lostFrom: '3', exact: false });
    expect(watch.observeFirstNew(0, 0n)).toMatchObject({ lostFrom: '0', lostCount: '50', exact: true });
    expect(watch.highestSeen(0)).toBe(2n);
    expect(watch.observeFirstNew(0, 1n)).toBeUndefined();
  });

  it('a second crash after new data is a new event with a new epoch', () => {
    const { watch } = watchWithLog();
    watch.observeSent(0, 0n, 10);
    watch.observeSent(0, 0n, 5); // reset 1: 0..9 lost, now 0..4
    const second = watch.observePartition(0, 0n, 0n, null);
    expect(second).toMatchObject({ id: 2, lostFrom: '0', lostTo: '4' });
    expect(watch.epochOf(0)).toBe(2);
  });

  it('a stored offset above the data is reported once when nothing else revealed the loss', () => {
    const { watch } = watchWithLog();
    // A fresh process: it never saw the partition before the crash.
    const event = watch.observePartition(0, 0n, 0n, 0n);
    expect(event).toMatchObject({ lostFrom: '0', lostTo: '0', exact: false, noticedBy: 'stored-offset' });
    expect(watch.observePartition(0, 0n, 0n, 0n)).toBeUndefined();
    // A server that does not clamp: stored 49 above current 2.
    const other = new PartitionWatch();
    expect(other.observePartition(1, 2n, 3n, 49n)).toMatchObject({
      partitionId: 1,
      lostFrom: '3',
      lostTo: '49',
    });
  });

  it('an answer to a request issued before we learned more is no evidence (concurrent connections)', () => {
    const { watch } = watchWithLog();
    watch.observeSent(0, 0n, 10); // 0..9
    watch.observePartition(0, 0n, 0n, null); // reset: empty now
    const sendIssued = watch.tick();
    // The consumer sees the message that send put at offset 0 before the producer handles the send's reply.
    watch.observePolled(0, 0n, [0n], watch.tick());
    expect(watch.observeSent(0, 0n, 1, sendIssued)).toBeUndefined();
    // A topic read issued before later sends were seen cannot lower what those sends proved.
    const readIssued = watch.tick();
    watch.observeSent(0, 1n, 5, watch.tick());
    expect(watch.observePartition(0, 0n, 1n, null, readIssued)).toBeUndefined();
    expect(watch.recent()).toHaveLength(1);
    // A fresh read that reports less still counts.
    expect(watch.observePartition(0, 0n, 0n, null, watch.tick())).toMatchObject({ id: 2, lostTo: '5' });
  });

  it('a poll reply of an empty partition (current offset 0) does not count as offset 0 existing', () => {
    const { watch } = watchWithLog();
    watch.observeSent(0, 0n, 5);
    watch.observePartition(0, 0n, 0n, null); // reset 1, empty
    expect(watch.observePolled(0, 0n, [])).toBeUndefined();
    expect(watch.highestSeen(0)).toBe(-1n);
    expect(watch.observeSent(0, 0n, 1)).toBeUndefined(); // offset 0 is the first new one, not a second reset
    expect(watch.recent()).toHaveLength(1);
  });

  it('a recreated topic (new creation stamp) is not a loss', () => {
    const { watch } = watchWithLog();
    watch.observeTopic(100n);
    watch.observeSent(0, 0n, 10);
    watch.observeTopic(200n);
    expect(watch.observeSent(0, 0n, 1)).toBeUndefined();
    expect(watch.recent()).toEqual([]);
  });

  it('retention emptying a partition (current offset kept) is not a reset', () => {
    const { watch, seen } = watchWithLog();
    watch.observePartition(0, 99n, 100n, 99n);
    expect(watch.observePartition(0, 99n, 0n, 99n)).toBeUndefined();
    expect(watch.observePartition(0, 99n, 40n, 99n)).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('partitions are independent, forget() expects a recreated topic, and the list is bounded', () => {
    const { watch } = watchWithLog(2);
    watch.observeSent(0, 0n, 10);
    watch.observeSent(1, 0n, 10);
    expect(watch.observePartition(1, 0n, 0n, null)?.partitionId).toBe(1);
    expect(watch.epochOf(0)).toBe(0);
    watch.forget();
    expect(watch.observePartition(0, 0n, 0n, null)).toBeUndefined();
    for (let round = 0; round < 3; round += 1) {
      watch.observeSent(0, 0n, 10);
      watch.observePartition(0, 0n, 0n, null);
    }
    expect(watch.recent().map((e) => e.id)).toEqual([3, 4]);
  });
});
