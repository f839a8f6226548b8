/**
 * What the cluster client remembers about the cluster: the seed list it was given and the nodes the latest
 * metadata listed, and in which order to try them when it looks for the primary
 * (docs/architecture.md#the-cluster-aware-connection).
 */

import type { ClusterMetadata, ClusterNode } from '../wire/commands/cluster';
import { formatAddress } from '../url';

/** A place to dial: host and port, and the "host:port" form used as its key. */
export interface NodeAddress {
  host: string;
  port: number;
  address: string;
}

/** A node as events name it: its metadata name (or its address when no metadata names it). */
export interface NodeRef {
  name: string;
  address: string;
}

export function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function nodeAddress(node: ClusterNode): NodeAddress {
  // `address` may have been mapped to a seed (dialableMetadata): dial what it says, not the listed ip.
  const listed = formatAddress(node.ip, node.tcpPort);
  if (sameAddress(node.address, listed)) return { host: node.ip, port: node.tcpPort, address: listed };
  const colon = node.address.lastIndexOf(':');
  const host = node.address.slice(0, colon).replace(/^\[|\]$/g, '');
  return { host, port: node.tcpPort, address: node.address };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/**
 * The metadata with every node at an address this machine can dial. A node lists the address its own
 * configuration names; for a cluster in containers on this machine that is a container address, reachable only
 * through the client port published on loopback (docs/troubleshooting.md#the-roster-lists-an-address-the-app-cannot-reach).
 * So when every seed is a loopback address, a node listed at another host is dialled at the one seed with its
 * client port. Anything else is left as listed: a remote seed list says the listed hosts are meant to be dialled.
 */
export function dialableMetadata(metadata: ClusterMetadata, seeds: readonly NodeAddress[]): ClusterMetadata {
  if (seeds.length === 0 || !seeds.every((seed) => LOOPBACK.test(seed.host))) return metadata;
  let changed = false;
  const nodes = metadata.nodes.map((node) => {
    if (LOOPBACK.test(node.ip)) return node;
    const samePort = seeds.filter((seed) => seed.port === node.tcpPort);
    if (samePort.length !== 1) return node;
    changed = true;
    return { ...node, address: samePort[0]!.address };
  });
  return changed ? { ...metadata, nodes } : metadata;
}

export class Roster {
  readonly seeds: readonly NodeAddress[];
  #metadata: ClusterMetadata | undefined;
  #version = 0;
  /** When each address last failed to connect (ms on the roster's clock); cleared by a success. */
  readonly #failedAt = new Map<string, number>();

  constructor(seeds: readonly NodeAddress[]) {
    if (seeds.length === 0) throw new RangeError('a roster needs at least one seed');
    this.seeds = seeds;
  }

  /** Counts the updates that changed something: a listener compares it to know whether to announce. */
  get version(): number {
    return this.#version;
  }

  get metadata(): ClusterMetadata | undefined {
    return this.#metadata;
  }

  get nodes(): readonly ClusterNode[] {
    return this.#metadata?.nodes ?? [];
  }

  /** More than one node: only then does the client look for a primary, move, and report failovers. */
  get isCluster(): boolean {
    return this.nodes.length > 1;
  }

  leader(): ClusterNode | undefined {
    return this.nodes.find((n) => n.role === 'leader');
  }

  nodeAt(address: string): ClusterNode | undefined {
    return this.nodes.find((n) => sameAddress(n.address, address));
  }

  /** The node's metadata name, or its address when the roster does not list it. */
  refOf(address: string): NodeRef {
    return { name: this.nodeAt(address)?.name ?? address, address };
  }

  /** Keeps the newest metadata; true when the node list or a role changed. */
  update(metadata: ClusterMetadata): boolean {
    const before = this.#metadata;
    this.#metadata = metadata;
    const changed =
      !before ||
      before.name !== metadata.name ||
      before.nodes.length !== metadata.nodes.length ||
      metadata.nodes.some((node, i) => {
        const old = before.nodes[i]!;
        return old.name !== node.name || old.address !== node.address || old.role !== node.role;
      });
    if (changed) this.#version += 1;
    return changed;
  }

  noteFailure(address: string, atMs: number): void {
    this.#failedAt.set(address.toLowerCase(), atMs);
  }

  noteSuccess(address: string): void {
    this.#failedAt.delete(address.toLowerCase());
  }

  /**
   * Where to look for the primary, each address once: the leader the metadata names, the other listed nodes,
   * then the seeds the metadata does not list. Within that order, nodes that failed to connect go last (the
   * longest-failed first), and `last` (the primary just lost) goes at the very end.
   */
  candidates(last?: string): NodeAddress[] {
    const ordered: NodeAddress[] = [];
    const seen = new Set<string>();
    const add = (entry: NodeAddress) => {
      const key = entry.address.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      ordered.push(entry);
    };
    const leader = this.leader();
    if (leader) add(nodeAddress(leader));
    for (const node of this.nodes) add(nodeAddress(node));
    for (const seed of this.seeds) add(seed);
    const rank = (entry: NodeAddress): number => {
      if (last && sameAddress(entry.address, last)) return Infinity;
      return this.#failedAt.get(entry.address.toLowerCase()) ?? -Infinity;
    };
    // A stable sort keeps the preferred order among nodes that never failed.
    return ordered
      .map((entry, index) => ({ entry, index, rank: rank(entry) }))
      .sort((a, b) => (a.rank === b.rank ? a.index - b.index : a.rank < b.rank ? -1 : 1))
      .map((x) => x.entry);
  }
}
