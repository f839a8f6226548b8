import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IggyClient } from '@/lib/iggy';
import { DURABILITY_TOPICS, DurabilityLab } from '@/lib/labs/durability/lab';
import type { DurabilityLabState, DurabilityTopicView } from '@/lib/labs/durability/contract';
import { loadLabsConfig } from '@/lib/labs/config';
import { LabsRuntime } from '@/lib/labs/runtime';
import { startTestServer, type TestServer } from '@/test/support';
import { uniqueName } from '@/test/support/harness';
import { startLabs } from './lab-fixture';

let labs: Awaited<ReturnType<typeof startLabs>>;
let lab: DurabilityLab;

beforeAll(async () => {
  labs = await startLabs();
  lab = labs.runtime.lab('durability', (host) => new DurabilityLab(host));
});
afterAll(async () => {
  await labs?.close();
});

const topicOf = (state: DurabilityLabState, kind: 'default' | 'persisted'): DurabilityTopicView =>
  state.topics.find((t) => t.kind === kind)!;
const send = (count: number, topic: 'default' | 'persisted' = 'default', oneBatch = false) =>
  lab.send({ action: 'send', topic, count, oneBatch });
/** The test server's own journal, when the suite runs against it (not against IGGY_TEST_URL). */
const unflushed = (topic: string) => labs.target.server?.unflushedCount(labs.streamName, topic, 0);

describe('the durability lab against an Iggy server', () => {
  it('asks the server for its topic options and shows the catalog before any topic exists', async () => {
    const state = await lab.state();
    expect(state.iggy.reachable).toBe(true);
    expect(state.catalog).not.toBeNull();
    const keys = state.catalog!.options.map((o) => o.key);
    expect(keys).toEqual(
      expect.arrayContaining(['messages_required_to_save', 'size_of_messages_required_to_save']),
    );
    expect(state.catalog!.flavor).toBe(keys.includes('durability') ? 'release' : 'edge');
    expect(state.catalog!.options.find((o) => o.key === 'messages_required_to_save')?.defaultValue).toBe(
      '1024',
    );
    expect(state.topics.map((t) => [t.name, t.exists, t.inMemory])).toEqual([
      ['durability', false, null],
      ['durability-persisted', false, null],
    ]);
    expect(state.lastRestart).toBeNull();
  });

  it('creates its topic on the first send and computes every acknowledged message as still in memory', async () => {
    const result = await send(5);
    expect(result.outcome).toMatchObject({
      created: true,
      sent: 5,
      sends: 5,
      firstOffset: '0',
      lastOffset: '4',
    });
    expect(result.outcome.inMemory).toMatchObject({
      count: '5',
      offsets: { from: '0', to: '4' },
      basis: 'lab-sends',
    });
    expect(result.explanation).toContain('5 acknowledged messages are still only in memory (offsets 0–4)');
    expect(result.explanation).toContain('a crash now would lose them; a graceful stop writes them');
    const requests = result.frames.filter((f) => f.kind === 'request').map((f) => f.command);
    expect(requests.filter((c) => c === 'SendMessages')).toHaveLength(5);
    expect(requests).toContain('CreateTopic');
    expect(result.cli?.command).toBe(
      `iggy message send ${labs.streamName} durability '{"n":0,"text":"durability lab message 0"}'`,
    );
    if (labs.target.server) expect(unflushed(DURABILITY_TOPICS.default)).toBe(5);
  });

  it('shows the topic’s settings as the server reports them: sent at creation, or its default', async () => {
    const state = await lab.state();
    const settings = topicOf(state, 'default').settings;
    expect(settings.find((s) => s.key === 'messages_required_to_save')).toEqual({
      key: 'messages_required_to_save',
      value: '10',
      source: 'explicit',
    });
    expect(settings.find((s) => s.key === 'size_of_messages_required_to_save')).toEqual({
      key: 'size_of_messages_required_to_save',
      value: '1048576',
      source: 'default',
    });
    if (state.catalog!.durabilityListed)
      expect(settings.find((s) => s.key === 'durability')).toEqual({
        key: 'durability',
        value: 'replicated',
        source: 'default',
      });
  });

  it('counts the journal down to what is left after the threshold flush, as the server does', async () => {
    const one = await send(7);
    expect(one.outcome.inMemory).toMatchObject({ count: '2', offsets: { from: '10', to: '11' } });
    if (labs.target.server) expect(unflushed(DURABILITY_TOPICS.default)).toBe(2);
    // One batch of 9 takes the journal from 2 to 11: the whole journal, this batch included, is written.
    const batch = await send(9, 'default', true);
    expect(batch.outcome).toMatchObject({ sends: 1, firstOffset: '12', lastOffset: '20' });
    expect(batch.outcome.inMemory).toMatchObject({ count: '0', offsets: null });
    expect(batch.explanation).toContain('was written out, so no acknowledged message is only in memory');
    if (labs.target.server) expect(unflushed(DURABILITY_TOPICS.default)).toBe(0);
  });

  it('refuses to send to the persisted topic before it exists, and creates it where the catalog lists durability', async () => {
    await expect(send(1, 'persisted')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const state = await lab.state();
    const created = await lab.createPersisted();
    const requests = created.frames.filter((f) => f.kind === 'request').map((f) => f.command);
    expect(requests[0]).toBe('DescribeOptions');
    if (!state.catalog!.durabilityListed) {
      expect(created.outcome.refusal).toBe('not-in-catalog');
      expect(requests).not.toContain('CreateTopic');
      return;
    }
    expect(created.outcome).toEqual({ topic: 'durability-persisted', created: true, refusal: null });
    expect(created.cli?.command).toBe('iggy options topic');
    const again = await lab.createPersisted();
    expect(again.outcome.refusal).toBe('already-exists');
    const sent = await send(3, 'persisted');
    expect(sent.outcome.inMemory).toMatchObject({ count: '0', basis: 'persisted' });
    expect(sent.explanation).toContain('on stable storage before Iggy answered');
    const after = await lab.state();
    expect(topicOf(after, 'persisted').settings).toContainEqual({
      key: 'durability',
      value: 'persisted',
      source: 'explicit',
    });
    if (labs.target.server) expect(unflushed(DURABILITY_TOPICS.persisted)).toBe(0);
  });

  it.skipIf(!!process.env.IGGY_TEST_URL)(
    'after a crash reports the lost range as a reset, and the persisted topic as whole',
    async () => {
      await send(3); // offsets 21–23 only in memory
      const before = topicOf(await lab.state(), 'default');
      expect(before.inMemory).toMatchObject({ count: '3', offsets: { from: '21', to: '23' } });
      await labs.target.crash();
      await labs.target.start();
      const state = await lab.state();
      expect(state.lastRestart).toMatchObject({
        outcome: 'loss',
        lost: [
          { topic: 'durability', partitionId: 0, lostFrom: '21', lostTo: '23', lostCount: '3', exact: false },
        ],
        inMemoryBefore: '3',
      });
      expect(state.lastRestart!.connectionLostAt).not.toBeNull();
      expect(state.lastRestart!.explanation).toContain(
        'Iggy came back without at least offsets 21–23 of durability',
      );
      expect(state.lastRestart!.explanation).toContain(
        'durability-persisted (durability=persisted) came back with every message',
      );
      expect(topicOf(state, 'default').partition).toMatchObject({ messagesCount: '21', currentOffset: '20' });
      expect(topicOf(state, 'default').inMemory).toMatchObject({ count: '0', basis: 'lab-sends' });
      // The next send gets the lost offsets again.
      const next = await send(1);
      expect(next.outcome.firstOffset).toBe('21');
      expect(next.outcome.inMemory).toMatchObject({ count: '1' });
    },
  );

  it.skipIf(!!process.env.IGGY_TEST_URL)(
    'after a graceful restart reports no loss: the journal was written first',
    async () => {
      await send(2); // 3 in memory now
      await labs.target.shutdown();
      await labs.target.start();
      const state = await lab.state();
      expect(state.lastRestart).toMatchObject({
        outcome: 'no-loss',
        lost: [],
        inMemoryBefore: '3',
        cause: null,
      });
      expect(state.lastRestart!.explanation).toContain('so this was a graceful stop');
      expect(topicOf(state, 'default').inMemory).toMatchObject({ count: '0' });
      expect(topicOf(state, 'default').partition?.messagesCount).toBe('24');
    },
  );

  it.skipIf(!!process.env.IGGY_TEST_URL)(
    'says Iggy is unreachable while it is down, without throwing, and recovers by itself',
    async () => {
      await labs.target.shutdown();
      try {
        const down = await lab.state();
        expect(down.iggy).toMatchObject({ reachable: false });
        expect(down.awaitingReturn).toBe(true);
        expect(down.topics).toEqual([]);
        await expect(send(1)).rejects.toMatchObject({ code: 'IGGY_UNAVAILABLE' });
      } finally {
        await labs.target.start();
      }
      const back = await lab.state();
      expect(back.iggy.reachable).toBe(true);
      expect(back.awaitingReturn).toBe(false);
      expect(back.lastRestart?.outcome).toBe('no-loss');
      expect((await send(1)).outcome.sent).toBe(1);
    },
  );

  it('estimates, and says so, when the partition holds messages the lab did not send', async () => {
    const other = IggyClient.fromUrl(labs.target.url, {
      requestTimeoutMs: 3000,
      reconnect: { enabled: false },
    });
    await other.connect();
    try {
      for (let i = 0; i < 3; i += 1)
        await other.sendMessages({
          streamId: labs.streamName,
          topicId: DURABILITY_TOPICS.default,
          partitioning: { kind: 'balanced' },
          messages: [{ payload: `someone else ${i}` }],
        });
    } finally {
      await other.close();
    }
    const memory = topicOf(await lab.state(), 'default').inMemory!;
    // The lab knew of 1 in memory (offset 24, or 21 against a real server); the 3 others continue that count.
    expect(memory).toMatchObject({ count: '4', basis: 'partition-count' });
    expect(memory.offsets?.to).toBe(topicOf(await lab.state(), 'default').partition?.currentOffset);
    if (labs.target.server) expect(unflushed(DURABILITY_TOPICS.default)).toBe(4);
    expect(memory.how).toMatch(/^Estimated, not read from Iggy/);
  });

  it('never mistakes a state read that overlaps a send for a reset', async () => {
    const before = (await lab.state()).lastRestart;
    let done = false;
    const sending = send(20).finally(() => {
      done = true;
    });
    let reads = 0;
    while (!done) {
      expect((await lab.state()).lastRestart).toEqual(before);
      reads += 1;
    }
    await sending;
    expect(reads).toBeGreaterThan(0);
    expect((await lab.state()).lastRestart).toEqual(before);
  });

  it('reset deletes both topics, forgets the last restart and closes every connection', async () => {
    const result = await lab.reset();
    expect(result.outcome.topicsDeleted).toContain('durability');
    expect(labs.runtime.host('durability').connectionCount).toBe(0);
    const state = await lab.state();
    expect(state.lastRestart).toBeNull();
    expect(state.topics.every((t) => !t.exists)).toBe(true);
  });
});

describe('the durability lab on a topic someone else created', () => {
  it('takes the journal thresholds from what the topic reports, not from the value the lab would send', async () => {
    const other = IggyClient.fromUrl(labs.target.url, {
      requestTimeoutMs: 3000,
      reconnect: { enabled: false },
    });
    await other.connect();
    try {
      await other.ensureStream(labs.streamName);
      await other.createTopic({
        streamId: labs.streamName,
        name: DURABILITY_TOPICS.default,
        partitionsCount: 1,
        messagesRequiredToSave: 4,
      });
    } finally {
      await other.close();
    }
    const before = topicOf(await lab.state(), 'default');
    expect(before.settings).toContainEqual({
      key: 'messages_required_to_save',
      value: '4',
      source: 'explicit',
    });
    const result = await send(6);
    // 4 sends reach the topic's threshold and are written; 2 stay in memory (the lab's own 10 would say 6).
    expect(result.outcome).toMatchObject({
      created: false,
      inMemory: { count: '2', offsets: { from: '4', to: '5' } },
    });
    expect(result.outcome.inMemory?.how).toContain('the journal is written at 4 messages');
    if (labs.target.server) expect(unflushed(DURABILITY_TOPICS.default)).toBe(2);
    await lab.reset();
  });
});

describe('the durability lab on an edge build (topic options without durability)', () => {
  let server: TestServer;
  let runtime: LabsRuntime;
  let edgeLab: DurabilityLab;

  beforeAll(async () => {
    server = await startTestServer({ topicOptionsFlavor: 'edge' });
    runtime = new LabsRuntime(
      loadLabsConfig({ IGGY_URL: server.url, IGGY_LABS_STREAM: uniqueName('labs') }),
      {
        clientOptions: { connectTimeoutMs: 2000, requestTimeoutMs: 3000 },
      },
    );
    edgeLab = runtime.lab('durability', (host) => new DurabilityLab(host));
  });
  afterAll(async () => {
    await runtime?.close();
    await server?.stop();
  });

  it('reads the edge catalog (enforce_fsync, no durability) and shows enforce_fsync as a server default', async () => {
    await edgeLab.send({ action: 'send', topic: 'default', count: 2 });
    const state = await edgeLab.state();
    expect(state.catalog).toMatchObject({ flavor: 'edge', durabilityListed: false });
    const settings = topicOf(state, 'default').settings;
    expect(settings.map((s) => s.key)).toEqual([
      'messages_required_to_save',
      'size_of_messages_required_to_save',
      'enforce_fsync',
    ]);
    expect(settings.at(-1)).toEqual({ key: 'enforce_fsync', value: 'false', source: 'default' });
    expect(topicOf(state, 'default').inMemory?.count).toBe('2');
  });

  it('does not create a persisted topic and says plainly why, without sending CreateTopic', async () => {
    const result = await edgeLab.createPersisted();
    expect(result.outcome).toEqual({
      topic: 'durability-persisted',
      created: false,
      refusal: 'not-in-catalog',
    });
    expect(result.explanation).toContain(
      'do not include durability (it lists enforce_fsync instead: an edge build)',
    );
    expect(result.frames.filter((f) => f.kind === 'request').map((f) => f.command)).toEqual([
      'DescribeOptions',
    ]);
    const refresh = await edgeLab.refresh();
    expect(refresh.outcome.flavor).toBe('edge');
    expect(refresh.explanation).toContain('no option here makes a send wait for the disk');
  });

  it('stops a running send and closes every connection when the app stops', async () => {
    // The server leaves the send's first request unanswered, so the send is surely still running.
    server.dropNextRequests(1);
    // Handled from the start: the send fails (its connection closed) while the runtime closes.
    const running = edgeLab.send({ action: 'send', topic: 'default', count: 50 }).then(
      (result) => result.outcome.sent,
      () => -1,
    );
    await runtime.close();
    expect(await running).toBe(-1);
    expect(runtime.host('durability').connectionCount).toBe(0);
  });
});
