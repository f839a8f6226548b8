import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import { acquireIggy, uniqueName } from '../../support/harness';
import {
  BALANCED,
  RawConnection,
  buildBatch,
  decodePoll,
  login,
  pollBody,
  sendBody,
  strId,
} from './raw-client';

describe('test server kill/restart hooks', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('kill drops every connection; restart listens on the same port with streams, messages and offsets kept', async () => {
    const conn = await RawConnection.open(server.port);
    const s = await login(conn);
    await s.createStream('durable');
    await s.createTopic(strId('durable'), 't', 1);
    await s.partition(
      160,
      sendBody(
        strId('durable'),
        strId('t'),
        BALANCED,
        buildBatch([{ id: 5n, payload: Buffer.from('kept') }]),
      ),
    );
    const poll = pollBody({
      consumerId: strId('c'),
      stream: strId('durable'),
      topic: strId('t'),
      strategy: 5,
      count: 5,
      autoCommit: true,
    });
    await s.read(100, poll);
    expect(server.connectionCount()).toBe(1);
    const port = server.port;

    await server.kill();
    await conn.closedPromise;
    expect(server.connectionCount()).toBe(0);
    await expect(RawConnection.open(port)).rejects.toThrow();

    await server.restart();
    expect(server.port).toBe(port);
    const again = await RawConnection.open(port);
    const s2 = await login(again);
    const all = decodePoll(
      (await s2.read(100, pollBody({ stream: strId('durable'), topic: strId('t'), strategy: 3, count: 5 })))
        .body,
    );
    expect(all.messages.map((m) => m.payload)).toEqual(['kept']);
    // the consumer offset survived: Next has nothing new
    expect(decodePoll((await s2.read(100, poll)).body).count).toBe(0);
    again.close();
  });

  it.skipIf(Boolean(process.env.IGGY_TEST_URL))(
    'acquireIggy hands out the in-memory server with an iggy:// url and working hooks',
    async () => {
      const target = await acquireIggy();
      try {
        expect(target.real).toBe(false);
        expect(target.canKill).toBe(true);
        expect(target.url).toMatch(/^iggy:\/\/iggy:iggy@127\.0\.0\.1:\d+$/);
        expect(uniqueName('stream')).not.toBe(uniqueName('stream'));
      } finally {
        await target.close();
      }
    },
  );
});
