import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCluster, startTestCluster, startTestServer } from '../../support';
import {
  RawConnection,
  type Session,
  buildBatch,
  decodePoll,
  login,
  loginBody,
  nameBytes,
  partitionIdPartitioning,
  pollBody,
  randomClientId,
  sendBody,
  sendOne,
  strId,
  u32,
  u64,
} from './raw-client';

/**
 * The test cluster over the wire (docs/iggy-concepts.md#replication-and-clusters), with a raw client and a
 * metadata decoder written here, independent of the server's codec.
 */

const HEARTBEAT_TIMEOUT_MS = 1000;
const ELECTION_DELAY_MS = 250;
const STREAM = strId('orders');
const TOPIC = strId('created');
const P0 = partitionIdPartitioning(0);

interface MetadataNode {
  name: string;
  ip: string;
  ports: [tcp: number, quic: number, http: number, websocket: number];
  role: number;
  status: number;
}

/** `[len u32][name][count u32]` then per node `[len][name][len][ip][tcp u16][quic][http][ws][role u8][status u8]`. */
function decodeMetadata(body: Buffer): { cluster: string; nodes: MetadataNode[] } {
  let at = 0;
  const text = () => {
    const length = body.readUInt32LE(at);
    const value = body.subarray(at + 4, at + 4 + length).toString('utf8');
    at += 4 + length;
    return value;
  };
  const cluster = text();
  const count = body.readUInt32LE(at);
  at += 4;
  const nodes: MetadataNode[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = text();
    const ip = text();
    const ports: MetadataNode['ports'] = [
      body.readUInt16LE(at),
      body.readUInt16LE(at + 2),
      body.readUInt16LE(at + 4),
      body.readUInt16LE(at + 6),
    ];
    nodes.push({ name, ip, ports, role: body.readUInt8(at + 8), status: body.readUInt8(at + 9) });
    at += 10;
  }
  expect(at).toBe(body.length);
  return { cluster, nodes };
}

async function metadataOf(session: Session) {
  const reply = await session.read(12);
  expect(reply.status).toBe(0);
  return { raw: reply.body, ...decodeMetadata(reply.body) };
}

function pollAll(session: Session, count = 1000) {
  return session.read(
    100,
    pollBody({ stream: STREAM, topic: TOPIC, partition: 0, strategy: 1, value: 0n, count }),
  );
}

async function offsetsSeenBy(session: Session): Promise<bigint[]> {
  const reply = await pollAll(session);
  expect(reply.status).toBe(0);
  return decodePoll(reply.body).messages.map((m) => m.offset);
}

function sendFrame(session: Session, payload: string) {
  return session.partition(
    160,
    sendBody(STREAM, TOPIC, P0, buildBatch([{ id: 1n, payload: Buffer.from(payload) }])),
  );
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => BigInt(from + i));

describe('single node: cluster metadata (read code 12)', () => {
  it('answers one healthy leader `iggy-node` at its own port, in cluster `single-node`, as the real one', async () => {
    const server = await startTestServer();
    try {
      const conn = await RawConnection.open(server.port);
      const metadata = await metadataOf(await login(conn));
      expect(metadata.cluster).toBe('single-node');
      expect(metadata.nodes).toHaveLength(1);
      expect(metadata.nodes[0]).toEqual({
        name: 'iggy-node',
        ip: '127.0.0.1',
        ports: [server.port, 8080, 3000, 8092],
        role: 0,
        status: 0,
      });
      conn.close();
    } finally {
      await server.stop();
    }
  });
});

describe('test cluster: three nodes, one primary, failover', () => {
  let cluster: TestCluster;
  const connections: RawConnection[] = [];
  const sessions: (Session | undefined)[] = [];

  async function sessionOn(index: number): Promise<Session> {
    const conn = await RawConnection.open(cluster.nodes[index]!.port);
    connections.push(conn);
    const session = await login(conn);
    sessions[index] = session;
    return session;
  }

  /** Sends on `session` until one is accepted; every refusal before must be 58. Returns the accepted reply. */
  async function sendUntilAccepted(session: Session, payload: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await sendFrame(session, payload);
      if (reply.status === 0) return reply;
      expect(reply.status).toBe(58);
      if (Date.now() > deadline) throw new Error(`no primary took the send within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  beforeAll(async () => {
    cluster = await startTestCluster({
      nodes: 3,
      heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      electionDelayMs: ELECTION_DELAY_MS,
      // No broadcast within a test: a follower stays exactly one commit behind until the next commit.
      commitBroadcastIntervalMs: 600_000,
    });
    for (let i = 0; i < 3; i += 1) await sessionOn(i);
  });

  afterAll(async () => {
    for (const conn of connections) conn.close();
    await cluster?.stop();
  });

  it('every node answers the same metadata: demo-cluster, node-0 leader, the configured client ports', async () => {
    const replies = [];
    for (const session of sessions) replies.push(await metadataOf(session!));
    for (const reply of replies) expect(reply.raw.equals(replies[0]!.raw)).toBe(true);
    expect(replies[0]!.cluster).toBe('demo-cluster');
    expect(replies[0]!.nodes).toEqual(
      cluster.nodes.map((node, i) => ({
        name: `node-${i}`,
        ip: '127.0.0.1',
        ports: [node.port, 0, 0, 0],
        role: i === 0 ? 0 : 1,
        status: 0,
      })),
    );
    expect(cluster.url).toBe(`iggy://iggy:iggy@${cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`);
  });

  it('a follower refuses writes: create stream as a committed result 58, a send with status 58', async () => {
    const primary = sessions[0]!;
    const follower = sessions[1]!;
    expect((await primary.createStream('orders')) >= 0).toBe(true);
    const topic = await primary.createTopic(STREAM, 'created', 1);
    expect(topic.status).toBe(0);

    const create = await follower.metadata(128, nameBytes('from-a-follower'));
    expect(create.status).toBe(0);
    expect([...create.body]).toEqual([...u32(1), ...u32(0), ...u32(58)]);
    // Nothing was created: the primary does not know the name.
    const lookup = await primary.read(200, strId('from-a-follower'));
    expect(lookup.body.length).toBe(0);

    // The topic is the newest metadata commit: the follower does not know it yet (20), until the next commit.
    expect((await sendFrame(follower, 'no')).status).toBe(20);
    expect(await primary.createStream('next-commit')).toBeGreaterThanOrEqual(0);
    expect((await sendFrame(follower, 'no')).status).toBe(58);
    const store = await follower.partition(
      161,
      Buffer.concat([
        Buffer.from([1, 1, 4]),
        u32(1),
        STREAM,
        TOPIC,
        Buffer.from([1]),
        u32(0),
        u64(0n),
        Buffer.from([0]),
      ]),
    );
    expect(store.status).toBe(58);
    // A stream the follower does not know: 20, not 58.
    const unknown = await follower.partition(
      160,
      sendBody(strId('no-such-stream'), TOPIC, P0, buildBatch([{ id: 1n, payload: Buffer.from('x') }])),
    );
    expect(unknown.status).toBe(20);
  });

  it('a follower reads one commit behind: 50 acknowledged sends, it polls 49; the next send shows the 50th', async () => {
    const primary = sessions[0]!;
    for (let i = 0; i < 50; i += 1)
      expect(await sendOne(primary, STREAM, TOPIC, P0, `m${i}`)).toBe(BigInt(i));
    expect(await offsetsSeenBy(primary)).toEqual(range(0, 50));
    expect(await offsetsSeenBy(sessions[1]!)).toEqual(range(0, 49));
    expect(await offsetsSeenBy(sessions[2]!)).toEqual(range(0, 49));
    // A follower's poll with auto-commit is kept by that follower alone: the primary and node-2 have nothing.
    const autoCommit = await sessions[1]!.read(
      100,
      pollBody({
        stream: STREAM,
        topic: TOPIC,
        partition: 0,
        strategy: 1,
        value: 0n,
        count: 5,
        autoCommit: true,
      }),
    );
    expect(decodePoll(autoCommit.body).messages).toHaveLength(5);
    const consumerOffset = Buffer.concat([
      Buffer.from([1, 1, 4]),
      u32(1),
      STREAM,
      TOPIC,
      Buffer.from([1]),
      u32(0),
    ]);
    expect((await primary.read(120, consumerOffset)).body.length).toBe(0);
    expect((await sessions[2]!.read(120, consumerOffset)).body.length).toBe(0);
    const own = (await sessions[1]!.read(120, consumerOffset)).body;
    expect([own.readUInt32LE(0), own.readBigUInt64LE(12)]).toEqual([0, 4n]);
  });

  it('one primary for metadata and partitions: the routing codes of the release, 14, 103, 104, 123 answer status 3', async () => {
    for (const code of [14, 103, 104, 123]) {
      expect((await sessions[0]!.read(code)).status).toBe(3);
      expect((await sessions[1]!.read(code)).status).toBe(3);
    }
  });

  it('logins are accepted on a follower, and a login there gives a session that reads', async () => {
    const conn = await RawConnection.open(cluster.nodes[2]!.port);
    connections.push(conn);
    const session = await login(conn);
    expect((await session.read(1)).status).toBe(0);
    expect((await metadataOf(session)).nodes[0]!.role).toBe(0);
  });

  it('kill the primary: its sockets reset, writes answer 58 until the heartbeat timeout, then node-1 has all 50', async () => {
    const killed = connections[0]!;
    const killedAt = Date.now();
    await cluster.kill(0);
    await killed.closedPromise;
    expect(await killed.next(100)).toBeUndefined(); // no eviction frame
    await expect(RawConnection.open(cluster.nodes[0]!.port)).rejects.toThrow();
    expect(cluster.writablePrimary()).toBeUndefined();

    const accepted = await sendUntilAccepted(sessions[1]!, 'after-failover');
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(HEARTBEAT_TIMEOUT_MS + ELECTION_DELAY_MS - 5);
    expect(accepted.body.readBigUInt64LE(16)).toBe(50n);
    expect(await offsetsSeenBy(sessions[1]!)).toEqual(range(0, 51));
    // node-2 is one behind, as followers are.
    expect(await offsetsSeenBy(sessions[2]!)).toEqual(range(0, 50));
    expect(cluster.primaryIndex()).toBe(1);
    const metadata = await metadataOf(sessions[2]!);
    expect(metadata.nodes.map((n) => [n.role, n.status])).toEqual([
      [1, 0], // node-0: follower, and healthy: status comes from configuration, not liveness
      [0, 0],
      [1, 0],
    ]);
    // The new primary takes metadata writes too.
    expect(await sessions[1]!.createStream('after-failover')).toBeGreaterThanOrEqual(0);
  });

  it('restart node-0: it listens on its port again, needs a new login, rejoins as a follower', async () => {
    await cluster.restart(0);
    const session = await sessionOn(0);
    const metadata = await metadataOf(session);
    expect(metadata.nodes.map((n) => n.role)).toEqual([1, 0, 1]);
    expect((await sendFrame(session, 'to-a-follower')).status).toBe(58);
    expect(await offsetsSeenBy(session)).toEqual(range(0, 50));
  });

  it('a second failover: kill node-1, node-2 takes over with every acknowledged message', async () => {
    await sendOne(sessions[1]!, STREAM, TOPIC, P0, 'before-second'); // offset 51
    await cluster.kill(1);
    const accepted = await sendUntilAccepted(sessions[2]!, 'after-second');
    expect(accepted.body.readBigUInt64LE(16)).toBe(52n);
    expect(cluster.primaryIndex()).toBe(2);
    expect(await offsetsSeenBy(sessions[2]!)).toEqual(range(0, 53));
    expect((await metadataOf(sessions[0]!)).nodes.map((n) => n.role)).toEqual([1, 1, 0]);
  });

  it('a primary without a quorum leaves writes and logins unanswered; reads go on; a restart brings the quorum back', async () => {
    await cluster.kill(0); // node-1 is dead already: only node-2 is left
    expect(cluster.writablePrimary()).toBeUndefined();
    expect(cluster.primaryIndex()).toBe(2);
    const alone = sessions[2]!;
    alone.write({
      operation: 160,
      body: sendBody(STREAM, TOPIC, P0, buildBatch([{ id: 1n, payload: Buffer.from('alone') }])),
    });
    expect(await alone.conn.next(300)).toBeUndefined();
    const newcomer = await RawConnection.open(cluster.nodes[2]!.port);
    connections.push(newcomer);
    await expect(login(newcomer)).rejects.toThrow(/no reply/);
    expect((await alone.read(1)).status).toBe(0);
    expect(await offsetsSeenBy(alone)).toEqual(range(0, 53));
    await cluster.restart(1);
    expect(cluster.writablePrimary()).toBe(2);
    expect((await sendFrame(sessions[2]!, 'quorum-again')).status).toBe(0);
    expect(cluster.unexpectedErrors).toBe(0);
  });

  it('with the primary and one more node dead, a login on the follower left answers 58; a restart lets it in', async () => {
    // node-0 is still dead from the test above; node-2 is the primary.
    await cluster.kill(2);
    expect(cluster.writablePrimary()).toBeUndefined();
    const survivor = await RawConnection.open(cluster.nodes[1]!.port);
    connections.push(survivor);
    const refused = await survivor.request({
      operation: 1,
      client: randomClientId(),
      body: loginBody('iggy', 'iggy'),
      requestChecksum: 'auto',
    });
    expect(refused.command).toBe(8);
    expect(refused.status).toBe(58);
    await cluster.restart(0);
    await expect(login(survivor)).resolves.toBeDefined();
    expect(cluster.unexpectedErrors).toBe(0);
  });
});
