/**
 * Runs each call of a cluster-aware client on the node where it belongs (docs/architecture.md#the-cluster-aware-connection):
 * - a call queued behind a lost connection never reached the wire: it waits for the new primary and runs there;
 * - a write whose frame was sent and whose reply was lost rejects as outcome-unknown (never resent as new);
 * - a write refused with 58 (or 57 for longer than a short wait) re-reads the metadata: another leader → move
 *   there and resend; this node is the leader → offer the write to the other nodes (a partition's primary may
 *   differ from the metadata leader); nobody accepts → pause and repeat, until the failover deadline.
 * While the roster lists one node, calls run exactly as on a single-node client.
 */

import { isIggyError, outcomeUnknownError, type IggyError } from '../errors';
import type { RequestKind, RetryPolicy, Session } from '../session';
import type { SessionKeeper } from '../session-keeper';
import type { ClusterTracker } from './cluster-events';
import type { ClusterSettings } from './options';
import { findPrimary, type FinderClock, type NodeDialer } from './primary-finder';
import { dialableMetadata, sameAddress } from './roster';
import { SessionLink } from './session-link';
import { isRefusal, offerWriteElsewhere } from './write-redirect';

type KeeperPart = Pick<SessionKeeper, 'ready' | 'replaceSession' | 'call'>;

export interface ClusterRouterOptions {
  keeper: KeeperPart;
  tracker: ClusterTracker;
  dialer: NodeDialer<SessionLink>;
  settings: ClusterSettings;
  clock: FinderClock;
  closed: () => boolean;
}

const isWrite = (kind: RequestKind): boolean => kind.plane === 'metadata' || kind.plane === 'partition';
const REDIRECT_PAUSE_MS = { initial: 100, max: 1_000 };

export class ClusterRouter {
  readonly #o: ClusterRouterOptions;
  readonly #retry: RetryPolicy;
  /** One relocation at a time; other calls wait for it, then retry where it led. */
  #relocating: Promise<void> | undefined;

  constructor(options: ClusterRouterOptions) {
    this.#o = options;
    this.#retry = {
      delayMs: 50,
      budgetMs: options.settings.transientWaitMs,
      notAcceptedBudgetMs: options.settings.notAcceptedWaitMs,
    };
  }

  async call(kind: RequestKind, body: Buffer, describe: string): Promise<Buffer> {
    const { keeper, tracker, clock } = this.#o;
    if (!tracker.roster.isCluster) return keeper.call(kind, body, describe);
    const deadline = clock.now() + this.#o.settings.failoverDeadlineMs;
    for (let attempt = 0; ; attempt++) {
      const session = await keeper.ready();
      if (!tracker.roster.isCluster) return session.execute(kind, body, describe);
      const track = { written: false };
      try {
        return await session.execute(kind, body, describe, { retry: this.#retry, track });
      } catch (error) {
        if (!isIggyError(error)) throw error;
        if (error.kind === 'disconnected' || error.kind === 'timeout') {
          if (track.written) throw isWrite(kind) ? outcomeUnknownError(describe, error) : error;
          // Never sent: safe to run on whichever node takes over.
          if (clock.now() >= deadline || this.#o.closed()) throw error;
          await clock.sleep(Math.min(50 * (attempt + 1), 500));
          continue;
        }
        if (!isWrite(kind) || !isRefusal(error) || clock.now() >= deadline || this.#o.closed()) throw error;
        const moved = await this.#relocate(session, kind, body, describe, deadline, attempt);
        if (moved) return moved;
      }
    }
  }

  /** Answers the write's reply when another node accepted it; undefined = resend on the (new) current session. */
  async #relocate(
    session: Session,
    kind: RequestKind,
    body: Buffer,
    describe: string,
    deadline: number,
    attempt: number,
  ): Promise<Buffer | undefined> {
    if (this.#relocating) {
      await this.#relocating.catch(() => undefined);
      return undefined;
    }
    let result: Buffer | undefined;
    const run = this.#relocateNow(session, kind, body, describe, deadline, attempt).then((r) => {
      result = r;
    });
    this.#relocating = run;
    try {
      await run;
    } finally {
      this.#relocating = undefined;
    }
    return result;
  }

  async #relocateNow(
    session: Session,
    kind: RequestKind,
    body: Buffer,
    describe: string,
    deadline: number,
    attempt: number,
  ): Promise<Buffer | undefined> {
    const { keeper, tracker, clock, dialer } = this.#o;
    const roster = tracker.roster;
    const here = session.connection.address;
    try {
      const metadata = dialableMetadata(await new SessionLink(session).readMetadata(), roster.seeds);
      if (roster.update(metadata)) tracker.rosterChanged();
    } catch {
      // The connection went away meanwhile (the keeper's failover takes it from here), or the node would not
      // say: the write is resent, and refused again until the deadline if nothing changes.
      return undefined;
    }
    const leader = roster.leader();
    if (leader && !sameAddress(leader.address, here)) {
      const version = roster.version;
      const found = await findPrimary(roster, dialer, {
        deadlineAtMs: deadline,
        clock,
        cancelled: this.#o.closed,
      });
      if (roster.version !== version) tracker.rosterChanged();
      keeper.replaceSession(found.link.session);
      tracker.adopted(found.link.address, 'redirect');
      return undefined;
    }
    const others = roster.candidates().filter((node) => !sameAddress(node.address, here));
    const accepted = await offerWriteElsewhere(
      others,
      dialer,
      async (link) => {
        const track = { written: false };
        try {
          return await link.session.execute(kind, body, describe, { retry: this.#retry, track });
        } catch (error) {
          if (
            track.written &&
            isIggyError(error) &&
            (error.kind === 'disconnected' || error.kind === 'timeout')
          )
            throw outcomeUnknownError(describe, error as IggyError);
          throw error;
        }
      },
      this.#o.closed,
    );
    if (accepted) {
      keeper.replaceSession(accepted.link.session);
      tracker.adopted(accepted.link.address, 'partition-primary');
      return accepted.value;
    }
    const left = deadline - clock.now();
    if (left > 0)
      await clock.sleep(
        Math.min(left, REDIRECT_PAUSE_MS.max, REDIRECT_PAUSE_MS.initial * 2 ** Math.min(attempt, 4)),
      );
    return undefined;
  }
}
