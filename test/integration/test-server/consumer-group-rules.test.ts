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

describe('test server consumer groups (reference §3.1, §4.3, §5.3)', () => {
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
    for (let p = 0; p < 3; p += 1) {
      await admin.partition(
        160,
        sendBody(
          STREAM,
          TOPIC,
          partitionIdPartitioning(p),
          buildBatch([{ id: 1n, payload: Buffer.from(`p${p}`) }]),
        ),
      );
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
