import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as catchAllRoute from '@/app/api/[...path]/route';
import * as consumerRoute from '@/app/api/consumer/route';
import * as eventsRoute from '@/app/api/events/route';
import * as messagesRoute from '@/app/api/messages/route';
import * as producerRoute from '@/app/api/producer/route';
import * as statusRoute from '@/app/api/status/route';
import * as topologyRoute from '@/app/api/topology/route';
import { IggyError, IggyErrorCode } from '@/lib/iggy';
import { DemoError } from '@/lib/demo/errors';
import { FakeRuntime, fakeMessage } from './fake-runtime';

const BASE = 'http://localhost:3000';
let fake: FakeRuntime;

beforeEach(() => {
  fake = new FakeRuntime();
  globalThis.__iggyDemoRuntime = fake;
});
afterEach(() => {
  globalThis.__iggyDemoRuntime = undefined;
});

interface PostOptions {
  body?: BodyInit | null;
  contentType?: string | null;
  origin?: string;
  host?: string;
  contentLength?: string;
}

function post(path: string, options: PostOptions): Request {
  const headers = new Headers();
  if (options.contentType !== null) headers.set('content-type', options.contentType ?? 'application/json');
  if (options.origin !== undefined) headers.set('origin', options.origin);
  headers.set('host', options.host ?? 'localhost:3000');
  if (options.contentLength !== undefined) headers.set('content-length', options.contentLength);
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body: options.body ?? null };
  if (options.body instanceof ReadableStream) init.duplex = 'half';
  return new Request(`${BASE}${path}`, init);
}

const postJson = (path: string, value: unknown, extra: PostOptions = {}) =>
  post(path, { body: JSON.stringify(value), ...extra });

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message).not.toMatch(/\n\s+at /); // no stack trace
  return body.error;
}

function streamOf(totalBytes: number): ReadableStream<Uint8Array> {
  let left = totalBytes;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(4096, left);
      left -= n;
      controller.enqueue(new TextEncoder().encode(' '.repeat(n)));
    },
  });
}

const big = `{"action":"start","pad":"${'x'.repeat(17 * 1024)}"}`;

type BadCase = [
  name: string,
  route: 'producer' | 'consumer',
  request: () => Request,
  status: number,
  code: string,
];

const badRequests: BadCase[] = [
  [
    'malformed JSON',
    'producer',
    () => post('/api/producer', { body: '{"action": "start"' }),
    400,
    'INVALID_JSON',
  ],
  ['empty body', 'producer', () => post('/api/producer', { body: '' }), 400, 'INVALID_JSON'],
  [
    'invalid UTF-8',
    'producer',
    () => post('/api/producer', { body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
    400,
    'INVALID_JSON',
  ],
  ['null', 'producer', () => postJson('/api/producer', null), 400, 'BAD_REQUEST'],
  ['empty array', 'producer', () => postJson('/api/producer', []), 400, 'BAD_REQUEST'],
  [
    'array of a valid body',
    'producer',
    () => postJson('/api/producer', [{ action: 'start' }]),
    400,
    'BAD_REQUEST',
  ],
  ['bare string', 'producer', () => postJson('/api/producer', 'start'), 400, 'BAD_REQUEST'],
  ['bare number', 'producer', () => postJson('/api/producer', 42), 400, 'BAD_REQUEST'],
  ['missing action', 'producer', () => postJson('/api/producer', {}), 400, 'BAD_REQUEST'],
  ['unknown action', 'producer', () => postJson('/api/producer', { action: 'launch' }), 400, 'BAD_REQUEST'],
  [
    'action in the wrong case',
    'producer',
    () => postJson('/api/producer', { action: 'START' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'action of the wrong type',
    'producer',
    () => postJson('/api/producer', { action: 1 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate as a string',
    'producer',
    () => postJson('/api/producer', { action: 'start', ratePerSec: '5' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate 0',
    'producer',
    () => postJson('/api/producer', { action: 'start', ratePerSec: 0 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate 0.05',
    'producer',
    () => postJson('/api/producer', { action: 'start', ratePerSec: 0.05 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate 1001',
    'producer',
    () => postJson('/api/producer', { action: 'start', ratePerSec: 1001 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate negative',
    'producer',
    () => postJson('/api/producer', { action: 'rate', ratePerSec: -1 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate "NaN"',
    'producer',
    () => postJson('/api/producer', { action: 'start', ratePerSec: 'NaN' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate "Infinity"',
    'producer',
    () => postJson('/api/producer', { action: 'rate', ratePerSec: 'Infinity' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate 1e999 (Infinity after JSON.parse)',
    'producer',
    () => post('/api/producer', { body: '{"action":"start","ratePerSec":1e999}' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate null',
    'producer',
    () => postJson('/api/producer', { action: 'start', ratePerSec: null }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate missing for "rate"',
    'producer',
    () => postJson('/api/producer', { action: 'rate' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate as a boolean',
    'producer',
    () => postJson('/api/producer', { action: 'rate', ratePerSec: true }),
    400,
    'BAD_REQUEST',
  ],
  [
    'unknown key',
    'producer',
    () => postJson('/api/producer', { action: 'start', extra: 1 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'rate on "stop"',
    'producer',
    () => postJson('/api/producer', { action: 'stop', ratePerSec: 5 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'prototype key',
    'producer',
    () => post('/api/producer', { body: '{"action":"start","__proto__":{"x":1}}' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'oversized body with Content-Length',
    'producer',
    () => post('/api/producer', { body: big }),
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'oversized streamed body without Content-Length',
    'producer',
    () => post('/api/producer', { body: streamOf(20_000) }),
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'oversized body behind a lying Content-Length',
    'producer',
    () => post('/api/producer', { body: big, contentLength: '20' }),
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'huge declared Content-Length',
    'producer',
    () => post('/api/producer', { body: '{}', contentLength: '99999999' }),
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'non-numeric Content-Length',
    'producer',
    () => post('/api/producer', { body: '{}', contentLength: 'abc' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'text/plain',
    'producer',
    () => post('/api/producer', { body: '{"action":"start"}', contentType: 'text/plain' }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'form encoded',
    'producer',
    () => post('/api/producer', { body: 'action=start', contentType: 'application/x-www-form-urlencoded' }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'no content-type',
    'producer',
    () => post('/api/producer', { body: '{"action":"start"}', contentType: null }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'foreign Origin',
    'producer',
    () => postJson('/api/producer', { action: 'start' }, { origin: 'https://evil.example' }),
    403,
    'FORBIDDEN_ORIGIN',
  ],
  [
    'Origin on another port',
    'producer',
    () => postJson('/api/producer', { action: 'start' }, { origin: 'http://localhost:4000' }),
    403,
    'FORBIDDEN_ORIGIN',
  ],
  [
    'Origin "null"',
    'producer',
    () => postJson('/api/producer', { action: 'start' }, { origin: 'null' }),
    403,
    'FORBIDDEN_ORIGIN',
  ],
  [
    'foreign Origin with an invalid body too',
    'producer',
    () => post('/api/producer', { body: '{', origin: 'https://evil.example' }),
    403,
    'FORBIDDEN_ORIGIN',
  ],
  [
    'consumer: unknown action',
    'consumer',
    () => postJson('/api/consumer', { action: 'pause' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'consumer: rate is not a consumer field',
    'consumer',
    () => postJson('/api/consumer', { action: 'start', ratePerSec: 1 }),
    400,
    'BAD_REQUEST',
  ],
  [
    'consumer: malformed JSON',
    'consumer',
    () => post('/api/consumer', { body: 'start' }),
    400,
    'INVALID_JSON',
  ],
  ['consumer: array', 'consumer', () => postJson('/api/consumer', [{ action: 'stop' }]), 400, 'BAD_REQUEST'],
  [
    'consumer: foreign Origin',
    'consumer',
    () => postJson('/api/consumer', { action: 'stop' }, { origin: 'http://attacker.test' }),
    403,
    'FORBIDDEN_ORIGIN',
  ],
  ['consumer: oversized', 'consumer', () => post('/api/consumer', { body: big }), 413, 'PAYLOAD_TOO_LARGE'],
  ...(
    [
      ['below 50 ms', { action: 'setPollInterval', pollIntervalMs: 49 }],
      ['above 2 s', { action: 'setPollInterval', pollIntervalMs: 2001 }],
      ['not whole', { action: 'setPollInterval', pollIntervalMs: 100.5 }],
      ['a string', { action: 'setPollInterval', pollIntervalMs: '100' }],
      ['missing', { action: 'setPollInterval' }],
      ['on start', { action: 'start', pollIntervalMs: 100 }],
      ['an extra field', { action: 'setPollInterval', pollIntervalMs: 100, ratePerSec: 1 }],
    ] as const
  ).map(([name, body]): BadCase => [
    `consumer: poll interval ${name}`,
    'consumer',
    () => postJson('/api/consumer', body),
    400,
    'BAD_REQUEST',
  ]),
  [
    'consumer: wrong content-type',
    'consumer',
    () => post('/api/consumer', { body: '{"action":"stop"}', contentType: 'text/html' }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
];

describe('POST /api/producer and /api/consumer refuse bad requests without changing state', () => {
  it(`has a table of at least 30 bad requests (${badRequests.length})`, () => {
    expect(badRequests.length).toBeGreaterThanOrEqual(30);
  });

  it.each(badRequests)('%s → %s', async (_name, route, makeRequest, status, code) => {
    const before = { producer: { ...fake.producer }, consumer: { ...fake.consumer } };
    const handler = route === 'producer' ? producerRoute.POST : consumerRoute.POST;
    const response = await handler(makeRequest());
    expect(response.status).toBe(status);
    expect((await errorOf(response)).code).toBe(code);
    expect(fake.calls).toEqual([]);
    expect({ producer: fake.producer, consumer: fake.consumer }).toEqual(before);
  });
});

describe('POST /api/producer', () => {
  it('starts, changes the rate, and stops', async () => {
    let response = await producerRoute.POST(
      postJson('/api/producer', { action: 'start', ratePerSec: 5 }, { origin: BASE }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ producer: { running: true, sent: 0, ratePerSec: 5 } });
    response = await producerRoute.POST(postJson('/api/producer', { action: 'rate', ratePerSec: 1000 }));
    expect(((await response.json()) as { producer: { ratePerSec: number } }).producer.ratePerSec).toBe(1000);
    response = await producerRoute.POST(postJson('/api/producer', { action: 'stop' }));
    expect(((await response.json()) as { producer: { running: boolean } }).producer.running).toBe(false);
    expect(fake.calls).toEqual(['startProducer(5)', 'setProducerRate(1000)', 'stopProducer()']);
  });

  it('accepts the boundary rates and a charset on the content-type', async () => {
    for (const rate of [0.1, 1000]) {
      const response = await producerRoute.POST(
        post('/api/producer', {
          body: JSON.stringify({ action: 'start', ratePerSec: rate }),
          contentType: 'application/json; charset=utf-8',
        }),
      );
      expect(response.status).toBe(200);
    }
    expect(fake.calls).toEqual(['startProducer(0.1)', 'startProducer(1000)']);
  });

  it('maps a runtime failure to a JSON error without internals', async () => {
    fake.startProducer = async () => {
      throw new Error('secret internal detail at /home/x/y.ts:1');
    };
    const response = await producerRoute.POST(postJson('/api/producer', { action: 'start' }));
    expect(response.status).toBe(500);
    const error = await errorOf(response);
    expect(error).toEqual({ code: 'INTERNAL', message: 'Internal server error' });
  });
});

describe('POST /api/consumer', () => {
  it('stops and starts the consumer', async () => {
    let response = await consumerRoute.POST(postJson('/api/consumer', { action: 'stop' }));
    expect(await response.json()).toEqual({ consumer: { running: false, received: 0 } });
    response = await consumerRoute.POST(postJson('/api/consumer', { action: 'start' }));
    expect(((await response.json()) as { consumer: { running: boolean } }).consumer.running).toBe(true);
    expect(fake.calls).toEqual(['stopConsumer()', 'startConsumer()']);
  });

  it('sets the poll interval, the bounds included, and answers with the consumer status', async () => {
    for (const pollIntervalMs of [50, 2000]) {
      const response = await consumerRoute.POST(
        postJson('/api/consumer', { action: 'setPollInterval', pollIntervalMs }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ consumer: { running: true, received: 0, pollIntervalMs } });
    }
    expect(fake.calls).toEqual(['setConsumerPollInterval(50)', 'setConsumerPollInterval(2000)']);
  });
});

describe('GET /api/status', () => {
  it('returns the status object', async () => {
    const response = await statusRoute.GET(new Request(`${BASE}/api/status`));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as {
      iggy: { address: string };
      producer: unknown;
      consumer: unknown;
      stream: string;
    };
    expect(body.iggy.address).toBe('127.0.0.1:8090');
    expect(body.stream).toBe('demo-stream');
  });
});

describe('GET /api/messages', () => {
  beforeEach(() => {
    fake.messagesList = Array.from({ length: 10 }, (_, i) => fakeMessage(i));
  });

  it('defaults to the newest 100 and honours after (a seq) and limit', async () => {
    let body = (await (await messagesRoute.GET(new Request(`${BASE}/api/messages`))).json()) as {
      messages: { offset: string; seq: number }[];
      latestOffset: string;
      latestSeq: number;
      runId: string;
    };
    expect(body.messages).toHaveLength(10);
    expect(body.latestOffset).toBe('9');
    expect(body.latestSeq).toBe(10);
    expect(body.runId).toBe('fake-run-1');
    body = (await (
      await messagesRoute.GET(new Request(`${BASE}/api/messages?after=6&limit=2`))
    ).json()) as typeof body;
    expect(body.messages.map((m) => m.seq)).toEqual([7, 8]);
    expect(body.messages.map((m) => m.offset)).toEqual(['6', '7']);
    expect(fake.calls).toEqual(['messages(,100)', 'messages(6,2)']);
  });

  it('passes the run of the cursor on, so a cursor from an earlier run is ignored', async () => {
    const same = (await (
      await messagesRoute.GET(new Request(`${BASE}/api/messages?after=8&run=fake-run-1`))
    ).json()) as { messages: { seq: number }[] };
    expect(same.messages.map((m) => m.seq)).toEqual([9, 10]);
    const stale = (await (
      await messagesRoute.GET(new Request(`${BASE}/api/messages?after=8&run=an-earlier-run`))
    ).json()) as { messages: { seq: number }[]; runId: string };
    expect(stale.messages).toHaveLength(10);
    expect(stale.runId).toBe('fake-run-1');
    expect(fake.calls).toEqual(['messages(8,100,fake-run-1)', 'messages(8,100,an-earlier-run)']);
  });

  it('accepts the largest 15-digit seq as after', async () => {
    const response = await messagesRoute.GET(
      new Request(`${BASE}/api/messages?after=999999999999999&limit=1000`),
    );
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual(['messages(999999999999999,1000)']);
  });

  it.each([
    'after=-1',
    'after=abc',
    'after=18446744073709551616',
    'after=1000000000000000',
    'after=1e3',
    'run=',
    'run=not%20a%20run',
    'after=',
    'after=1&after=2',
    'limit=0',
    'limit=1001',
    'limit=1.5',
    'limit=-5',
    'limit=ten',
    'foo=1',
  ])('rejects ?%s with 400 BAD_REQUEST', async (query) => {
    const response = await messagesRoute.GET(new Request(`${BASE}/api/messages?${query}`));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('BAD_REQUEST');
    expect(fake.calls).toEqual([]);
  });
});

describe('GET /api/topology', () => {
  it('returns the topology', async () => {
    const response = await topologyRoute.GET(new Request(`${BASE}/api/topology`));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(fake.topologyResult);
  });

  it.each([
    ['no topic yet', new DemoError('TOPIC_NOT_FOUND', 'start the producer'), 404, 'TOPIC_NOT_FOUND'],
    [
      'Iggy unreachable',
      new DemoError('IGGY_UNAVAILABLE', 'Iggy is not reachable at 127.0.0.1:8090'),
      503,
      'IGGY_UNAVAILABLE',
    ],
    [
      'connection dropped',
      new IggyError({ code: IggyErrorCode.Disconnected, kind: 'disconnected' }),
      503,
      'IGGY_UNAVAILABLE',
    ],
    [
      'request timed out',
      new IggyError({ code: IggyErrorCode.Timeout, kind: 'timeout' }),
      503,
      'IGGY_UNAVAILABLE',
    ],
    [
      'server refused',
      new IggyError({ code: IggyErrorCode.Unauthorized, kind: 'server' }),
      502,
      'IGGY_ERROR',
    ],
  ])('%s → %s', async (_name, error, status, code) => {
    fake.topologyResult = error;
    const response = await topologyRoute.GET(new Request(`${BASE}/api/topology`));
    expect(response.status).toBe(status);
    expect((await errorOf(response)).code).toBe(code);
  });
});

describe('methods a route does not support', () => {
  it.each([
    ['PUT', producerRoute.PUT, 'GET, POST'],
    ['DELETE', producerRoute.DELETE, 'GET, POST'],
    ['PATCH', consumerRoute.PATCH, 'GET, POST'],
    ['POST', statusRoute.POST, 'GET'],
    ['DELETE', messagesRoute.DELETE, 'GET'],
    ['POST', topologyRoute.POST, 'GET'],
    ['POST', eventsRoute.POST, 'GET'],
  ])('%s → 405 JSON with Allow', async (method, handler, allow) => {
    const response = await handler(new Request(`${BASE}/api/x`, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect((await errorOf(response)).code).toBe('METHOD_NOT_ALLOWED');
    expect(fake.calls).toEqual([]);
  });
});

describe('GET /api/events', () => {
  async function readUntil(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    pattern: RegExp,
    sofar = '',
  ): Promise<string> {
    const decoder = new TextDecoder();
    let text = sofar;
    while (!pattern.test(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text;
  }

  it('replays after ?after (a seq), streams new messages and status, and unsubscribes on abort', async () => {
    fake.messagesList = [fakeMessage(0), fakeMessage(1), fakeMessage(2)];
    const controller = new AbortController();
    const response = await eventsRoute.GET(
      new Request(`${BASE}/api/events?after=1`, { signal: controller.signal }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = await readUntil(reader, /id: 3\n/);
    // The status (naming the run) comes before the replay.
    expect(text.indexOf('event: status')).toBeLessThan(text.indexOf('event: message'));
    expect(text).toContain('"runId":"fake-run-1"');
    expect(text).toContain('id: 2\nevent: message\ndata: ');
    expect(text).toContain('id: 3\nevent: message');
    expect(text).not.toContain('id: 1\n');
    expect(fake.listenerCount).toBe(1);

    fake.emit({ type: 'message', message: fakeMessage(3) });
    text = await readUntil(reader, /id: 4\n/, text);
    const frame = text.slice(text.indexOf('id: 4\n'));
    const data = /data: (.*)\n\n/.exec(frame)?.[1];
    expect(JSON.parse(data!)).toMatchObject({ offset: '3', payload: { id: 4, text: 'hello from producer' } });

    controller.abort();
    expect(fake.listenerCount).toBe(0);
    const rest = await reader.read();
    expect(rest.done).toBe(true);
  });

  it('resumes after Last-Event-ID, which wins over the ?after of the original URL', async () => {
    fake.messagesList = [fakeMessage(0), fakeMessage(1), fakeMessage(2), fakeMessage(3)];
    const controller = new AbortController();
    const response = await eventsRoute.GET(
      new Request(`${BASE}/api/events?after=1`, {
        signal: controller.signal,
        headers: { 'last-event-id': '3' },
      }),
    );
    const text = await readUntil(response.body!.getReader(), /id: 4\n/);
    controller.abort();
    expect(text).toContain('id: 4\n');
    expect(text).not.toContain('id: 2\n');
    expect(text).not.toContain('id: 3\n');
  });

  it('replays the newest messages when the cursor comes from an earlier run', async () => {
    fake.messagesList = [fakeMessage(0), fakeMessage(1)];
    const controller = new AbortController();
    const response = await eventsRoute.GET(
      new Request(`${BASE}/api/events?after=40&run=an-earlier-run`, { signal: controller.signal }),
    );
    const text = await readUntil(response.body!.getReader(), /id: 2\n/);
    controller.abort();
    expect(text).toContain('id: 1\n');
    expect(text).toContain('id: 2\n');
  });

  it('rejects a bad after and a bad Last-Event-ID', async () => {
    let response = await eventsRoute.GET(new Request(`${BASE}/api/events?after=x`));
    expect(response.status).toBe(400);
    response = await eventsRoute.GET(
      new Request(`${BASE}/api/events`, { headers: { 'last-event-id': '-3' } }),
    );
    expect(response.status).toBe(400);
    response = await eventsRoute.GET(
      new Request(`${BASE}/api/events`, { headers: { 'last-event-id': '18446744073709551616' } }),
    );
    expect(response.status).toBe(400);
    expect(fake.listenerCount).toBe(0);
  });
});

describe('unknown /api paths', () => {
  it.each(['GET', 'POST', 'DELETE'] as const)('%s answers 404 JSON, not an HTML page', async (method) => {
    const response = await catchAllRoute[method](new Request(`${BASE}/api/does-not-exist`, { method }));
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      code: 'NOT_FOUND',
      message: 'No API route at /api/does-not-exist',
    });
    expect(fake.calls).toEqual([]);
  });
});
