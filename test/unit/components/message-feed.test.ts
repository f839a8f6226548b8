// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DemoMessage } from '@/lib/api/contract';
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
  cursor: { value: number | null };
  runChanges: number;
}

function setup(respond: (url: string) => Response | Promise<Response>, withEventSource = true): Harness {
  const received: Harness['received'] = [];
  const transports: FeedTransport[] = [];
  const statuses: unknown[] = [];
  const cursor = { value: null as number | null };
  const doc = new FakeDocument();
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => respond(String(input)));
  const feed = new MessageFeed({
    cursor: () => cursor.value,
    onMessages: (messages, source) => {
      received.push({ messages, source });
      for (const m of messages) if (cursor.value === null || m.seq > cursor.value) cursor.value = m.seq;
    },
    // Like the timeline store: a new run's numbering makes everything held meaningless.
    onRunChanged: () => {
      harness.runChanges += 1;
      cursor.value = null;
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
  const harness: Harness = { feed, received, transports, statuses, fetchMock, doc, cursor, runChanges: 0 };
  return harness;
}

const messagesBody = (messages: DemoMessage[], runId = 'run-1') => ({
  messages,
  latestOffset: messages.at(-1)?.offset ?? null,
  latestSeq: messages.at(-1)?.seq ?? 0,
  runId,
});

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.instances = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MessageFeed', () => {
  it('loads history, then streams from after the newest seq it holds, naming the run of that seq', async () => {
    const h = setup(() => jsonResponse(messagesBody([demoMessage(0), demoMessage(1)])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    expect(h.received[0]).toMatchObject({ source: 'history' });
    expect(FakeEventSource.latest().url).toBe('/api/events?after=2&run=run-1');

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
    source.emit('message', { offset: '1', partitionId: 0 }); // no seq: no place in the timeline
    source.emit('message', { seq: 0, offset: '1', partitionId: 0 });
    source.emit('message', { seq: 1.5, offset: '1', partitionId: 0 });
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

  it('starts over when the app restarted: a status event names a new run before its replay arrives', async () => {
    const h = setup(() => jsonResponse(messagesBody([demoMessage(0), demoMessage(1)])));
    h.feed.start();
    await vi.waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const source = FakeEventSource.latest();
    source.emit('open');
    source.emit('status', { runId: 'run-1', iggy: { connected: true, address: 'x' } });
    expect(h.runChanges).toBe(0);
    source.emit('status', { runId: 'run-2', iggy: { connected: true, address: 'x' } });
    expect(h.runChanges).toBe(1);
    expect(h.cursor.value).toBeNull();
    source.emit('message', demoMessage(0, { seq: 1 }));
    expect(h.cursor.value).toBe(1);
    source.emit('error');
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeEventSource.latest().url).toBe('/api/events?after=1&run=run-2');
    h.feed.stop();
  });

  it('starts over when a polled answer comes from a new run', async () => {
    let run = 'run-1';
    const h = setup(() => jsonResponse(messagesBody([demoMessage(0)], run)), false);
    h.feed.start();
    await vi.waitFor(() => expect(h.cursor.value).toBe(1));
    expect(h.runChanges).toBe(0);
    run = 'run-2';
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(h.runChanges).toBe(1));
    const urls = h.fetchMock.mock.calls.map((c) => String(c[0]));
    expect(urls.some((u) => u.includes('after=1') && u.includes('run=run-1'))).toBe(true);
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
    expect(FakeEventSource.latest().url).toBe('/api/events?after=7&run=run-1');
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
      // demoMessage(n) carries seq n + 1.
      return jsonResponse(
        messagesBody(after === '4' ? [demoMessage(4)] : after === null ? [demoMessage(3)] : []),
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
    expect(served.some((u) => u.includes('after=4'))).toBe(true);
    expect(h.received.at(-1)).toMatchObject({ source: 'live', messages: [{ offset: '4' }] });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(served.some((u) => u.includes('after=5'))).toBe(true);

    const streamsBefore = FakeEventSource.instances.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeEventSource.instances.length).toBe(streamsBefore + 1);
    expect(FakeEventSource.latest().url).toBe('/api/events?after=5&run=run-1');
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

  it('closes the stream while the tab is hidden and resumes after the last seq when visible', async () => {
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
    expect(FakeEventSource.latest().url).toBe('/api/events?after=3&run=run-1');
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
