import { describe, expect, it } from 'vitest';
import { ThroughputHistory } from '@/lib/demo/throughput-history';

describe('ThroughputHistory', () => {
  it('counts per whole second and returns a zero-filled window, oldest first', () => {
    const history = new ThroughputHistory(5);
    const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
    history.recordProduced(3, t0 + 100);
    history.recordProduced(2, t0 + 900);
    history.recordConsumed(4, t0 + 1500);
    const snap = history.snapshot(t0 + 2100);
    expect(snap.intervalMs).toBe(1000);
    expect(snap.points).toHaveLength(5);
    expect(snap.points.at(-1)?.t).toBe(new Date(t0 + 2000).toISOString());
    expect(snap.points.slice(-3)).toEqual([
      { t: new Date(t0).toISOString(), produced: 5, consumed: 0 },
      { t: new Date(t0 + 1000).toISOString(), produced: 0, consumed: 4 },
      { t: new Date(t0 + 2000).toISOString(), produced: 0, consumed: 0 },
    ]);
  });

  it('forgets seconds that fell out of the window, even when their slot is reused', () => {
    const history = new ThroughputHistory(3);
    history.recordProduced(7, 1000);
    expect(history.snapshot(10_000).points.every((p) => p.produced === 0)).toBe(true);
    history.recordProduced(1, 4000); // same slot as second 1 (4 mod 3 = 1)
    const points = history.snapshot(4000).points;
    expect(points.map((p) => p.produced)).toEqual([0, 0, 1]);
  });

  it('has 180 points by default', () => {
    expect(new ThroughputHistory().snapshot(Date.now()).points).toHaveLength(180);
  });
});
