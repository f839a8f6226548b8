import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import {
  RawConnection,
  type Session,
  buildBatch,
  decodeTopic,
  login,
  nameBytes,
  numId,
  partitionIdPartitioning,
  resultOf,
  sendBody,
  strId,
  u32,
} from './raw-client';

describe('test server streams, topics and partitions (docs/architecture.md#operations-and-command-codes, #ids-and-defaults-of-a-fresh-server)', () => {
  let server: TestServer;
  let conn: RawConnection;
  let s: Session;

  beforeAll(async () => {
    server = await startTestServer();
    conn = await RawConnection.open(server.port);
    s = await login(conn);
  });
  afterAll(async () => {
    conn.close();
    await server.stop();
  });

  it('hands out 0-based stream ids and reuses the lowest free one after a delete', async () => {
    expect(await s.createStream('a')).toBe(0);
    expect(await s.createStream('b')).toBe(1);
    expect(await s.createStream('c')).toBe(2);
    expect(resultOf(await s.metadata(130, numId(0))).code).toBe(0);
    expect(resultOf(await s.metadata(130, numId(1))).code).toBe(0);
    expect(await s.createStream('d')).toBe(0);
    expect(await s.createStream('e')).toBe(1);
    expect(await s.createStream('f')).toBe(3);
  });

  it('rejects a duplicate stream name with result 1012 and any stream option with status 4041', async () => {
    const dup = await s.metadata(128, nameBytes('c'));
    expect(dup).toMatchObject({ status: 0, operation: 128 });
    expect(resultOf(dup).code).toBe(1012);
    const option = Buffer.concat([
      nameBytes('opt'),
      Buffer.from([2, 3, 0, 0, 0]),
      Buffer.from('key'),
      Buffer.from([2, 1, 0, 0, 0, 0x78]),
    ]);
    expect(await s.metadata(128, option)).toMatchObject({ status: 4041, size: 256 });
  });

  it('answers delete/purge of a missing stream with result 1009 and get of a missing stream with an empty body', async () => {
    expect(resultOf(await s.metadata(130, strId('missing'))).code).toBe(1009);
    expect(resultOf(await s.metadata(131, strId('missing'))).code).toBe(1009);
    expect((await s.read(200, strId('missing'))).body.length).toBe(0);
    const topics = await s.read(301, strId('missing'));
    expect(topics.body.equals(u32(0))).toBe(true);
  });

  it('creates a topic with reply operation 64, partitions 0..n-1 and zeroed partition counters', async () => {
    await s.createStream('topics');
    const reply = await s.createTopic(strId('topics'), 't0', 3);
    expect(reply.operation).toBe(64);
    const topic = decodeTopic(resultOf(reply).payload);
    expect(topic).toMatchObject({ id: 0, name: 't0', partitionsCount: 3, explicitLength: 0 });
    expect(topic.derivedLength).toBeGreaterThan(0);
    expect(topic.partitions.map((p) => [p.id, p.segmentsCount])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
  });

  it('reuses the lowest free topic id in a stream and keeps names unique per stream (2013)', async () => {
    await s.createTopic(strId('topics'), 't1', 1);
    await s.createTopic(strId('topics'), 't2', 1);
    expect(resultOf(await s.metadata(134, Buffer.concat([strId('topics'), numId(1)]))).code).toBe(0);
    const reused = await s.createTopic(strId('topics'), 't3', 1);
    expect(decodeTopic(resultOf(reused).payload).id).toBe(1);
    expect(resultOf(await s.createTopic(strId('topics'), 't0', 1)).code).toBe(2013);
    await s.createStream('other-stream');
    expect(resultOf(await s.createTopic(strId('other-stream'), 't0', 1)).code).toBe(0);
  });

  it('denies more than 1000 partitions with status 2015 and a missing stream with result 1009', async () => {
    expect(await s.createTopic(strId('topics'), 'big', 1001)).toMatchObject({ status: 2015, operation: 132 });
    expect(resultOf(await s.createTopic(strId('nope'), 'x', 1)).code).toBe(1009);
  });

  it('validates topic options: unknown key 4041, max_topic_size below segment size 1019', async () => {
    const key = (name: string) => Buffer.concat([Buffer.from([2]), u32(name.length), Buffer.from(name)]);
    const u64 = (v: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(v);
      return Buffer.concat([Buffer.from([12]), u32(8), b]);
    };
    expect(
      await s.createTopic(strId('topics'), 'o1', 1, Buffer.concat([key('bogus'), u64(1n)])),
    ).toMatchObject({ status: 4041 });
    expect(
      await s.createTopic(
        strId('topics'),
        'o2',
        1,
        Buffer.concat([key('max_topic_size'), u64(1024n * 1024n)]),
      ),
    ).toMatchObject({ status: 1019 });
    const ok = await s.createTopic(
      strId('topics'),
      'o3',
      1,
      Buffer.concat([key('message_expiry'), u64(3_600_000_000n)]),
    );
    expect(resultOf(ok).code).toBe(0);
    const payload = resultOf(ok).payload;
    expect(payload.readBigUInt64LE(16)).toBe(3_600_000_000n);
    expect(decodeTopic(payload).explicitLength).toBeGreaterThan(0);
  });

  it('creates partitions with reply operation 65 (appending ids) and deletes the highest ones', async () => {
    await s.createTopic(strId('topics'), 'parts', 2);
    const target = Buffer.concat([strId('topics'), strId('parts')]);
    const created = await s.metadata(136, Buffer.concat([target, u32(3)]));
    expect(created.operation).toBe(65);
    expect(created.body.equals(u32(0))).toBe(true);
    const deleted = await s.metadata(137, Buffer.concat([target, u32(2)]));
    expect(deleted.operation).toBe(137);
    expect(resultOf(deleted).code).toBe(0);
    const topic = decodeTopic((await s.read(300, target)).body);
    expect(topic.partitions.map((p) => p.id)).toEqual([0, 1, 2]);
    expect(await s.metadata(136, Buffer.concat([target, u32(0)]))).toMatchObject({ status: 2015 });
    expect(resultOf(await s.metadata(137, Buffer.concat([target, u32(4)]))).code).toBe(2019);
  });

  it('reports segments_count >= 1 and current_offset 0 for both an empty and a one-message partition', async () => {
    await s.createTopic(strId('topics'), 'offsets', 2);
    const target = Buffer.concat([strId('topics'), strId('offsets')]);
    const batch = buildBatch([{ id: 9n, payload: Buffer.from('one') }]);
    const sent = await s.partition(
      160,
      sendBody(strId('topics'), strId('offsets'), partitionIdPartitioning(1), batch),
    );
    expect(sent.status).toBe(0);
    const topic = decodeTopic((await s.read(300, target)).body);
    expect(topic.partitions.map((p) => [p.segmentsCount, p.currentOffset, p.messagesCount])).toEqual([
      [1, 0n, 0n],
      [1, 0n, 1n],
    ]);
  });

  it('reports get stream as StreamResponse plus one TopicHeader per topic', async () => {
    await s.createStream('with-topics');
    await s.createTopic(strId('with-topics'), 'x', 1);
    await s.createTopic(strId('with-topics'), 'y', 1);
    const body = (await s.read(200, strId('with-topics'))).body;
    expect(body.readUInt32LE(12)).toBe(2);
    const nameLength = body.readUInt8(32);
    expect(body.subarray(33, 33 + nameLength).toString()).toBe('with-topics');
    const first = body.subarray(37 + nameLength);
    expect(decodeTopic(first).name).toBe('x');
  });

  it('answers get stats with the fixed 108-byte part followed by the hostname string', async () => {
    const body = (await s.read(10)).body;
    expect(body.readUInt32LE(76)).toBeGreaterThan(0); // streams_count
    const hostnameLength = body.readUInt32LE(108);
    expect(body.subarray(112, 112 + hostnameLength).toString()).toBe('iggy-test-server');
  });

  it('answers cluster metadata (code 12, used by the official SDKs) with one healthy leader at its own address', async () => {
    const body = (await s.read(12)).body;
    let position = 0;
    const text = () => {
      const length = body.readUInt32LE(position);
      const value = body.subarray(position + 4, position + 4 + length).toString();
      position += 4 + length;
      return value;
    };
    text(); // cluster name
    expect(body.readUInt32LE(position)).toBe(1);
    position += 4;
    text(); // node name
    expect(text()).toBe('127.0.0.1');
    expect(body.readUInt16LE(position)).toBe(server.port);
    expect([body[position + 8], body[position + 9]]).toEqual([0, 0]); // leader, healthy
    expect(position + 10).toBe(body.length);
    const anonymous = await RawConnection.open(server.port);
    expect(await anonymous.request({ operation: 2, code: 12, client: 3n })).toMatchObject({ status: 40 });
    anonymous.close();
  });

  it('purges a topic: messages and stored offsets go, the partitions stay and start again at offset 0', async () => {
    await s.createStream('purge');
    await s.createTopic(strId('purge'), 't', 1);
    const target = Buffer.concat([strId('purge'), strId('t')]);
    const batch = buildBatch([
      { id: 1n, payload: Buffer.from('a') },
      { id: 2n, payload: Buffer.from('b') },
    ]);
    await s.partition(160, sendBody(strId('purge'), strId('t'), partitionIdPartitioning(0), batch));
    const consumerTarget = Buffer.concat([Buffer.from([1]), numId(3), target, Buffer.from([1, 0, 0, 0, 0])]);
    const offset = Buffer.alloc(8);
    offset.writeBigUInt64LE(1n);
    expect((await s.partition(161, Buffer.concat([consumerTarget, offset, Buffer.from([0])]))).status).toBe(
      0,
    );

    expect(resultOf(await s.metadata(135, target)).code).toBe(0);
    const topic = decodeTopic((await s.read(300, target)).body);
    expect(topic.partitions.map((p) => [p.id, p.currentOffset, p.messagesCount])).toEqual([[0, 0n, 0n]]);
    expect((await s.read(120, consumerTarget)).body.length).toBe(0);
    const again = await s.partition(
      160,
      sendBody(strId('purge'), strId('t'), partitionIdPartitioning(0), batch),
    );
    expect(again.body.readBigUInt64LE(16)).toBe(0n);
    expect(resultOf(await s.metadata(135, Buffer.concat([strId('purge'), strId('nope')]))).code).toBe(2010);
  });

  it('reports this connection in get me and every connection in get clients', async () => {
    const other = await RawConnection.open(server.port);
    const me = (await s.read(20)).body;
    expect(me.readUInt32LE(4)).toBe(0); // root user
    expect(me[8]).toBe(1); // TCP
    const addressLength = me.readUInt32LE(9);
    expect(me.subarray(13, 13 + addressLength).toString()).toMatch(/^127\.0\.0\.1:\d+$/);
    const clients = (await s.read(22)).body;
    const users: number[] = [];
    for (let position = 0; position < clients.length;) {
      users.push(clients.readUInt32LE(position + 4));
      position += 13 + clients.readUInt32LE(position + 9) + 4;
    }
    expect(users).toContain(0);
    expect(users).toContain(0xffffffff); // the second connection has not logged in
    other.close();
  });
});
