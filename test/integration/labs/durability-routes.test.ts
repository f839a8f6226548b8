import { describe, expect, it } from 'vitest';
import * as durabilityRoute from '@/app/api/labs/[lab]/route';
import type {
  CreatePersistedOutcome,
  DurabilityLabState,
  DurabilitySendOutcome,
} from '@/lib/labs/durability/contract';
import {
  expectRefusesQueryAndPut,
  itRefusesBadInput,
  labRoute,
  refusedEnvelopes,
  startLabsRuntime,
  type BadInput,
} from './lab-route-harness';

const env = startLabsRuntime({
  runtime: { clientOptions: { connectTimeoutMs: 2000, requestTimeoutMs: 3000 } },
});
const lab = labRoute<DurabilityLabState>(durabilityRoute, '/api/labs/durability');
const state = lab.state;
const act = lab.act;

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
    if (!env.target.real) expect(sentSetting?.value).toBe('10');
    expect(topic.settings.every((s) => typeof s.value === 'string')).toBe(true);
    if (!env.target.real)
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
      await env.target.crash();
      await env.target.start();
      const body = await state();
      expect(body.lastRestart).toMatchObject({
        outcome: 'loss',
        lost: [{ topic: 'durability', lostFrom: '0', lostTo: '3', exact: true }],
      });
    },
  );

  const send = (overrides: Record<string, unknown>) =>
    JSON.stringify({ action: 'send', topic: 'default', count: 2, ...overrides });

  const bad: BadInput[] = [
    ...refusedEnvelopes('refresh'),
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
  ];

  itRefusesBadInput(bad, { lab, snapshot: state });

  it('refuses a send to the persisted topic before it exists, with a 400 that says what to do', async () => {
    const before = await state();
    if (before.topics.find((t) => t.kind === 'persisted')?.exists) return;
    const response = await lab.send<{ error: { message: string } }>(send({ topic: 'persisted' }));
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('create it first');
    expect(await state()).toEqual(before);
  });

  it('refuses query parameters and other methods in JSON', async () => {
    await expectRefusesQueryAndPut(lab, '?topic=default');
  });

  it('reset through the route removes both lab topics and closes the lab’s connections', async () => {
    const reset = await act<{ topicsDeleted: string[] }>({ action: 'reset' });
    expect(reset.status).toBe(200);
    expect(reset.body.outcome.topicsDeleted).toContain('durability');
    expect(env.runtime.host('durability').connectionCount).toBe(0);
    expect((await state()).topics.every((t) => !t.exists)).toBe(true);
  });
});
