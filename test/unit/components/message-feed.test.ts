// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DemoMessage } from '@/app/_components/api/types';
import { MessageFeed, type FeedTransport } from '@/app/_components/timeline/message-feed';
import { demoMessage, jsonResponse } from './helpers';

/** Stands in for the browser's EventSource: tests open it, push events into it and make it fail. */
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data?: unknown) {
    const event = data === undefined ? {} : { data: typeof data === 'string' ? data : JSON.stringify(data) };
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  static latest(): FakeEventSource {
    const latest = FakeEventSource.instances.at(-1);
    if (!latest) throw new Error('no EventSource was opened');
    return latest;
  }
}

class FakeDocument extends EventTarget {
  hidden = false;
  setHidden(hidden: boolean) {
    this.hidden = hidden;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

interface Harness {
  feed: MessageFeed;
  received: { messages: DemoMessage[]; source: string }[];
  transports: FeedTransport[];
  statuses: unknown[];
  fetchMock: ReturnType<typeof vi.fn>;
  doc: FakeDocument;
  cursor: { value: string | null };
}

function setup(respond: (url: string) => Response | Promise<Response>, withEventSource = true): Harness {
  const received: Harness['received'] = [];
  const transports: FeedTransport[] = [];
  const statuses: unknown[] = [];
  const cursor = { value: null as string | null };
  const doc = new FakeDocument();
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => respond(String(input)));
  const feed = new MessageFeed({
    cursor: () => cursor.value,
    onMessages: (messages, source) => {
      received.push({ messages, source });
      for (const m of messages)
        if (cursor.value === null || BigInt(m.offset) > BigInt(cursor.value)) cursor.value = m.offset;
    },
    onStatus: (status) => statuses.push(status),
    onTransport: (t) => transports.push(t),
    fetchImpl: fetchMock as unknown as typeof fetch,
    eventSourceImpl: withEventSource ? (FakeEventSource as unknown as typeof EventSource) : undefined,
    doc: doc as unknown as Document,
    pollIntervalMs: 1_000,
    reconnectDelayMs: 500,
    failuresBeforePolling: 3,
    retryStreamAfterMs: 10_000,
  });
  return { feed, received, transports, statuses, fetchMock, doc, cursor };
}

const messagesBody = (messages: DemoMessage[]) => ({
  messages,
  latestOffset: messages.at(-1)?.offset ?? null,
});

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.instances = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MessageFeed', () => {
  it('loads history, then streams from after the newest offset it holds', async () => {
    const h = setup(() => jsonResponse(messagesBody([demoMessage(0), demoMessage(1)])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    expect(h.received[0]).toMatchObject({ source: 'history' });
    expect(FakeEventSource.latest().url).toBe('/api/events?after=1');

    FakeEventSource.latest().emit('open');
    FakeEventSource.latest().emit('message', demoMessage(2));
    expect(h.received.at(-1)).toMatchObject({ source: 'live', messages: [{ offset: '2' }] });
    expect(h.transports).toContain('streaming');
    h.feed.stop();
  });

  it('drops malformed events instead of passing them on', async () => {
    const h = setup(() => jsonResponse(messagesBody([])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.latest();
    source.emit('message', 'not json');
    source.emit('message', { offset: '-1', partitionId: 0 });
    source.emit('message', { offset: 12, partitionId: 0 });
    expect(h.received.filter((r) => r.source === 'live')).toHaveLength(0);
    h.feed.stop();
  });

  it('passes status events on', async () => {
    const h = setup(() => jsonResponse(messagesBody([])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    FakeEventSource.latest().emit('status', { iggy: { connected: true, address: 'x' } });
    expect(h.statuses).toHaveLength(1);
    h.feed.stop();
  });

  it('reconnects after an error with the cursor it holds now, not the one it started with', async () => {
    const h = setup(() => jsonResponse(messagesBody([demoMessage(4)])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const first = FakeEventSource.latest();
    first.emit('open');
    first.emit('message', demoMessage(5));
    first.emit('message', demoMessage(6));
    first.emit('error');
    expect(first.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.latest().url).toBe('/api/events?after=6');
    h.feed.stop();
  });

  it('catches up with a fetch once the stream opens when it started without a cursor', async () => {
    let calls = 0;
    const h = setup(() => {
      calls += 1;
      // The first (history) answer is empty; by the time the stream is open a message exists.
      return jsonResponse(messagesBody(calls === 1 ? [] : [demoMessage(0)]));
    });
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    expect(FakeEventSource.latest().url).toBe('/api/events');
    FakeEventSource.latest().emit('open');
    await vi.waitFor(() => expect(h.received.flatMap((r) => r.messages.map((m) => m.offset))).toEqual(['0']));
    h.feed.stop();
  });

  it('falls back to polling /api/messages?after= when EventSource keeps failing, and retries the stream later', async () => {
    const served: string[] = [];
    const h = setup((url) => {
      served.push(url);
      const after = new URL(url, 'http://x').searchParams.get('after');
      return jsonResponse(
        messagesBody(after === '3' ? [demoMessage(4)] : after === null ? [demoMessage(3)] : []),
      );
    });
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    FakeEventSource.latest().emit('error');
    await vi.advanceTimersByTimeAsync(500);
    FakeEventSource.latest().emit('error');
    await vi.advanceTimersByTimeAsync(1_000);
    FakeEventSource.latest().emit('error');
    await vi.advanceTimersByTimeAsync(10);
    expect(h.transports.at(-1)).toBe('polling');
    expect(served.some((u) => u.includes('after=3'))).toBe(true);
    expect(h.received.at(-1)).toMatchObject({ source: 'live', messages: [{ offset: '4' }] });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(served.some((u) => u.includes('after=4'))).toBe(true);

    const streamsBefore = FakeEventSource.instances.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeEventSource.instances.length).toBe(streamsBefore + 1);
    expect(FakeEventSource.latest().url).toBe('/api/events?after=4');
    h.feed.stop();
  });

  it('polls when the browser has no EventSource', async () => {
    const h = setup(() => jsonResponse(messagesBody([])), false);
    h.feed.start();
    await vi.waitFor(() => expect(h.transports).toContain('polling'));
    const before = h.fetchMock.mock.calls.length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(h.fetchMock.mock.calls.length).toBeGreaterThanOrEqual(before + 2);
    h.feed.stop();
  });

  it('closes the stream while the tab is hidden and resumes after the last offset when visible', async () => {
    const h = setup(() => jsonResponse(messagesBody([demoMessage(1)])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const first = FakeEventSource.latest();
    first.emit('open');
    first.emit('message', demoMessage(2));
    h.doc.setHidden(true);
    expect(first.closed).toBe(true);
    expect(h.transports.at(-1)).toBe('paused-hidden');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    h.doc.setHidden(false);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(FakeEventSource.latest().url).toBe('/api/events?after=2');
    h.feed.stop();
    expect(FakeEventSource.latest().closed).toBe(true);
  });

  it('ignores events from a stream it already replaced', async () => {
    const h = setup(() => jsonResponse(messagesBody([])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const old = FakeEventSource.latest();
    h.doc.setHidden(true);
    h.doc.setHidden(false);
    old.emit('message', demoMessage(9));
    expect(h.received.filter((r) => r.source === 'live')).toHaveLength(0);
    h.feed.stop();
  });
});
