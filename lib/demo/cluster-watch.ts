/**
 * The cluster as the demo reports it (docs/architecture.md#the-cluster-aware-connection): the roster from the
 * loops' cluster-aware clients, which loop works on which node, whether each node answers (the metadata's status
 * byte cannot tell), and the failovers of this run. Reports nothing while the roster lists one node.
 */

import {
  probeTcp,
  type ClusterEvent,
  type ClusterNode,
  type ClusterSnapshot,
  type NodeRef,
} from '@/lib/iggy';
import type { ClusterNodeStatus, ClusterStatus, FailoverEvent } from './types';

/** Failovers kept for /api/status. */
export const MAX_RECENT_FAILOVERS = 20;
/** A bare TCP connect per node this often while a cluster is known, each bounded by PROBE_TIMEOUT_MS. */
export const PROBE_INTERVAL_MS = 3_000;
export const PROBE_TIMEOUT_MS = 1_000;

export type LoopName = 'producer' | 'consumer';

export interface WatchedClient {
  readonly cluster: ClusterSnapshot | undefined;
  readonly state: string;
  onClusterChange(listener: (event: ClusterEvent) => void): () => void;
}

export interface ClusterWatchOptions {
  clients: Record<LoopName, WatchedClient>;
  /** The newest `seq` the consumer handed on: a failover's divider goes after it. */
  latestSeq: () => number;
  onFailover: (failover: FailoverEvent) => void;
  onChange: () => void;
  now?: () => number;
  probe?: (host: string, port: number, timeoutMs: number) => Promise<boolean>;
  probeIntervalMs?: number;
}

export class ClusterWatch {
  readonly #o: ClusterWatchOptions;
  readonly #now: () => number;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #reachable = new Map<string, boolean>();
  readonly #failovers: FailoverEvent[] = [];
  #roster: { name: string; nodes: ClusterNode[] } | undefined;
  #nextId = 1;
  #probeTimer: ReturnType<typeof setInterval> | undefined;
  #probing = false;
  #stopped = false;

  constructor(options: ClusterWatchOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    for (const client of Object.values(options.clients))
      this.#unsubscribe.push(client.onClusterChange((event) => this.#onEvent(event)));
  }

  /** The status section, or undefined unless the roster lists more than one node. */
  status(): ClusterStatus | undefined {
    const roster = this.#currentRoster();
    if (!roster || roster.nodes.length <= 1) return undefined;
    const primaries = (Object.entries(this.#o.clients) as [LoopName, WatchedClient][]).map(
      ([loop, client]) => ({
        loop,
        primary: client.state === 'connected' ? client.cluster?.primary : undefined,
      }),
    );
    const nodes: ClusterNodeStatus[] = roster.nodes.map((node) => ({
      name: node.name,
      address: node.address,
      role: node.role,
      reportedStatus: node.reportedStatus,
      reachable: this.#reachable.get(node.address) ?? null,
      usedBy: primaries.filter((p) => p.primary?.address === node.address).map((p) => p.loop),
    }));
    const status: ClusterStatus = {
      name: roster.name,
      nodes,
      failovers: this.#failovers.map((f) => ({ ...f })),
    };
    // While a failover has no new primary yet, the roster's last word names the dead node: name none.
    const electing = this.#failovers.some((f) => f.recoveredAt === undefined);
    const primary =
      primaries.find((p) => p.loop === 'producer')?.primary ??
      primaries.find((p) => p.loop === 'consumer')?.primary ??
      (electing ? undefined : roster.nodes.find((n) => n.role === 'leader'));
    if (primary) status.primary = primary.name;
    return status;
  }

  /** The producer lost a send's reply: count it on the failover under way (or the latest one). */
  noteUnknownOutcome(count = 1): void {
    const failover =
      [...this.#failovers].reverse().find((f) => f.recoveredAt === undefined) ?? this.#failovers.at(-1);
    if (!failover) return;
    failover.unknownOutcomeSends += count;
    this.#o.onFailover({ ...failover });
    this.#o.onChange();
  }

  stop(): void {
    this.#stopped = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    if (this.#probeTimer) clearInterval(this.#probeTimer);
    this.#probeTimer = undefined;
  }

  #currentRoster(): { name: string; nodes: ClusterNode[] } | undefined {
    if (this.#roster) return this.#roster;
    const known = this.#o.clients.producer.cluster ?? this.#o.clients.consumer.cluster;
    return known ? { name: known.name, nodes: known.nodes } : undefined;
  }

  #onEvent(event: ClusterEvent): void {
    if (this.#stopped) return;
    switch (event.type) {
      case 'roster':
        this.#roster = { name: event.cluster, nodes: event.nodes };
        this.#updateProbing();
        break;
      case 'primary-lost':
        this.#primaryLost(event.primary, event.atMs);
        this.#updateProbing();
        break;
      case 'primary-changed':
        if (event.lostAtMs !== undefined && event.previous) this.#primaryFound(event.previous, event.primary);
        break;
      case 'primary-search-failed':
        break;
    }
    this.#o.onChange();
  }

  #primaryLost(node: NodeRef, atMs: number): void {
    // Both loops lose the same primary: one failover, whoever notices first.
    const open = this.#failovers.find(
      (f) => f.recoveredAt === undefined && f.lostPrimary.address === node.address,
    );
    // A dead node is known unreachable without waiting for the next probe.
    this.#reachable.set(node.address, false);
    if (open) return;
    const failover: FailoverEvent = {
      id: this.#nextId++,
      lostPrimary: { name: node.name, address: node.address },
      lostAt: new Date(atMs).toISOString(),
      unknownOutcomeSends: 0,
      afterSeq: this.#o.latestSeq(),
    };
    this.#failovers.push(failover);
    while (this.#failovers.length > MAX_RECENT_FAILOVERS) this.#failovers.shift();
    this.#o.onFailover({ ...failover });
  }

  #primaryFound(lost: NodeRef, primary: NodeRef): void {
    const open = this.#failovers.find(
      (f) => f.recoveredAt === undefined && f.lostPrimary.address === lost.address,
    );
    if (!open) return;
    const atMs = this.#now();
    open.newPrimary = { name: primary.name, address: primary.address };
    open.recoveredAt = new Date(atMs).toISOString();
    open.noPrimaryMs = Math.max(0, atMs - Date.parse(open.lostAt));
    this.#reachable.set(primary.address, true);
    this.#o.onFailover({ ...open });
  }

  #updateProbing(): void {
    const cluster = (this.#currentRoster()?.nodes.length ?? 0) > 1;
    if (cluster && !this.#probeTimer && !this.#stopped) {
      this.#probeTimer = setInterval(
        () => void this.#probeAll(),
        this.#o.probeIntervalMs ?? PROBE_INTERVAL_MS,
      );
      this.#probeTimer.unref?.();
      void this.#probeAll();
    } else if (!cluster && this.#probeTimer) {
      clearInterval(this.#probeTimer);
      this.#probeTimer = undefined;
    }
  }

  /** One probe round at a time: a slow node never piles up connects. */
  async #probeAll(): Promise<void> {
    const nodes = this.#currentRoster()?.nodes ?? [];
    if (this.#probing || this.#stopped || nodes.length <= 1) return;
    this.#probing = true;
    try {
      const probe = this.#o.probe ?? probeTcp;
      const results = await Promise.all(nodes.map((n) => probe(n.ip, n.tcpPort, PROBE_TIMEOUT_MS)));
      if (this.#stopped) return;
      let changed = false;
      nodes.forEach((node, i) => {
        if (this.#reachable.get(node.address) !== results[i]) changed = true;
        this.#reachable.set(node.address, results[i]!);
      });
      if (changed) this.#o.onChange();
    } finally {
      this.#probing = false;
    }
  }
}
