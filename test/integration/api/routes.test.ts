import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as eventsRoute from '@/app/api/events/route';
import * as messagesRoute from '@/app/api/messages/route';
import * as producerRoute from '@/app/api/producer/route';
import * as consumerRoute from '@/app/api/consumer/route';
import * as statusRoute from '@/app/api/status/route';
import * as topologyRoute from '@/app/api/topology/route';
import { acquireIggy, type IggyTarget } from '@/test/support/harness';
import type { DemoRuntime } from '@/lib/demo/runtime';
import type { DemoStatus, MessagesResponse, Topology } from '@/lib/api/contract';
import { startRuntime, testConfig, waitFor } from '../demo/runtime-fixture';

const BASE = 'http://localhost:3000';
let target: IggyTarget;
let runtime: DemoRuntime;
let password: string;

beforeAll(async () => {
  target = await acquireIggy();
  const config = testConfig(target);
  password = config.iggy.password;
  runtime = startRuntime(config).runtime;
  globalThis.__iggyDemoRuntime = runtime;
});
afterAll(async () => {
  globalThis.__iggyDemoRuntime = undefined;
  await runtime?.close();
  await target?.close();
});

const postJson = (path: string, body: unknown) =>
  new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE, host: 'localhost:3000' },
    body: JSON.stringify(body),
  });

async function getJson<T>(
  handler: (r: Request) => Promise<Response>,
  path: string,
): Promise<{ status: number; body: T; text: string }> {
  const response = await handler(new Request(`${BASE}${path}`));
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

describe('the HTTP API over a real runtime', () => {
  it('says TOPIC_NOT_FOUND before the producer ran, then serves topology, messages and SSE', async () => {
    const before = await getJson<{ error: { code: string } }>(topologyRoute.GET, '/api/topology');
    expect(before.status).toBe(404);
    expect(before.body.error.code).toBe('TOPIC_NOT_FOUND');

    // Subscribe first so the very first message arrives as an event.
    const abort = new AbortController();
    const events = await eventsRoute.GET(new Request(`${BASE}/api/events`, { signal: abort.signal }));
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader();

    const started = await producerRoute.POST(postJson('/api/producer', { action: 'start', ratePerSec: 20 }));
    expect(started.status).toBe(200);
    expect(((await started.json()) as { producer: { running: boolean } }).producer.running).toBe(true);

    let text = '';
    const decoder = new TextDecoder();
    while (!/event: message\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const data = /event: message\ndata: (.*)\n\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toMatchObject({
      seq: 1,
      offset: '0',
      partitionId: 0,
      payload: { id: 1, text: 'hello from producer' },
    });
    expect(text).toContain('event: status');
    abort.abort();

    await waitFor(
      '5 messages in the buffer',
      async () =>
        (await getJson<MessagesResponse>(messagesRoute.GET, '/api/messages')).body.messages.length >= 5,
    );
    // One partition: seq n is offset n - 1, so after seq 3 come offsets 3 and 4.
    const page = await getJson<MessagesResponse>(messagesRoute.GET, '/api/messages?after=3&limit=2');
    expect(page.body.messages.map((m) => m.offset)).toEqual(['3', '4']);
    expect(page.body.messages.map((m) => m.seq)).toEqual([4, 5]);
    expect(page.body.messages[0]).toMatchObject({ partitionId: 0, payload: { id: 4 } });
    expect(typeof page.body.messages[0]!.id).toBe('string');

    const stopped = await producerRoute.POST(postJson('/api/producer', { action: 'stop' }));
    expect(((await stopped.json()) as { producer: { running: boolean } }).producer.running).toBe(false);

    const topology = await getJson<Topology>(topologyRoute.GET, '/api/topology');
    expect(topology.status).toBe(200);
    expect(topology.body.topic.partitions[0]!.segmentsCount).toBeGreaterThanOrEqual(1);
    expect(Number(topology.body.topic.partitions[0]!.messagesCount)).toBeGreaterThanOrEqual(5);

    const status = await getJson<DemoStatus>(statusRoute.GET, '/api/status');
    expect(status.body.iggy.connected).toBe(true);
    expect(status.body.producer.sent).toBeGreaterThanOrEqual(5);
    for (const body of [status.text, topology.text, page.text]) expect(body).not.toContain(`:${password}@`);
  });

  it('stops and restarts the consumer through the API', async () => {
    let response = await consumerRoute.POST(postJson('/api/consumer', { action: 'stop' }));
    expect(((await response.json()) as { consumer: { running: boolean } }).consumer.running).toBe(false);
    response = await consumerRoute.POST(postJson('/api/consumer', { action: 'start' }));
    expect(((await response.json()) as { consumer: { running: boolean } }).consumer.running).toBe(true);
  });

  it('answers 503 IGGY_UNAVAILABLE for topology while the server is down', async (ctx) => {
    if (!target.canKill) ctx.skip();
    await target.crash();
    try {
      await waitFor('the runtime to notice', () => !runtime.status().iggy.connected);
      const down = await getJson<{ error: { code: string } }>(topologyRoute.GET, '/api/topology');
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('IGGY_UNAVAILABLE');
      const status = await getJson<DemoStatus>(statusRoute.GET, '/api/status');
      expect(status.status).toBe(200);
      expect(status.body.iggy.connected).toBe(false);
    } finally {
      await target.start();
    }
    await waitFor('the runtime to reconnect', () => runtime.status().iggy.connected, 20_000);
  });
});
