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
 * Just over 400 lines on purpose: the member's life (start, sync, poll, commit, close) in one class; its
 * membership state, types, consume loop and errors are modules of their own in group/.
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
import { GroupMembership } from './group/membership';
import { asIggyError, closedConsumer, isServerCode } from './group/errors';
import { PartitionProgress } from './group/partition-progress';
import {
  resolveGroupConsumerOptions,
  type GroupConsumerOptions,
  type ResolvedGroupConsumerOptions,
} from './group/options';
import { nextPartition } from './group/round-robin';
import { SerialQueue, settleWithin, withTimeout } from './group/waits';
import { CancellableSleep } from './backoff';
import type { ConnectionState } from './session-keeper';
import { Consumer, PollingStrategy } from './wire/primitives';

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

export class IggyGroupConsumer {
  readonly #client: GroupConsumerClient;
  readonly #options: ResolvedGroupConsumerOptions;
  readonly #consumer: Consumer;
  readonly #queue = new SerialQueue();
  readonly #progress = new PartitionProgress();
  readonly #sleep = new CancellableSleep();
  readonly #listeners = new Set<AssignmentListener>();

  #status: GroupConsumerStatus = 'idle';
  readonly #membership: GroupMembership;
  #lastPolled: number | undefined;
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
    this.#membership = new GroupMembership({
      client,
      options: this.#options,
      counts: this.#counts,
      step: (call, what) => this.#step(call, what),
      emit: (reason) => this.#emit(reason),
      rewindAll: () => this.#progress.rewindAll(),
    });
  }

  get status(): GroupConsumerStatus {
    return this.#status;
  }

  get assignment(): GroupAssignment {
    return this.#membership.assignment;
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
      member: this.#membership.isMember,
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
      await this.#queue.run(() => this.#membership.ensure());
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
      partitionCount: () => this.#membership.partitions.length,
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
    if (this.#membership.isMember && this.#client.state === 'connected') {
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
    const wasAssigned = this.#membership.left();
    this.#status = 'closed';
    if (wasAssigned) this.#emit('left');
  }

  #onConnectionState(state: ConnectionState): void {
    if (this.#status !== 'running' && this.#status !== 'starting') return;
    if (state === 'connected') {
      // A reconnect registers a new client id: the old membership went with the old socket.
      if (!this.#membership.isMember) {
        this.#queue.run(() => this.#membership.ensure()).catch((error: unknown) => this.#record(error));
      }
    } else if (this.#membership.isMember) {
      this.#membership.lose();
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
          ? this.#queue.run(() =>
              this.#status === 'running' ? this.#membership.ensure() : Promise.resolve(),
            )
          : Promise.resolve();
      due.catch((error: unknown) => this.#record(error)).finally(() => this.#scheduleSync());
    }, this.#options.syncIntervalMs);
    this.#syncTimer.unref?.();
  }

  // ─── polling and committing ─────────────────────────────────────────────────

  async #pollOnce(): Promise<GroupBatch> {
    if (!this.#membership.isMember || this.#membership.syncDue) await this.#membership.ensure();
    const partitionId = nextPartition(this.#membership.partitions, this.#lastPolled);
    const generation = this.#membership.generation;
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
      this.#membership.markSyncDue();
      throw error;
    }
    if (reply.partitionId === RESYNC_PARTITION_ID) {
      this.#counts.resyncs++;
      await this.#membership.sync();
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
        this.#membership.markSyncDue();
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
