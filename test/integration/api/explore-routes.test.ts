import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as consumersRoute from '@/app/api/explore/consumers/route';
import * as lagRoute from '@/app/api/explore/lag/route';
import * as messagesRoute from '@/app/api/explore/messages/route';
import * as sendRoute from '@/app/api/explore/send/route';
import * as topicRoute from '@/app/api/explore/topic/route';
import * as treeRoute from '@/app/api/explore/tree/route';
import { Consumer, IggyClient, Partitioning } from '@/lib/iggy';
import type {
  ExplorerConsumers,
  ExplorerLagSeries,
  ExplorerMessages,
  ExplorerSent,
  ExplorerTopicDetails,
  ExplorerTree,
} from '@/lib/explorer/contract';
import { Explorer } from '@/lib/explorer/explorer';
import { BROWSE_CONSUMER, EXPLORER_LIMITS } from '@/lib/explorer/limits';
import { parseIggyUrl } from '@/lib/iggy';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';
import { BASE, call, itRefusesBadInput, postRequest, type BadInput } from '../labs/lab-route-harness';

/*
 * The explorer's routes against Iggy (the test server, or a real one via IGGY_TEST_URL): browse, seek,
 * send with typed headers, consumers and lag, 404s for what does not exist, and a refusal table of bad
 * input that must change nothing.
 */

let target: IggyTarget;
let setup: IggyClient;
let explorer: Explorer;
let clock = 1_000_000;
const stream = uniqueName('explore');
const topic = 'orders';
const demoConsumer = uniqueName('demo-consumer');

const get = <T>(route: { GET: (r: Request) => Promise<Response> }, path: string) =>
  call<T>(route.GET, new Request(`${BASE}${path}`));
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
const send = (body: unknown, headers?: Record<string, string>) =>
  call<ExplorerSent>(
    sendRoute.POST,
    postRequest('/api/explore/send', typeof body === 'string' ? body : JSON.stringify(body), headers),
  );
const page = (params: Record<string, string>) =>
  get<ExplorerMessages>(
    messagesRoute,
    `/api/explore/messages${q({ stream, topic, partition: '0', ...params })}`,
  );

beforeAll(async () => {
  target = await acquireIggy();
  setup = IggyClient.fromUrl(target.url, { requestTimeoutMs: 5_000 });
  await setup.connect();
  await setup.createStream(stream);
  await setup.createTopic({ streamId: stream, name: topic, partitionsCount: 2 });
  for (let i = 0; i < 5; i++)
    await setup.sendMessages({
      streamId: stream,
      topicId: topic,
      partitioning: Partitioning.partitionId(0),
      messages: [{ payload: JSON.stringify({ n: i }) }],
    });
  const iggy = parseIggyUrl(target.url);
  explorer = new Explorer({
    host: iggy.host,
    port: iggy.port,
    username: iggy.username,
    password: iggy.password,
    address: `${iggy.host}:${iggy.port}`,
    knownConsumers: [demoConsumer],
    now: () => clock,
  });
  globalThis.__iggyExplorer = explorer;
});

afterAll(async () => {
  globalThis.__iggyExplorer = undefined;
  await explorer?.close();
  await setup?.deleteStream(stream).catch(() => undefined);
  await setup?.close();
  await target?.close();
});

/** What a refusal must leave as it was: the partitions' message counts and the demo consumer's offset. */
async function snapshot() {
  const details = await setup.getTopic(stream, topic);
  const stored = await setup.getConsumerOffset({
    consumer: Consumer.single(demoConsumer),
    streamId: stream,
    topicId: topic,
    partitionId: 0,
  });
  return { counts: details?.partitions.map((p) => p.messagesCount.toString()), stored: stored?.storedOffset };
}

describe('the explorer routes', () => {
  it('list streams and topics with counts, options and the frames it cost', async () => {
    const { status, body } = await get<ExplorerTree>(treeRoute, '/api/explore/tree');
    expect(status).toBe(200);
    const mine = body.streams.find((s) => s.name === stream);
    expect(mine?.topics.map((t) => [t.name, t.partitionsCount, t.messagesCount])).toEqual([[topic, 2, '5']]);
    expect(body.frames.some((f) => f.command === 'GetStreams' && f.kind === 'request')).toBe(true);
    expect(body.cli?.command).toBe('iggy stream list');
  });

  it('show one topic with its partitions and the server option catalog', async () => {
    const { status, body } = await get<ExplorerTopicDetails>(
      topicRoute,
      `/api/explore/topic${q({ stream, topic })}`,
    );
    expect(status).toBe(200);
    expect(body.partitions.map((p) => [p.id, p.messagesCount])).toEqual([
      [0, '5'],
      [1, '0'],
    ]);
    expect(body.catalog.length).toBeGreaterThan(0);
  });

  it('seek by offset, first, last and time, and never store an offset while browsing', async () => {
    const byOffset = await page({ seek: 'offset', value: '2', count: '2' });
    expect(byOffset.status).toBe(200);
    expect(byOffset.body.messages.map((m) => m.offset)).toEqual(['2', '3']);
    expect(Buffer.from(byOffset.body.messages[0]!.payloadBase64, 'base64').toString()).toBe('{"n":2}');
    expect(byOffset.body.cli?.command).toMatch(
      /^iggy message poll --offset 2 -m 2 -c \S+ explore-\S+ orders 0$/,
    );
    const first = await page({ seek: 'first', count: '1' });
    expect(first.body.messages.map((m) => m.offset)).toEqual(['0']);
    const last = await page({ seek: 'last', count: '2' });
    expect(last.body.messages.map((m) => m.offset)).toEqual(['3', '4']);
    const third = byOffset.body.messages[1]!;
    const byTime = await page({ seek: 'timestamp', value: third.timestampMicros, count: '10' });
    expect(byTime.body.messages[0]?.offset).toBe('3');
    expect(byTime.body.cli).toBeUndefined();
    const stored = await setup.getConsumerOffset({
      consumer: Consumer.single(BROWSE_CONSUMER),
      streamId: stream,
      topicId: topic,
      partitionId: 0,
    });
    expect(stored).toBeNull();
  });

  it('send a message with typed headers, confirm its partition and offset, and decode it when browsed', async () => {
    const sent = await send({
      stream,
      topic,
      partitioning: { kind: 'partitionId', partitionId: 1 },
      payload: { encoding: 'json', data: '{"hello":"explorer"}' },
      headers: [
        { key: 'content-type', kind: 'string', value: 'application/json' },
        { key: 'attempt', kind: 'uint32', value: '3' },
        { key: 'big', kind: 'uint128', value: '340282366920938463463374607431768211455' },
      ],
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ partitionId: 1, offset: '0' });
    expect(sent.body.frames.some((f) => f.command === 'SendMessages')).toBe(true);
    const browsed = await page({ partition: '1', seek: 'offset', value: '0' });
    expect(browsed.body.messages[0]?.headers).toEqual([
      { key: 'content-type', kind: 'string', value: 'application/json' },
      { key: 'attempt', kind: 'uint32', value: '3' },
      { key: 'big', kind: 'uint128', value: '340282366920938463463374607431768211455' },
    ]);
  });

  it('show groups with members and the known consumers with lag per partition', async () => {
    await setup.storeConsumerOffset({
      consumer: Consumer.single(demoConsumer),
      streamId: stream,
      topicId: topic,
      partitionId: 0,
      offset: 1n,
    });
    await setup.createConsumerGroup(stream, topic, 'workers');
    const member = IggyClient.fromUrl(target.url, { requestTimeoutMs: 5_000 });
    await member.connect();
    try {
      await member.joinConsumerGroup(stream, topic, 'workers');
      const { status, body } = await get<ExplorerConsumers>(
        consumersRoute,
        `/api/explore/consumers${q({ stream, topic })}`,
      );
      expect(status).toBe(200);
      const group = body.groups.find((g) => g.name === 'workers');
      expect(group?.membersCount).toBe(1);
      expect(group?.members[0]?.partitions.sort()).toEqual([0, 1]);
      const demo = body.consumers.find((c) => c.name === demoConsumer);
      expect(demo?.offsets.map((o) => [o.partitionId, o.storedOffset, o.lag])).toEqual([
        [0, '1', '3'],
        [1, null, '1'],
      ]);
      expect(demo?.totalLag).toBe('4');
    } finally {
      await member.close();
    }
  });

  it('sample a lag history and keep it within its ring', async () => {
    const path = `/api/explore/lag${q({ stream, topic, kind: 'consumer', name: demoConsumer })}`;
    const first = await get<ExplorerLagSeries>(lagRoute, path);
    expect(first.status).toBe(200);
    expect(first.body.points.map((p) => p.lag)).toEqual(['4']);
    const capacity = EXPLORER_LIMITS.lagWindowMs / EXPLORER_LIMITS.lagIntervalMs;
    for (let i = 0; i < capacity + 3; i++) await explorer.lag.tick();
    const later = await get<ExplorerLagSeries>(lagRoute, path);
    expect(later.body.points).toHaveLength(capacity);
  });

  it('cut big payloads to a preview with the full size, and shrink a page of big messages to the byte budget', async () => {
    const big = 'b';
    await setup.createTopic({ streamId: stream, name: big, partitionsCount: 1 });
    const payload = Buffer.alloc(300_000, 0x61);
    for (let i = 0; i < 20; i++)
      await setup.sendMessages({ streamId: stream, topicId: big, messages: [{ payload }] });
    const answer = await get<ExplorerMessages>(
      messagesRoute,
      `/api/explore/messages${q({ stream, topic: big, partition: '0', seek: 'first', count: '20' })}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.requestedCount).toBe(20);
    expect(answer.body.polledCount).toBeLessThan(20);
    expect(answer.body.messages).toHaveLength(answer.body.polledCount);
    const first = answer.body.messages[0]!;
    expect(first).toMatchObject({ payloadBytes: 300_000, payloadTruncated: true });
    expect(Buffer.from(first.payloadBase64, 'base64')).toHaveLength(EXPLORER_LIMITS.previewBytes);
  });

  it('close its connections when idle and connect again on the next request', async () => {
    expect(explorer.host.connectionCount).toBeGreaterThan(0);
    // The lag sampler keeps its connection busy while a series is watched: let the series lapse first.
    explorer.lag.stop();
    clock += EXPLORER_LIMITS.lagUnwatchedMs + EXPLORER_LIMITS.idleMs;
    await explorer.lag.tick();
    expect(await explorer.host.sweepIdle()).toBe(true);
    expect(explorer.host.connectionCount).toBe(0);
    const again = await get<ExplorerTree>(treeRoute, '/api/explore/tree');
    expect(again.status).toBe(200);
    expect(again.body.frames[0]?.command).toBe('Register (login)');
    expect(explorer.host.connectionCount).toBe(1);
  });

  it('answer 404 with a clear message for a stream, topic or partition that does not exist', async () => {
    const noStream = await get<{ error: { code: string; message: string } }>(
      topicRoute,
      `/api/explore/topic${q({ stream: 'nope-' + stream, topic })}`,
    );
    expect(noStream.status).toBe(404);
    expect(noStream.body.error.message).toMatch(/Stream "nope-explore-.*" does not exist/);
    const noTopic = await get<{ error: { code: string } }>(
      topicRoute,
      `/api/explore/topic${q({ stream, topic: 'gone' })}`,
    );
    expect(noTopic.status).toBe(404);
    expect(noTopic.body.error.code).toBe('TOPIC_NOT_FOUND');
    const noPartition = await page({ partition: '7', seek: 'first' });
    expect(noPartition.status).toBe(404);
    expect(JSON.stringify(noPartition.body)).toMatch(/Partition 7 does not exist.*0 to 1/);
  });

  it('refuse sends past the token bucket with 429, and send again once it refills', async () => {
    clock += 60_000;
    const body = {
      stream,
      topic,
      partitioning: { kind: 'balanced' },
      payload: { encoding: 'text', data: 'x' },
    };
    const statuses: number[] = [];
    for (let i = 0; i <= EXPLORER_LIMITS.sendBurst; i++) statuses.push((await send(body)).status);
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    clock += 2_000;
    expect((await send(body)).status).toBe(200);
  });

  const valid = {
    stream,
    topic,
    partitioning: { kind: 'balanced' },
    payload: { encoding: 'text', data: 'hi' },
  };
  const body = (overrides: Record<string, unknown>) => JSON.stringify({ ...valid, ...overrides });
  const header = (h: Record<string, unknown>) =>
    body({ headers: [{ key: 'k', kind: 'string', value: 'v', ...h }] });

  const badSends: BadInput[] = [
    ['not JSON', '{"stream":', 400],
    ['an empty body', '', 400],
    ['an array', '[]', 400],
    ['a wrong content type', JSON.stringify(valid), 415, { 'content-type': 'text/plain' }],
    ['another origin', JSON.stringify(valid), 403, { origin: 'https://evil.example' }],
    ['a body over 16 KiB', body({ pad: 'x'.repeat(17_000) }), 413],
    ['an unknown field', body({ force: true }), 400],
    ['an empty stream name', body({ stream: '' }), 400],
    ['a stream name with a control character', body({ stream: 'a\u0001b' }), 400],
    ['a stream name over 255 bytes', body({ stream: 's'.repeat(256) }), 400],
    ['an unknown partitioning', body({ partitioning: { kind: 'random' } }), 400],
    ['a negative partition id', body({ partitioning: { kind: 'partitionId', partitionId: -1 } }), 400],
    ['a partition id as a string', body({ partitioning: { kind: 'partitionId', partitionId: '1' } }), 400],
    ['an empty messages key', body({ partitioning: { kind: 'messagesKey', key: '' } }), 400],
    ['an empty payload', body({ payload: { encoding: 'text', data: '' } }), 400],
    ['invalid JSON as a json payload', body({ payload: { encoding: 'json', data: '{oops' } }), 400],
    ['invalid base64', body({ payload: { encoding: 'base64', data: 'a*b=' } }), 400],
    ['an unknown payload encoding', body({ payload: { encoding: 'xml', data: '<a/>' } }), 400],
    [
      'a payload over the bound',
      body({ payload: { encoding: 'base64', data: Buffer.alloc(8193).toString('base64') } }),
      413,
    ],
    ['an unknown header kind', header({ kind: 'decimal' }), 400],
    ['a uint8 header out of range', header({ kind: 'uint8', value: '256' }), 400],
    ['a bool header that is not true/false', header({ kind: 'bool', value: 'yes' }), 400],
    ['a raw header that is not hex', header({ kind: 'raw', value: 'zz' }), 400],
    ['an empty header key', header({ key: '' }), 400],
    ['an empty header value', header({ value: '' }), 400],
    [
      'a repeated header key',
      body({
        headers: [
          { key: 'k', kind: 'string', value: 'a' },
          { key: 'k', kind: 'string', value: 'b' },
        ],
      }),
      400,
    ],
    [
      'too many headers',
      body({ headers: Array.from({ length: 17 }, (_, i) => ({ key: `k${i}`, kind: 'string', value: 'v' })) }),
      400,
    ],
    ['a missing stream', body({ stream: 'nope' }), 404],
    ['a missing partition', body({ partitioning: { kind: 'partitionId', partitionId: 9 } }), 404],
  ];

  itRefusesBadInput(badSends, {
    lab: { send: (raw, headers) => ((clock += 60_000), send(raw, headers)) as never },
    snapshot,
    title: 'send refuses %s with a JSON 4xx and sends nothing',
  });

  const badQueries: [string, string][] = [
    ['no seek', q({ stream, topic, partition: '0' })],
    ['an unknown seek', q({ stream, topic, partition: '0', seek: 'next' })],
    ['offset without value', q({ stream, topic, partition: '0', seek: 'offset' })],
    ['a value on first', q({ stream, topic, partition: '0', seek: 'first', value: '1' })],
    ['a negative offset', q({ stream, topic, partition: '0', seek: 'offset', value: '-1' })],
    [
      'an offset past u64',
      q({ stream, topic, partition: '0', seek: 'offset', value: '18446744073709551616' }),
    ],
    [
      'a timestamp that is not digits',
      q({ stream, topic, partition: '0', seek: 'timestamp', value: '2026-12-06' }),
    ],
    ['count 0', q({ stream, topic, partition: '0', seek: 'first', count: '0' })],
    ['count 1001', q({ stream, topic, partition: '0', seek: 'first', count: '1001' })],
    ['a fractional count', q({ stream, topic, partition: '0', seek: 'first', count: '1.5' })],
    ['a partition past u32', q({ stream, topic, partition: '4294967296', seek: 'first' })],
    ['a partition that is not a number', q({ stream, topic, partition: 'one', seek: 'first' })],
    ['an unknown parameter', q({ stream, topic, partition: '0', seek: 'first', autoCommit: '1' })],
    ['a repeated parameter', `${q({ stream, topic, partition: '0', seek: 'first' })}&seek=last`],
  ];

  it.each(badQueries)('messages refuses %s with a JSON 400 and stores nothing', async (_what, query) => {
    const before = await snapshot();
    const answer = await get<{ error: { code: string; message: string } }>(
      messagesRoute,
      `/api/explore/messages${query}`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BAD_REQUEST');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['consumers', consumersRoute, `/api/explore/consumers${q({ stream, topic, consumer: 'a b' })}`],
    ['lag', lagRoute, `/api/explore/lag${q({ stream, topic, kind: 'member', name: 'x' })}`],
    ['topic', topicRoute, `/api/explore/topic${q({ stream })}`],
    ['tree', treeRoute, '/api/explore/tree?x=1'],
  ] as const)('%s refuses a bad query with a JSON 400', async (_what, route, path) => {
    const answer = await get<{ error: { code: string } }>(route, path);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BAD_REQUEST');
  });

  it('answers 405 in JSON to methods a route does not serve', async () => {
    const answer = await call<{ error: { code: string } }>(
      sendRoute.GET,
      new Request(`${BASE}/api/explore/send`),
    );
    expect(answer.status).toBe(405);
    expect(answer.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
