// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { laneOffsets, laneWindow } from '@/app/_components/offsets';

/** A partition and the server's consumer entry for it, as /api/topology reports them. */
const lane = (current: string, count: string, stored: string | null, lag: string) =>
  laneOffsets({ currentOffset: current, messagesCount: count }, { offset: stored, lag });

describe('laneOffsets', () => {
  it('shows an empty partition as empty even though Iggy reports current offset 0', () => {
    expect(lane('0', '0', null, '0')).toEqual({ currentOffset: null, storedOffset: null, lag: 0n });
  });
  it('takes the lag from the server instead of computing it', () => {
    expect(lane('41', '42', null, '42').lag).toBe(42n);
    expect(lane('10', '11', '7', '3')).toEqual({ currentOffset: 10n, storedOffset: 7n, lag: 3n });
  });
  it('stays exact beyond 2^53', () => {
    const current = (1n << 63n) + 5n;
    const stored = (1n << 63n) + 1n;
    const parsed = lane(current.toString(), current.toString(), stored.toString(), '4');
    expect(parsed.currentOffset).toBe(current);
    expect(parsed.storedOffset).toBe(stored);
  });
  it('ignores a malformed stored offset or lag instead of throwing', () => {
    expect(lane('5', '6', 'x', 'y')).toEqual({ currentOffset: 5n, storedOffset: null, lag: null });
  });
  it('knows no stored offset or lag when the server sent no entry for the partition', () => {
    expect(laneOffsets({ currentOffset: '5', messagesCount: '6' }, undefined)).toEqual({
      currentOffset: 5n,
      storedOffset: null,
      lag: null,
    });
  });
});

describe('laneWindow', () => {
  it('returns null for an empty partition', () => {
    expect(laneWindow(lane('0', '0', null, '0'))).toBeNull();
  });
  it('ends at the head and places the stored marker so the gap matches the lag', () => {
    const window = laneWindow(lane('1000', '1001', '990', '10'));
    expect(window).not.toBeNull();
    expect(window!.end).toBe(1000n);
    const gapFraction = 1 - window!.storedAt!;
    expect(Math.round(gapFraction * window!.span)).toBe(10);
  });
  it('starts at offset 0 for a short partition', () => {
    const window = laneWindow(lane('4', '5', '2', '2'))!;
    expect(window.start).toBe(0n);
    expect(window.span).toBe(5);
    expect(window.storedAt).toBeCloseTo(3 / 5);
  });
  it('treats everything as lag when nothing was stored', () => {
    const window = laneWindow(lane('9', '10', null, '10'))!;
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
          const offsets = lane(
            current.toString(),
            (current + 1n).toString(),
            stored.toString(),
            (current - stored).toString(),
          );
          const window = laneWindow(offsets)!;
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
