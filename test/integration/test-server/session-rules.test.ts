import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import {
  RawConnection,
  buildRequest,
  login,
  loginBody,
  nameBytes,
  numId,
  randomClientId,
  resultOf,
  strId,
} from './raw-client';

const SILENCE_MS = 300;

describe('test server session rules (docs/architecture.md#register-and-login)', () => {
  let server: TestServer;
  const open: RawConnection[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      users: [
        { username: 'alice', password: 'secret1' },
        { username: 'sleepy', password: 'secret2', active: false },
      ],
    });
  });
  afterAll(async () => {
    open.forEach((c) => c.close());
    await server.stop();
  });

  async function connect(): Promise<RawConnection> {
    const conn = await RawConnection.open(server.port);
    open.push(conn);
    return conn;
  }

  async function registerWith(body: Buffer, client = randomClientId()) {
    const conn = await connect();
    return conn.request({ operation: 1, client, body });
  }

  describe('register', () => {
    it('evicts with reason 15 when the body has no decodable version prefix', async () => {
      expect(await registerWith(Buffer.alloc(0))).toMatchObject({ command: 13, size: 256, reason: 15 });
      expect(await registerWith(Buffer.from([0x00, 0x2c]))).toMatchObject({ command: 13, reason: 15 });
    });

    it('evicts with reason 15 when the rest of the body does not decode (context length missing)', async () => {
      const body = loginBody('iggy', 'iggy');
      expect(await registerWith(body.subarray(0, body.length - 4))).toMatchObject({
        command: 13,
        reason: 15,
      });
    });

    it('evicts with reason 14 and the accepted window for a 0.12 client and for a too-old client', async () => {
      const tooNew = await registerWith(loginBody('iggy', 'iggy', 0x3000));
      expect(tooNew).toMatchObject({ command: 13, reason: 14, windowMax: 0x2c00, windowMin: 0x2c00 });
      const tooOld = await registerWith(loginBody('iggy', 'iggy', 0x2800));
      expect(tooOld).toMatchObject({ command: 13, reason: 14, windowMax: 0x2c00, windowMin: 0x2c00 });
    });

    it('accepts any 0.11.x patch version', async () => {
      const reply = await registerWith(loginBody('iggy', 'iggy', 0x2c05));
      expect(reply).toMatchObject({ command: 8, status: 0, operation: 1 });
    });

    it('evicts with reason 9 for a wrong password, an unknown user, an inactive user and out-of-range lengths', async () => {
      for (const [user, pass] of [
        ['iggy', 'wrong'],
        ['nobody', 'iggy'],
        ['sleepy', 'secret2'],
        ['ig', 'iggy'],
        ['iggy', 'ig'],
      ] as const) {
        expect(await registerWith(loginBody(user, pass))).toMatchObject({ command: 13, reason: 9 });
      }
    });

    it('logs a non-root user in with its own user id', async () => {
      const reply = await registerWith(loginBody('alice', 'secret1'));
      expect(reply.status).toBe(0);
      expect(reply.body.readUInt32LE(4)).toBe(1);
    });

    it('answers a re-login on a registered connection with the existing session', async () => {
      const conn = await connect();
      const first = await login(conn);
      const again = await conn.request({
        operation: 1,
        client: randomClientId(),
        body: loginBody('iggy', 'iggy'),
      });
      expect(again.status).toBe(0);
      expect(again.body.readBigUInt64LE(8)).toBe(first.session);
    });

    it('evicts with reason 12 when the client id is already registered by another user', async () => {
      const shared = randomClientId();
      await login(await connect(), shared, 'alice', 'secret1');
      expect(await registerWith(loginBody('iggy', 'iggy'), shared)).toMatchObject({
        command: 13,
        reason: 12,
      });
    });
  });

  describe('before login', () => {
    it('answers ping with session 0', async () => {
      const conn = await connect();
      expect(await conn.request({ operation: 2, code: 1, client: 5n })).toMatchObject({
        command: 8,
        status: 0,
      });
    });

    it('denies other reads with status 40', async () => {
      const conn = await connect();
      expect(await conn.request({ operation: 2, code: 201, client: 5n })).toMatchObject({
        command: 8,
        status: 40,
        size: 256,
      });
    });

    it('evicts metadata and partition ops with reason 1', async () => {
      const conn = await connect();
      const meta = await conn.request({
        operation: 128,
        client: 5n,
        session: 1n,
        request: 1n,
        body: nameBytes('x'),
      });
      expect(meta).toMatchObject({ command: 13, reason: 1 });
      const partition = await conn.request({
        operation: 161,
        client: 5n,
        session: 1n,
        request: 1n,
        body: Buffer.alloc(10),
      });
      expect(partition).toMatchObject({ command: 13, reason: 1 });
    });

    it('answers a logout on an unregistered connection with OK', async () => {
      const conn = await connect();
      const reply = await conn.request({ operation: 3, client: 5n, session: 1n, request: 1n });
      expect(reply).toMatchObject({ command: 8, status: 0, operation: 3, size: 256 });
    });
  });

  describe('logout', () => {
    it('unbinds the connection: OK reply, then metadata ops are evicted with reason 1', async () => {
      const conn = await connect();
      const session = await login(conn);
      const reply = await session.metadata(3, Buffer.alloc(0));
      expect(reply).toMatchObject({ command: 8, status: 0, operation: 3, size: 256 });
      expect(await session.metadata(128, nameBytes('after-logout'))).toMatchObject({
        command: 13,
        reason: 1,
      });
      expect(await session.read(201)).toMatchObject({ status: 40 });
    });

    it('does not log out when logout (39) is sent as operation 2', async () => {
      const conn = await connect();
      const session = await login(conn);
      expect(await session.read(39)).toMatchObject({ command: 8, status: 0, size: 256 });
      expect(await session.read(201)).toMatchObject({ status: 0 });
    });
  });

  describe('read-plane code rules', () => {
    it('answers a replicated code sent as operation 2 with status 5 and does not execute it', async () => {
      const conn = await connect();
      const session = await login(conn);
      const name = `not-created-${Date.now()}`;
      expect(await session.read(202, nameBytes(name))).toMatchObject({ status: 5 });
      expect((await session.read(200, strId(name))).body.length).toBe(0);
    });

    it('answers an unknown code with status 3, flush unsaved buffer with 5', async () => {
      const conn = await connect();
      const session = await login(conn);
      expect(await session.read(9999)).toMatchObject({ status: 3 });
      const flush = Buffer.concat([numId(0), numId(0), Buffer.alloc(4), Buffer.from([0])]);
      expect(await session.read(102, flush)).toMatchObject({ status: 5 });
    });

    it('evicts a legacy login code (38) sent as operation 2 with reason 15', async () => {
      const conn = await connect();
      expect(await conn.request({ operation: 2, code: 38, client: 5n })).toMatchObject({
        command: 13,
        reason: 15,
      });
    });
  });

  describe('metadata deduplication per client id (docs/architecture.md#request-numbering)', () => {
    it('replays the cached reply for a repeated request number and does not execute twice', async () => {
      const conn = await connect();
      const session = await login(conn);
      const name = `dedup-${Date.now()}`;
      const first = await session.metadata(128, nameBytes(name), { requestChecksum: 'auto' });
      expect(resultOf(first).code).toBe(0);
      const again = (requestChecksum: bigint | 'auto') =>
        conn.request({
          operation: 128,
          client: session.client,
          session: session.session,
          request: session.lastRequest,
          body: nameBytes(name),
          requestChecksum,
        });
      // Checksum 0 and the equal checksum both replay; a re-execution would answer 1012 instead.
      expect((await again(0n)).raw.equals(first.raw)).toBe(true);
      expect((await again('auto')).raw.equals(first.raw)).toBe(true);
      expect(countNames((await session.read(201)).body, name)).toBe(1);
    });

    it('silently drops a repeated request number whose checksum differs from the cached one', async () => {
      const conn = await connect();
      const session = await login(conn);
      await session.metadata(128, nameBytes(`drop-a-${Date.now()}`), { requestChecksum: 'auto' });
      conn.write(
        buildRequest({
          operation: 128,
          client: session.client,
          session: session.session,
          request: session.lastRequest,
          body: nameBytes('drop-b'),
          requestChecksum: 'auto',
        }),
      );
      expect(await conn.next(SILENCE_MS)).toBeUndefined();
    });

    it('answers an older request number whose reply is no longer cached with result 59', async () => {
      const conn = await connect();
      const session = await login(conn);
      await session.metadata(128, nameBytes(`old-1-${Date.now()}`));
      await session.metadata(128, nameBytes(`old-2-${Date.now()}`));
      const stale = await conn.request({
        operation: 128,
        client: session.client,
        session: session.session,
        request: 1n,
        body: nameBytes('old-3'),
      });
      expect(stale).toMatchObject({ command: 8, status: 0, operation: 128 });
      expect(resultOf(stale).code).toBe(59);
    });

    it('keeps the watermark when the same client id registers again on a new connection', async () => {
      const client = randomClientId();
      const first = await login(await connect(), client);
      const created = await first.metadata(128, nameBytes(`wm-${Date.now()}`));
      const conn2 = await connect();
      const second = await login(conn2, client);
      const otherName = `wm-other-${Date.now()}`;
      const reply = await conn2.request({
        operation: 128,
        client,
        session: second.session,
        request: 1n,
        body: nameBytes(otherName),
      });
      // Request 1 was already used by this client id: the old reply comes back, nothing new is created.
      expect(reply.body.equals(created.body)).toBe(true);
      expect(countNames((await second.read(201)).body, otherName)).toBe(0);
    });
  });

  describe('the same client id on a second connection (docs/architecture.md#sessions-client-ids-and-logout)', () => {
    it('moves the binding: the first connection gets eviction 1 for metadata and partition ops, 40 for reads', async () => {
      const client = randomClientId();
      const connA = await connect();
      const a = await login(connA, client);
      await login(await connect(), client);
      expect(await a.metadata(128, nameBytes('moved'))).toMatchObject({ command: 13, reason: 1 });
      expect(await a.partition(161, Buffer.alloc(20))).toMatchObject({ command: 13, reason: 1 });
      expect(await a.read(201)).toMatchObject({ command: 8, status: 40 });
    });
  });

  describe('heartbeat (docs/architecture.md#keep-alive)', () => {
    it('evicts an idle consumer-group member with reason 13 but leaves idle non-members alone', async () => {
      const fast = await startTestServer({ heartbeatIntervalMs: 100 });
      try {
        const memberConn = await RawConnection.open(fast.port);
        const idleConn = await RawConnection.open(fast.port);
        const member = await login(memberConn);
        const idle = await login(idleConn);
        await member.createStream('hb');
        await member.createTopic(strId('hb'), 't', 1);
        await member.metadata(139, Buffer.concat([strId('hb'), strId('t'), nameBytes('g')]));
        const joined = await member.metadata(148, Buffer.concat([strId('hb'), strId('t'), numId(0)]));
        expect(resultOf(joined).code).toBe(0);
        const eviction = await memberConn.next(2000);
        expect(eviction).toMatchObject({ command: 13, reason: 13 });
        expect(await idleConn.next(200)).toBeUndefined();
        const details = await idle.read(600, Buffer.concat([strId('hb'), strId('t'), numId(0)]));
        expect(details.body.readUInt32LE(8)).toBe(0); // members_count after the eviction
        memberConn.close();
        idleConn.close();
      } finally {
        await fast.stop();
      }
    });
  });
});

function countNames(streamsBody: Buffer, name: string): number {
  let count = 0;
  let position = 0;
  while (position < streamsBody.length) {
    const nameLength = streamsBody.readUInt8(position + 32);
    const found = streamsBody.subarray(position + 33, position + 33 + nameLength).toString();
    if (found === name) count += 1;
    const optionsLength = streamsBody.readUInt32LE(position + 33 + nameLength);
    position += 37 + nameLength + optionsLength;
  }
  return count;
}
