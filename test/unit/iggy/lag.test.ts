import { describe, expect, it } from 'vitest';
import { partitionLag } from '@/lib/iggy/lag';

describe('partitionLag (the one lag computation, on the server)', () => {
  it('is zero for an empty partition even though Iggy reports current offset 0', () => {
    expect(partitionLag(0n, 0n, null)).toBe(0n);
  });
  it('counts every message as lag when the consumer never stored an offset', () => {
    expect(partitionLag(0n, 1n, null)).toBe(1n);
    expect(partitionLag(41n, 42n, null)).toBe(42n);
  });
  it('is current minus stored, and never negative', () => {
    expect(partitionLag(10n, 11n, 7n)).toBe(3n);
    expect(partitionLag(10n, 11n, 10n)).toBe(0n);
    expect(partitionLag(10n, 11n, 12n)).toBe(0n);
  });
  it('stays exact beyond 2^53', () => {
    const current = (1n << 63n) + 5n;
    const stored = (1n << 63n) + 1n;
    expect(partitionLag(current, current, stored)).toBe(4n);
  });
});
