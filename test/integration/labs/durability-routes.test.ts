import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as durabilityRoute from '@/app/api/labs/durability/route';
import { loadLabsConfig } from '@/lib/labs/config';
import type { LabActionResult } from '@/lib/labs/contract';
import type {
  CreatePersistedOutcome,
  DurabilityLabState,
  DurabilitySendOutcome,
} from '@/lib/labs/durability-lab-contract';
import { LabsRuntime } from '@/lib/labs/runtime';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';

const BASE = 'http://localhost:3000';
const PATH = '/api/labs/durability';
let target: IggyTarget;
let runtime: LabsRuntime;

beforeAll(async () => {
  target = await acquireIggy();
  runtime = new LabsRuntime(loadLabsConfig({ IGGY_URL: target.url, IGGY_LABS_STREAM: uniqueName('labs') }), {
    clientOptions: { connectTimeoutMs: 2000, requestTimeoutMs: 3000 },
  });
  globalThis.__iggyLabsRuntime = runtime;
});
afterAll(async () => {
  globalThis.__iggyLabsRuntime = undefined;
  await runtime?.close();
  await target?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE, host: 'localhost:3000', ...headers },
    body,
  });

async function call<T>(
  handler: (r: Request) => Promise<Response>,
  request: Request,
): Promise<{ status: number; body: T; text: string }> {
  const response = await handler(request);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

const state = async () =>
  (await call<DurabilityLabState>(durabilityRoute.GET, new Request(`${BASE}${PATH}`))).body;
const act = <T>(body: object) => call<LabActionResult<T>>(durabilityRoute.POST, post(JSON.stringify(body)));

describe('the durability lab route', () => {
  it('answers the state with the server’s option catalog, before any lab topic exists', async () => {
    const body = await state();
    expect(body.iggy.reachable).toBe(true);
    expect(body.catalog?.options.length).toBeGreaterThan(0);
    expect(body.topics.every((t) => !t.exists)).toBe(true);
  });

  it('sends, creates the persisted topic where the server lists durability, and refreshes, as JSON', async () => {
    const sent = await act<DurabilitySendOutcome>({ action: 'send', topic: 'default', count: 4 });
    expect(sent.status).toBe(200);
    expect(sent.body.outcome).toMatchObject({ sent: 4, lastOffset: '3', inMemory: { count: '4' } });
    // Offsets and byte counts are decimal strings, never JSON numbers.
    const topic = (await state()).topics.find((t) => t.kind === 'default')!;
    expect(topic.partition).toEqual({
      messagesCount: '4',
      currentOffset: '3',
      sizeBytes: expect.stringMatching(/^\d+$/),
    });
    // The topic's own settings, as its reply reports them: what the lab sent, and defaults, as strings.
    const sentSetting = topic.settings.find((s) => s.key === 'messages_required_to_save');
    expect(sentSetting?.source).toBe('explicit');
    if (!target.real) expect(sentSetting?.value).toBe('10');
    expect(topic.settings.every((s) => typeof s.value === 'string')).toBe(true);
    if (!target.real)
      expect(topic.settings).toContainEqual({
        key: 'size_of_messages_required_to_save',
        value: '1048576',
        source: 'default',
      });
    const created = await act<CreatePersistedOutcome>({ action: 'createPersisted' });
    expect(created.status).toBe(200);
    const afterCreate = await state();
    expect(created.body.outcome.created).toBe(afterCreate.catalog!.durabilityListed);
    if (created.body.outcome.created)
      expect(afterCreate.topics.find((t) => t.kind === 'persisted')!.settings).toContainEqual(
        expect.objectContaining({ key: 'durability', source: 'explicit' }),
      );
    const refresh = await act<unknown>({ action: 'refresh' });
    expect(refresh.status).toBe(200);
    expect(refresh.body.frames.some((f) => f.command === 'DescribeOptions' && f.kind === 'reply')).toBe(true);
    expect(refresh.text).not.toMatch(/hex|bytes"\s*:\s*\[/i);
  });

  it.skipIf(!!process.env.IGGY_TEST_URL)(
    'reports the crash the reader caused on the next state read',
    async () => {
      await target.crash();
      await target.start();
      const body = await state();
      expect(body.lastRestart).toMatchObject({
        outcome: 'loss',
        lost: [{ topic: 'durability', lostFrom: '0', lostTo: '3', exact: true }],
      });
    },
  );

  const send = (overrides: Record<string, unknown>) =>
    JSON.stringify({ action: 'send', topic: 'default', count: 2, ...overrides });

  const bad: [string, string, number, Record<string, string>?][] = [
    ['not JSON', '{"action":', 400],
    ['an empty body', '', 400],
    ['an array', '[]', 400],
    ['null', 'null', 400],
    ['an unknown action', '{"action":"flush"}', 400],
    ['a crash request (the app cannot stop the server)', '{"action":"crash"}', 400],
    ['no action', '{"topic":"default"}', 400],
    ['count 0', send({ count: 0 }), 400],
    ['a negative count', send({ count: -3 }), 400],
    ['a fractional count', send({ count: 2.5 }), 400],
    ['count 51', send({ count: 51 }), 400],
    ['count as a string', send({ count: '2' }), 400],
    ['a huge count', send({ count: 1e12 }), 400],
    ['no count', JSON.stringify({ action: 'send', topic: 'default' }), 400],
    ['an unknown topic', send({ topic: 'polling' }), 400],
    ['a topic name instead of the kind', send({ topic: 'durability' }), 400],
    ['no topic', JSON.stringify({ action: 'send', count: 1 }), 400],
    ['oneBatch as a string', send({ oneBatch: 'true' }), 400],
    ['an extra field on send', send({ durability: 'persisted' }), 400],
    ['an extra field on createPersisted', '{"action":"createPersisted","name":"x"}', 400],
    ['an extra field on refresh', '{"action":"refresh","now":true}', 400],
    ['an extra field on reset', '{"action":"reset","all":true}', 400],
    ['a wrong content type', '{"action":"refresh"}', 415, { 'content-type': 'text/plain' }],
    ['another origin', '{"action":"reset"}', 403, { origin: 'https://evil.example' }],
    ['a body over 16 KiB', JSON.stringify({ action: 'refresh', pad: 'x'.repeat(17_000) }), 413],
  ];

  it.each(bad)('refuses %s with a JSON 4xx and changes nothing', async (_what, body, status, headers) => {
    const before = await state();
    const response = await call<{ error: { code: string; message: string } }>(
      durabilityRoute.POST,
      post(body, headers),
    );
    expect(response.status).toBe(status);
    expect(response.body.error.code).toMatch(/^[A-Z_]+$/);
    expect(response.body.error.message.length).toBeGreaterThan(0);
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await state()).toEqual(before);
  });

  it('refuses a send to the persisted topic before it exists, with a 400 that says what to do', async () => {
    const before = await state();
    if (before.topics.find((t) => t.kind === 'persisted')?.exists) return;
    const response = await call<{ error: { message: string } }>(
      durabilityRoute.POST,
      post(send({ topic: 'persisted' })),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('create it first');
    expect(await state()).toEqual(before);
  });

  it('refuses query parameters and other methods in JSON', async () => {
    const query = await call<{ error: { code: string } }>(
      durabilityRoute.GET,
      new Request(`${BASE}${PATH}?topic=default`),
    );
    expect(query.status).toBe(400);
    const put = await call<{ error: { code: string } }>(
      durabilityRoute.PUT,
      new Request(`${BASE}${PATH}`, { method: 'PUT' }),
    );
    expect(put.status).toBe(405);
  });

  it('reset through the route removes both lab topics and closes the lab’s connections', async () => {
    const reset = await act<{ topicsDeleted: string[] }>({ action: 'reset' });
    expect(reset.status).toBe(200);
    expect(reset.body.outcome.topicsDeleted).toContain('durability');
    expect(runtime.host('durability').connectionCount).toBe(0);
    expect((await state()).topics.every((t) => !t.exists)).toBe(true);
  });
});
