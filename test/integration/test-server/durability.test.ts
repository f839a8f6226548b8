import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, type TestServerOptions, startTestServer } from '../../support';
import { acquireIggy, uniqueName } from '../../support/harness';
import {
  RawConnection,
  type Session,
  decodePoll,
  decodeTopic,
  login,
  opt,
  optionsBlock,
  partitionIdPartitioning,
  pollBody,
  resultOf,
  sendOne,
  strId,
} from './raw-client';

/** docs/iggy-concepts.md#what-a-crash-loses: the partition journal, graceful stop (SIGTERM) vs crash (SIGKILL). */

const STREAM = strId('d');
const P0 = partitionIdPartitioning(0);

describe('test server durability: journal, shutdown and crash (docs/iggy-concepts.md#what-a-crash-loses)', () => {
  let server: TestServer;
  const conns: RawConnection[] = [];
  let topicCounter = 0;

  async function connect(): Promise<Session> {
    const conn = await RawConnection.open(server.port);
    conns.push(conn);
    return login(conn);
  }

  /** A fresh topic on the stream `d`; returns its id buffer and a session. */
  async function topicWith(partitions: number, options: Buffer = Buffer.alloc(0)) {
    const s = await connect();
    const name = `t${(topicCounter += 1)}`;
    const reply = await s.createTopic(STREAM, name, partitions, options);
    expect(reply.status).toBe(0);
    expect(resultOf(reply).code).toBe(0);
    return { s, name, topic: strId(name) };
  }

  async function sendMany(s: Session, topic: Buffer, count: number, partitioning = P0) {
    const offsets: bigint[] = [];
    for (let i = 0; i < count; i += 1) offsets.push(await sendOne(s, STREAM, topic, partitioning, `m${i}`));
    return offsets;
  }

  async function partitionsOf(s: Session, topic: Buffer) {
    return decodeTopic((await s.read(300, Buffer.concat([STREAM, topic]))).body).partitions;
  }

  const consumer = (topic: Buffer, extra: Partial<Parameters<typeof pollBody>[0]> = {}) =>
    pollBody({
      consumerId: strId('reader'),
      stream: STREAM,
      topic,
      partition: 0,
      strategy: 5,
      count: 100,
      ...extra,
    });

  async function storedOffset(s: Session, topic: Buffer): Promise<bigint | undefined> {
    const body = (
      await s.read(
        120,
        Buffer.concat([Buffer.from([1]), strId('reader'), STREAM, topic, Buffer.from([1, 0, 0, 0, 0])]),
      )
    ).body;
    return body.length === 0 ? undefined : body.readBigUInt64LE(12);
  }

  async function start(options: TestServerOptions = {}) {
    server = await startTestServer(options);
    const s = await connect();
    await s.createStream('d');
  }

  beforeAll(() => start());
  afterEach(() => {
    conns.splice(0).forEach((c) => c.close());
  });
  afterAll(() => server.stop());

  it('crash: 200 acknowledged single sends are lost, stream and topic survive, the partition reads empty', async () => {
    const { s, topic } = await topicWith(1);
    const offsets = await sendMany(s, topic, 200);
    expect(offsets.at(-1)).toBe(199n);
    expect(server.unflushedCount('d', 't1', 0)).toBe(200);
    const port = server.port;

    await server.crash();
    await expect(RawConnection.open(port)).rejects.toThrow();
    await server.start();
    expect(server.port).toBe(port);
    const again = await connect();
    expect(await partitionsOf(again, topic)).toEqual([
      expect.objectContaining({ id: 0, currentOffset: 0n, messagesCount: 0n }),
    ]);
    expect(decodePoll((await again.read(100, consumer(topic, { strategy: 3 }))).body).count).toBe(0);
    expect(server.unflushedCount('d', 't1', 0)).toBe(0);
  });

  it('shutdown: every connection drops, the same 200 sends are all kept (current offset 199)', async () => {
    const { s, topic, name } = await topicWith(1);
    await sendMany(s, topic, 200);
    await server.shutdown();
    await Promise.all(conns.map((c) => c.closedPromise));
    expect(server.connectionCount()).toBe(0);
    expect(server.unflushedCount('d', name, 0)).toBe(0);
    await server.start();
    const again = await connect();
    expect((await partitionsOf(again, topic))[0]).toMatchObject({ currentOffset: 199n, messagesCount: 200n });
    const all = decodePoll((await again.read(100, consumer(topic, { strategy: 3, count: 500 }))).body);
    expect(all.messages.map((m) => m.offset)).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)));
  });

  it('crash after a consumer stored 49: stored offset reads 0, new sends get 0, 1, 2 and Next returns [1, 2]', async () => {
    const { s, topic } = await topicWith(1);
    await sendMany(s, topic, 50);
    const polled = decodePoll((await s.read(100, consumer(topic, { autoCommit: true }))).body);
    expect(polled.count).toBe(50);
    expect(await storedOffset(s, topic)).toBe(49n);

    await server.restartAfterCrash();
    const again = await connect();
    expect(await storedOffset(again, topic)).toBe(0n);
    expect(await sendMany(again, topic, 3)).toEqual([0n, 1n, 2n]);
    const next = decodePoll((await again.read(100, consumer(topic))).body);
    expect(next.messages.map((m) => m.offset)).toEqual([1n, 2n]);
  });

  it('the same sequence with a graceful restart keeps 49: new sends get 50, 51, 52 and Next returns them', async () => {
    const { s, topic } = await topicWith(1);
    await sendMany(s, topic, 50);
    await s.read(100, consumer(topic, { autoCommit: true }));

    await server.restartGracefully();
    const again = await connect();
    expect(await storedOffset(again, topic)).toBe(49n);
    expect(await sendMany(again, topic, 3)).toEqual([50n, 51n, 52n]);
    const next = decodePoll((await again.read(100, consumer(topic))).body);
    expect(next.messages.map((m) => m.offset)).toEqual([50n, 51n, 52n]);
  });

  it('messages_required_to_save: the whole journal is written when it reaches the count, per partition', async () => {
    const { s, topic, name } = await topicWith(2, optionsBlock({ messages_required_to_save: opt.u32(10) }));
    await sendMany(s, topic, 9);
    expect(server.unflushedCount('d', name, 0)).toBe(9);
    await sendMany(s, topic, 1);
    expect(server.unflushedCount('d', name, 0)).toBe(0);
    await sendMany(s, topic, 15);
    expect(server.unflushedCount('d', name, 0)).toBe(5);
    await sendMany(s, topic, 4, partitionIdPartitioning(1));
    expect(server.unflushedCount('d', name, 1)).toBe(4);

    await server.restartAfterCrash();
    const again = await connect();
    const [p0, p1] = await partitionsOf(again, topic);
    expect(p0).toMatchObject({ currentOffset: 19n, messagesCount: 20n });
    expect(p1).toMatchObject({ currentOffset: 0n, messagesCount: 0n });
    expect(await sendOne(again, STREAM, topic, P0, 'after')).toBe(20n);
  });

  it('size_of_messages_required_to_save counts frame bytes (48-byte header + payload)', async () => {
    // 100-byte payloads weigh 148 bytes each: six stay in the journal (888), the seventh reaches 1 036 ≥ 1 024.
    const { s, topic, name } = await topicWith(
      1,
      optionsBlock({ size_of_messages_required_to_save: opt.u64(1024n) }),
    );
    for (let i = 0; i < 6; i += 1) await sendOne(s, STREAM, topic, P0, Buffer.alloc(100, 0x61));
    expect(server.unflushedCount('d', name, 0)).toBe(6);
    expect(server.unflushedBytes('d', name, 0)).toBe(888n);
    await sendOne(s, STREAM, topic, P0, Buffer.alloc(100, 0x61));
    expect(server.unflushedCount('d', name, 0)).toBe(0);
    expect(server.unflushedBytes('d', name, 0)).toBe(0n);
  });

  it('durability = persisted: every acknowledged send is durable at once and survives a crash', async () => {
    const { s, topic, name } = await topicWith(
      1,
      optionsBlock({ durability: opt.str('persisted'), consumer_offset_durability: opt.str('persisted') }),
    );
    await sendMany(s, topic, 5);
    expect(server.unflushedCount('d', name, 0)).toBe(0);
    await s.read(100, consumer(topic, { autoCommit: true }));
    await server.restartAfterCrash();
    const again = await connect();
    expect((await partitionsOf(again, topic))[0]).toMatchObject({ currentOffset: 4n, messagesCount: 5n });
    expect(await storedOffset(again, topic)).toBe(4n);
  });

  it('release build: enforce_fsync is answered with 4041, the durability keys are accepted', async () => {
    const s = await connect();
    expect(
      await s.createTopic(STREAM, 'fsync', 1, optionsBlock({ enforce_fsync: opt.bool(true) })),
    ).toMatchObject({
      status: 4041,
    });
    const ok = await s.createTopic(STREAM, 'dur', 1, optionsBlock({ durability: opt.str('replicated') }));
    expect(resultOf(ok).code).toBe(0);
  });

  it.skipIf(Boolean(process.env.IGGY_TEST_URL))(
    'acquireIggy hands out the in-memory server with an iggy:// url and the three lifecycle calls',
    async () => {
      const target = await acquireIggy();
      try {
        expect(target.real).toBe(false);
        expect(target.canKill).toBe(true);
        expect(target.url).toMatch(/^iggy:\/\/iggy:iggy@127\.0\.0\.1:\d+$/);
        expect(uniqueName('stream')).not.toBe(uniqueName('stream'));
        await target.crash();
        await target.start();
        await target.shutdown();
        await target.start();
        const conn = await RawConnection.open(target.server!.port);
        await login(conn);
        conn.close();
      } finally {
        await target.close();
      }
    },
  );
});

describe('test server edge flavor (topicOptionsFlavor: edge)', () => {
  let server: TestServer;
  let conn: RawConnection;

  beforeAll(async () => {
    server = await startTestServer({ topicOptionsFlavor: 'edge' });
    conn = await RawConnection.open(server.port);
  });
  afterAll(async () => {
    conn.close();
    await server.stop();
  });

  it('accepts enforce_fsync (it does not make a send durable) and answers the durability keys with 4041', async () => {
    const s = await login(conn);
    await s.createStream('e');
    const stream = strId('e');
    for (const key of ['durability', 'consumer_offset_durability']) {
      expect(
        await s.createTopic(stream, key, 1, optionsBlock({ [key]: opt.str('persisted') })),
      ).toMatchObject({
        status: 4041,
      });
    }
    const fsync = await s.createTopic(stream, 'fsync', 1, optionsBlock({ enforce_fsync: opt.bool(true) }));
    expect(resultOf(fsync).code).toBe(0);
    await sendOne(s, stream, strId('fsync'), P0, 'x');
    expect(server.unflushedCount('e', 'fsync', 0)).toBe(1);
  });
});
