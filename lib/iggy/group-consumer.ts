/**
 * IggyGroupConsumer: one member of a consumer group on one IggyClient (one TCP connection), consuming the way
 * Iggy's official SDK does: join, SyncConsumerGroup (606) for the generation and the pollable partitions, then
 * polls of those partitions by explicit id, round-robin. The server never picks a partition for a group poll
 * (an unset partition gets an empty reply forever), so this class always names one.
 *
 * It re-syncs when a poll answers partition 0xFFFFFFFF ("not yours"), once more right after a generation change
 * (a cooperative rebalance moves partitions in steps), every `syncIntervalMs`, and after a reconnect, which is a
 * new client id and therefore no membership at all: it joins again, then syncs.
 *
 *   const consumer = new IggyGroupConsumer(client, { streamId: 'demo', topicId: 'orders', group: 'workers',
 *     createGroup: true });
 *   consumer.onAssignment(({ generation, partitions, reason }) => draw(generation, partitions, reason));
 *   await consumer.start();
 *   const done = consumer.consume(async (batch) => handle(batch.messages)); // or: await consumer.poll()
 *   …
 *   await consumer.close(); // leaves the group; the client stays open (its owner closes it)
 *
 * Delivery: with auto-commit (default) the server stores each poll's offset as it answers, so a partition that
 * moves is resumed by its new owner right after what we received. In manual mode nothing is stored until
 * `commit()` (`consume()` commits after the handler), so a rebalance between poll and commit redelivers that
 * batch to the new owner: at-least-once. `state.redelivered` counts messages this consumer saw twice.
 */

import { IggyErrorCode, invalidArgument, type IggyError } from './errors';
import { runConsumeLoop } from './group/consume-loop';
import { asIggyError, closedConsumer, isServerCode } from './group/errors';
import { PartitionProgress } from './group/partition-progress';
import {
  resolveGroupConsumerOptions,
  type GroupConsumerOptions,
  type ResolvedGroupConsumerOptions,
} from './group/options';
import { nextPartition, samePartitionSet } from './group/round-robin';
import { SerialQueue, settleWithin, withTimeout } from './group/waits';
import { CancellableSleep } from './backoff';
import type { ConnectionState } from './session-keeper';
import { Consumer, PollingStrategy } from './wire/primitives';
import type { ConsumerGroupAssignment } from './wire/commands/groups';

import {
  RESYNC_PARTITION_ID,
  type AssignmentListener,
  type AssignmentReason,
  type BatchHandler,
  type GroupAssignment,
  type GroupAssignmentEvent,
  type GroupBatch,
  type GroupConsumerClient,
  type GroupConsumerState,
  type GroupConsumerStatus,
} from './group/types';

/**
 * Where this consumer stands in the group on the client's current connection (one client id):
 * - outside: not a member (before the first join, after a lost connection or an unexpected empty sync, closed);
 * - joined: joined, and the first assignment since has not been announced yet (it is announced as 'joined');
 * - assigned: a member that knows its partitions;
 * - unassigned: a member the server's sync answers empty for (more members than partitions): it keeps syncing
 *   and does not rejoin on every empty reply.
 */
type Membership = 'outside' | 'joined' | 'assigned' | 'unassigned';

export class IggyGroupConsumer {
  readonly #client: GroupConsumerClient;
  readonly #options: ResolvedGroupConsumerOptions;
  readonly #consumer: Consumer;
  readonly #queue = new SerialQueue();
  readonly #progress = new PartitionProgress();
  readonly #sleep = new CancellableSleep();
  readonly #listeners = new Set<AssignmentListener>();

  #status: GroupConsumerStatus = 'idle';
  #membership: Membership = 'outside';
  /** The group exists (created or found): `createGroup` need not try again until a join says it is gone. */
  #groupEnsured = false;
  #generation: bigint | undefined;
  #partitions: number[] = [];
  #memberId: number | undefined;
  #lastPolled: number | undefined;
  /** Sync before the next poll: a generation change, a failed poll or a refused commit may have moved partitions. */
  #syncDue = true;
  #lastError: IggyError | undefined;
  #syncTimer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: (() => void) | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  readonly #counts = {
    received: 0,
    redelivered: 0,
    joins: 0,
    syncs: 0,
    resyncs: 0,
    rebalances: 0,
    polls: 0,
    commits: 0,
    rejectedCommits: 0,
    abandonedMessages: 0,
  };

  constructor(client: GroupConsumerClient, options: GroupConsumerOptions) {
    if (!client || typeof client.pollMessages !== 'function') {
      throw invalidArgument('IggyGroupConsumer needs an IggyClient');
    }
    this.#client = client;
    this.#options = resolveGroupConsumerOptions(options);
    this.#consumer = Consumer.group(this.#options.group);
  }

  get status(): GroupConsumerStatus {
    return this.#status;
  }

  get assignment(): GroupAssignment {
    return { generation: this.#generation, partitions: [...this.#partitions], memberId: this.#memberId };
  }

  get lastError(): IggyError | undefined {
    return this.#lastError;
  }

  /** A copy of everything a UI may want to draw; offsets stay bigint. */
  get state(): GroupConsumerState {
    return {
      ...this.assignment,
      ...this.#counts,
      status: this.#status,
      member: this.#membership !== 'outside',
      autoCommit: this.#options.autoCommit,
      progress: this.#progress.snapshot(),
      lastError: this.#lastError,
    };
  }

  /** Called on every assignment change; returns an unsubscribe function. */
  onAssignment(listener: AssignmentListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Connects the client if needed, creates the group when asked, joins and syncs. Resolves once the first
   * assignment is known (possibly no partitions). Rejects with the IggyError of the failed step.
   */
  start(): Promise<void> {
    if (this.#status === 'closing' || this.#status === 'closed') return Promise.reject(closedConsumer());
    this.#starting ??= this.#begin().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #begin(): Promise<void> {
    this.#status = 'starting';
    try {
      await this.#step(() => this.#client.connect(), 'connect');
      if (this.#status !== 'starting') throw closedConsumer();
      this.#unsubscribe = this.#client.onStateChange((state) => this.#onConnectionState(state));
      await this.#queue.run(() => this.#ensureMembership());
      if (this.#status !== 'starting') throw closedConsumer();
      this.#status = 'running';
      this.#scheduleSync();
    } catch (error) {
      const e = this.#record(error);
      if (this.#status === 'starting') {
        this.#status = 'idle';
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
      }
      throw e;
    }
  }

  /**
   * One step: the next owned partition (round-robin) is polled once. Resolves with its batch, or an empty batch
   * when nothing is assigned, the partition had nothing new, or the server said "not yours" (then `resynced`).
   * In manual mode the caller stores progress with `commit()`.
   */
  poll(): Promise<GroupBatch> {
    if (this.#status !== 'running') {
      return Promise.reject(
        this.#status === 'closing' || this.#status === 'closed'
          ? closedConsumer()
          : invalidArgument('call start() before poll()'),
      );
    }
    return this.#queue
      .run(() => this.#pollOnce())
      .catch((error: unknown) => {
        throw this.#record(error);
      });
  }

  /**
   * Stores `offset` as the group's position in `partitionId` (manual mode; harmless in auto mode). Resolves
   * true when stored, false when the server refused because the partition is no longer ours (status 20): its
   * next owner resumes from the previously stored offset, so those messages will be delivered again.
   */
  commit(partitionId: number, offset: bigint): Promise<boolean> {
    if (!Number.isInteger(partitionId) || partitionId < 0 || partitionId > 0xffff_ffff) {
      return Promise.reject(invalidArgument('partitionId must be a u32'));
    }
    if (typeof offset !== 'bigint' || offset < 0n || offset >= 1n << 64n) {
      return Promise.reject(invalidArgument('offset must be a u64 bigint'));
    }
    if (this.#status !== 'running' && this.#status !== 'closing') {
      return Promise.reject(
        this.#status === 'closed' ? closedConsumer() : invalidArgument('call start() before commit()'),
      );
    }
    return this.#queue
      .run(() => this.#commitOnce(partitionId, offset))
      .catch((error: unknown) => {
        throw this.#record(error);
      });
  }

  /**
   * Polls in a loop and hands each non-empty batch to `handler`, until `close()`. In manual mode the batch is
   * committed after the handler resolves (at-least-once). Transient failures are retried with backoff and kept
   * in `lastError`. Rejects when the handler throws (in manual mode that batch will be delivered again) or on an
   * error no retry can fix (client closed, bad argument, terminal eviction). Resolves once closed.
   */
  consume(handler: BatchHandler): Promise<void> {
    if (typeof handler !== 'function') return Promise.reject(invalidArgument('consume() needs a handler'));
    if (this.#loop) return Promise.reject(invalidArgument('this group consumer is already consuming'));
    if (this.#status !== 'running') {
      return Promise.reject(
        this.#status === 'closing' || this.#status === 'closed'
          ? closedConsumer()
          : invalidArgument('call start() before consume()'),
      );
    }
    const host = {
      status: () => this.#status,
      autoCommit: this.#options.autoCommit,
      pollIntervalMs: this.#options.pollIntervalMs,
      partitionCount: () => this.#partitions.length,
      sleep: this.#sleep,
      poll: () => this.poll(),
      commit: (partitionId: number, offset: bigint) => this.commit(partitionId, offset),
      rewind: (partitionId: number) => this.#progress.rewind(partitionId),
      abandoned: (messages: number) => {
        this.#counts.abandonedMessages += messages;
      },
    };
    const loop = runConsumeLoop(host, handler).finally(() => {
      if (this.#loop === loop) this.#loop = undefined;
    });
    this.#loop = loop;
    return loop;
  }

  /**
   * Stops timers, lets `consume()` finish (and commit) the batch in hand, leaves the group (best effort), and
   * stops listening to the client. Does not close the client, which the caller owns. Idempotent; each phase is
   * bounded by `closeTimeoutMs`.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#status = 'closing';
    clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    this.#sleep.cancel();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const bound = this.#options.closeTimeoutMs;
    if (this.#loop) await settleWithin(this.#loop, bound);
    if (this.#starting) await settleWithin(this.#starting, bound);
    await settleWithin(this.#queue.idle(), bound);
    if (this.#membership !== 'outside' && this.#client.state === 'connected') {
      const { streamId, topicId, group } = this.#options;
      try {
        await withTimeout(
          this.#client.leaveConsumerGroup(streamId, topicId, group),
          bound,
          'leave consumer group',
        );
      } catch (error) {
        if (!isServerCode(error, IggyErrorCode.ConsumerGroupMemberNotFound)) this.#record(error);
      }
    }
    const wasAssigned = this.#membership !== 'outside' || this.#partitions.length > 0;
    this.#membership = 'outside';
    this.#partitions = [];
    this.#memberId = undefined;
    this.#status = 'closed';
    if (wasAssigned) this.#emit('left');
  }

  // ─── membership ─────────────────────────────────────────────────────────────

  async #ensureMembership(): Promise<void> {
    if (this.#membership === 'outside') await this.#join();
    await this.#sync();
  }

  async #join(): Promise<void> {
    const { streamId, topicId, group, createGroup } = this.#options;
    if (createGroup && !this.#groupEnsured) {
      try {
        await this.#step(
          () => this.#client.createConsumerGroup(streamId, topicId, String(group)),
          'create consumer group',
        );
      } catch (error) {
        if (!isServerCode(error, IggyErrorCode.ConsumerGroupNameAlreadyExists)) throw error;
      }
      this.#groupEnsured = true;
    }
    try {
      await this.#step(() => this.#client.joinConsumerGroup(streamId, topicId, group), 'join consumer group');
    } catch (error) {
      // Deleted behind our back: with createGroup the next attempt creates it again.
      if (
        isServerCode(error, IggyErrorCode.ConsumerGroupIdNotFound, IggyErrorCode.ConsumerGroupNameNotFound)
      ) {
        this.#groupEnsured = false;
      }
      throw error;
    }
    this.#membership = 'joined';
    this.#counts.joins++;
  }

  async #fetchAssignment(): Promise<ConsumerGroupAssignment | null> {
    const { streamId, topicId, group } = this.#options;
    this.#counts.syncs++;
    return this.#step(() => this.#client.syncConsumerGroup(streamId, topicId, group), 'sync consumer group');
  }

  async #sync(): Promise<void> {
    let assignment = await this.#fetchAssignment();
    if (assignment === null && this.#membership !== 'joined' && this.#membership !== 'unassigned') {
      // An empty sync reply means "not a member" (a reconnect, or an eviction we did not see): join once more.
      this.#loseMembership();
      await this.#join();
      assignment = await this.#fetchAssignment();
    }
    this.#syncDue = false;
    const fresh = this.#membership === 'joined';
    // Empty right after a join: the reference reads an empty sync as "not a member / no assignment", so this is
    // a member with nothing to poll (more members than partitions). Keep syncing; do not rejoin on every sync.
    if (this.#membership !== 'outside') this.#membership = assignment === null ? 'unassigned' : 'assigned';
    await this.#apply(assignment?.generation ?? this.#generation, assignment?.partitions ?? [], fresh);
  }

  /** `fresh`: the first assignment since a join, announced as 'joined' even when nothing changed. */
  async #apply(generation: bigint | undefined, partitions: readonly number[], fresh: boolean): Promise<void> {
    const previous = this.#generation;
    const generationChanged = previous !== undefined && generation !== undefined && generation !== previous;
    const changed = generation !== previous || !samePartitionSet(partitions, this.#partitions);
    this.#generation = generation;
    this.#partitions = [...partitions];
    if (!changed && !fresh) return;
    if (generationChanged) {
      this.#counts.rebalances++;
      // A cooperative rebalance hands partitions over in steps; look again soon instead of a full interval later.
      this.#syncDue = true;
    }
    // A partition we did not hold the whole time may have been advanced by another member: resume from the
    // server's stored offset rather than from our own read position.
    this.#progress.rewindAll();
    this.#memberId = this.#options.resolveMemberId ? await this.#findMemberId(partitions) : undefined;
    this.#emit(fresh ? 'joined' : 'rebalanced');
  }

  /** Best effort: the member listed with exactly our partitions, if it is the only one. */
  async #findMemberId(partitions: readonly number[]): Promise<number | undefined> {
    if (partitions.length === 0) return undefined;
    const { streamId, topicId, group } = this.#options;
    try {
      const details = await this.#step(
        () => this.#client.getConsumerGroup(streamId, topicId, group),
        'get consumer group',
      );
      const matches = details?.members.filter((m) => samePartitionSet(m.partitions, partitions)) ?? [];
      return matches.length === 1 ? matches[0]!.id : undefined;
    } catch {
      return undefined; // a label for the UI; never a reason to fail the sync
    }
  }

  #loseMembership(): void {
    const hadSomething = this.#membership !== 'outside' || this.#partitions.length > 0;
    this.#membership = 'outside';
    this.#partitions = [];
    this.#memberId = undefined;
    this.#syncDue = true;
    this.#progress.rewindAll();
    if (hadSomething) this.#emit('lost');
  }

  #onConnectionState(state: ConnectionState): void {
    if (this.#status !== 'running' && this.#status !== 'starting') return;
    if (state === 'connected') {
      // A reconnect registers a new client id: the old membership went with the old socket.
      if (this.#membership === 'outside') {
        this.#queue.run(() => this.#ensureMembership()).catch((error: unknown) => this.#record(error));
      }
    } else if (this.#membership !== 'outside') {
      this.#loseMembership();
    }
  }

  #scheduleSync(): void {
    if (this.#status !== 'running') return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = undefined;
      if (this.#status !== 'running') return;
      // While the client reconnects every request would just wait; the state listener rejoins afterwards.
      const due =
        this.#client.state === 'connected'
          ? this.#queue.run(() => (this.#status === 'running' ? this.#ensureMembership() : Promise.resolve()))
          : Promise.resolve();
      due.catch((error: unknown) => this.#record(error)).finally(() => this.#scheduleSync());
    }, this.#options.syncIntervalMs);
    this.#syncTimer.unref?.();
  }

  // ─── polling and committing ─────────────────────────────────────────────────

  async #pollOnce(): Promise<GroupBatch> {
    if (this.#membership === 'outside' || this.#syncDue) await this.#ensureMembership();
    const partitionId = nextPartition(this.#partitions, this.#lastPolled);
    const generation = this.#generation;
    const empty: GroupBatch = {
      partitionId,
      generation,
      messages: [],
      currentOffset: undefined,
      redelivered: 0,
      resynced: false,
    };
    if (partitionId === undefined) return empty;
    this.#lastPolled = partitionId;
    const { streamId, topicId, batchSize, autoCommit } = this.#options;
    const readFrom = autoCommit ? undefined : this.#progress.readFrom(partitionId);
    this.#counts.polls++;
    let reply;
    try {
      reply = await this.#step(
        () =>
          this.#client.pollMessages({
            consumer: this.#consumer,
            streamId,
            topicId,
            partitionId,
            strategy: readFrom === undefined ? PollingStrategy.next() : PollingStrategy.offset(readFrom),
            count: batchSize,
            autoCommit,
          }),
        'poll messages',
      );
    } catch (error) {
      // A lost or late reply may hide a lost membership: check before the next poll.
      this.#syncDue = true;
      throw error;
    }
    if (reply.partitionId === RESYNC_PARTITION_ID) {
      this.#counts.resyncs++;
      await this.#sync();
      return { ...empty, resynced: true };
    }
    const messages = reply.messages;
    const redelivered = this.#progress.record(partitionId, messages);
    this.#counts.received += messages.length;
    this.#counts.redelivered += redelivered;
    if (autoCommit && messages.length > 0) {
      this.#progress.committed(partitionId, messages[messages.length - 1]!.offset);
    }
    return { ...empty, messages, currentOffset: reply.currentOffset, redelivered };
  }

  async #commitOnce(partitionId: number, offset: bigint): Promise<boolean> {
    const { streamId, topicId } = this.#options;
    try {
      await this.#step(
        () =>
          this.#client.storeConsumerOffset({
            consumer: this.#consumer,
            streamId,
            topicId,
            partitionId,
            offset,
          }),
        'store consumer offset',
      );
    } catch (error) {
      // Unknown whether it was stored: read again from the server's stored offset (redeliver, never skip).
      this.#progress.rewind(partitionId);
      if (isServerCode(error, IggyErrorCode.ResourceNotFound)) {
        // A group store of a partition we no longer own is refused with status 20.
        this.#counts.rejectedCommits++;
        this.#syncDue = true;
        return false;
      }
      throw error;
    }
    this.#counts.commits++;
    this.#progress.committed(partitionId, offset);
    return true;
  }

  // ─── helpers ────────────────────────────────────────────────────────────────

  #step<T>(call: () => Promise<T>, what: string): Promise<T> {
    return withTimeout(
      Promise.resolve().then(call),
      this.#options.requestTimeoutMs,
      `${what} (consumer group '${String(this.#options.group)}')`,
    );
  }

  #record(error: unknown): IggyError {
    const e = asIggyError(error);
    this.#lastError = e;
    return e;
  }

  #emit(reason: AssignmentReason): void {
    const event: GroupAssignmentEvent = { ...this.assignment, reason };
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A faulty UI listener must not break the consumer.
      }
    }
  }
}
