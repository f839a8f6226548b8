/**
 * The session keeper's source of sessions in a cluster: every (re)connect looks for the primary instead of
 * redialling one address (docs/architecture.md#the-cluster-aware-connection). While the roster knows one node
 * and there is one seed, it makes exactly one attempt at that address and passes its error on unchanged, as the
 * single-node keeper does. A first connect in which no node could be logged in to reports what each did after one
 * round (the keeper retries with its backoff): a seed list where nothing answers is said at once, not after the
 * failover deadline; a node that answers keeps the search going (a view change may be under way).
 */

import type { FrameTap } from '../connection';
import { isIggyError, type IggyError } from '../errors';
import type { Session } from '../session';
import type { SessionSource } from '../session-keeper';
import type { ClusterTracker } from './cluster-events';
import { findPrimary, type FinderClock, type NodeDialer } from './primary-finder';
import type { SessionLink } from './session-link';

export interface ClusterSourceOptions {
  tracker: ClusterTracker;
  dialer: (tap: () => FrameTap | undefined) => NodeDialer<SessionLink>;
  failoverDeadlineMs: number;
  clock: FinderClock;
  /** True once the client is closed: a search in progress stops. */
  closed: () => boolean;
}

export class ClusterSessionSource implements SessionSource {
  readonly #options: ClusterSourceOptions;
  #address: string;

  constructor(options: ClusterSourceOptions) {
    this.#options = options;
    this.#address = options.tracker.roster.seeds[0]!.address;
  }

  /** The node of the newest session, also after the router moved the client (a redirect). */
  get address(): string {
    return this.#options.tracker.current?.address ?? this.#address;
  }

  /** In a cluster a call waits out a failover; for a single node, the request timeout as before. */
  get readyTimeoutMs(): number | undefined {
    return this.#options.tracker.roster.isCluster ? this.#options.failoverDeadlineMs : undefined;
  }

  lost(error: IggyError): void {
    this.#options.tracker.lost(error);
  }

  async establish(cause?: IggyError, tap?: FrameTap): Promise<Session> {
    const { tracker, clock } = this.#options;
    const roster = tracker.roster;
    if (cause) tracker.lost(cause);
    const single = !roster.isCluster && roster.seeds.length === 1;
    const known = roster.version;
    const lastResort = cause ? this.address : undefined;
    try {
      const found = await findPrimary(
        roster,
        this.#options.dialer(() => tap),
        {
          deadlineAtMs: clock.now() + this.#options.failoverDeadlineMs,
          clock,
          ...(lastResort ? { lastResort } : {}),
          ...(single ? { rounds: 1 } : {}),
          // A first connect says at once when no node can be logged in to; once one answers, it searches on.
          ...(!single && !cause ? { silentRounds: 1 } : {}),
          cancelled: this.#options.closed,
        },
      );
      if (roster.version !== known) tracker.rosterChanged();
      this.#address = found.link.address;
      tracker.adopted(found.link.address, cause ? 'failover' : 'connect');
      return found.link.session;
    } catch (error) {
      if (roster.version !== known) tracker.rosterChanged();
      if (isIggyError(error)) tracker.searchFailed(error);
      throw error;
    }
  }
}
