import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import { RawConnection, type Session, buildRequest, login, nameBytes, randomClientId } from './raw-client';

/** How long "no reply" has to last before a test calls it a silent drop. */
const SILENCE_MS = 300;

describe('test server framing rules (docs/architecture.md#one-frame-format-a-256-byte-header)', () => {
  let server: TestServer;
  let conn: RawConnection;
  let session: Session;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());
  afterEach(() => conn?.close());

  async function fresh(): Promise<void> {
    conn = await RawConnection.open(server.port);
    session = await login(conn);
  }

  /** Sends the frame, asserts no reply, then proves the connection still works with a ping. */
  async function expectSilentDrop(frame: Buffer): Promise<void> {
    conn.write(frame);
    expect(await conn.next(SILENCE_MS)).toBeUndefined();
    const ping = await conn.request({ operation: 2, code: 1, client: session.client, request: 99n });
    expect(ping).toMatchObject({ command: 8, status: 0, request: 99n });
  }

  it('silently drops a frame whose command byte is not 5 (but within the defined range)', async () => {
    await fresh();
    await expectSilentDrop(buildRequest({ operation: 2, code: 1, client: session.client, command: 8 }));
  });

  it('closes the connection for a command byte above 29', async () => {
    await fresh();
    conn.write(buildRequest({ operation: 2, code: 1, client: session.client, command: 30 }));
    await conn.closedPromise;
    expect(conn.closed).toBe(true);
  });

  it('silently drops operation 0, an undefined operation, and client 0', async () => {
    await fresh();
    await expectSilentDrop(
      buildRequest({ operation: 0, client: session.client, session: session.session, request: 1n }),
    );
    await expectSilentDrop(
      buildRequest({ operation: 150, client: session.client, session: session.session, request: 1n }),
    );
    await expectSilentDrop(buildRequest({ operation: 2, code: 1, client: 0n }));
  });

  it('silently drops a register with a non-zero session or request', async () => {
    await fresh();
    const body = Buffer.from(
      '002c00000b6e6578746a732d64656d6f05302e312e300469676779046967677900000000',
      'hex',
    );
    await expectSilentDrop(buildRequest({ operation: 1, client: randomClientId(), session: 1n, body }));
    await expectSilentDrop(buildRequest({ operation: 1, client: randomClientId(), request: 1n, body }));
  });

  it('silently drops metadata and partition ops with session 0 or request 0', async () => {
    await fresh();
    await expectSilentDrop(
      buildRequest({
        operation: 128,
        client: session.client,
        session: 0n,
        request: 5n,
        body: nameBytes('s'),
      }),
    );
    await expectSilentDrop(
      buildRequest({
        operation: 128,
        client: session.client,
        session: session.session,
        request: 0n,
        body: nameBytes('s'),
      }),
    );
    await expectSilentDrop(
      buildRequest({ operation: 160, client: session.client, session: session.session, request: 0n }),
    );
  });

  it('closes the connection when size is below 256', async () => {
    conn = await RawConnection.open(server.port);
    conn.write(buildRequest({ operation: 2, code: 1, client: 1n, size: 255 }));
    await conn.closedPromise;
    expect(conn.closed).toBe(true);
  });

  it('closes the connection when size exceeds 64 MiB, without waiting for the body', async () => {
    conn = await RawConnection.open(server.port);
    conn.write(buildRequest({ operation: 2, code: 1, client: 1n, size: 64 * 1024 * 1024 + 1 }));
    await conn.closedPromise;
    expect(conn.closed).toBe(true);
  });

  it('denies a non-zero request_checksum that does not match the body with status 4, and accepts a correct one', async () => {
    await fresh();
    const bad = await session.metadata(128, nameBytes('checksummed'), { requestChecksum: 0x1234n });
    expect(bad).toMatchObject({ command: 8, status: 4, op: 0n, size: 256 });
    const good = await session.metadata(128, nameBytes('checksummed'), { requestChecksum: 'auto' });
    expect(good).toMatchObject({ command: 8, status: 0, operation: 128 });
    expect(good.body.readUInt32LE(0)).toBe(0);
  });

  it('evicts with reason 4 when a client sends an internal operation (64..68)', async () => {
    await fresh();
    const reply = await session.metadata(64, Buffer.alloc(0));
    expect(reply).toMatchObject({ command: 13, size: 256, reason: 4 });
  });

  it('reassembles frames split across TCP writes and handles two frames in one write', async () => {
    await fresh();
    const a = buildRequest({ operation: 2, code: 1, client: session.client, request: 1n });
    const b = buildRequest({ operation: 2, code: 1, client: session.client, request: 2n });
    const both = Buffer.concat([a, b]);
    conn.write(both.subarray(0, 100));
    await new Promise((r) => setTimeout(r, 20));
    conn.write(both.subarray(100));
    expect((await conn.next())?.request).toBe(1n);
    expect((await conn.next())?.request).toBe(2n);
  });

  it('dropNextRequests(n) swallows exactly the next n requests', async () => {
    await fresh();
    server.dropNextRequests(2);
    conn.write(buildRequest({ operation: 2, code: 1, client: session.client, request: 1n }));
    conn.write(buildRequest({ operation: 2, code: 1, client: session.client, request: 2n }));
    expect(await conn.next(SILENCE_MS)).toBeUndefined();
    const reply = await conn.request({ operation: 2, code: 1, client: session.client, request: 3n });
    expect(reply.request).toBe(3n);
  });
});
