// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionReset } from '@/lib/api/contract';
import { parsePartitionReset, resetsOf } from '@/app/_components/api/parse';
import { MessageTimeline } from '@/app/_components/timeline/message-timeline';
import {
  TimelineStore,
  interleaveResets,
  mergeResets,
  toEntry,
  type TimelineItem,
} from '@/app/_components/timeline/timeline-store';
import { demoMessage } from './helpers';

afterEach(cleanup);

// happy-dom does no layout: give the virtualizer a viewport and row heights, as message-timeline.test does.
const sizeProps = ['clientHeight', 'clientWidth', 'offsetHeight'] as const;
const originals = sizeProps.map((prop) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop));
beforeAll(() => {
  for (const prop of sizeProps)
    Object.defineProperty(HTMLElement.prototype, prop, {
      configurable: true,
      get: () => (prop === 'offsetHeight' ? 62 : 640),
    });
});
afterAll(() => {
  sizeProps.forEach((prop, i) => {
    const original = originals[i];
    if (original) Object.defineProperty(HTMLElement.prototype, prop, original);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[prop];
  });
});

function reset(overrides: Partial<PartitionReset> = {}): PartitionReset {
  return {
    id: 1,
    partitionId: 0,
    lostFrom: '0',
    lostTo: '113',
    lostCount: '114',
    exact: true,
    noticedAt: '2026-12-01T12:00:00.000Z',
    noticedBy: 'send',
    cause: 'the server restarted before flushing its in-memory journal',
    afterSeq: 114,
    ...overrides,
  };
}

/** Offsets …112, 113 (seq 113, 114), then after the reset offsets 0, 1, 2 (seq 115..117), newest first. */
function entriesAcrossReset() {
  const before = [112, 113].map((o) => toEntry(demoMessage(o, { seq: o + 1 }), 'live', 0));
  const after = [0, 1, 2].map((o) => toEntry(demoMessage(o, { seq: 115 + o }), 'live', 0));
  return [...after, ...before].sort((a, b) => b.seq - a.seq);
}

const describeRows = (rows: TimelineItem[]) =>
  rows.map((r) => (r.kind === 'reset' ? `reset#${r.marker.reset.id}` : r.entry.message.offset));

describe('reset markers in the timeline store', () => {
  it('places a divider by seq: above the message it follows, below the ones after it', () => {
    const markers = mergeResets([], [reset()]);
    expect(describeRows(interleaveResets(entriesAcrossReset(), markers))).toEqual([
      '2',
      '1',
      '0',
      'reset#1',
      '113',
      '112',
    ]);
    // Older than every entry shown (or nothing shown yet): last.
    expect(describeRows(interleaveResets([], markers))).toEqual(['reset#1']);
    expect(
      describeRows(interleaveResets(entriesAcrossReset(), mergeResets([], [reset({ afterSeq: 3 })]))),
    ).toEqual(['2', '1', '0', '113', '112', 'reset#1']);
  });

  it('a refined report updates the range but keeps the divider where it was; unchanged input changes nothing', () => {
    const first = mergeResets([], [reset({ lostFrom: '1', lostCount: '113', exact: false })]);
    const refined = mergeResets(first, [reset({ afterSeq: 200 })]);
    expect(refined).toHaveLength(1);
    expect(refined[0]).toMatchObject({ afterSeq: 114, reset: { lostFrom: '0', exact: true } });
    expect(mergeResets(refined, [refined[0]!.reset])).toBe(refined);
    const many = Array.from({ length: 60 }, (_, i) => reset({ id: i + 1 }));
    expect(mergeResets([], many, 50).map((m) => m.reset.id)[0]).toBe(11);
  });

  it('the store keeps resets across pause and forgets them with the run', () => {
    const store = new TimelineStore(100, () => () => {});
    store.addResets([reset()]);
    store.setPaused(true);
    expect(store.getSnapshot().resets).toHaveLength(1);
    store.clear();
    expect(store.getSnapshot().resets).toEqual([]);
  });

  it('parses resets defensively', () => {
    expect(parsePartitionReset(reset())).toEqual(reset());
    expect(parsePartitionReset({ ...reset(), lostFrom: '-1' })).toBeNull();
    expect(parsePartitionReset({ ...reset(), afterSeq: '3' })).toBeNull();
    expect(resetsOf({ resets: [reset(), { nope: true }] } as never)).toEqual([reset()]);
    expect(resetsOf(undefined)).toEqual([]);
  });
});

describe('<MessageTimeline> with a reset', () => {
  it('shows the divider with the lost range, the cause and a Learn link, between the old and the new offsets', () => {
    render(
      <MessageTimeline
        entries={entriesAcrossReset()}
        resets={mergeResets([], [reset()])}
        pendingCount={0}
        paused={false}
        flushedAtMs={0}
        transport="streaming"
        loaded
        emptyHint="none"
        onPausedChange={() => {}}
      />,
    );
    const divider = screen.getByTestId('reset-divider');
    expect(divider.textContent).toContain('Iggy lost offsets 0–113 of partition 0');
    expect(divider.textContent).toContain('before flushing its in-memory journal');
    const learn = within(divider).getByRole('link', { name: /what a crash loses/ });
    expect(learn.getAttribute('href')).toBe('/docs/iggy-concepts#what-a-crash-loses');
    const list = screen.getByRole('list', { name: 'Message timeline' });
    const order = [
      ...list.querySelectorAll('[data-testid="message-offset"], [data-testid="reset-divider"]'),
    ].map((el) => el.getAttribute('data-offset') ?? 'divider');
    expect(order).toEqual(['2', '1', '0', 'divider', '113', '112']);
  });

  it('an inexact reset says "at least"', () => {
    render(
      <MessageTimeline
        entries={[]}
        resets={mergeResets([], [reset({ exact: false, lostFrom: '5', lostTo: '5', lostCount: '1' })])}
        pendingCount={0}
        paused={false}
        flushedAtMs={0}
        transport="streaming"
        loaded
        emptyHint="none"
        onPausedChange={() => {}}
      />,
    );
    expect(screen.getByTestId('reset-divider').textContent).toContain(
      'Iggy lost at least offset 5 of partition 0',
    );
  });
});
