// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DemoStatus, PartitionReset } from '@/lib/api/contract';
import type { FailoverEvent } from '@/lib/demo/types';
import { DemoDataProvider } from '@/app/_components/api/swr-config';
import { failoverLabel } from '@/app/_components/timeline/failover-divider';
import { MessageTimeline } from '@/app/_components/timeline/message-timeline';
import {
  TimelineStore,
  interleaveMarkers,
  mergeFailovers,
  mergeResets,
  toEntry,
  type TimelineRowItem,
} from '@/app/_components/timeline/timeline-store';
import { useMessageTimeline } from '@/app/_components/timeline/use-message-timeline';
import { demoMessage, jsonResponse } from './helpers';

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
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const at = (h: number, m: number, s: number, ms = 0) => new Date(2026, 11, 6, h, m, s, ms).toISOString();

/** node-0 lost after seq 50; while electing, nothing about the new primary is known yet. */
function electing(overrides: Partial<FailoverEvent> = {}): FailoverEvent {
  return {
    id: 1,
    lostPrimary: { name: 'node-0', address: '127.0.0.1:18090' },
    lostAt: at(14, 2, 11),
    unknownOutcomeSends: 2,
    afterSeq: 50,
    ...overrides,
  };
}

function recovered(overrides: Partial<FailoverEvent> = {}): FailoverEvent {
  return electing({
    newPrimary: { name: 'node-1', address: '127.0.0.1:18091' },
    recoveredAt: at(14, 2, 16, 300),
    noPrimaryMs: 5_300,
    ...overrides,
  });
}

function reset(overrides: Partial<PartitionReset> = {}): PartitionReset {
  return {
    id: 1,
    partitionId: 0,
    lostFrom: '0',
    lostTo: '9',
    lostCount: '10',
    exact: true,
    noticedAt: at(14, 0, 0),
    noticedBy: 'send',
    cause: 'restart',
    afterSeq: 50,
    ...overrides,
  };
}

/** Seq 49..52 (offsets 48..51: a failover loses nothing, so offsets simply go on), newest first. */
function entriesAcrossFailover() {
  return [51, 50, 49, 48].map((o) => toEntry(demoMessage(o), 'live', 0));
}

const describeRows = (rows: TimelineRowItem[]) =>
  rows.map((r) =>
    r.kind === 'message'
      ? r.entry.message.offset
      : r.kind === 'reset'
        ? `reset#${r.marker.reset.id}`
        : `failover#${r.marker.failover.id}`,
  );

describe('failover markers in the timeline store', () => {
  it('places a divider right after the message with its afterSeq', () => {
    const failovers = mergeFailovers([], [electing()]);
    expect(describeRows(interleaveMarkers(entriesAcrossFailover(), [], failovers))).toEqual([
      '51',
      '50',
      'failover#1',
      '49',
      '48',
    ]);
    expect(describeRows(interleaveMarkers([], [], failovers))).toEqual(['failover#1']);
    // With a reset after the same message, the one noticed later is nearer the top.
    const resets = mergeResets([], [reset()]);
    expect(describeRows(interleaveMarkers(entriesAcrossFailover(), resets, failovers))).toEqual([
      '51',
      '50',
      'failover#1',
      'reset#1',
      '49',
      '48',
    ]);
    expect(
      describeRows(
        interleaveMarkers(
          entriesAcrossFailover(),
          mergeResets([], [reset({ noticedAt: at(15, 0, 0) })]),
          failovers,
        ),
      ),
    ).toEqual(['51', '50', 'reset#1', 'failover#1', '49', '48']);
  });

  it('the same id updates the divider in place; an older report never undoes a newer one', () => {
    const first = mergeFailovers([], [electing()]);
    const updated = mergeFailovers(first, [recovered({ afterSeq: 57 })]);
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({
      key: 'failover-1',
      afterSeq: 50,
      failover: { newPrimary: { name: 'node-1' } },
    });
    // Unchanged input, or a status polled before the new primary was found: nothing changes.
    expect(mergeFailovers(updated, [updated[0]!.failover])).toBe(updated);
    expect(mergeFailovers(updated, [electing()])).toBe(updated);
    const second = mergeFailovers(updated, [electing({ id: 2, afterSeq: 90 })]);
    expect(second.map((m) => m.failover.id)).toEqual([1, 2]);
    const many = Array.from({ length: 60 }, (_, i) => electing({ id: i + 1 }));
    expect(mergeFailovers([], many, 50).map((m) => m.failover.id)[0]).toBe(11);
  });

  it('the store keeps failovers across pause and forgets them with the run', () => {
    const store = new TimelineStore(100, () => () => {});
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().failovers.length));
    store.addFailovers([electing()]);
    store.addFailovers([electing()]);
    store.setPaused(true);
    expect(store.getSnapshot().failovers).toHaveLength(1);
    expect(seen).toEqual([1, 1]); // the repeated report did not notify; the pause did
    store.clear();
    expect(store.getSnapshot().failovers).toEqual([]);
  });
});

function renderTimeline(failovers: FailoverEvent[]) {
  return (
    <MessageTimeline
      entries={entriesAcrossFailover()}
      failovers={mergeFailovers([], failovers)}
      pendingCount={0}
      paused={false}
      flushedAtMs={0}
      transport="streaming"
      loaded
      emptyHint="none"
      onPausedChange={() => {}}
    />
  );
}

describe('<MessageTimeline> with a failover', () => {
  it('says "electing…" until the new primary is known, then how long and who, in the same place', () => {
    const { rerender } = render(renderTimeline([electing()]));
    let divider = screen.getByTestId('failover-divider');
    expect(divider.getAttribute('role')).toBe('group');
    expect(divider.getAttribute('aria-label')).toBe(
      'Primary node-0 lost at 14:02:11; electing a new primary',
    );
    expect(divider.dataset.state).toBe('electing');
    expect(divider.textContent).toContain('electing…');
    expect(divider.textContent).toContain('lost 14:02:11');
    expect(divider.textContent).toContain(
      '2 sends with unknown outcome: they may or may not be stored; not resent.',
    );
    expect(
      within(divider)
        .getByRole('link', { name: /replication and clusters/ })
        .getAttribute('href'),
    ).toBe('/docs/iggy-concepts#replication-and-clusters');
    const order = () =>
      [
        ...screen
          .getByRole('list', { name: 'Message timeline' })
          .querySelectorAll('[data-testid="message-offset"], [data-testid="failover-divider"]'),
      ].map((el) => el.getAttribute('data-offset') ?? 'divider');
    expect(order()).toEqual(['51', '50', 'divider', '49', '48']);

    rerender(renderTimeline([recovered()]));
    expect(screen.getAllByTestId('failover-divider')).toHaveLength(1);
    divider = screen.getByTestId('failover-divider');
    expect(divider.dataset.state).toBe('recovered');
    expect(divider.getAttribute('aria-label')).toBe(
      'Primary node-0 lost at 14:02:11; node-1 took over after 5.3 s without a primary',
    );
    expect(divider.textContent).toContain('no primary for 5.3 s');
    expect(divider.textContent).toContain('node-1 took over');
    expect(order()).toEqual(['51', '50', 'divider', '49', '48']);
  });

  it('a failover that cut off no send says so', () => {
    render(renderTimeline([recovered({ unknownOutcomeSends: 0 })]));
    expect(screen.getByTestId('failover-divider').textContent).toContain(
      'No send was left with an unknown outcome',
    );
    expect(failoverLabel(recovered({ newPrimary: undefined }))).toContain(
      'a new primary took over after 5.3 s',
    );
  });
});

/** Stands in for the browser's EventSource, as in message-feed.test. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {}
  emit(type: string, data?: unknown) {
    const event = data === undefined ? {} : { data: typeof data === 'string' ? data : JSON.stringify(data) };
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

describe('useMessageTimeline and failovers', () => {
  it('takes them from the status and from the SSE failover event, one divider per id', async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    const clusterStatus: Partial<DemoStatus> = {
      runId: 'run-1',
      iggy: { connected: true, state: 'connected', address: '127.0.0.1:18090', standIn: false },
      resets: [],
      cluster: { name: 'demo-cluster', nodes: [], failovers: [electing()] },
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const url = String(input);
        if (url.startsWith('/api/status')) return jsonResponse(clusterStatus);
        if (url.startsWith('/api/messages'))
          return jsonResponse({ messages: [], latestOffset: null, latestSeq: 0, runId: 'run-1' });
        return jsonResponse({}, 404);
      }),
    );
    const wrapper = ({ children }: { children: ReactNode }) => (
      <DemoDataProvider>{children}</DemoDataProvider>
    );
    const { result } = renderHook(() => useMessageTimeline(), { wrapper });

    await waitFor(() => expect(result.current.failovers.map((m) => m.failover.id)).toEqual([1]));
    expect(result.current.failovers[0]!.failover.newPrimary).toBeUndefined();

    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    const source = FakeEventSource.instances.at(-1)!;
    act(() => {
      source.emit('open');
      source.emit('failover', 'not json');
      source.emit('failover', { id: 1 });
      source.emit('failover', recovered());
    });
    await waitFor(() => expect(result.current.failovers[0]!.failover.newPrimary?.name).toBe('node-1'));
    expect(result.current.failovers).toHaveLength(1);
    act(() => source.emit('failover', electing({ id: 2, afterSeq: 80 })));
    await waitFor(() => expect(result.current.failovers.map((m) => m.failover.id)).toEqual([1, 2]));
  });
});
