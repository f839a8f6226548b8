import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import { RawConnection, buildRequest, login, loginBody, nameBytes, numId, strId, u32 } from './raw-client';

// Logout (3) is left out: it would unbind the session and keep later cases from reaching deeper paths.
const OPERATIONS = [1, 2, 128, 129, 130, 131, 132, 134, 135, 136, 137, 139, 140, 148, 149, 160, 161, 162];
const READ_CODES = [1, 10, 12, 13, 20, 22, 39, 100, 102, 120, 200, 201, 300, 301, 600, 601, 606, 9999];

describe('test server under malformed bodies', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    const conn = await RawConnection.open(server.port);
    const s = await login(conn);
    await s.createStream('fuzz');
    await s.createTopic(strId('fuzz'), 't', 2);
    conn.close();
  });
  afterAll(() => server.stop());

  it('never crashes a handler and keeps answering, whatever the body of any operation', async () => {
    const conn = await RawConnection.open(server.port);
    const s = await login(conn);
    // Valid prefixes make the random tails reach deeper decoding paths.
    const prefixes = [
      Buffer.alloc(0),
      Buffer.concat([strId('fuzz'), strId('t')]),
      Buffer.concat([numId(0), u32(2), nameBytes('x')]),
      Buffer.concat([Buffer.from([1]), numId(1), strId('fuzz'), strId('t')]),
      loginBody('iggy', 'iggy').subarray(0, 20),
    ];
    let request = 100n;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPERATIONS),
        fc.constantFrom(...READ_CODES),
        fc.constantFrom(...prefixes),
        fc.uint8Array({ maxLength: 80 }),
        async (operation, code, prefix, tail) => {
          request += 1n;
          conn.write(
            buildRequest({
              operation,
              code: operation === 2 ? code : 0,
              client: s.client,
              session: operation === 1 ? 0n : s.session,
              request: operation === 1 ? 0n : request,
              body: Buffer.concat([prefix, Buffer.from(tail)]),
            }),
          );
          // Drain whatever came back (reply, eviction or nothing) before the next case.
          while (await conn.next(15)) {
            /* discard */
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(server.unexpectedErrors).toBe(0);
    conn.close();
    const probe = await RawConnection.open(server.port);
    expect(await probe.request({ operation: 2, code: 1, client: 9n })).toMatchObject({
      command: 8,
      status: 0,
    });
    probe.close();
  });
});
