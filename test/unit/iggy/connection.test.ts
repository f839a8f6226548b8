/**
 * Connection and session behaviour against a scripted TCP peer that misbehaves on purpose:
 * late replies, garbage, unsolicited evictions, transient retries. Real sockets, loopback only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { Connection } from '@/lib/iggy/connection';
import { Session } from '@/lib/iggy/session';
import { IggyClient, IggyError, IggyErrorCode } from '@/lib/iggy';
import { encodeRequestFrame } from '@/lib/iggy/wire/header';
import { bytes, evictionFrame, replyFrame } from './builder';

type Handler = (frame: Buffer, socket: Socket, index: number) => void;

const servers: Server[] = [];
const peerSockets: Socket[] = [];
afterEach(async () => {
  for (const socket of peerSockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A peer that splits incoming bytes into frames by the size at offset 48 and hands each to `handler`. */
async function scriptedPeer(handler: Handler): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    peerSockets.push(socket);
    let buffered = Buffer.alloc(0);
    let index = 0;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 52 && buffered.length >= buffered.readUInt32LE(48)) {
        const size = buffered.readUInt32LE(48);
        handler(buffered.subarray(0, size), socket, index++);
        buffered = buffered.subarray(size);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, sockets };
}

const open = (port: number, maxFrameBytes = 1 << 20) =>
  Connection.open({ host: '127.0.0.1', port, connectTimeoutMs: 2_000, maxFrameBytes });

const ping = encodeRequestFrame({ clientId: 1n, operation: 2, commandCode: 1, request: 1n, session: 1n });

const loginOk = (session = 5n) =>
  replyFrame({ operation: 1, body: bytes().u32(0).u32(0).u64(session).u32(0x2c00).name('0.9.0').build() });

async function failure(promise: Promise<unknown>): Promise<IggyError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(IggyError);
    return e as IggyError;
  }
  throw new Error('expected a rejection');
}

describe('Connection', () => {
  it('answers in lockstep and keeps FIFO order across queued jobs', async () => {
    const { port } = await scriptedPeer((frame, socket) => {
      // Delay replies so several jobs queue up behind the one in flight.
      setTimeout(() => socket.write(replyFrame({ operation: 2, request: frame.readBigUInt64LE(168) })), 5);
    });
    const connection = await open(port);
    const order: bigint[] = [];
    await Promise.all(
      [1n, 2n, 3n, 4n].map((n) =>
        connection.run(async (exchange) => {
          const reply = await exchange(
            encodeRequestFrame({ clientId: 1n, operation: 2, commandCode: 1, request: n, session: 1n }),
            1_000,
          );
          order.push(reply.request);
        }),
      ),
    );
    expect(order).toEqual([1n, 2n, 3n, 4n]);
    expect(connection.busy).toBe(false);
    connection.close();
  });

  it('a timeout rejects the request, fails queued jobs and closes, so a late reply can never match', async () => {
    const { port } = await scriptedPeer((_frame, socket) => {
      setTimeout(() => socket.writable && socket.write(replyFrame({ operation: 2 })), 150);
    });
    const connection = await open(port);
    const closed: IggyError[] = [];
    connection.onClose((e) => closed.push(e));
    const first = connection.run((exchange) => exchange(ping, 50));
    const second = connection.run((exchange) => exchange(ping, 1_000));
    expect((await failure(first)).kind).toBe('timeout');
    expect((await failure(second)).kind).toBe('disconnected');
    expect(closed.map((e) => e.kind)).toEqual(['timeout']);
    await new Promise((r) => setTimeout(r, 200));
    expect(connection.closed).toBe(true);
  });

  it('a reply with nothing in flight is a protocol error that closes the connection', async () => {
    const { port, sockets } = await scriptedPeer(() => undefined);
    const connection = await open(port);
    const closed = new Promise<IggyError>((r) => connection.onClose(r));
    sockets[0]!.write(replyFrame({ operation: 2 }));
    const error = await closed;
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('no request in flight');
  });

  it('an unsolicited eviction ends the connection with the mapped error', async () => {
    const { port, sockets } = await scriptedPeer(() => undefined);
    const connection = await open(port);
    const closed = new Promise<IggyError>((r) => connection.onClose(r));
    sockets[0]!.write(evictionFrame(13));
    expect(await closed).toMatchObject({
      kind: 'eviction',
      evictionReason: 13,
      code: IggyErrorCode.StaleClient,
    });
    const later = await failure(connection.run((exchange) => exchange(ping, 100)));
    expect(later.kind).toBe('disconnected');
  });

  it('garbage sizes and unknown command bytes reject the pending request as protocol errors', async () => {
    const garbage = Buffer.alloc(64);
    garbage.writeUInt32LE(12, 48);
    const badCommand = replyFrame({ operation: 2 });
    badCommand[60] = 42;
    for (const answer of [garbage, badCommand]) {
      const { port } = await scriptedPeer((_frame, socket) => socket.write(answer));
      const connection = await open(port);
      const error = await failure(connection.run((exchange) => exchange(ping, 1_000)));
      expect(error.kind).toBe('protocol');
      expect(connection.closed).toBe(true);
    }
  });

  it('refuses to send a frame above the limit and stays usable', async () => {
    const { port } = await scriptedPeer((_frame, socket) => socket.write(replyFrame({ operation: 2 })));
    const connection = await open(port, 300);
    const big = encodeRequestFrame({
      clientId: 1n,
      operation: 2,
      commandCode: 10,
      request: 1n,
      session: 1n,
      body: Buffer.alloc(100),
    });
    expect((await failure(connection.run((exchange) => exchange(big, 1_000)))).kind).toBe('invalid-argument');
    await connection.run((exchange) => exchange(ping, 1_000));
    connection.close();
  });

  it('a peer closing mid-request rejects it as disconnected', async () => {
    const { port } = await scriptedPeer((_frame, socket) => socket.destroy());
    const connection = await open(port);
    const error = await failure(connection.run((exchange) => exchange(ping, 1_000)));
    expect(error.kind).toBe('disconnected');
  });

  it('a job cannot use the connection after it finished, and a job error is passed through', async () => {
    const { port } = await scriptedPeer((_frame, socket) => socket.write(replyFrame({ operation: 2 })));
    const connection = await open(port);
    let leaked: ((f: Buffer, t: number) => Promise<unknown>) | undefined;
    await connection.run(async (exchange) => {
      leaked = exchange;
    });
    expect((await failure(leaked!(ping, 100))).kind).toBe('protocol');
    await expect(connection.run(async () => Promise.reject(new Error('job failed')))).rejects.toThrow(
      'job failed',
    );
    connection.close();
    expect(connection.closed).toBe(true);
  });

  it('connect failures are kind connect', async () => {
    const { port } = await scriptedPeer(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    const error = await failure(open(port));
    expect(error.kind).toBe('connect');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.retryable).toBe(true);
  });
});

describe('Session', () => {
  it('resends the identical register frame on transient 57/58 and then succeeds', async () => {
    const seen: Buffer[] = [];
    const { port } = await scriptedPeer((frame, socket, index) => {
      seen.push(Buffer.from(frame));
      if (index < 2)
        socket.write(
          replyFrame({
            operation: 1,
            body: bytes()
              .u32(1)
              .u32(0)
              .u32(index === 0 ? 57 : 58)
              .build(),
          }),
        );
      else socket.write(loginOk(9n));
    });
    const connection = await open(port);
    const session = await Session.register(
      connection,
      { username: 'iggy', password: 'iggy', sdkName: 'test', sdkVersion: '1' },
      { requestTimeoutMs: 1_000, retry: { delayMs: 5, budgetMs: 5_000 } },
    );
    expect(session.sessionId).toBe(9n);
    expect(session.login.serverVersion).toBe('0.9.0');
    expect(seen).toHaveLength(3);
    expect(seen[1]!.equals(seen[0]!) && seen[2]!.equals(seen[0]!)).toBe(true);
    expect(session.clientId).toBe(seen[0]!.readBigUInt64LE(128) | (seen[0]!.readBigUInt64LE(136) << 64n));
    connection.close();
  });

  it('gives up with the transient code once the retry budget is spent', async () => {
    const { port } = await scriptedPeer((_frame, socket, index) => {
      if (index === 0) socket.write(loginOk());
      else socket.write(replyFrame({ operation: 128, status: 57 }));
    });
    const connection = await open(port);
    const session = await Session.register(
      connection,
      { username: 'iggy', password: 'iggy', sdkName: 'test', sdkVersion: '1' },
      { requestTimeoutMs: 1_000, retry: { delayMs: 5, budgetMs: 40 } },
    );
    const error = await failure(
      session.execute({ plane: 'metadata', operation: 128 }, Buffer.from([1, 0x61]), 'create stream'),
    );
    expect(error).toMatchObject({ kind: 'server', code: 57, retryable: true });
    expect(session.numbering.current).toBe(2n);
    connection.close();
  });
});

describe('IggyClient against a misbehaving peer', () => {
  it('a garbage reply closes the connection and the client re-registers with a new client id', async () => {
    const clientIds: bigint[] = [];
    const { port } = await scriptedPeer((frame, socket) => {
      const op = frame[176];
      if (op === 1) {
        clientIds.push(frame.readBigUInt64LE(128));
        socket.write(loginOk());
      } else if (clientIds.length === 1) {
        socket.write(Buffer.alloc(52, 0xff)); // size 0xffffffff: the stream is out of sync
      } else {
        socket.write(replyFrame({ operation: 2 }));
      }
    });
    const client = new IggyClient({
      host: '127.0.0.1',
      port,
      username: 'u',
      password: 'p',
      pingIntervalMs: 0,
      reconnect: { initialDelayMs: 5 },
    });
    const states: string[] = [];
    client.onStateChange((s) => states.push(s));
    await client.connect();
    expect((await failure(client.ping())).kind).toBe('protocol');
    await new Promise((r) => setTimeout(r, 100));
    await client.ping();
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(clientIds).toHaveLength(2);
    expect(clientIds[0]).not.toBe(clientIds[1]);
    await client.close();
  });

  it('close() logs out best-effort and returns even when the server never answers', async () => {
    const { port } = await scriptedPeer((frame, socket) => {
      if (frame[176] === 1) socket.write(loginOk());
      // logout (op 3) is never answered
    });
    const client = new IggyClient({
      host: '127.0.0.1',
      port,
      username: 'u',
      password: 'p',
      pingIntervalMs: 0,
    });
    await client.connect();
    await client.close();
    expect(client.state).toBe('closed');
  });
});
