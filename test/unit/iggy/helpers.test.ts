import { describe, expect, it } from 'vitest';
import { CancellableSleep, backoffDelayMs, randomU128, sleep } from '@/lib/iggy';

describe('backoff and sleep', () => {
  it('doubles from the initial delay and stops at the cap, whatever the attempt number', () => {
    expect([0, 1, 2, 3, 4].map((a) => backoffDelayMs(a, 100, 1_000))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelayMs(-3, 100, 1_000)).toBe(100);
    expect(backoffDelayMs(10_000, 100, 5_000)).toBe(5_000);
  });

  it('cancel() ends a pending wait at once, and a new wait replaces the previous one', async () => {
    const sleeper = new CancellableSleep();
    const first = sleeper.wait(60_000);
    const second = sleeper.wait(60_000); // resolves `first`
    await first;
    sleeper.cancel();
    await second;
    await sleeper.wait(0);
    await sleep(0);
    sleeper.cancel(); // nothing pending: harmless
  });
});

describe('randomU128', () => {
  it('returns distinct non-zero values that fit in 128 bits', () => {
    const values = Array.from({ length: 200 }, () => randomU128());
    for (const v of values) {
      expect(v).toBeGreaterThan(0n);
      expect(v < 1n << 128n).toBe(true);
    }
    expect(new Set(values).size).toBe(values.length);
    expect(values.some((v) => v >= 1n << 64n)).toBe(true);
  });
});
