// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  latestSeq,
  mergeEntries,
  nextFrame,
  payloadView,
  TimelineStore,
  toEntry,
  type TimelineEntry,
} from '@/app/_components/timeline/timeline-store';
import { demoMessage } from './helpers';

const entries = (offsets: number[], source: 'live' | 'history' = 'live'): TimelineEntry[] =>
  offsets.map((o) => toEntry(demoMessage(o), source, 1_000));
const offsetsOf = (list: readonly TimelineEntry[]) => list.map((e) => Number(e.offset));

/** A store whose frames run only when the test says so. */
function manualStore(max?: number) {
  let frame: (() => void) | null = null;
  let now = 10_000;
  const store = new TimelineStore(
    max,
    (fn) => {
      frame = fn;
      return () => (frame = null);
    },
    () => now,
  );
  return {
    store,
    runFrame: () => {
      const fn = frame;
      frame = null;
      fn?.();
    },
    setNow: (ms: number) => (now = ms),
  };
}

describe('mergeEntries', () => {
  it('keeps newest first regardless of arrival order', () => {
    const { entries: merged } = mergeEntries(entries([3, 1]), entries([2, 5, 4]));
    expect(offsetsOf(merged)).toEqual([5, 4, 3, 2, 1]);
  });

  it('drops duplicates and keeps the first copy', () => {
    const first = entries([1, 2]);
    const replay = [toEntry(demoMessage(2), 'history', 99), ...entries([3])];
    const { entries: merged, added } = mergeEntries(first, replay);
    expect(offsetsOf(merged)).toEqual([3, 2, 1]);
    expect(added).toBe(1);
    expect(merged.find((e) => e.offset === 2n)?.source).toBe('live');
  });

  it('returns the same array when nothing new arrived, so React can skip a render', () => {
    const current = entries([1, 2]);
    expect(mergeEntries(current, entries([1, 2])).entries).toBe(current);
    expect(mergeEntries(current, []).entries).toBe(current);
  });

  it('bounds memory by dropping the oldest offsets', () => {
    const { entries: merged } = mergeEntries(entries([1, 2, 3]), entries([4, 5]), 3);
    expect(offsetsOf(merged)).toEqual([5, 4, 3]);
  });

  it('keeps partitions apart: the same offset on two partitions is two messages (two seqs)', () => {
    const a = toEntry(demoMessage(7, { partitionId: 0, seq: 8 }), 'live', 0);
    const b = toEntry(demoMessage(7, { partitionId: 1, seq: 9 }), 'live', 0);
    expect(mergeEntries([a], [b]).entries).toHaveLength(2);
  });

  it('orders by the server seq, not by offset: a later message on another partition may have a lower offset', () => {
    const older = toEntry(demoMessage(50, { partitionId: 0, seq: 1 }), 'live', 0);
    const newer = toEntry(demoMessage(3, { partitionId: 2, seq: 2 }), 'live', 0);
    const { entries: merged } = mergeEntries([older], [newer]);
    expect(merged.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('for any arrival order and duplication: sorted, unique, bounded, and containing the newest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 40 }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 50 }),
        (batches, max) => {
          let list: readonly TimelineEntry[] = [];
          for (const batch of batches) list = mergeEntries(list, entries(batch), max).entries;
          const all = [...new Set(batches.flat())].sort((a, b) => b - a);
          expect(offsetsOf(list)).toEqual(all.slice(0, max));
        },
      ),
    );
  });
});

describe('entries', () => {
  it('reads id, text and ts from the JSON payload and measures ts→screen for live entries only', () => {
    const message = demoMessage(1);
    const ts = Date.parse((message.payload as { ts: string }).ts);
    const live = toEntry(message, 'live', ts + 42);
    expect(live.view).toMatchObject({ id: '2', text: 'hello from producer', structured: true });
    expect(live.screenLatencyMs).toBe(42);
    expect(toEntry(message, 'history', ts + 42).screenLatencyMs).toBeNull();
  });

  it('accepts payloads that are not demo objects', () => {
    expect(payloadView('<script>alert(1)</script>')).toEqual({ structured: false });
    expect(payloadView([1, 2])).toEqual({ structured: true });
    expect(payloadView({ id: { nested: true }, text: 5 })).toEqual({
      id: undefined,
      text: '5',
      ts: undefined,
      structured: true,
    });
  });

  it('latestSeq is the highest seq held (the cursor), whatever the offsets', () => {
    expect(latestSeq([])).toBeNull();
    const big = (1n << 60n) + 3n;
    const list = [toEntry(demoMessage(big, { seq: 4 }), 'live', 0), ...entries([5])];
    expect(latestSeq(list)).toBe(6);
  });

  it('keeps an offset beyond 2^53 exact', () => {
    const big = (1n << 60n) + 3n;
    expect(toEntry(demoMessage(big), 'live', 0).offset).toBe(big);
  });
});

describe('TimelineStore', () => {
  it('batches messages into one update per frame', () => {
    const { store, runFrame } = manualStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.add([demoMessage(1)], 'live');
    store.add([demoMessage(2), demoMessage(3)], 'live');
    expect(store.getSnapshot().entries).toHaveLength(0);
    runFrame();
    expect(offsetsOf(store.getSnapshot().entries)).toEqual([3, 2, 1]);
    expect(notified).toBe(1);
  });

  it('its cursor includes queued messages so a reconnect never asks for them again', () => {
    const { store } = manualStore();
    store.add([demoMessage(9)], 'live');
    expect(store.cursor()).toBe(10);
  });

  it('while paused holds live messages as pending ("N new") and shows them on resume', () => {
    const { store, runFrame } = manualStore();
    store.add([demoMessage(1)], 'live');
    runFrame();
    store.setPaused(true);
    store.add([demoMessage(2), demoMessage(3), demoMessage(3)], 'live');
    runFrame();
    expect(offsetsOf(store.getSnapshot().entries)).toEqual([1]);
    expect(store.getSnapshot().pending).toHaveLength(2);
    expect(store.cursor()).toBe(4);
    store.setPaused(false);
    expect(offsetsOf(store.getSnapshot().entries)).toEqual([3, 2, 1]);
    expect(store.getSnapshot().pending).toHaveLength(0);
  });

  it('bounds the pending list too', () => {
    const { store, runFrame } = manualStore(5);
    store.setPaused(true);
    store.add(
      Array.from({ length: 20 }, (_, i) => demoMessage(i)),
      'live',
    );
    runFrame();
    expect(store.getSnapshot().pending).toHaveLength(5);
  });

  it('stamps the flush time so only just-arrived rows animate', () => {
    const { store, runFrame, setNow } = manualStore();
    setNow(50_000);
    store.add([demoMessage(1)], 'live');
    setNow(50_010);
    runFrame();
    const snapshot = store.getSnapshot();
    expect(snapshot.flushedAtMs).toBe(50_010);
    expect(snapshot.entries[0]?.arrivedAtMs).toBe(50_000);
  });
});

describe('delivery latency', () => {
  it('measures consumer → screen from receivedAt for live entries', () => {
    const message = demoMessage(3, { receivedAt: new Date(5_000).toISOString() });
    expect(toEntry(message, 'live', 5_120).deliveryLatencyMs).toBe(120);
    expect(toEntry(message, 'history', 5_120).deliveryLatencyMs).toBeNull();
    expect(toEntry(demoMessage(3, { receivedAt: '' }), 'live', 5_120).deliveryLatencyMs).toBeNull();
  });
});

describe('nextFrame', () => {
  it('still runs within 100 ms when the browser never paints a frame (hidden or occluded window)', async () => {
    const original = window.requestAnimationFrame;
    window.requestAnimationFrame = () => 1; // frames paused: the callback never comes
    try {
      const store = new TimelineStore(undefined, nextFrame);
      store.add([demoMessage(1)], 'live');
      expect(store.getSnapshot().entries).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(offsetsOf(store.getSnapshot().entries)).toEqual([1]);
    } finally {
      window.requestAnimationFrame = original;
    }
  });

  it('runs once even when both the frame and the fallback fire', async () => {
    let runs = 0;
    nextFrame(() => runs++);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(runs).toBe(1);
  });
});
