// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState, useSyncExternalStore } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MessageTimeline } from '@/app/_components/timeline/message-timeline';
import { TimelineStore, toEntry } from '@/app/_components/timeline/timeline-store';
import { demoMessage } from './helpers';

afterEach(cleanup);

// happy-dom does no layout: give the scroll container a 640 px viewport and each row a 62 px height, so the
// virtualizer has a window to fill, as it would in a browser.
const sizeProps = ['clientHeight', 'clientWidth', 'offsetHeight'] as const;
const originals = sizeProps.map((prop) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop));
beforeAll(() => {
  for (const prop of sizeProps) {
    Object.defineProperty(HTMLElement.prototype, prop, {
      configurable: true,
      get: () => (prop === 'offsetHeight' ? 62 : 640),
    });
  }
});
afterAll(() => {
  sizeProps.forEach((prop, i) => {
    const original = originals[i];
    if (original) Object.defineProperty(HTMLElement.prototype, prop, original);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[prop];
  });
});

/** The timeline wired to a real store, the way the dashboard uses it, with frames run by the test. */
function Harness({ store }: { store: TimelineStore }) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const [, force] = useState(0);
  return (
    <MessageTimeline
      entries={snapshot.entries}
      pendingCount={snapshot.pending.length}
      paused={snapshot.paused}
      flushedAtMs={snapshot.flushedAtMs}
      transport="streaming"
      loaded
      emptyHint="No messages yet — click Start producer"
      onPausedChange={(paused) => {
        store.setPaused(paused);
        force((n) => n + 1);
      }}
    />
  );
}

function setup() {
  const store = new TimelineStore(undefined, (fn) => {
    queueMicrotask(fn);
    return () => {};
  });
  render(<Harness store={store} />);
  const add = async (...offsets: number[]) => {
    await act(async () => {
      store.add(
        offsets.map((o) => demoMessage(o)),
        'live',
      );
      await Promise.resolve();
    });
  };
  return { store, add };
}

const list = () => screen.getByRole('list', { name: 'Message timeline' });
const shownOffsets = () =>
  within(list())
    .queryAllByTestId('message-offset')
    .map((el) => el.getAttribute('data-offset'));

describe('MessageTimeline', () => {
  it('shows the designed empty state before any message', () => {
    setup();
    expect(within(list()).queryAllByRole('listitem')).toHaveLength(0);
    expect(screen.getByText('No messages yet — click Start producer')).toBeTruthy();
  });

  it('lists messages newest first with offset, partition, JSON id, text and ts', async () => {
    const { add } = setup();
    await add(0, 1, 2);
    expect(shownOffsets()).toEqual(['2', '1', '0']);
    const first = within(list()).getAllByRole('listitem')[0]!;
    expect(first.textContent).toContain('#2');
    expect(within(first).getByTestId('message-id').textContent).toBe('3');
    expect(within(first).getByTestId('message-text').textContent).toBe('hello from producer');
    expect(first.textContent).toMatch(/\d\d:\d\d:\d\d\.\d{3}/);
    expect(first.textContent).toContain('ts→screen');
  });

  it('renders hostile payloads as text, never as markup', async () => {
    const { store } = setup();
    const html = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await act(async () => {
      store.add(
        [
          demoMessage(0, { payload: { id: 1, text: html, ts: 'x' }, payloadText: '' }),
          demoMessage(1, { payload: html, payloadText: html }),
        ],
        'live',
      );
      await Promise.resolve();
    });
    expect(list().querySelector('img, script')).toBeNull();
    expect(
      within(list())
        .getAllByTestId('message-text')
        .map((el) => el.textContent),
    ).toEqual([html, html]);
    fireEvent.click(screen.getByRole('button', { name: 'Show JSON for offset 0' }));
    expect(list().querySelector('img, script')).toBeNull();
    expect(list().querySelector('pre')?.textContent).toContain('"text": "<img src=x');
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('expands a row into pretty-printed JSON and collapses it again', async () => {
    const { add } = setup();
    await add(5);
    const toggle = screen.getByRole('button', { name: 'Show JSON for offset 5' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    const pre = list().querySelector('pre');
    expect(pre?.textContent).toContain('\n  "text": "hello from producer"');
    fireEvent.click(screen.getByRole('button', { name: 'Hide JSON for offset 5' }));
    expect(list().querySelector('pre')).toBeNull();
  });

  it('pause holds new messages back as "N new" and resume shows them', async () => {
    const { add } = setup();
    await add(0);
    fireEvent.click(screen.getByRole('button', { name: 'Pause timeline' }));
    await add(1, 2, 3);
    expect(shownOffsets()).toEqual(['0']);
    const pending = screen.getByRole('button', { name: '3 new' });
    expect(screen.getByRole('button', { name: 'Resume timeline' })).toBeTruthy();
    fireEvent.click(pending);
    expect(shownOffsets()).toEqual(['3', '2', '1', '0']);
    expect(screen.getByRole('button', { name: 'Pause timeline' })).toBeTruthy();
  });

  it('renders only a window of a long timeline (virtualized)', async () => {
    const { add } = setup();
    await add(...Array.from({ length: 2_500 }, (_, i) => i));
    const rows = within(list()).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]!.getAttribute('aria-setsize')).toBe('2000');
    expect(shownOffsets()[0]).toBe('2499');
  });

  it('marks only rows that just arrived live as fresh (to animate)', async () => {
    const { store } = setup();
    await act(async () => {
      store.add([demoMessage(0)], 'history');
      await Promise.resolve();
    });
    const history = toEntry(demoMessage(0), 'history', 0);
    expect(history.source).toBe('history');
    expect(list().querySelector('[data-fresh="true"]')).toBeNull();
    await act(async () => {
      store.add([demoMessage(1)], 'live');
      await Promise.resolve();
    });
    expect(list().querySelectorAll('[data-fresh="true"]')).toHaveLength(1);
  });
});
