import { describe, expect, it } from 'vitest';
import { createEventStream } from '@/lib/api/sse';
import { FakeRuntime, fakeMessage } from './fake-runtime';

const decoder = new TextDecoder();

describe('createEventStream', () => {
  it('sends status on change and on its interval, and pings', async () => {
    const fake = new FakeRuntime();
    const abort = new AbortController();
    const stream = createEventStream(fake, {
      signal: abort.signal,
      statusIntervalMs: 20,
      pingIntervalMs: 30,
    });
    const reader = stream.getReader();
    let text = '';
    const deadline = Date.now() + 3000;
    while ((text.match(/event: status/g) ?? []).length < 3 || !text.includes(': ping')) {
      if (Date.now() > deadline) throw new Error(`not enough events: ${text}`);
      text += decoder.decode((await reader.read()).value);
    }
    expect(text.startsWith('retry: 2000\n\n')).toBe(true);
    abort.abort();
    expect(fake.listenerCount).toBe(0);
  });

  it('drops a client that stops reading instead of buffering without bound', async () => {
    const fake = new FakeRuntime();
    const abort = new AbortController();
    const stream = createEventStream(fake, { signal: abort.signal, maxQueuedEvents: 10 });
    expect(fake.listenerCount).toBe(1);
    for (let i = 0; i < 50; i += 1) fake.emit({ type: 'message', message: fakeMessage(i) });
    expect(fake.listenerCount).toBe(0);
    // What was queued before the cut is still readable, then the stream ends (EventSource reconnects with Last-Event-ID).
    const reader = stream.getReader();
    let done = false;
    let chunks = 0;
    while (!done) {
      const result = await reader.read();
      done = result.done;
      if (!done) chunks += 1;
    }
    expect(chunks).toBeGreaterThan(0);
    expect(chunks).toBeLessThan(50);
  });

  it('does nothing for a request that was already aborted', async () => {
    const fake = new FakeRuntime();
    const abort = new AbortController();
    abort.abort();
    const reader = createEventStream(fake, { signal: abort.signal }).getReader();
    expect((await reader.read()).done).toBe(true);
    expect(fake.listenerCount).toBe(0);
  });

  it('cleans up when the consumer cancels the stream', async () => {
    const fake = new FakeRuntime();
    const stream = createEventStream(fake, { signal: new AbortController().signal });
    await stream.cancel();
    expect(fake.listenerCount).toBe(0);
  });
});
