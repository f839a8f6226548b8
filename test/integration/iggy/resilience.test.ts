import { afterAll, describe, expect, it } from 'vitest';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';
import { startTestServer } from '@/test/support';
import {
  Consumer,
  IggyClient,
  IggyError,
  IggyErrorCode,
  Partitioning,
  PollingStrategy,
  parseIggyUrl,
  type ConnectionState,
  type FrameEvent,
} from '@/lib/iggy';
import { Connection } from '@/lib/iggy/connection';
import { encodeRequestFrame } from '@/lib/iggy/wire/header';
import { encodeSendMessagesBody } from '@/lib/iggy/wire/messages';
import { replyOutcome } from '@/lib/iggy/wire/reply-body';
import { connectedClient, makeClient, rejectionOf, waitFor } from './clients';

// Acquired at load time so skipIf can consult what the target supports.
const target: IggyTarget = await acquireIggy();
/** Tests that start their own in-memory server (custom options) or use its fault hooks. */
const inMemory = !target.real;
afterAll(async () => {
  await target.close();
});

function withCredentials(url: string, username: string, password: string): string {
  const parsed = parseIggyUrl(url);
  return `iggy://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${parsed.address}`;
}

function clientIdOf(frame: FrameEvent): string {
  return Buffer.from(frame.bytes).subarray(128, 144).toString('hex');
}

describe('login failures', () => {
  it('bad credentials: eviction 9 becomes IggyError 42 and no reconnect loop starts', async () => {
    const client = makeClient(withCredentials(target.url, 'iggy', 'definitely-wrong-password'));
    const states: ConnectionState[] = [];
    client.onStateChange((s) => states.push(s));
    const error = (await rejectionOf(client.connect())) as IggyError;
    expect(error).toBeInstanceOf(IggyError);
    expect(error).toMatchObject({
      kind: 'eviction',
      evictionReason: 9,
      code: IggyErrorCode.InvalidCredentials,
      codeName: 'InvalidCredentials',
    });
    expect(error.message).not.toContain('definitely-wrong-password');
    expect(states).toEqual(['connecting', 'idle']);
    expect(client.state).toBe('idle');
    expect(client.lastError).toBe(error);
    await new Promise((r) => setTimeout(r, 300));
    expect(states).toEqual(['connecting', 'idle']);
    if (target.server) expect(target.server.connectionCount()).toBe(0);
    expect(((await rejectionOf(client.getStats())) as IggyError).kind).toBe('disconnected');
  });

  it.skipIf(!inMemory)('an inactive user is rejected with eviction 9 too', async () => {
    const server = await startTestServer({
      users: [{ username: 'sleepy', password: 'sleepy-pw', active: false }],
    });
    try {
      const client = makeClient(withCredentials(server.url, 'sleepy', 'sleepy-pw'));
      expect(await rejectionOf(client.connect())).toMatchObject({ kind: 'eviction', evictionReason: 9 });
    } finally {
      await server.stop();
    }
  });

  it.skipIf(!inMemory)(
    'a server speaking protocol 0.12 evicts with reason 14 and the message names both sides',
    async () => {
      const server = await startTestServer({ protocolVersion: 0x3000 });
      try {
        const client = makeClient(server.url);
        const error = (await rejectionOf(client.connect())) as IggyError;
        expect(error).toMatchObject({
          kind: 'eviction',
          evictionReason: 14,
          code: IggyErrorCode.IncompatibleProtocolVersion,
        });
        expect(error.message).toContain('0.12.0 to 0.12.0');
        expect(error.message).toContain('protocol 0.11');
        expect(error.message).toContain('Iggy server 0.9.0');
        expect(client.state).toBe('idle');
      } finally {
        await server.stop();
      }
    },
  );

  it('connecting to a port nobody listens on fails with kind connect', async () => {
    const server = await startTestServer();
    const url = server.url;
    await server.stop();
    const error = (await rejectionOf(makeClient(url).connect())) as IggyError;
    expect(error).toMatchObject({ kind: 'connect', code: IggyErrorCode.ConnectFailed });
    expect(error.message).toContain(parseIggyUrl(url).address);
  });
});

describe('requests before login (raw connection)', () => {
  it('a read is denied with status 40 and a partition op is answered with eviction 1', async () => {
    const { host, port } = parseIggyUrl(target.url);
    const connection = await Connection.open({ host, port, connectTimeoutMs: 3_000, maxFrameBytes: 1 << 20 });
    try {
      const stats = encodeRequestFrame({
        clientId: 99n,
        operation: 2,
        commandCode: 10,
        request: 1n,
        session: 0n,
      });
      const reply = await connection.run((exchange) => exchange(stats, 3_000));
      expect(replyOutcome(reply)).toEqual({ ok: false, code: IggyErrorCode.Unauthenticated });

      const body = encodeSendMessagesBody({ streamId: 1, topicId: 1, messages: [{ payload: 'x' }] });
      const send = encodeRequestFrame({ clientId: 99n, operation: 160, request: 1n, session: 1n, body });
      const error = (await rejectionOf(connection.run((exchange) => exchange(send, 3_000)))) as IggyError;
      expect(error).toMatchObject({
        kind: 'eviction',
        evictionReason: 1,
        code: IggyErrorCode.Unauthenticated,
      });
      expect(connection.closed).toBe(true);
      // Later jobs on the dead connection fail fast as disconnected, with the eviction as the cause.
      const later = (await rejectionOf(connection.run((exchange) => exchange(stats, 1_000)))) as IggyError;
      expect(later.kind).toBe('disconnected');
      expect(later.message).toContain('eviction 1');
    } finally {
      connection.close();
    }
  });
});

describe('concurrency', () => {
  it('200 concurrent calls on one client are serialized in call order', async () => {
    const client = await connectedClient(target.url);
    const stream = await client.createStream(uniqueName('conc'));
    await client.createTopic({ streamId: stream.name, name: 't', partitionsCount: 1 });
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      if (i % 4 === 0) calls.push(client.ping());
      else if (i % 4 === 1) calls.push(client.getStream(stream.name));
      else if (i % 10 === 2)
        calls.push(client.createTopic({ streamId: stream.name, name: `extra-${i}`, partitionsCount: 1 }));
      else
        calls.push(
          client.sendMessages({
            streamId: stream.name,
            topicId: 't',
            partitioning: Partitioning.partitionId(0),
            messages: [{ payload: `m${i}` }],
          }),
        );
    }
    const results = await Promise.all(calls);
    const sendIndexes = [...Array(200).keys()].filter((i) => i % 4 !== 0 && i % 4 !== 1 && i % 10 !== 2);
    const topicIndexes = [...Array(200).keys()].filter((i) => i % 4 !== 0 && i % 4 !== 1 && i % 10 === 2);
    // Offsets follow the order in which the calls were made.
    const offsets = sendIndexes.map((i) => (results[i] as { baseOffset: bigint }).baseOffset);
    expect(offsets).toEqual(sendIndexes.map((_, n) => BigInt(n)));
    const polled = await client.pollMessages({
      consumer: Consumer.single(1),
      streamId: stream.name,
      topicId: 't',
      partitionId: 0,
      strategy: PollingStrategy.first(),
      count: 1000,
      autoCommit: false,
    });
    expect(polled.messages.map((m) => m.payload.toString())).toEqual(sendIndexes.map((i) => `m${i}`));
    expect((await client.getTopics(stream.name)).map((t) => t.name).sort()).toEqual(
      ['t', ...topicIndexes.map((i) => `extra-${i}`)].sort(),
    );
    await client.deleteStream(stream.name);
  });

  it('metadata and partition request numbers strictly increase and reads reuse the current number', async () => {
    const client = makeClient(target.url);
    const frames: FrameEvent[] = [];
    client.onFrame((f) => frames.push(f));
    await client.connect();
    const name = uniqueName('num');
    await Promise.all([
      client.createStream(name),
      client.ping(),
      client.getStreams(),
      client.createTopic({ streamId: name, name: 't', partitionsCount: 1 }),
    ]);
    await client.sendMessages({ streamId: name, topicId: 't', messages: [{ payload: 'x' }] });
    await client.deleteStream(name);
    // A real server may answer a send right after create topic with 58; its identical resend is folded here.
    const sent = frames
      .filter((f) => f.direction === 'sent')
      .map((f) => [f.operation, f.request])
      .filter(
        (entry, i, all) =>
          i === 0 || entry[0] !== all[i - 1]![0] || entry[1] !== all[i - 1]![1] || entry[0] !== 160,
      );
    expect(sent).toEqual([
      [1, 0n], // register
      [128, 2n], // create stream advances
      [2, 2n], // ping reuses
      [2, 2n], // get streams reuses
      [132, 3n], // create topic advances
      [160, 4n], // send advances, as the official SDK does
      [130, 5n], // delete stream advances
    ]);
    const register = frames[0]!;
    expect(register.bytes.length).toBe(register.size);
    const checksum = Buffer.from(register.bytes).readBigUInt64LE(144);
    expect(checksum).not.toBe(0n); // register is stamped; reads are not
    const ping = frames.find((f) => f.direction === 'sent' && f.commandCode === 1)!;
    expect(Buffer.from(ping.bytes).readBigUInt64LE(144)).toBe(0n);
  });
});

describe('timeouts', () => {
  it.skipIf(!inMemory)(
    'a dropped request times out, the client re-registers with a new client id and carries on',
    async () => {
      const server = target.server!;
      const client = makeClient(target.url, { requestTimeoutMs: 300, reconnect: { initialDelayMs: 10 } });
      const frames: FrameEvent[] = [];
      client.onFrame((f) => frames.push(f));
      const states: ConnectionState[] = [];
      client.onStateChange((s) => states.push(s));
      await client.connect();
      server.dropNextRequests(1);
      const pending = client.getStats();
      const queued = client.getStreams();
      const error = (await rejectionOf(pending)) as IggyError;
      expect(error).toMatchObject({ kind: 'timeout', code: IggyErrorCode.Timeout, retryable: true });
      expect(((await rejectionOf(queued)) as IggyError).kind).toBe('disconnected');
      await waitFor(
        () => client.state === 'connected' && states.includes('reconnecting'),
        5_000,
        'reconnect',
      );
      expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
      expect((await client.getStats()).serverVersion).toMatch(/^0\.9/);
      const registers = frames.filter((f) => f.direction === 'sent' && f.operation === 1);
      expect(registers).toHaveLength(2);
      expect(clientIdOf(registers[0]!)).not.toBe(clientIdOf(registers[1]!));
    },
  );

  it.skipIf(!inMemory)(
    'transient status 58 right after create topic is retried with the identical frame',
    async () => {
      const server = await startTestServer({ transientAfterCreateMs: 300 });
      try {
        const client = makeClient(server.url);
        const frames: FrameEvent[] = [];
        client.onFrame((f) => frames.push(f));
        await client.connect();
        const name = uniqueName('transient');
        await client.createStream(name);
        await client.createTopic({ streamId: name, name: 't', partitionsCount: 1 });
        const sent = await client.sendMessages({
          streamId: name,
          topicId: 't',
          messages: [{ payload: 'eventually' }],
        });
        expect(sent.baseOffset).toBe(0n);
        const sends = frames.filter((f) => f.direction === 'sent' && f.operation === 160);
        expect(sends.length).toBeGreaterThan(1);
        expect(sends.every((f) => Buffer.from(f.bytes).equals(Buffer.from(sends[0]!.bytes)))).toBe(true);
        expect(frames.some((f) => f.direction === 'received' && f.status === 58)).toBe(true);
      } finally {
        await server.stop();
      }
    },
  );
});

describe('server restarts', () => {
  it.skipIf(!target.canKill)(
    'server shut down gracefully mid-stream: the client reconnects by itself and every acknowledged send survives',
    async () => {
      const client = makeClient(target.url, {
        requestTimeoutMs: 2_000,
        reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      });
      const states: ConnectionState[] = [];
      client.onStateChange((s) => states.push(s));
      await client.connect();
      const name = uniqueName('restart');
      await client.createStream(name);
      await client.createTopic({ streamId: name, name: 't', partitionsCount: 1 });

      const acknowledged = new Map<string, bigint>();
      const failures: IggyError[] = [];
      let stop = false;
      const producer = (async () => {
        for (let i = 0; !stop; i++) {
          try {
            const r = await client.sendMessages({
              streamId: name,
              topicId: 't',
              messages: [{ payload: `msg-${i}` }],
            });
            acknowledged.set(`msg-${i}`, r.baseOffset!);
          } catch (e) {
            failures.push(e as IggyError);
            await new Promise((r) => setTimeout(r, 10));
          }
        }
      })();

      await waitFor(() => acknowledged.size >= 20, 10_000, 'sends before the kill');
      await target.shutdown();
      await waitFor(() => client.state === 'reconnecting', 5_000, 'reconnecting');
      await new Promise((r) => setTimeout(r, 300));
      await target.start();
      await waitFor(() => client.state === 'connected', 10_000, 'reconnected');
      const before = acknowledged.size;
      await waitFor(() => acknowledged.size >= before + 20, 10_000, 'sends after the restart');
      stop = true;
      await producer;

      expect(states.slice(0, 4)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
      expect(
        failures.every((e) => e instanceof IggyError && ['disconnected', 'timeout'].includes(e.kind)),
      ).toBe(true);
      const polled = await client.pollMessages({
        consumer: Consumer.single(1),
        streamId: name,
        topicId: 't',
        partitionId: 0,
        strategy: PollingStrategy.first(),
        count: 100_000,
        autoCommit: false,
      });
      const stored = new Map(polled.messages.map((m) => [m.payload.toString(), m.offset]));
      for (const [payload, offset] of acknowledged) expect(stored.get(payload)).toBe(offset);
      await client.deleteStream(name);
    },
  );

  it.skipIf(!inMemory)(
    'calls made while reconnecting wait for the connection, or fail as disconnected after the request timeout',
    async () => {
      const server = await startTestServer();
      try {
        const client = makeClient(server.url, {
          requestTimeoutMs: 1_500,
          reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
        });
        await client.connect();
        await server.crash();
        await waitFor(() => client.state === 'reconnecting', 5_000, 'reconnecting');
        const waiting = client.getStats();
        setTimeout(() => void server.start(), 200);
        expect((await waiting).serverVersion).toMatch(/^0\.9/);

        await server.crash();
        await waitFor(() => client.state === 'reconnecting', 5_000, 'reconnecting again');
        const error = (await rejectionOf(client.getStats())) as IggyError;
        expect(error.kind).toBe('disconnected');
        expect(error.message).toContain('reconnecting');
      } finally {
        await server.stop();
      }
    },
  );

  it.skipIf(!inMemory)(
    'gives up after maxAttempts, and with reconnect disabled goes straight to idle',
    async () => {
      const server = await startTestServer();
      try {
        const limited = makeClient(server.url, {
          reconnect: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 },
        });
        const disabled = makeClient(server.url, { reconnect: { enabled: false } });
        const errors: (IggyError | undefined)[] = [];
        limited.onStateChange((s, e) => s === 'idle' && errors.push(e));
        await Promise.all([limited.connect(), disabled.connect()]);
        await server.crash();
        await waitFor(() => disabled.state === 'idle', 5_000, 'disabled idle');
        await waitFor(() => limited.state === 'idle', 5_000, 'limited idle');
        expect(errors[0]?.kind).toBe('connect');
        expect(((await rejectionOf(disabled.ping())) as IggyError).kind).toBe('disconnected');
        await server.start();
        await disabled.connect();
        await disabled.ping();
      } finally {
        await server.stop();
      }
    },
  );

  it.skipIf(!inMemory)(
    'close() during reconnecting stops the loop; calls after close fail as closed',
    async () => {
      const server = await startTestServer();
      try {
        const client = makeClient(server.url, { reconnect: { initialDelayMs: 20 } });
        const states: ConnectionState[] = [];
        client.onStateChange((s) => states.push(s));
        await client.connect();
        await server.crash();
        await waitFor(() => client.state === 'reconnecting', 5_000, 'reconnecting');
        await Promise.all([client.close(), client.close()]);
        await server.start();
        await new Promise((r) => setTimeout(r, 200));
        expect(client.state).toBe('closed');
        expect(states.at(-1)).toBe('closed');
        expect(server.connectionCount()).toBe(0);
        expect(((await rejectionOf(client.ping())) as IggyError).kind).toBe('closed');
        expect(((await rejectionOf(client.connect())) as IggyError).kind).toBe('closed');
      } finally {
        await server.stop();
      }
    },
  );
});

describe('evictions after login', () => {
  it.skipIf(!inMemory)(
    'an idle consumer-group member evicted with reason 13 reconnects on its own',
    async () => {
      const server = await startTestServer({ heartbeatIntervalMs: 100 });
      try {
        const client = makeClient(server.url, { pingIntervalMs: 0, reconnect: { initialDelayMs: 10 } });
        const seen: { state: ConnectionState; error?: IggyError }[] = [];
        client.onStateChange((state, error) => seen.push({ state, error }));
        await client.connect();
        const name = uniqueName('stale');
        await client.createStream(name);
        await client.createTopic({ streamId: name, name: 't', partitionsCount: 1 });
        await client.createConsumerGroup(name, 't', 'g');
        await client.joinConsumerGroup(name, 't', 'g');
        await waitFor(() => seen.some((s) => s.state === 'reconnecting'), 5_000, 'eviction');
        const evicted = seen.find((s) => s.state === 'reconnecting')!.error!;
        expect(evicted).toMatchObject({
          kind: 'eviction',
          evictionReason: 13,
          code: IggyErrorCode.StaleClient,
        });
        await waitFor(() => client.state === 'connected', 5_000, 'reconnected');
        await client.ping();
      } finally {
        await server.stop();
      }
    },
  );
});

describe('keep-alive and frame observer', () => {
  it('pings an idle connection on its own and reports the round trip', async () => {
    const client = makeClient(target.url, { pingIntervalMs: 30 });
    const pings: FrameEvent[] = [];
    client.onFrame((f) => f.commandCode === 1 && pings.push(f));
    await client.connect();
    await waitFor(() => client.lastRoundTripMs !== undefined, 5_000, 'keep-alive ping');
    expect(pings[0]).toMatchObject({
      direction: 'sent',
      command: 5,
      operation: 2,
      commandCode: 1,
      size: 256,
      bodyLength: 0,
    });
  });

  it('describes both directions and stops after unsubscribe', async () => {
    const client = makeClient(target.url, { pingIntervalMs: 0 });
    const frames: FrameEvent[] = [];
    const unsubscribe = client.onFrame((f) => frames.push(f));
    client.onFrame(() => {
      throw new Error('a broken observer must not break the client');
    });
    await client.connect();
    await client.getStream(uniqueName('none'));
    const [register, login, read, readReply] = frames;
    expect(register).toMatchObject({ direction: 'sent', command: 5, operation: 1, request: 0n, session: 0n });
    expect(login).toMatchObject({ direction: 'received', command: 8, operation: 1, status: 0 });
    expect(read).toMatchObject({ direction: 'sent', operation: 2, commandCode: 200, request: 1n });
    expect(read!.session).toBeGreaterThan(0n);
    expect(readReply).toMatchObject({ direction: 'received', command: 8, operation: 2 });
    expect(read!.atMs).toBeGreaterThan(0);
    unsubscribe();
    const count = frames.length;
    await client.ping();
    expect(frames.length).toBe(count);
  });
});

describe('client options', () => {
  it('rejects invalid options with invalid-argument errors', () => {
    const base = { host: 'localhost', port: 8090, username: 'u', password: 'p' };
    for (const bad of [
      { ...base, host: '' },
      { ...base, port: 0 },
      { ...base, port: 70000 },
      { ...base, username: '' },
      { ...base, password: '' },
      { ...base, requestTimeoutMs: -1 },
      { ...base, connectTimeoutMs: 0 },
      { ...base, pingIntervalMs: Number.NaN },
      { ...base, maxFrameBytes: 10 },
      { ...base, reconnect: { initialDelayMs: -5 } },
      { ...base, reconnect: { maxAttempts: -1 } },
    ]) {
      expect(() => new IggyClient(bad)).toThrow(IggyError);
    }
    expect(() => new IggyClient(undefined as never)).toThrow(IggyError);
    const client = new IggyClient({ ...base, host: '::1' });
    expect(client.address).toBe('[::1]:8090');
    expect(client.state).toBe('idle');
  });
});
