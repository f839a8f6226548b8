/**
 * GetClusterMetadata (read code 12, empty body, needs a login): the cluster's name and its nodes with their
 * client ports, role and configured status (docs/architecture.md#the-cluster-aware-connection). A single node
 * answers one node, the leader. The status byte comes from configuration, not from a health check: a dead node
 * may read healthy, so the client judges reachability itself.
 */

import { protocolError } from '../../errors';
import { formatAddress } from '../../url';
import { BinaryReader } from '../binary';
import { ReadCode } from '../constants';
import { command, noBody, read } from './command';

export type ClusterNodeRole = 'leader' | 'follower';
export type ClusterNodeReportedStatus =
  'healthy' | 'starting' | 'stopping' | 'unreachable' | 'maintenance' | 'unknown';

export interface ClusterNode {
  name: string;
  /** As the metadata lists it (a literal IP in the configurations seen). */
  ip: string;
  /** Client TCP port. */
  tcpPort: number;
  quicPort: number;
  httpPort: number;
  websocketPort: number;
  /** `ip:tcpPort` (IPv6 in brackets): where a client connects. */
  address: string;
  role: ClusterNodeRole;
  /** Filled from configuration by the server: a dead node may still read healthy. */
  reportedStatus: ClusterNodeReportedStatus;
}

export interface ClusterMetadata {
  name: string;
  nodes: ClusterNode[];
}

const ROLES: Record<number, ClusterNodeRole> = { 0: 'leader', 1: 'follower' };
const STATUSES: Record<number, ClusterNodeReportedStatus> = {
  0: 'healthy',
  1: 'starting',
  2: 'stopping',
  3: 'unreachable',
  4: 'maintenance',
};

/** Smallest node entry: empty name (4), empty ip (4), four ports (8), role (1), status (1). */
const MIN_NODE_BYTES = 18;

/**
 * `[name_len u32][name][node_count u32]`, then per node
 * `[name_len u32][name][ip_len u32][ip][tcp u16][quic u16][http u16][websocket u16][role u8][status u8]`.
 * A truncated reply, trailing bytes or a role other than 0/1 is a protocol error; an unknown status byte reads
 * `unknown` (it is informational only).
 */
export function decodeClusterMetadata(payload: Buffer): ClusterMetadata {
  const r = new BinaryReader(payload, 'cluster metadata');
  const name = r.string32();
  const count = r.u32();
  if (count * MIN_NODE_BYTES > r.remaining)
    throw protocolError(`cluster metadata claims ${count} nodes with ${r.remaining} bytes left`);
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < count; i++) {
    const nodeName = r.string32();
    const ip = r.string32();
    const tcpPort = u16(r);
    const quicPort = u16(r);
    const httpPort = u16(r);
    const websocketPort = u16(r);
    const roleCode = r.u8();
    const role = ROLES[roleCode];
    if (!role) throw protocolError(`cluster metadata: node '${nodeName}' has unknown role ${roleCode}`);
    const reportedStatus = STATUSES[r.u8()] ?? 'unknown';
    nodes.push({
      name: nodeName,
      ip,
      tcpPort,
      quicPort,
      httpPort,
      websocketPort,
      address: formatAddress(ip, tcpPort),
      role,
      reportedStatus,
    });
  }
  r.expectEnd();
  return { name, nodes };
}

function u16(r: BinaryReader): number {
  const bytes = r.bytes(2);
  return bytes.readUInt16LE(0);
}

export const clusterCommands = {
  getMetadata: command({
    name: 'GetClusterMetadata',
    kind: read(ReadCode.GetClusterMetadata),
    encode: noBody,
    decode: decodeClusterMetadata,
  }),
};
