import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../support';
import { RawConnection, type Session, login } from './raw-client';

/** DescribeOptions (read code 13), docs/architecture.md#topic-options-on-the-wire, decoded by hand from the documented layout. */

interface Entry {
  key: string;
  kind: number;
  value: Buffer;
  description: string;
}

function decodeCatalog(body: Buffer): Entry[] {
  const count = body.readUInt32LE(0);
  const entries: Entry[] = [];
  let position = 4;
  for (let i = 0; i < count; i += 1) {
    const keyLength = body.readUInt8(position);
    const key = body.subarray(position + 1, position + 1 + keyLength).toString('utf8');
    position += 1 + keyLength;
    const kind = body.readUInt8(position);
    const valueLength = body.readUInt32LE(position + 1);
    const value = body.subarray(position + 5, position + 5 + valueLength);
    position += 5 + valueLength;
    const descriptionLength = body.readUInt32LE(position);
    const description = body.subarray(position + 4, position + 4 + descriptionLength).toString('utf8');
    position += 4 + descriptionLength;
    entries.push({ key, kind, value, description });
  }
  expect(position).toBe(body.length);
  return entries;
}

const u64Hex = (value: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return b.toString('hex');
};

async function serverSession(flavor: 'release' | 'edge') {
  const server = await startTestServer({ topicOptionsFlavor: flavor });
  const conn = await RawConnection.open(server.port);
  return { server, conn, s: await login(conn) };
}

describe('test server DescribeOptions (read code 13)', () => {
  let release: { server: TestServer; conn: RawConnection; s: Session };
  let edge: { server: TestServer; conn: RawConnection; s: Session };

  beforeAll(async () => {
    release = await serverSession('release');
    edge = await serverSession('edge');
  });
  afterAll(async () => {
    for (const { conn, server } of [release, edge]) {
      conn.close();
      await server.stop();
    }
  });

  it('lays out the first topic entry byte by byte: key, kind, default, description', async () => {
    const reply = await release.s.read(13, Buffer.from([1]));
    expect(reply.status).toBe(0);
    const body = reply.body;
    expect(body.readUInt32LE(0)).toBe(9);
    // [key WireName] = 0x15 "compression_algorithm", [kind 2 = String][length 4]["none"]
    expect(body.subarray(4, 4 + 1 + 21 + 1 + 4 + 4).toString('hex')).toBe(
      '15' +
        Buffer.from('compression_algorithm').toString('hex') +
        '02' +
        '04000000' +
        Buffer.from('none').toString('hex'),
    );
    const descriptionLength = body.readUInt32LE(35);
    expect(descriptionLength).toBeGreaterThan(0);
    expect(body.readUInt8(39 + descriptionLength)).toBe('message_expiry'.length);
  });

  it('release: the released 0.9.0 catalog with its defaults, durability keys instead of enforce_fsync', async () => {
    const entries = decodeCatalog((await release.s.read(13, Buffer.from([1]))).body);
    expect(entries.map((e) => [e.key, e.kind, e.value.toString('hex')])).toEqual([
      ['compression_algorithm', 2, Buffer.from('none').toString('hex')],
      ['message_expiry', 12, 'ffffffffffffffff'],
      ['max_topic_size', 12, 'ffffffffffffffff'],
      ['segment_size', 12, u64Hex(1073741824n)],
      ['messages_required_to_save', 11, '00040000'],
      ['size_of_messages_required_to_save', 12, u64Hex(1048576n)],
      ['preallocate_segments', 3, '00'],
      ['durability', 2, Buffer.from('replicated').toString('hex')],
      ['consumer_offset_durability', 2, Buffer.from('replicated').toString('hex')],
    ]);
    expect(entries.every((e) => e.description.length > 10)).toBe(true);
  });

  it('edge: lists enforce_fsync (bool false) where the edge build had it, and no durability keys', async () => {
    const keys = decodeCatalog((await edge.s.read(13, Buffer.from([1]))).body);
    expect(keys.map((e) => e.key)).toEqual([
      'compression_algorithm',
      'message_expiry',
      'max_topic_size',
      'segment_size',
      'enforce_fsync',
      'messages_required_to_save',
      'size_of_messages_required_to_save',
      'preallocate_segments',
    ]);
    expect(keys[4]).toMatchObject({ kind: 3, value: Buffer.from([0]) });
  });

  it('stream and user scopes have an empty catalog; any other scope or body shape is refused with status 3', async () => {
    for (const scope of [2, 3]) {
      const reply = await release.s.read(13, Buffer.from([scope]));
      expect(reply.status).toBe(0);
      expect(reply.body.toString('hex')).toBe('00000000');
    }
    for (const body of [
      Buffer.from([0]),
      Buffer.from([4]),
      Buffer.from([255]),
      Buffer.alloc(0),
      Buffer.from([1, 0]),
    ]) {
      expect(await release.s.read(13, body)).toMatchObject({ status: 3, size: 256 });
    }
  });

  it('needs a login like every other read (status 40)', async () => {
    const conn = await RawConnection.open(release.server.port);
    try {
      expect(
        await conn.request({ operation: 2, code: 13, client: 7n, body: Buffer.from([1]) }),
      ).toMatchObject({
        status: 40,
      });
    } finally {
      conn.close();
    }
  });
});
