import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import {
  RawConnection,
  type Session,
  buildBatch,
  decodePoll,
  login,
  nameBytes,
  numId,
  partitionIdPartitioning,
  pollBody,
  resultOf,
  sendBody,
  strId,
  u64,
} from './raw-client';

const STREAM = strId('cg');
const TOPIC = strId('orders');
const TARGET = Buffer.concat([STREAM, TOPIC]);

function decodeSync(body: Buffer): { generation: bigint; partitions: number[] } | undefined {
  if (body.length === 0) return undefined;
  const count = body.readUInt32LE(8);
  return {
    generation: body.readBigUInt64LE(0),
    partitions: Array.from({ length: count }, (_, i) => body.readUInt32LE(12 + 4 * i)),
  };
}

/** GetConsumerGroup (600): member id → partitions, in the order the server lists them. */
function decodeMembers(body: Buffer): Record<number, number[]> {
  let position = 13 + body.readUInt8(12);
  const members: Record<number, number[]> = {};
  for (let m = 0; m < body.readUInt32LE(8); m += 1) {
    const id = body.readUInt32LE(position);
    const count = body.readUInt32LE(position + 4);
    members[id] = Array.from({ length: count }, (_, i) => body.readUInt32LE(position + 8 + 4 * i));
    position += 8 + 4 * count;
  }
  return members;
}

describe('test server consumer groups (docs/architecture.md#operations-and-command-codes, #shared-encodings, #polling-messages)', () => {
  let server: TestServer;
  const conns: RawConnection[] = [];
  let admin: Session;

  async function member(): Promise<Session> {
    const conn = await RawConnection.open(server.port);
    conns.push(conn);
    return login(conn);
  }

  beforeAll(async () => {
    server = await startTestServer();
    admin = await member();
    await admin.createStream('cg');
    await admin.createTopic(STREAM, 'orders', 3);
    await admin.createTopic(STREAM, 'four', 4);
    for (const [topic, count] of [
      [TOPIC, 3],
      [strId('four'), 4],
    ] as const) {
      for (let p = 0; p < count; p += 1) {
        await admin.partition(
          160,
          sendBody(
            STREAM,
            topic,
            partitionIdPartitioning(p),
            buildBatch([{ id: 1n, payload: Buffer.from(`p${p}`) }]),
          ),
        );
      }
    }
  });
  afterAll(async () => {
    conns.forEach((c) => c.close());
    await server.stop();
  });

  it('numbers groups per topic from 0 and never reuses an id after delete', async () => {
    const g0 = await admin.metadata(139, Buffer.concat([TARGET, nameBytes('first')]));
    expect(resultOf(g0).payload.readUInt32LE(0)).toBe(0);
    expect(resultOf(g0).payload.readUInt32LE(4)).toBe(3); // partitions_count
    expect(resultOf(g0).payload.readUInt32LE(8)).toBe(0); // members_count
    expect(resultOf(await admin.metadata(140, Buffer.concat([TARGET, numId(0)]))).code).toBe(0);
    const g1 = await admin.metadata(139, Buffer.concat([TARGET, nameBytes('second')]));
    expect(resultOf(g1).payload.readUInt32LE(0)).toBe(1);
    expect(resultOf(await admin.metadata(139, Buffer.concat([TARGET, nameBytes('second')]))).code).toBe(5004);
    expect(resultOf(await admin.metadata(140, Buffer.concat([TARGET, numId(0)]))).code).toBe(5000);
  });

  it('assigns partitions round-robin, rebalances on join, leave and disconnect, and bumps the generation', async () => {
    await admin.metadata(139, Buffer.concat([TARGET, nameBytes('workers')]));
    const group = Buffer.concat([TARGET, strId('workers')]);
    const a = await member();
    const b = await member();
    expect(resultOf(await a.metadata(148, group)).code).toBe(0);
    const soloSync = decodeSync((await a.read(606, group)).body)!;
    expect(soloSync.partitions).toEqual([0, 1, 2]);

    await b.metadata(148, group);
    const syncA = decodeSync((await a.read(606, group)).body)!;
    const syncB = decodeSync((await b.read(606, group)).body)!;
    expect(syncA.generation).toBeGreaterThan(soloSync.generation);
    expect([...syncA.partitions, ...syncB.partitions].sort()).toEqual([0, 1, 2]);
    expect(syncA.partitions.filter((p) => syncB.partitions.includes(p))).toEqual([]);

    const details = (await admin.read(600, group)).body;
    expect(details.readUInt32LE(8)).toBe(2);

    b.conn.close();
    await b.conn.closedPromise;
    await new Promise((r) => setTimeout(r, 50));
    expect(decodeSync((await a.read(606, group)).body)!.partitions).toEqual([0, 1, 2]);

    expect(resultOf(await a.metadata(149, group)).code).toBe(0);
    expect((await a.read(606, group)).body.length).toBe(0);
    expect(resultOf(await a.metadata(149, group)).code).toBe(5006);
  });

  it('reproduces the 4-partition table of docs/architecture.md#consumer-groups-on-the-wire step by step (member ids, order, generation)', async () => {
    await admin.metadata(139, Buffer.concat([STREAM, strId('four'), nameBytes('table')]));
    const group = Buffer.concat([STREAM, strId('four'), strId('table')]);
    const members = async () => decodeMembers((await admin.read(600, group)).body);
    const [m0, m1, m2] = [await member(), await member(), await member()];

    await m0.metadata(148, group);
    expect(await members()).toEqual({ 0: [0, 1, 2, 3] });
    const g1 = decodeSync((await m0.read(606, group)).body)!;
    expect(g1).toEqual({ generation: 1n, partitions: [0, 1, 2, 3] });

    await m1.metadata(148, group);
    expect(await members()).toEqual({ 0: [0, 1], 1: [3, 2] });
    expect(decodeSync((await m1.read(606, group)).body)).toEqual({ generation: 2n, partitions: [3, 2] });

    await m2.metadata(148, group);
    expect(await members()).toEqual({ 0: [0, 1], 1: [3], 2: [2] });
    expect(decodeSync((await m0.read(606, group)).body)).toEqual({ generation: 3n, partitions: [0, 1] });

    expect(resultOf(await m1.metadata(149, group)).code).toBe(0);
    expect(await members()).toEqual({ 0: [0, 2], 2: [1, 3] });
    expect(decodeSync((await m2.read(606, group)).body)).toEqual({ generation: 4n, partitions: [1, 3] });
    expect((await m1.read(606, group)).body.length).toBe(0);

    // A member that disconnects without leaving: everything is dealt out again over who is left.
    m2.conn.close();
    await m2.conn.closedPromise;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await members()).toEqual({ 0: [0, 1, 2, 3] });
    // The freed slot 1 is the next member id.
    const late = await member();
    await late.metadata(148, group);
    expect(await members()).toEqual({ 0: [0, 1], 1: [3, 2] });
  });

  it('hands a partition polled but not committed over only after the commit; until then nobody polls it', async () => {
    await admin.metadata(139, Buffer.concat([STREAM, strId('four'), nameBytes('handoff')]));
    const group = Buffer.concat([STREAM, strId('four'), strId('handoff')]);
    const consumer = { consumerKind: 2, consumerId: strId('handoff'), stream: STREAM, topic: strId('four') };
    const [source, newcomer] = [await member(), await member()];
    await source.metadata(148, group);
    const read = decodePoll(
      (await source.read(100, pollBody({ ...consumer, partition: 3, strategy: 5, count: 10 }))).body,
    );
    expect(read.messages.map((m) => m.payload)).toEqual(['p3']);
    // Partition 2 was never polled: it moves at once; partition 3 waits for the commit.
    await newcomer.metadata(148, group);
    const before = decodeSync((await newcomer.read(606, group)).body)!;
    expect(before.partitions).toEqual([2]);
    expect(decodeSync((await source.read(606, group)).body)!.partitions).toEqual([0, 1]);
    for (const who of [source, newcomer]) {
      const poll = decodePoll(
        (await who.read(100, pollBody({ ...consumer, partition: 3, strategy: 5, count: 10 }))).body,
      );
      expect(poll).toMatchObject({ partitionId: 0xffffffff, count: 0 });
    }
    const store = Buffer.concat([
      Buffer.from([2]),
      strId('handoff'),
      STREAM,
      strId('four'),
      Buffer.from([1, 3, 0, 0, 0]),
      u64(0n),
      Buffer.from([1]),
    ]);
    expect(await newcomer.partition(161, store)).toMatchObject({ status: 20 });
    expect(await source.partition(161, store)).toMatchObject({ status: 0 });

    const after = decodeSync((await newcomer.read(606, group)).body)!;
    expect(after).toEqual({ generation: before.generation + 1n, partitions: [2, 3] });
    const moved = decodePoll(
      (await newcomer.read(100, pollBody({ ...consumer, partition: 3, strategy: 5, count: 10 }))).body,
    );
    expect(moved).toMatchObject({ partitionId: 3, count: 0 }); // offset 0 is committed: nothing new
  });

  it('polls as a group only from an explicitly owned partition and keeps the group offset', async () => {
    await admin.metadata(139, Buffer.concat([TARGET, nameBytes('pollers')]));
    const group = Buffer.concat([TARGET, strId('pollers')]);
    const m = await member();
    const outsider = await member();
    await m.metadata(148, group);
    const consumer = { consumerKind: 2, consumerId: strId('pollers'), stream: STREAM, topic: TOPIC };

    const unset = decodePoll((await m.read(100, pollBody({ ...consumer, strategy: 5, count: 10 }))).body);
    expect(unset).toMatchObject({ partitionId: 0, count: 0 });

    const owned = decodePoll(
      (await m.read(100, pollBody({ ...consumer, partition: 1, strategy: 5, count: 10, autoCommit: true })))
        .body,
    );
    expect(owned.messages.map((x) => x.payload)).toEqual(['p1']);

    const notMine = decodePoll(
      (await outsider.read(100, pollBody({ ...consumer, partition: 1, strategy: 5, count: 10 }))).body,
    );
    expect(notMine).toMatchObject({ partitionId: 0xffffffff, count: 0 });
    const missingGroup = decodePoll(
      (
        await m.read(
          100,
          pollBody({ ...consumer, consumerId: strId('ghost'), partition: 1, strategy: 5, count: 10 }),
        )
      ).body,
    );
    expect(missingGroup.partitionId).toBe(0xffffffff);

    const groupOffset = await m.read(
      120,
      Buffer.concat([Buffer.from([2]), strId('pollers'), TARGET, Buffer.from([1, 1, 0, 0, 0])]),
    );
    expect(groupOffset.body.readBigUInt64LE(12)).toBe(0n);

    const storeNotOwned = Buffer.concat([
      Buffer.from([2]),
      strId('pollers'),
      TARGET,
      Buffer.from([1, 1, 0, 0, 0]),
      u64(0n),
      Buffer.from([1]),
    ]);
    expect(await outsider.partition(161, storeNotOwned)).toMatchObject({ status: 20 });
    expect(await m.partition(161, storeNotOwned)).toMatchObject({ status: 0 });
  });

  it('answers group reads on a missing stream/topic with 1009/2010 and a missing group with an empty body', async () => {
    expect(await admin.read(601, Buffer.concat([strId('none'), TOPIC]))).toMatchObject({ status: 1009 });
    expect(await admin.read(601, Buffer.concat([STREAM, strId('none')]))).toMatchObject({ status: 2010 });
    expect((await admin.read(600, Buffer.concat([TARGET, strId('none')]))).body.length).toBe(0);
    expect(resultOf(await admin.metadata(148, Buffer.concat([TARGET, strId('none')]))).code).toBe(5000);
  });

  it('drops an undecodable join body without any reply', async () => {
    admin.write({
      operation: 148,
      request: admin.lastRequest + 1n,
      body: Buffer.concat([STREAM, Buffer.from([9])]),
    });
    expect(await admin.conn.next(300)).toBeUndefined();
    // the connection stays usable
    expect(await admin.conn.request({ operation: 2, code: 1, client: admin.client })).toMatchObject({
      status: 0,
    });
  });
});

describe('test server rebalancing timeout (server option rebalancingTimeoutMs)', () => {
  it('moves a partition polled but never committed to the new member once the timeout has passed', async () => {
    const server = await startTestServer({ rebalancingTimeoutMs: 800 });
    const conns: RawConnection[] = [];
    const member = async () => {
      const conn = await RawConnection.open(server.port);
      conns.push(conn);
      return login(conn);
    };
    try {
      const admin = await member();
      await admin.createStream('cg');
      await admin.createTopic(STREAM, 'two', 2);
      const topic = strId('two');
      await admin.partition(
        160,
        sendBody(
          STREAM,
          topic,
          partitionIdPartitioning(1),
          buildBatch([{ id: 1n, payload: Buffer.from('x') }]),
        ),
      );
      await admin.metadata(139, Buffer.concat([STREAM, topic, nameBytes('slow')]));
      const group = Buffer.concat([STREAM, topic, strId('slow')]);
      const [source, newcomer] = [await member(), await member()];
      await source.metadata(148, group);
      await source.read(
        100,
        pollBody({
          consumerKind: 2,
          consumerId: strId('slow'),
          stream: STREAM,
          topic,
          partition: 1,
          strategy: 5,
          count: 1,
        }),
      );
      await newcomer.metadata(148, group);
      const waiting = decodeSync((await newcomer.read(606, group)).body)!;
      expect(waiting.partitions).toEqual([]);
      expect(decodeSync((await source.read(606, group)).body)!.partitions).toEqual([0]);

      let synced = waiting;
      for (let attempt = 0; attempt < 100 && synced.partitions.length === 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        synced = decodeSync((await newcomer.read(606, group)).body)!;
      }
      expect(synced).toEqual({ generation: waiting.generation + 1n, partitions: [1] });
    } finally {
      conns.forEach((c) => c.close());
      await server.stop();
    }
  });
});
