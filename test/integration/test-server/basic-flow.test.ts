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
  pollBody,
  resultOf,
  sendBody,
  strId,
} from './raw-client';

describe('test server: the happy path in raw bytes', () => {
  let server: TestServer;
  let conn: RawConnection;
  let session: Session;

  beforeAll(async () => {
    server = await startTestServer();
    conn = await RawConnection.open(server.port);
    session = await login(conn);
  });
  afterAll(async () => {
    conn.close();
    await server.stop();
  });

  it('answers the login with a result-framed body: count 0, root user 0, session, version, server version', async () => {
    const other = await RawConnection.open(server.port);
    const reply = await other.request({
      operation: 1,
      client: 42n,
      body: Buffer.from('002c00000b6e6578746a732d64656d6f05302e312e300469676779046967677900000000', 'hex'),
    });
    expect(reply.command).toBe(8);
    expect(reply.operation).toBe(1);
    expect(reply.status).toBe(0);
    expect(reply.body.readUInt32LE(0)).toBe(0);
    expect(reply.body.readUInt32LE(4)).toBe(0);
    expect(reply.body.readBigUInt64LE(8)).toBeGreaterThan(0n);
    expect(reply.body.readUInt32LE(16)).toBe(0x2c00);
    // The stand-in's version, `0.9.0+stand-in` (14 bytes): Iggy's number, marked as not Iggy.
    expect(reply.body.subarray(20).toString('hex')).toBe(
      `0e${Buffer.from('0.9.0+stand-in').toString('hex')}`,
    );
    other.close();
  });

  it('answers ping with an empty reply echoing the request number', async () => {
    const reply = await conn.request({
      operation: 2,
      code: 1,
      client: session.client,
      session: session.session,
      request: 7n,
    });
    expect(reply).toMatchObject({ command: 8, operation: 2, status: 0, request: 7n, size: 256 });
  });

  it('creates a stream and a topic, sends, and polls the message back with its checksum intact', async () => {
    const streamId = await session.createStream('demo-stream');
    expect(streamId).toBe(0);
    const topicReply = await session.createTopic(strId('demo-stream'), 'demo-topic', 2);
    expect(topicReply.operation).toBe(64);
    expect(resultOf(topicReply).code).toBe(0);

    const batch = buildBatch([
      { id: 1n, payload: Buffer.from('hello') },
      { id: 2n, payload: Buffer.from('world') },
    ]);
    const sent = await session.partition(
      160,
      sendBody(strId('demo-stream'), strId('demo-topic'), BALANCED, batch),
    );
    expect(sent.status).toBe(0);
    expect(sent.body.length).toBe(24);
    expect(sent.body.readUInt32LE(0)).toBe(1);
    const partitionId = sent.body.readUInt32LE(12);
    expect(sent.body.readBigUInt64LE(16)).toBe(0n);

    const polled = await session.read(
      100,
      pollBody({ stream: numId(0), topic: numId(0), partition: partitionId, strategy: 3, count: 10 }),
    );
    expect(polled.status).toBe(0);
    const decoded = decodePoll(polled.body);
    expect(decoded).toMatchObject({ partitionId, currentOffset: 1n, count: 2 });
    expect(decoded.messages.map((m) => [m.offset, m.payload, m.checksumOk])).toEqual([
      [0n, 'hello', true],
      [1n, 'world', true],
    ]);
  });
});
