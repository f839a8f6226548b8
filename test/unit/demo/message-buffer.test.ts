import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '@/lib/demo/message-buffer';

const msg = (offset: number, partitionId = 0) => ({
  offset: BigInt(offset),
  partitionId,
  label: `m${offset}`,
});

describe('MessageBuffer', () => {
  it('keeps only the newest `capacity` messages, oldest first', () => {
    const buffer = new MessageBuffer<ReturnType<typeof msg>>({ capacity: 3 });
    for (let i = 0; i < 5; i += 1) buffer.push(msg(i));
    expect(buffer.length).toBe(3);
    expect(buffer.toArray().map((m) => m.offset)).toEqual([2n, 3n, 4n]);
    expect(buffer.latestOffset()).toBe(4n);
  });

  it('refuses offsets at or below the last one of the same partition, even after eviction', () => {
    const buffer = new MessageBuffer<ReturnType<typeof msg>>({ capacity: 2 });
    expect(buffer.push(msg(5))).toBe(true);
    expect(buffer.push(msg(5))).toBe(false);
    expect(buffer.push(msg(4))).toBe(false);
    buffer.push(msg(6));
    buffer.push(msg(7)); // evicts 5
    expect(buffer.push(msg(5))).toBe(false);
    expect(buffer.toArray().map((m) => m.offset)).toEqual([6n, 7n]);
    // Another partition has its own offsets.
    expect(buffer.push(msg(0, 1))).toBe(true);
  });

  it('query(after) returns the oldest messages above `after`, up to limit', () => {
    const buffer = new MessageBuffer<ReturnType<typeof msg>>({ capacity: 10 });
    for (let i = 0; i < 10; i += 1) buffer.push(msg(i));
    expect(buffer.query(6n, 100).map((m) => m.offset)).toEqual([7n, 8n, 9n]);
    expect(buffer.query(2n, 2).map((m) => m.offset)).toEqual([3n, 4n]);
    expect(buffer.query(9n, 5)).toEqual([]);
    expect(buffer.query(undefined, 3).map((m) => m.offset)).toEqual([7n, 8n, 9n]);
    expect(buffer.query(undefined, 0)).toEqual([]);
  });

  it('clear and resetPartition let a recreated topic start again from offset 0', () => {
    const buffer = new MessageBuffer<ReturnType<typeof msg>>({ capacity: 4 });
    buffer.push(msg(3));
    buffer.resetPartition(0);
    expect(buffer.push(msg(0))).toBe(true);
    buffer.clear();
    expect(buffer.length).toBe(0);
    expect(buffer.latestOffset()).toBeUndefined();
    expect(buffer.push(msg(0))).toBe(true);
  });

  it('rejects a nonsensical capacity', () => {
    expect(() => new MessageBuffer({ capacity: 0 })).toThrow(RangeError);
    expect(() => new MessageBuffer({ capacity: 1.5 })).toThrow(RangeError);
  });

  it('for any push sequence: bounded, strictly increasing per partition, and the newest accepted kept', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 200 }),
        (capacity, offsets) => {
          const buffer = new MessageBuffer<ReturnType<typeof msg>>({ capacity });
          const accepted: number[] = [];
          for (const o of offsets) {
            const last = accepted.at(-1);
            const expected = last === undefined || o > last;
            expect(buffer.push(msg(o))).toBe(expected);
            if (expected) accepted.push(o);
          }
          const kept = buffer.toArray().map((m) => Number(m.offset));
          expect(kept).toEqual(accepted.slice(-capacity));
        },
      ),
    );
  });
});
