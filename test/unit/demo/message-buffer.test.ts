import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '@/lib/demo/message-buffer';

/** The message the consumer loop numbered `seq`, at `offset` of `partitionId` (offset defaults to seq - 1). */
const msg = (seq: number, partitionId = 0, offset = seq - 1) => ({
  seq,
  offset: BigInt(offset),
  partitionId,
  label: `m${seq}`,
});
type Msg = ReturnType<typeof msg>;

describe('MessageBuffer', () => {
  it('keeps only the newest `capacity` messages, oldest first', () => {
    const buffer = new MessageBuffer<Msg>({ capacity: 3 });
    for (let i = 1; i <= 5; i += 1) buffer.push(msg(i));
    expect(buffer.length).toBe(3);
    expect(buffer.toArray().map((m) => m.offset)).toEqual([2n, 3n, 4n]);
    expect(buffer.latestOffset()).toBe(4n);
  });

  it('refuses a seq at or below the last one pushed, even after eviction (the ring stays in seq order)', () => {
    const buffer = new MessageBuffer<Msg>({ capacity: 2 });
    expect(buffer.push(msg(5))).toBe(true);
    expect(buffer.push(msg(5))).toBe(false);
    expect(buffer.push(msg(4))).toBe(false);
    buffer.push(msg(6));
    buffer.push(msg(7)); // evicts 5
    expect(buffer.push(msg(5))).toBe(false);
    expect(buffer.toArray().map((m) => m.seq)).toEqual([6, 7]);
    // Another partition's lower offset is not a reason to refuse: newness was the loop's call.
    expect(buffer.push(msg(8, 1, 0))).toBe(true);
    expect(buffer.latestOffset()).toBe(0n);
  });

  it('query(after) returns the oldest messages with a seq above `after`, across partitions, up to limit', () => {
    const buffer = new MessageBuffer<Msg>({ capacity: 10 });
    // Three partitions interleaved: offsets repeat, seq does not.
    for (let seq = 1; seq <= 10; seq += 1) buffer.push(msg(seq, seq % 3, Math.floor((seq - 1) / 3)));
    expect(buffer.query(7, 100).map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(buffer.query(3, 2).map((m) => m.seq)).toEqual([4, 5]);
    expect(buffer.query(10, 5)).toEqual([]);
    expect(buffer.query(0, 2).map((m) => m.seq)).toEqual([1, 2]);
    expect(buffer.query(undefined, 3).map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(buffer.query(undefined, 0)).toEqual([]);
  });

  it('query(after) after eviction starts at the oldest kept message', () => {
    const buffer = new MessageBuffer<Msg>({ capacity: 3 });
    for (let seq = 1; seq <= 6; seq += 1) buffer.push(msg(seq));
    expect(buffer.query(1, 10).map((m) => m.seq)).toEqual([4, 5, 6]);
  });

  it('clear forgets every message; numbering carries on, so a recreated topic offset 0 is simply the next seq', () => {
    const buffer = new MessageBuffer<Msg>({ capacity: 4 });
    buffer.push(msg(1, 0, 3));
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.latestOffset()).toBeUndefined();
    expect(buffer.push(msg(2, 0, 0))).toBe(true);
    expect(buffer.push(msg(1, 0, 0))).toBe(false);
  });

  it('rejects a nonsensical capacity', () => {
    expect(() => new MessageBuffer({ capacity: 0 })).toThrow(RangeError);
    expect(() => new MessageBuffer({ capacity: 1.5 })).toThrow(RangeError);
  });

  it('for any push sequence: bounded, strictly increasing seq, the newest accepted kept, query consistent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 60 }),
        (capacity, seqs, after) => {
          const buffer = new MessageBuffer<Msg>({ capacity });
          const accepted: number[] = [];
          for (const seq of seqs) {
            const last = accepted.at(-1);
            const expected = last === undefined || seq > last;
            expect(buffer.push(msg(seq))).toBe(expected);
            if (expected) accepted.push(seq);
          }
          const kept = accepted.slice(-capacity);
          expect(buffer.toArray().map((m) => m.seq)).toEqual(kept);
          expect(buffer.query(after, 1000).map((m) => m.seq)).toEqual(kept.filter((s) => s > after));
        },
      ),
    );
  });
});
