import { describe, expect, it } from 'vitest';
import type { LagQuery } from '@/lib/explorer/contract';
import { LagHistory } from '@/lib/explorer/lag-history';
import { TokenBucket } from '@/lib/explorer/token-bucket';

const target = (name: string): LagQuery => ({ stream: 's', topic: 't', kind: 'consumer', name });

describe('the explorer lag history', () => {
  it('keeps a fixed ring of points per series, oldest first', async () => {
    let now = 0;
    let lag = 0n;
    const history = new LagHistory(async () => lag++, { intervalMs: 1_000, windowMs: 3_000, now: () => now });
    await history.watch(target('a'));
    for (let i = 0; i < 5; i++) {
      now += 1_000;
      await history.tick();
    }
    const series = await history.watch(target('a'));
    expect(series.points.map((p) => p.lag)).toEqual(['3', '4', '5']);
    expect(series.points.map((p) => p.atMs)).toEqual([3_000, 4_000, 5_000]);
    history.stop();
  });

  it('records a failed sample as a gap instead of failing the series', async () => {
    const history = new LagHistory(async () => {
      throw new Error('gone');
    });
    const series = await history.watch(target('a'));
    expect(series.points).toEqual([{ atMs: expect.any(Number), lag: null }]);
    history.stop();
  });

  it('evicts the least recently watched series past the bound', async () => {
    let now = 0;
    const history = new LagHistory(async () => 1n, { maxSeries: 2, now: () => now });
    await history.watch(target('a'));
    now = 1;
    await history.watch(target('b'));
    now = 2;
    await history.watch(target('a'));
    now = 3;
    await history.watch(target('c'));
    expect(history.seriesCount).toBe(2);
    // 'b' was dropped: watching it again starts a new series with a single point.
    now = 4;
    expect((await history.watch(target('b'))).points).toHaveLength(1);
    expect((await history.watch(target('a'))).points).toHaveLength(1);
    history.stop();
  });

  it('drops series nobody watched for a while and stops its timer with the last one', async () => {
    let now = 0;
    const history = new LagHistory(async () => 0n, { unwatchedMs: 10_000, now: () => now });
    await history.watch(target('a'));
    expect(history.running).toBe(true);
    now = 9_000;
    await history.tick();
    expect(history.seriesCount).toBe(1);
    now = 10_000;
    await history.tick();
    expect(history.seriesCount).toBe(0);
    expect(history.running).toBe(false);
  });
});

describe('the send token bucket', () => {
  it('gives a burst, then refills at its rate', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 1, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.waitMs()).toBe(1_000);
    now = 999;
    expect(bucket.take()).toBe(false);
    now = 1_000;
    expect(bucket.take()).toBe(true);
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});
