/**
 * Finding the metadata primary of a cluster (docs/architecture.md#the-cluster-aware-connection): log in on a
 * node, read the cluster metadata, and if another node is leader, log in there and check it says so itself.
 * Nodes are tried in the roster's order; a round that finds none pauses (backoff) and starts again, until the
 * deadline. The metadata's status byte is never trusted for reachability: only a connection proves a node is up.
 * Sockets, clock and sleep are injected so the logic runs against a scripted cluster in tests.
 */

import { IggyError, isIggyError, noPrimaryError } from '../errors';
import type { ClusterMetadata } from '../wire/commands/cluster';
import { dialableMetadata, nodeAddress, sameAddress, type NodeAddress, type Roster } from './roster';

/** A logged-in session on one node, as far as finding the primary needs it. */
export interface NodeLink {
  readonly address: string;
  readMetadata(): Promise<ClusterMetadata>;
  close(): void;
}

/** Connects and logs in; rejects with an IggyError (connect, eviction, timeout…). */
export type NodeDialer<L extends NodeLink> = (node: NodeAddress) => Promise<L>;

export interface FinderClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface FindOptions {
  /** Give up (NoPrimary) once the clock passes this. */
  deadlineAtMs: number;
  clock: FinderClock;
  /** Pause after a round that found nothing: initial, doubled each round, capped. */
  retryDelayMs?: { initial: number; max: number };
  /** Tried last: the primary that was just lost. */
  lastResort?: string;
  /** True once the client closes: stop at the next step. */
  cancelled?: () => boolean;
  /**
   * Give up after this many rounds. When one address was tried, its own error is thrown unchanged (exactly one
   * attempt at a single address reports what a single-node client reports); with several, a NoPrimary that says
   * what each node did.
   */
  rounds?: number;
  /** Give up after this many rounds in which no node could be dialled and logged in to. */
  silentRounds?: number;
}

export interface FoundPrimary<L extends NodeLink> {
  link: L;
  /** undefined when the node does not answer read code 12 (an older build): it is a single node. */
  metadata: ClusterMetadata | undefined;
}

const DEFAULT_RETRY = { initial: 200, max: 1_000 };

function asError(error: unknown): IggyError | undefined {
  return isIggyError(error) ? error : undefined;
}

/** A wrong password or protocol version fails the same on every node: looking further cannot help. */
function isHopeless(error: unknown): boolean {
  return isIggyError(error) && (error.terminal || error.kind === 'closed');
}

export async function findPrimary<L extends NodeLink>(
  roster: Roster,
  dial: NodeDialer<L>,
  options: FindOptions,
): Promise<FoundPrimary<L>> {
  const { clock } = options;
  const retry = options.retryDelayMs ?? DEFAULT_RETRY;
  /** The latest problem per address, for an error message that says what each node did. */
  const problems = new Map<string, string>();
  let lastError: IggyError | undefined;
  const note = (address: string, problem: string, error?: unknown) => {
    problems.set(address, problem);
    lastError = asError(error) ?? lastError;
  };
  const timeLeft = () => options.deadlineAtMs - clock.now();
  const stop = () => options.cancelled?.() === true;

  let answered = false;
  const tryDial = async (node: NodeAddress): Promise<L | undefined> => {
    try {
      const link = await dial(node);
      answered = true;
      roster.noteSuccess(node.address);
      return link;
    } catch (error) {
      if (isHopeless(error)) throw error;
      roster.noteFailure(node.address, clock.now());
      note(node.address, error instanceof Error ? error.message : String(error), error);
      return undefined;
    }
  };

  /** Metadata from a live link; undefined = the node does not know read 12 (single node); null = link failed. */
  const readMetadata = async (link: L): Promise<ClusterMetadata | undefined | null> => {
    try {
      return dialableMetadata(await link.readMetadata(), roster.seeds);
    } catch (error) {
      if (isIggyError(error) && error.kind === 'server') return undefined;
      link.close();
      if (isHopeless(error)) throw error;
      note(
        link.address,
        `cluster metadata not read: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
      return null;
    }
  };

  for (let round = 0; ; round++) {
    const deadLeaders = new Set<string>();
    for (const candidate of roster.candidates(options.lastResort)) {
      if (stop() || timeLeft() <= 0) break;
      if (deadLeaders.has(candidate.address.toLowerCase())) continue;
      const link = await tryDial(candidate);
      if (!link) continue;
      const metadata = await readMetadata(link);
      if (metadata === null) continue;
      if (metadata === undefined || metadata.nodes.length <= 1) {
        if (metadata) roster.update(metadata);
        return { link, metadata };
      }
      roster.update(metadata);
      const leader = metadata.nodes.find((n) => n.role === 'leader');
      if (!leader) {
        link.close();
        note(candidate.address, 'its cluster metadata names no leader (a view change in progress?)');
        continue;
      }
      if (sameAddress(leader.address, link.address)) return { link, metadata };
      link.close();
      if (deadLeaders.has(leader.address.toLowerCase())) continue;
      const leaderLink = await tryDial(nodeAddress(leader));
      if (!leaderLink) {
        // Still named leader by the others until they notice (a heartbeat timeout): try again next round.
        deadLeaders.add(leader.address.toLowerCase());
        note(
          leader.address,
          `${leader.name} (${leader.address}) is named leader by ${candidate.address} but does not answer: ${problems.get(leader.address) ?? 'connect failed'}`,
        );
        continue;
      }
      const confirmed = await readMetadata(leaderLink);
      if (confirmed === null) continue;
      if (confirmed === undefined) return { link: leaderLink, metadata };
      roster.update(confirmed);
      const itsLeader = confirmed.nodes.find((n) => n.role === 'leader');
      if (confirmed.nodes.length <= 1 || (itsLeader && sameAddress(itsLeader.address, leaderLink.address)))
        return { link: leaderLink, metadata: confirmed };
      leaderLink.close();
      note(leader.address, `${leader.name} does not consider itself leader (yet)`);
    }
    if (stop()) throw lastError ?? noPrimaryError('the search for the primary was cancelled');
    const left = timeLeft();
    const outOfRounds =
      (options.rounds !== undefined && round + 1 >= options.rounds) ||
      (options.silentRounds !== undefined && !answered && round + 1 >= options.silentRounds);
    if (outOfRounds && lastError && problems.size <= 1) throw lastError;
    if (left <= 0 || outOfRounds) {
      const detail = [...problems.entries()].map(([address, problem]) => `${address}: ${problem}`).join('; ');
      throw noPrimaryError(
        `no node of the Iggy cluster acted as primary ${outOfRounds ? 'on the first try' : 'before the failover deadline'}${detail ? ` (${detail})` : ''}`,
        lastError,
      );
    }
    await clock.sleep(Math.min(left, Math.min(retry.max, retry.initial * 2 ** Math.min(round, 10))));
  }
}
