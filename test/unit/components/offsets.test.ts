// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { laneWindow, partitionLag } from '@/app/_components/offsets';

describe('partitionLag', () => {
  it('is zero for an empty partition even though Iggy reports current offset 0', () => {
    expect(partitionLag('0', '0', null)).toEqual({ currentOffset: null, storedOffset: null, lag: 0n });
  });
  it('counts every message as lag when the consumer never stored an offset', () => {
    expect(partitionLag('0', '1', null).lag).toBe(1n);
    expect(partitionLag('41', '42', undefined).lag).toBe(42n);
  });
  it('is current minus stored, and never negative', () => {
    expect(partitionLag('10', '11', '7').lag).toBe(3n);
    expect(partitionLag('10', '11', '10').lag).toBe(0n);
    expect(partitionLag('10', '11', '12').lag).toBe(0n);
  });
  it('stays exact beyond 2^53', () => {
    const current = (1n << 63n) + 5n;
    const stored = (1n << 63n) + 1n;
    expect(partitionLag(current.toString(), current.toString(), stored.toString()).lag).toBe(4n);
  });
  it('ignores a malformed stored offset instead of throwing', () => {
    expect(partitionLag('5', '6', 'x').storedOffset).toBeNull();
  });
});

describe('laneWindow', () => {
  it('returns null for an empty partition', () => {
    expect(laneWindow(partitionLag('0', '0', null))).toBeNull();
  });
  it('ends at the head and places the stored marker so the gap matches the lag', () => {
    const window = laneWindow(partitionLag('1000', '1001', '990'));
    expect(window).not.toBeNull();
    expect(window!.end).toBe(1000n);
    const gapFraction = 1 - window!.storedAt!;
    expect(Math.round(gapFraction * window!.span)).toBe(10);
  });
  it('starts at offset 0 for a short partition', () => {
    const window = laneWindow(partitionLag('4', '5', '2'))!;
    expect(window.start).toBe(0n);
    expect(window.span).toBe(5);
    expect(window.storedAt).toBeCloseTo(3 / 5);
  });
  it('treats everything as lag when nothing was stored', () => {
    const window = laneWindow(partitionLag('9', '10', null))!;
    expect(window.storedAt).toBeNull();
    expect(window.lagFrom).toBe(0);
  });
  it('always keeps the stored marker inside the lane with room for the whole gap', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: 0n, max: 100_000n }),
        (current, lagWanted) => {
          const stored = current >= lagWanted ? current - lagWanted : 0n;
          const lag = partitionLag(current.toString(), (current + 1n).toString(), stored.toString());
          const window = laneWindow(lag)!;
          expect(window.end).toBe(current);
          expect(window.start <= stored).toBe(true);
          expect(window.storedAt).not.toBeNull();
          expect(window.storedAt!).toBeGreaterThan(0);
          expect(window.storedAt!).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
