import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RatePacer, TICK_MS } from '@/lib/demo/rate-pacer';

/** Drives a pacer like the producer loop does (send what is due, then sleep as told) and counts sends. */
function simulate(
  pacer: RatePacer,
  startMs: number,
  durationMs: number,
  jitterMs = 0,
): { sent: number; wakeUps: number } {
  let now = startMs;
  let sent = 0;
  let wakeUps = 0;
  while (now < startMs + durationMs) {
    const due = pacer.dueCount(now);
    if (due > 0) {
      pacer.markSent(due);
      sent += due;
    }
    wakeUps += 1;
    now += Math.max(1, pacer.sleepMs(now)) + jitterMs;
  }
  return { sent, wakeUps };
}

describe('RatePacer', () => {
  it('sends the first message at once and then one per 1/rate', () => {
    const pacer = new RatePacer(1, 0);
    expect(pacer.dueCount(0)).toBe(0);
    expect(pacer.dueCount(1)).toBe(1);
    pacer.markSent(1);
    expect(pacer.dueCount(999)).toBe(0);
    expect(pacer.msUntilNextDue(500)).toBeGreaterThanOrEqual(500);
    expect(pacer.dueCount(1001)).toBe(1);
  });

  it.each([0.1, 1, 7, 20, 21, 100, 333, 1000])(
    'keeps the exact average at %s msgs/s despite timer jitter',
    (rate) => {
      const durationMs = rate < 1 ? 100_000 : 20_000;
      const pacer = new RatePacer(rate, 0);
      const { sent } = simulate(pacer, 0, durationMs, 3);
      const expected = Math.ceil((rate * durationMs) / 1000);
      expect(Math.abs(sent - expected)).toBeLessThanOrEqual(Math.max(1, Math.ceil(rate * 0.06)));
    },
  );

  it('batches per 50 ms tick above 20 msgs/s instead of waking for every message', () => {
    const pacer = new RatePacer(1000, 0);
    const { sent, wakeUps } = simulate(pacer, 0, 10_000);
    // The last tick's messages fall due at the 10 s mark, just outside the simulated window.
    expect(sent).toBeGreaterThanOrEqual(10_000 - TICK_MS);
    expect(sent).toBeLessThanOrEqual(10_000);
    expect(wakeUps).toBeLessThanOrEqual(10_000 / TICK_MS + 5);
  });

  it('sends the first message of a high-rate run at once instead of after a whole tick', () => {
    const pacer = new RatePacer(500, 0);
    expect(pacer.sleepMs(0)).toBeLessThanOrEqual(2);
    pacer.markSent(pacer.dueCount(1));
    expect(pacer.sleepMs(1)).toBe(TICK_MS);
  });

  it('drops a backlog older than the allowed catch-up window (no flood after an outage)', () => {
    const pacer = new RatePacer(100, 0, 1);
    // 60 s without sending, e.g. while Iggy was down.
    expect(pacer.dueCount(60_000)).toBe(100);
  });

  it('a rate change applies from now on without a burst', () => {
    const pacer = new RatePacer(1, 0);
    pacer.markSent(pacer.dueCount(1));
    pacer.setRate(100, 500);
    expect(pacer.dueCount(500)).toBe(0);
    expect(pacer.dueCount(510)).toBe(1);
    expect(pacer.dueCount(1500)).toBe(100);
  });

  it('rejects rates outside 0.1..1000 and non-finite ones', () => {
    for (const bad of [0, 0.05, 1001, Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      expect(() => new RatePacer(bad, 0)).toThrow(RangeError);
    }
    const pacer = new RatePacer(1, 0);
    expect(() => pacer.setRate(2000, 0)).toThrow(RangeError);
    expect(pacer.ratePerSec).toBe(1);
  });

  it('never reports a negative count or sleeps for a negative time', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 50 }),
        (rate, steps) => {
          const pacer = new RatePacer(rate, 0);
          let now = 0;
          for (const step of steps) {
            now += step;
            const due = pacer.dueCount(now);
            expect(due).toBeGreaterThanOrEqual(0);
            pacer.markSent(due);
            expect(pacer.sleepMs(now)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});
