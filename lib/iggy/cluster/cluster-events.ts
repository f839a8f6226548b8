/**
 * What a cluster-aware client tells its callers (docs/architecture.md#the-cluster-aware-connection): roster
 * updates, the loss of the primary and the move to a new one, with timing. Nothing is emitted while the roster
 * lists one node, so a single server looks exactly as it always did.
 */

import type { IggyError } from '../errors';
import type { ClusterNode } from '../wire/commands/cluster';
import { sameAddress, type NodeRef, type Roster } from './roster';

export type { NodeRef };

/** The metadata listed other nodes or other roles than before. */
export interface ClusterRosterEvent {
  type: 'roster';
  cluster: string;
  nodes: ClusterNode[];
  /** The node the metadata names leader, if any. */
  leader?: NodeRef;
  atMs: number;
}

/** The connection to the node this client worked on ended; the client now looks for the primary. */
export interface PrimaryLostEvent {
  type: 'primary-lost';
  primary: NodeRef;
  /** The error that ended the connection, in words (never credentials). */
  reason: string;
  /** IggyErrorCode of that error. */
  code: number;
  atMs: number;
}

/**
 * The client works on another node now. `why`: `connect` (first login, moved from a seed to the leader),
 * `failover` (after primary-lost), `redirect` (a write was refused and the metadata named another leader),
 * `partition-primary` (a write refused by the metadata leader was accepted by another node).
 */
export interface PrimaryChangedEvent {
  type: 'primary-changed';
  why: 'connect' | 'failover' | 'redirect' | 'partition-primary';
  previous?: NodeRef;
  primary: NodeRef;
  /** After a loss: when it was noticed, and how long the client had no primary. */
  lostAtMs?: number;
  noPrimaryMs?: number;
  atMs: number;
}

/** One search ran out of time (the client keeps trying in the background, with backoff). */
export interface PrimarySearchFailedEvent {
  type: 'primary-search-failed';
  error: IggyError;
  atMs: number;
}

export type ClusterEvent =
  ClusterRosterEvent | PrimaryLostEvent | PrimaryChangedEvent | PrimarySearchFailedEvent;
export type ClusterListener = (event: ClusterEvent) => void;

/** The cluster as one client knows it right now. */
export interface ClusterSnapshot {
  name: string;
  nodes: ClusterNode[];
  /** The node this client works on (its primary), while connected. */
  primary?: NodeRef;
  /** Set while the primary is lost and not yet replaced. */
  lostAtMs?: number;
  /** The seed list, "host:port" each. */
  seeds: string[];
}

/** The client's view of its primary, and the one place cluster events are emitted from. */
export class ClusterTracker {
  readonly roster: Roster;
  readonly #now: () => number;
  readonly #listeners = new Set<ClusterListener>();
  #current: NodeRef | undefined;
  #lost: { node: NodeRef; atMs: number } | undefined;
  #announcedCluster = false;

  constructor(roster: Roster, now: () => number = Date.now) {
    this.roster = roster;
    this.#now = now;
  }

  /** The node this client works on (set on every adoption, also for a single node). */
  get current(): NodeRef | undefined {
    return this.#current;
  }

  on(listener: ClusterListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): ClusterSnapshot | undefined {
    const metadata = this.roster.metadata;
    if (!metadata || !this.roster.isCluster) return undefined;
    const snapshot: ClusterSnapshot = {
      name: metadata.name,
      nodes: metadata.nodes.map((n) => ({ ...n })),
      seeds: this.roster.seeds.map((s) => s.address),
    };
    if (this.#current && !this.#lost) snapshot.primary = this.roster.refOf(this.#current.address);
    if (this.#lost) snapshot.lostAtMs = this.#lost.atMs;
    return snapshot;
  }

  /** Call after roster.update() answered true. */
  rosterChanged(): void {
    const metadata = this.roster.metadata;
    if (!metadata) return;
    // Also announce the step back to one node, so a listener can drop what it shows.
    if (!this.roster.isCluster && !this.#announcedCluster) return;
    this.#announcedCluster = this.roster.isCluster;
    const leader = this.roster.leader();
    this.#emit({
      type: 'roster',
      cluster: metadata.name,
      nodes: metadata.nodes.map((n) => ({ ...n })),
      ...(leader ? { leader: { name: leader.name, address: leader.address } } : {}),
      atMs: this.#now(),
    });
  }

  /** The connection to the current node ended (idempotent until a new primary is adopted). */
  lost(error: IggyError): void {
    if (this.#lost || !this.#current || !this.roster.isCluster) return;
    const node = this.roster.refOf(this.#current.address);
    this.#lost = { node, atMs: this.#now() };
    this.#emit({
      type: 'primary-lost',
      primary: node,
      reason: error.message,
      code: error.code,
      atMs: this.#lost.atMs,
    });
  }

  adopted(address: string, why: PrimaryChangedEvent['why']): void {
    const previous = this.#current;
    const primary = this.roster.refOf(address);
    const lost = this.#lost;
    this.#current = primary;
    this.#lost = undefined;
    if (!this.roster.isCluster) return;
    if (!lost && previous && sameAddress(previous.address, address)) return;
    const atMs = this.#now();
    const event: PrimaryChangedEvent = {
      type: 'primary-changed',
      why: lost ? 'failover' : why,
      primary,
      atMs,
    };
    const before = lost?.node ?? previous;
    if (before) event.previous = before;
    if (lost) {
      event.lostAtMs = lost.atMs;
      event.noPrimaryMs = atMs - lost.atMs;
    }
    this.#emit(event);
  }

  searchFailed(error: IggyError): void {
    if (!this.roster.isCluster) return;
    this.#emit({ type: 'primary-search-failed', error, atMs: this.#now() });
  }

  #emit(event: ClusterEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not disturb the connection.
      }
    }
  }
}
