import { describe, expect, it } from 'vitest';
import * as indexRoute from '@/app/api/labs/route';
import * as labsRoute from '@/app/api/labs/[lab]/route';
import type { PartitioningLabState } from '@/lib/labs/partitioning/contract';
import type { PollingLabState, PollOutcome } from '@/lib/labs/polling/contract';
import { PollingLab } from '@/lib/labs/polling/lab';
import { LAB_NAMES } from '@/lib/labs/catalog';
import {
  BASE,
  call,
  expectRefusesQueryAndPut,
  itRefusesBadInput,
  labRoute,
  refusedEnvelopes,
  startLabsRuntime,
  type BadInput,
} from './lab-route-harness';

startLabsRuntime({
  // A fast fill: the route's lab is built here, so it uses the short pause.
  prepare: (runtime) => runtime.lab('polling', (host) => new PollingLab(host, { fillPauseMs: 2 })),
});
const polling = labRoute<PollingLabState>(labsRoute, '/api/labs/polling');
const partitioning = labRoute<PartitioningLabState>(labsRoute, '/api/labs/partitioning');

const pollingState = () => polling.state('?consumer=reader');
const partitioningState = () => partitioning.state();

describe('the lab routes', () => {
  it('list every lab with its page and docs section', async () => {
    const { status, body } = await call<{ labs: { name: string; page: string; docs: string }[] }>(
      indexRoute.GET,
      new Request(`${BASE}/api/labs`),
    );
    expect(status).toBe(200);
    expect(body.labs.map((lab) => lab.name)).toEqual([...LAB_NAMES]);
    expect(body.labs[0]).toMatchObject({
      page: '/labs/polling',
      docs: '/docs/iggy-concepts#offsets-and-polling-strategies',
    });
  });

  it('fill, poll and reset the polling lab, with frames, an explanation and the CLI line', async () => {
    const fill = await polling.act<unknown>({ action: 'fill' });
    expect(fill.status).toBe(200);
    expect(fill.body.frames.filter((f) => f.command === 'SendMessages' && f.kind === 'request')).toHaveLength(
      20,
    );
    const polled = await polling.act<PollOutcome>({
      action: 'poll',
      strategy: { kind: 'offset', value: '4' },
      count: 3,
      consumer: 'reader',
      autoCommit: true,
    });
    expect(polled.status).toBe(200);
    expect(polled.body.outcome).toMatchObject({
      offsets: ['4', '5', '6'],
      storedBefore: null,
      storedAfter: '6',
    });
    expect(polled.body.cli?.command).toMatch(
      /^iggy message poll --offset 4 -m 3 -c reader -a labs-\S+ polling 0$/,
    );
    expect((await pollingState()).storedOffset).toEqual({ consumer: 'reader', offset: '6' });
    // Summaries only: no frame bytes (a Register body would carry the password) ever leave the lab.
    expect(polled.text).not.toMatch(/hex|bytes"\s*:\s*\[/i);
  });

  it('send and set up the partitioning lab', async () => {
    const setup = await partitioning.act<unknown>({ action: 'setup', partitions: 4 });
    expect(setup.status).toBe(200);
    const sent = await partitioning.act<{ partitions: number[] }>({
      action: 'send',
      partitioning: { kind: 'messagesKey', key: 'user-1' },
      count: 3,
    });
    expect(sent.status).toBe(200);
    expect(new Set(sent.body.outcome.partitions).size).toBe(1);
    expect((await partitioningState()).topicInfo?.partitionsCount).toBe(4);
  });

  const pollBody = (overrides: Record<string, unknown>) =>
    JSON.stringify({
      action: 'poll',
      strategy: { kind: 'first' },
      count: 3,
      consumer: 'reader',
      autoCommit: false,
      ...overrides,
    });

  const badPolling: BadInput[] = [
    ...refusedEnvelopes('fill'),
    ['unknown action', '{"action":"explode"}', 400],
    ['extra field on fill', '{"action":"fill","force":true}', 400],
    ['count 0', pollBody({ count: 0 }), 400],
    ['negative count', pollBody({ count: -1 }), 400],
    ['fractional count', pollBody({ count: 1.5 }), 400],
    ['count too large', pollBody({ count: 101 }), 400],
    ['count as a string', pollBody({ count: '3' }), 400],
    ['unknown strategy', pollBody({ strategy: { kind: 'random' } }), 400],
    ['offset without value', pollBody({ strategy: { kind: 'offset' } }), 400],
    ['offset as a number', pollBody({ strategy: { kind: 'offset', value: 5 } }), 400],
    ['offset past u64', pollBody({ strategy: { kind: 'offset', value: '18446744073709551616' } }), 400],
    ['negative offset', pollBody({ strategy: { kind: 'offset', value: '-1' } }), 400],
    ['value on First', pollBody({ strategy: { kind: 'first', value: '1' } }), 400],
    ['timestamp not digits', pollBody({ strategy: { kind: 'timestamp', value: 'yesterday' } }), 400],
    ['empty consumer', pollBody({ consumer: '' }), 400],
    ['consumer with spaces', pollBody({ consumer: 'a b' }), 400],
    ['consumer with a shell metacharacter', pollBody({ consumer: 'x;rm' }), 400],
    ['consumer too long', pollBody({ consumer: 'c'.repeat(33) }), 400],
    ['autoCommit as a string', pollBody({ autoCommit: 'yes' }), 400],
    ['deleteOffset without consumer', '{"action":"deleteOffset"}', 400],
  ];

  itRefusesBadInput(badPolling, {
    lab: polling,
    snapshot: pollingState,
    title: 'polling lab refuses %s with a JSON 4xx and changes nothing',
  });

  it('explains why count 0 is refused', async () => {
    const response = await polling.send<{ error: { message: string } }>(pollBody({ count: 0 }));
    expect(response.body.error.message).toContain('count 0 is refused');
  });

  const badPartitioning: BadInput[] = [
    ['0 partitions', '{"action":"setup","partitions":0}', 400],
    ['9 partitions', '{"action":"setup","partitions":9}', 400],
    ['partitions as a string', '{"action":"setup","partitions":"4"}', 400],
    ['unknown partitioning', '{"action":"send","partitioning":{"kind":"random"},"count":1}', 400],
    ['empty key', '{"action":"send","partitioning":{"kind":"messagesKey","key":""},"count":1}', 400],
    [
      'key too long',
      JSON.stringify({
        action: 'send',
        partitioning: { kind: 'messagesKey', key: 'k'.repeat(65) },
        count: 1,
      }),
      400,
    ],
    [
      'key with a control character',
      JSON.stringify({ action: 'send', partitioning: { kind: 'messagesKey', key: 'a\nb' }, count: 1 }),
      400,
    ],
    [
      'negative partition id',
      '{"action":"send","partitioning":{"kind":"partitionId","partitionId":-1},"count":1}',
      400,
    ],
    [
      'partition id the topic lacks',
      '{"action":"send","partitioning":{"kind":"partitionId","partitionId":6},"count":1}',
      400,
    ],
    ['send count 0', '{"action":"send","partitioning":{"kind":"balanced"},"count":0}', 400],
    ['send count 21', '{"action":"send","partitioning":{"kind":"balanced"},"count":21}', 400],
    [
      'oneBatch as a number',
      '{"action":"send","partitioning":{"kind":"balanced"},"count":1,"oneBatch":1}',
      400,
    ],
    ['extra field on reset', '{"action":"reset","all":true}', 400],
  ];

  itRefusesBadInput(badPartitioning, {
    lab: partitioning,
    snapshot: partitioningState,
    title: 'partitioning lab refuses %s with a JSON 4xx and changes nothing',
    code: 'BAD_REQUEST',
  });
  itRefusesBadInput(refusedEnvelopes('reset'), {
    lab: partitioning,
    snapshot: partitioningState,
    title: 'partitioning lab refuses %s with a JSON 4xx and changes nothing',
  });

  it('refuses unknown query parameters and other methods in JSON', async () => {
    await expectRefusesQueryAndPut(polling, '?consumer=a&consumer=b');
    expect((await partitioning.get('?x=1')).status).toBe(400);
  });

  it('reset through the route removes the lab topics but not the labs stream', async () => {
    expect((await polling.act({ action: 'reset' })).status).toBe(200);
    expect((await partitioning.act({ action: 'reset' })).status).toBe(200);
    expect((await pollingState()).partition).toBeNull();
    expect((await partitioningState()).topicInfo).toBeNull();
  });
});
