import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import {
  BALANCED,
  RawConnection,
  type Session,
  buildBatch,
  decodePoll,
  login,
  numId,
  partitionIdPartitioning,
  pollBody,
  resultOf,
  sendBody,
  strId,
  u64,
} from './raw-client';

const SILENCE_MS = 300;
const STREAM = strId('msgs');

describe('test server send, poll and consumer offsets (docs/architecture.md#sending-messages, #operations-and-command-codes)', () => {
  let server: TestServer;
  let conn: RawConnection;
  let s: Session;

  beforeAll(async () => {
    server = await startTestServer();
    conn = await RawConnection.open(server.port);
    s = await login(conn);
    await s.createStream('msgs');
  });
  afterAll(async () => {
    conn.close();
    await server.stop();
  });

  const payloads = (...texts: string[]) =>
    texts.map((t, i) => ({ id: BigInt(i + 1), payload: Buffer.from(t) }));

  async function send(topic: string, partitioning: Buffer, texts: string[]) {
    return s.partition(160, sendBody(STREAM, strId(topic), partitioning, buildBatch(payloads(...texts))));
  }

  async function poll(
    topic: string,
    opts: Partial<Parameters<typeof pollBody>[0]> & { strategy: number; count: number },
  ) {
    return s.read(100, pollBody({ stream: STREAM, topic: strId(topic), ...opts }));
  }

  describe('send admission', () => {
    it('drops a batch with a wrong frame checksum without replying and stores nothing', async () => {
      await s.createTopic(STREAM, 'drop', 1);
      const batch = buildBatch(payloads('a'));
      batch[256 + 48] = batch[256 + 48]! ^ 0xff; // flip a payload byte: frame checksum no longer matches
      s.write({ operation: 160, body: sendBody(STREAM, strId('drop'), BALANCED, batch) });
      expect(await conn.next(SILENCE_MS)).toBeUndefined();
      const polled = decodePoll((await poll('drop', { strategy: 3, count: 10 })).body);
      expect(polled.count).toBe(0);
    });

    it('drops a wrong batch checksum, a non-zero reserved byte and a messages_count mismatch', async () => {
      await s.createTopic(STREAM, 'drop2', 1);
      const badBatchChecksum = buildBatch(payloads('a'));
      badBatchChecksum[40] = badBatchChecksum[40]! ^ 1;
      const reserved = buildBatch(payloads('a'));
      reserved[100] = 1;
      for (const body of [
        sendBody(STREAM, strId('drop2'), BALANCED, badBatchChecksum),
        sendBody(STREAM, strId('drop2'), BALANCED, reserved),
        sendBody(STREAM, strId('drop2'), BALANCED, buildBatch(payloads('a', 'b')), 1),
      ]) {
        s.write({ operation: 160, body });
        expect(await conn.next(SILENCE_MS)).toBeUndefined();
      }
    });

    it('answers status 20 for a missing stream, topic or partition', async () => {
      await s.createTopic(STREAM, 'exists', 1);
      const batch = buildBatch(payloads('a'));
      expect(await s.partition(160, sendBody(strId('nope'), strId('exists'), BALANCED, batch))).toMatchObject(
        { status: 20 },
      );
      expect(await s.partition(160, sendBody(STREAM, strId('nope'), BALANCED, batch))).toMatchObject({
        status: 20,
      });
      expect(
        await s.partition(160, sendBody(STREAM, strId('exists'), partitionIdPartitioning(5), batch)),
      ).toMatchObject({ status: 20 });
    });

    it('round-robins Balanced sends across partitions and routes a messages key to a fixed partition', async () => {
      await s.createTopic(STREAM, 'rr', 3);
      const partitions = [];
      for (let i = 0; i < 6; i += 1)
        partitions.push((await send('rr', BALANCED, [`m${i}`])).body.readUInt32LE(12));
      expect(new Set(partitions.slice(0, 3)).size).toBe(3);
      expect(partitions.slice(3)).toEqual(partitions.slice(0, 3));
      const key = Buffer.concat([Buffer.from([3, 7]), Buffer.from('user-42')]);
      const keyed = [];
      for (let i = 0; i < 3; i += 1) keyed.push((await send('rr', key, ['k'])).body.readUInt32LE(12));
      expect(new Set(keyed).size).toBe(1);
    });

    it('stamps base offsets: the reply carries the first offset of each batch', async () => {
      await s.createTopic(STREAM, 'offsets', 1);
      const first = await send('offsets', BALANCED, ['a', 'b', 'c']);
      const second = await send('offsets', BALANCED, ['d']);
      expect(first.body.readBigUInt64LE(16)).toBe(0n);
      expect(second.body.readBigUInt64LE(16)).toBe(3n);
      expect(second.body.readUInt32LE(4)).toBe(0); // stream id
    });
  });

  describe('poll', () => {
    beforeAll(async () => {
      await s.createTopic(STREAM, 'poll', 1);
      await send('poll', BALANCED, ['m0', 'm1', 'm2']);
      await send('poll', BALANCED, ['m3', 'm4']);
    });

    it('slices stored batches: offset 1, count 3 returns m1..m3 from two records', async () => {
      const reply = await poll('poll', { strategy: 1, value: 1n, count: 3 });
      const decoded = decodePoll(reply.body);
      expect(decoded).toMatchObject({ partitionId: 0, currentOffset: 4n, count: 3 });
      expect(decoded.messages.map((m) => [m.offset, m.payload, m.checksumOk])).toEqual([
        [1n, 'm1', true],
        [2n, 'm2', true],
        [3n, 'm3', true],
      ]);
      // first record: base_offset 0 with its first frame's offset_delta 1
      expect(reply.body.readBigUInt64LE(16 + 8)).toBe(0n);
      expect(reply.body.readUInt32LE(16 + 256 + 24)).toBe(1);
    });

    it('supports First, Last and Timestamp', async () => {
      expect(
        decodePoll((await poll('poll', { strategy: 3, count: 2 })).body).messages.map((m) => m.payload),
      ).toEqual(['m0', 'm1']);
      expect(
        decodePoll((await poll('poll', { strategy: 4, count: 2 })).body).messages.map((m) => m.payload),
      ).toEqual(['m3', 'm4']);
      const all = await poll('poll', { strategy: 1, value: 0n, count: 10 });
      const secondBatchTimestamp = all.body.readBigUInt64LE(
        16 + Number(all.body.readBigUInt64LE(16 + 32)) + 16,
      );
      const since = decodePoll(
        (await poll('poll', { strategy: 2, value: secondBatchTimestamp, count: 10 })).body,
      );
      expect(since.messages.map((m) => m.payload)).toEqual(['m3', 'm4']);
    });

    it('Next with auto_commit walks forward and stores the offset of the last returned message', async () => {
      const consumer = { consumerKind: 1, consumerId: strId('reader') };
      const first = decodePoll(
        (await poll('poll', { ...consumer, strategy: 5, count: 2, autoCommit: true })).body,
      );
      expect(first.messages.map((m) => m.offset)).toEqual([0n, 1n]);
      const second = decodePoll(
        (await poll('poll', { ...consumer, strategy: 5, count: 2, autoCommit: true })).body,
      );
      expect(second.messages.map((m) => m.offset)).toEqual([2n, 3n]);
      const offset = await s.read(
        120,
        Buffer.concat([Buffer.from([1]), strId('reader'), STREAM, strId('poll'), Buffer.alloc(5)]),
      );
      expect(offset.body.length).toBe(20);
      expect(offset.body.readUInt32LE(0)).toBe(0);
      expect(offset.body.readBigUInt64LE(4)).toBe(4n);
      expect(offset.body.readBigUInt64LE(12)).toBe(3n);
    });

    it('answers plain-consumer polls on missing stream, topic, partition with 1009, 2010, 3007', async () => {
      expect(
        await s.read(100, pollBody({ stream: strId('x'), topic: strId('poll'), strategy: 3, count: 1 })),
      ).toMatchObject({ status: 1009 });
      expect(await poll('x', { strategy: 3, count: 1 })).toMatchObject({ status: 2010 });
      expect(await poll('poll', { partition: 9, strategy: 3, count: 1 })).toMatchObject({ status: 3007 });
    });

    it('rejects an unknown polling kind with status 3', async () => {
      expect(await poll('poll', { strategy: 6, count: 1 })).toMatchObject({ status: 3 });
    });
  });

  describe('consumer offsets', () => {
    const offsetTarget = (partition: Buffer) =>
      Buffer.concat([Buffer.from([1]), numId(7), STREAM, strId('co'), partition]);
    const set = (id: number) => Buffer.concat([Buffer.from([1]), Buffer.alloc(4)]).fill(id, 1, 2);
    const unset = Buffer.alloc(5);

    beforeAll(async () => {
      await s.createTopic(STREAM, 'co', 2);
      await send('co', partitionIdPartitioning(0), ['a', 'b']);
    });

    it('stores an offset (result-framed empty reply) and reads it back', async () => {
      const stored = await s.partition(161, Buffer.concat([offsetTarget(set(0)), u64(1n), Buffer.from([1])]));
      expect(stored).toMatchObject({ status: 0, operation: 161 });
      expect(resultOf(stored).code).toBe(0);
      const read = await s.read(120, offsetTarget(set(0)));
      expect(read.body.readBigUInt64LE(12)).toBe(1n);
    });

    it('denies store beyond the current offset or on an empty partition with 4100', async () => {
      expect(
        await s.partition(161, Buffer.concat([offsetTarget(set(0)), u64(2n), Buffer.from([0])])),
      ).toMatchObject({ status: 4100 });
      expect(
        await s.partition(161, Buffer.concat([offsetTarget(set(1)), u64(0n), Buffer.from([0])])),
      ).toMatchObject({ status: 4100 });
    });

    it('denies store and delete without a partition (kind 1) with status 20', async () => {
      expect(
        await s.partition(161, Buffer.concat([offsetTarget(unset), u64(0n), Buffer.from([0])])),
      ).toMatchObject({ status: 20 });
      expect(await s.partition(162, Buffer.concat([offsetTarget(unset), Buffer.from([0])]))).toMatchObject({
        status: 20,
      });
    });

    it('deletes a stored offset once; the second delete is status 3021 and get turns empty', async () => {
      const first = await s.partition(162, Buffer.concat([offsetTarget(set(0)), Buffer.from([1])]));
      expect(first).toMatchObject({ status: 0, operation: 162 });
      expect(first.body.length).toBe(4);
      expect(await s.partition(162, Buffer.concat([offsetTarget(set(0)), Buffer.from([1])]))).toMatchObject({
        status: 3021,
      });
      expect((await s.read(120, offsetTarget(set(0)))).body.length).toBe(0);
    });
  });

  describe('transient replies', () => {
    it('answers partition ops on a just-created topic with status 58 when transientAfterCreateMs is set', async () => {
      const slow = await startTestServer({ transientAfterCreateMs: 200 });
      const c = await RawConnection.open(slow.port);
      try {
        const session = await login(c);
        await session.createStream('t');
        await session.createTopic(strId('t'), 'fresh', 1);
        const body = sendBody(strId('t'), strId('fresh'), BALANCED, buildBatch(payloads('x')));
        expect(await session.partition(160, body)).toMatchObject({ status: 58 });
        await new Promise((r) => setTimeout(r, 250));
        expect(await session.partition(160, body)).toMatchObject({ status: 0 });
      } finally {
        c.close();
        await slow.stop();
      }
    });
  });
});
