import { describe, expect, it } from 'vitest';
import { IggyError } from '@/lib/iggy/errors';
import { COMMANDS, Commands, commandName } from '@/lib/iggy/wire/commands';
import { decodeClusterMetadata } from '@/lib/iggy/wire/commands/cluster';
import { hex } from './hex';

const ascii = (text: string) => Buffer.from(text, 'ascii').toString('hex');

/** One node entry, written out byte by byte: the layout of the read code 12 reply. */
function nodeHex(name: string, tcpLe: string, role: string, status: string): string {
  return [
    `${name.length.toString(16).padStart(2, '0')}000000`, // name_len u32
    ascii(name),
    '09000000', // ip_len u32
    ascii('127.0.0.1'),
    tcpLe, // tcp u16
    '901f', // quic u16 = 8080
    'b80b', // http u16 = 3000
    '9c1f', // websocket u16 = 8092
    role, // u8
    status, // u8
  ].join(' ');
}

const THREE_NODES = hex(
  [
    '0c000000', // cluster_name_len = 12
    ascii('demo-cluster'),
    '03000000', // node_count = 3
    nodeHex('node-0', 'aa46', '00', '00'), // 18090, leader, healthy
    nodeHex('node-1', 'ab46', '01', '00'), // 18091, follower, healthy
    nodeHex('node-2', 'ac46', '01', '00'), // 18092, follower, healthy
  ].join(' '),
);

const SINGLE_NODE = hex(
  ['0b000000', ascii('single-node'), '01000000', nodeHex('node-0', '9a1f', '00', '00')].join(' '),
);

function protocolFailure(bytes: Buffer, message: RegExp): void {
  try {
    decodeClusterMetadata(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(IggyError);
    expect((error as IggyError).kind).toBe('protocol');
    expect((error as IggyError).message).toMatch(message);
    return;
  }
  throw new Error('expected a protocol error');
}

describe('GetClusterMetadata (read code 12)', () => {
  it('is one row of the command table: a read with code 12 and an empty body', () => {
    const descriptor = Commands.cluster.getMetadata;
    expect(descriptor.kind).toEqual({ plane: 'read', code: 12 });
    expect(descriptor.encode(undefined)).toHaveLength(0);
    expect(COMMANDS.map((c) => c.name)).toContain('GetClusterMetadata');
    expect(commandName(2, 12)).toBe('GetClusterMetadata');
  });

  it('decodes a three-node cluster with node-0 as leader', () => {
    const metadata = decodeClusterMetadata(THREE_NODES);
    expect(metadata.name).toBe('demo-cluster');
    expect(metadata.nodes).toEqual([
      {
        name: 'node-0',
        ip: '127.0.0.1',
        tcpPort: 18090,
        quicPort: 8080,
        httpPort: 3000,
        websocketPort: 8092,
        address: '127.0.0.1:18090',
        role: 'leader',
        reportedStatus: 'healthy',
      },
      expect.objectContaining({ name: 'node-1', address: '127.0.0.1:18091', role: 'follower' }),
      expect.objectContaining({ name: 'node-2', address: '127.0.0.1:18092', role: 'follower' }),
    ]);
  });

  it('decodes a single node as the only leader', () => {
    expect(decodeClusterMetadata(SINGLE_NODE)).toEqual({
      name: 'single-node',
      nodes: [expect.objectContaining({ name: 'node-0', address: '127.0.0.1:8090', role: 'leader' })],
    });
  });

  it('reads each status byte, and an unknown one as unknown rather than failing', () => {
    const statuses = ['00', '01', '02', '03', '04', '09'].map(
      (status, i) =>
        decodeClusterMetadata(
          hex(['01000000', ascii('c'), '01000000', nodeHex(`n${i}`, 'aa46', '01', status)].join(' ')),
        ).nodes[0]?.reportedStatus,
    );
    expect(statuses).toEqual(['healthy', 'starting', 'stopping', 'unreachable', 'maintenance', 'unknown']);
  });

  it('writes an IPv6 node address in brackets', () => {
    const v6 = hex(
      [
        '01000000',
        ascii('c'),
        '01000000',
        '01000000',
        ascii('n'),
        '03000000',
        ascii('::1'),
        'aa46 0000 0000 0000 00 00',
      ].join(' '),
    );
    expect(decodeClusterMetadata(v6).nodes[0]?.address).toBe('[::1]:18090');
  });

  it('refuses a truncated reply at every length', () => {
    for (let length = 0; length < THREE_NODES.length; length++) {
      protocolFailure(THREE_NODES.subarray(0, length), /cluster metadata (is truncated|claims)/);
    }
  });

  it('refuses trailing bytes', () => {
    protocolFailure(Buffer.concat([SINGLE_NODE, Buffer.of(0)]), /1 unexpected trailing bytes/);
  });

  it('refuses an unknown role byte, naming the node', () => {
    const bad = hex(['01000000', ascii('c'), '01000000', nodeHex('node-7', 'aa46', '02', '00')].join(' '));
    protocolFailure(bad, /node 'node-7' has unknown role 2/);
  });

  it('refuses a node count the bytes cannot hold, before reading any node', () => {
    protocolFailure(hex(['01000000', ascii('c'), 'ffffffff'].join(' ')), /claims 4294967295 nodes/);
  });
});

describe('GetClusterMetadata on bytes a real cluster sent', () => {
  // The whole 119-byte reply of a three-node cluster of the 0.9.0-edge.5 build on loopback (QUIC, HTTP and
  // WebSocket turned off, so those ports read 0), captured the same from every node with node-0 leader.
  const REAL_REPLY = Buffer.from(
    '0c00000064656d6f2d636c757374657203000000060000006e6f64652d30090000003132372e302e302e31aa46000000000000' +
      '0000060000006e6f64652d31090000003132372e302e302e31ab460000000000000100060000006e6f64652d3209000000' +
      '3132372e302e302e31ac460000000000000100',
    'hex',
  );

  it('decodes the roster the server listed', () => {
    expect(REAL_REPLY.length).toBe(119);
    const metadata = decodeClusterMetadata(REAL_REPLY);
    expect(metadata.name).toBe('demo-cluster');
    expect(
      metadata.nodes.map((n) => [
        n.name,
        n.address,
        n.role,
        n.reportedStatus,
        n.quicPort,
        n.httpPort,
        n.websocketPort,
      ]),
    ).toEqual([
      ['node-0', '127.0.0.1:18090', 'leader', 'healthy', 0, 0, 0],
      ['node-1', '127.0.0.1:18091', 'follower', 'healthy', 0, 0, 0],
      ['node-2', '127.0.0.1:18092', 'follower', 'healthy', 0, 0, 0],
    ]);
  });
});
