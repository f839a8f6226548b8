import {
  CancellableSleep,
  Consumer,
  PollingStrategy,
  backoffDelayMs,
  partitionLag,
  type IggyClient,
  type PolledMessage,
} from '@/lib/iggy';
import { isMissingTopicError, toErrorInfo } from './errors';
import {
  DEFAULT_POLL_INTERVAL_MS,
  MAX_POLL_INTERVAL_MS,
  MIN_POLL_INTERVAL_MS,
  RETRY_INITIAL_DELAY_MS,
  RETRY_MAX_DELAY_MS,
} from './limits';
import type { Logger } from './logger';
import { OutageLog } from './outage-log';
import { PartitionWatch } from './partition-watch';
import { applyResumePlan, planResume } from './resume-plan';
import type { ConsumerStatus, ErrorInfo } from './types';

/**
 * A message the loop decided is new, with its place in this loop's consumption order: `seq` counts 1, 2, 3 …
 * across every partition and never starts again (not even when a partition is reset and its offsets restart
 * at 0), so it is the one cursor everything downstream (buffer, HTTP API, page) can trust as-is.
 */
export type ConsumedMessage = PolledMessage & { seq: number };

/** The client calls the consumer makes; an IggyClient satisfies it. */
export type ConsumerClient = Pick<
  IggyClient,
  'pollMessages' | 'getTopic' | 'getConsumerOffset' | 'storeConsumerOffset' | 'deleteConsumerOffset'
>;

export interface ConsumerLoopOptions {
  client: ConsumerClient;
  streamName: string;
  topicName: string;
  consumerName: string;
  logger: Logger;
  /** Receives each new message exactly once, in offset order per partition and in `seq` order overall. */
  onMessages: (messages: ConsumedMessage[], receivedAtMs: number) => void;
  /** The topic (or one partition) was recreated: offsets start from 0 again, forget old ones. */
  onReset?: (partitionId?: number) => void;
  ready?: () => Promise<void>;
  onChange?: () => void;
  /** Every failure, before the backoff (the CLI exits on errors retrying cannot fix). */
  onError?: (error: unknown) => void;
  now?: () => number;
  pollIntervalMs?: number;
  /** Messages per poll; a full batch means more are waiting, so the loop polls again at once. */
  batchSize?: number;
  offsetRefreshMs?: number;
  /**
   * Shared with whatever else sees the partitions (the producer's send replies, topology reads), so a reset
   * noticed anywhere makes this loop re-read the partition before its next `Next` poll.
   */
  watch?: PartitionWatch;
}

interface PartitionProgress {
  /** Newest offset handed to onMessages in this process. */
  delivered?: bigint;
  /** Consumer offset stored on the server (as last read or committed). */
  stored?: bigint | null;
  currentOffset?: bigint;
  messagesCount?: bigint;
  /**
   * Before anything was delivered: the stored offset (-1 = none) as it stood right before the
   * latest Next poll. If that poll's reply is lost after its auto-commit, the gap starts here.
   */
  startAfter?: bigint;
  /** Server stamp of the newest message delivered: what came after a reset is stamped later. */
  lastTimestamp?: bigint;
  /** Server stamp of the message at `delivered` (or read past by a replay), to tell it from a newcomer. */
  deliveredStamp?: bigint;
  /** The watch's reset epoch for this partition that this loop has dealt with. */
  handledEpoch?: number;
}

/**
 * Polls with PollingStrategy.next() and auto-commit as a named plain consumer, so the position
 * lives on the server and a restarted app resumes where it left off. Across reconnects it neither
 * skips nor repeats: offsets at or below the last delivered one are dropped, and after any failure
 * it compares the server's stored offset with what it delivered and fetches a gap by offset (a
 * poll whose auto-commit landed but whose reply was lost would otherwise be skipped).
 */
export class ConsumerLoop {
  private readonly options: ConsumerLoopOptions;
  private readonly now: () => number;
  /** Keeps a long outage to a few lines in the log. */
  private readonly outage: OutageLog;
  private readonly sleeper = new CancellableSleep();
  private readonly progress = new Map<number, PartitionProgress>();
  private partitionIds: number[] = [];
  private running = false;
  private generation = 0;
  private received = 0;
  private lastSeq = 0;
  private lastDeliveredPartition: number | undefined;
  private lastError: ErrorInfo | undefined;
  private waitingForTopic = false;
  private lastRefreshMs = -Infinity;
  private needsGapCheck = false;
  /** Creation stamp of the topic as last read: a new one means the topic was deleted and recreated. */
  private topicCreatedAt: bigint | undefined;
  private readonly watch: PartitionWatch;
  private loopDone: Promise<void> = Promise.resolve();
  private pollIntervalMs: number;
  /** True while the loop sleeps the ordinary poll interval (not a retry backoff), so a change may wake it. */
  private idleSleep = false;

  constructor(options: ConsumerLoopOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.outage = new OutageLog({ logger: options.logger, name: 'consumer', now: this.now });
    this.watch = options.watch ?? new PartitionWatch({ now: this.now });
    // Not range-checked here: tests run the loop with a few milliseconds; the public setter is bounded.
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  /**
   * Changes the wait between polls from the next sleep on. A shorter interval also ends the current idle
   * sleep, so going from 2 s to 50 ms applies at once; a retry backoff is never cut short.
   */
  setPollInterval(ms: number): ConsumerStatus {
    const shorter = checkPollInterval(ms) < this.pollIntervalMs;
    this.pollIntervalMs = ms;
    if (shorter && this.idleSleep) this.sleeper.cancel();
    this.options.onChange?.();
    return this.status();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The newest `seq` handed to onMessages (0 before the first message). */
  get latestSeq(): number {
    return this.lastSeq;
  }

  status(): ConsumerStatus {
    const status: ConsumerStatus = {
      running: this.running,
      received: this.received,
      pollIntervalMs: this.pollIntervalMs,
    };
    const partition = this.lastDeliveredPartition ?? this.partitionIds[0];
    const progress = partition === undefined ? undefined : this.progress.get(partition);
    if (progress?.delivered !== undefined) status.lastOffset = progress.delivered.toString();
    if (progress?.stored !== undefined && progress.stored !== null)
      status.storedOffset = progress.stored.toString();
    const lag = this.totalLag();
    if (lag !== undefined) status.lag = lag.toString();
    if (this.waitingForTopic) status.waitingForTopic = true;
    if (this.lastError) status.lastError = this.lastError;
    return status;
  }

  /**
   * Offsets seen by someone else (the runtime's topology read) while this loop is stopped, so the lag it
   * reports keeps growing as the producer writes instead of freezing at the moment of the stop.
   */
  observe(
    partitions: { id: number; currentOffset: bigint; messagesCount: bigint }[],
    stored: { partitionId: number; offset: bigint | null }[],
  ): void {
    if (this.running) return;
    this.partitionIds = partitions.map((p) => p.id).sort((a, b) => a - b);
    for (const partition of partitions) {
      const progress = this.progressOf(partition.id);
      progress.currentOffset = partition.currentOffset;
      progress.messagesCount = partition.messagesCount;
    }
    for (const entry of stored) this.progressOf(entry.partitionId).stored = entry.offset;
  }

  /** Per-partition stored offsets as last seen (null = nothing stored yet). */
  storedOffsets(): { partitionId: number; offset: bigint | null }[] {
    return this.partitionIds.map((partitionId) => ({
      partitionId,
      offset: this.progress.get(partitionId)?.stored ?? null,
    }));
  }

  start(): ConsumerStatus {
    if (this.running) return this.status();
    this.running = true;
    const generation = ++this.generation;
    this.lastRefreshMs = -Infinity;
    // Whatever happened while stopped (another consumer, a restart) shows up in the stored offset.
    this.needsGapCheck = true;
    this.options.onChange?.();
    this.loopDone = this.loopDone.then(() =>
      generation === this.generation ? this.run(generation) : undefined,
    );
    return this.status();
  }

  async stop(): Promise<ConsumerStatus> {
    if (!this.running) return this.status();
    this.running = false;
    this.generation += 1;
    this.sleeper.cancel();
    this.options.logger.info({ received: this.received }, 'consumer stopped');
    this.options.onChange?.();
    return this.status();
  }

  async whenIdle(): Promise<void> {
    await this.loopDone;
  }

  private async run(generation: number): Promise<void> {
    const { logger, streamName, topicName, consumerName } = this.options;
    logger.info({ stream: streamName, topic: topicName, consumer: consumerName }, 'consumer started');
    let failures = 0;
    while (generation === this.generation) {
      let delayMs = this.pollIntervalMs;
      let idle = true;
      try {
        await this.options.ready?.();
        if (generation !== this.generation) break;
        if (this.now() - this.lastRefreshMs >= (this.options.offsetRefreshMs ?? 1000)) await this.refresh();
        // The first iteration after a failure always refreshes: reaching here, the server answered.
        this.outage.recovered();
        if (this.waitingForTopic) {
          await this.idleWait();
          continue;
        }
        if (this.needsGapCheck) await this.recoverGap(generation);
        const more = await this.pollOnce(generation);
        if (this.lastError) {
          this.lastError = undefined;
          this.options.onChange?.();
        }
        failures = 0;
        delayMs = more ? 0 : this.pollIntervalMs;
      } catch (error) {
        if (isMissingTopicError(error)) {
          this.outage.recovered();
          this.markTopicMissing();
        } else {
          failures += 1;
          this.needsGapCheck = true;
          this.lastRefreshMs = -Infinity;
          this.lastError = toErrorInfo(error, this.now());
          idle = false;
          delayMs = Math.max(
            this.pollIntervalMs,
            backoffDelayMs(failures - 1, RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS),
          );
          this.outage.failed(error, delayMs);
          this.options.onError?.(error);
          this.options.onChange?.();
        }
      }
      if (generation !== this.generation) break;
      if (idle && delayMs > 0) await this.idleWait();
      else await this.sleeper.wait(delayMs);
    }
  }

  /** One poll interval (read when the sleep starts), which setPollInterval may end early. */
  private async idleWait(): Promise<void> {
    this.idleSleep = true;
    try {
      await this.sleeper.wait(this.pollIntervalMs);
    } finally {
      this.idleSleep = false;
    }
  }

  /** Partition list, current offsets and stored consumer offsets, for lag and topic-reset detection. */
  private async refresh(): Promise<void> {
    const { client, streamName, topicName, consumerName } = this.options;
    this.lastRefreshMs = this.now();
    const issuedAt = this.watch.tick();
    const topic = await client.getTopic(streamName, topicName);
    if (!topic) {
      this.markTopicMissing();
      return;
    }
    if (this.waitingForTopic) {
      this.waitingForTopic = false;
      this.options.logger.info({ topic: topicName }, 'topic exists now; consuming');
    }
    if (this.topicCreatedAt !== undefined && topic.createdAtMicros !== this.topicCreatedAt)
      this.topicRecreated();
    this.topicCreatedAt = topic.createdAtMicros;
    this.watch.observeTopic(topic.createdAtMicros);
    this.partitionIds = topic.partitions.map((p) => p.id).sort((a, b) => a - b);
    for (const partition of topic.partitions) {
      const progress = this.progressOf(partition.id);
      progress.currentOffset = partition.currentOffset;
      progress.messagesCount = partition.messagesCount;
      const offset = await client.getConsumerOffset({
        consumer: Consumer.single(consumerName),
        streamId: streamName,
        topicId: topicName,
        partitionId: partition.id,
      });
      progress.stored = offset ? offset.storedOffset : null;
      // Fewer offsets than we saw, or a stored offset past the data: the watch notes a reset, pollOnce handles it.
      this.watch.observePartition(
        partition.id,
        partition.currentOffset,
        partition.messagesCount,
        progress.stored,
        issuedAt,
      );
    }
    this.options.onChange?.();
  }

  /** Same name, new topic: its offsets start from 0 and are not a loss. Forget what was delivered. */
  private topicRecreated(): void {
    this.options.logger.info({ topic: this.options.topicName }, 'topic was recreated; starting over');
    for (const [partitionId, progress] of this.progress) {
      progress.delivered = undefined;
      progress.startAfter = undefined;
      progress.lastTimestamp = undefined;
      progress.deliveredStamp = undefined;
      this.watch.forget(partitionId);
      progress.handledEpoch = this.watch.epochOf(partitionId);
    }
    this.options.onReset?.();
  }

  /**
   * The server lost messages on this partition (the watch says so): read what now exists without skipping —
   * after a crash Iggy clamps the stored offset, so a plain `Next` would miss the first new message.
   * `storedHint` is the stored offset as it was before a poll that auto-committed past a skip.
   */
  private async resumeAfterReset(
    partitionId: number,
    generation: number,
    storedHint?: bigint | null,
  ): Promise<void> {
    const { client, streamName, topicName, consumerName, logger } = this.options;
    const epoch = this.watch.epochOf(partitionId);
    const progress = this.progressOf(partitionId);
    const issuedAt = this.watch.tick();
    const topic = await client.getTopic(streamName, topicName);
    const partition = topic?.partitions.find((p) => p.id === partitionId);
    if (!topic || !partition) return; // gone: the missing-topic path takes over on the next poll
    // A fresh read pins the loss better than the poll reply that may have revealed it (an empty partition).
    this.watch.observePartition(
      partitionId,
      partition.currentOffset,
      partition.messagesCount,
      undefined,
      issuedAt,
    );
    let stored: bigint | null;
    if (storedHint !== undefined) stored = storedHint;
    else {
      const info = await client.getConsumerOffset({
        consumer: Consumer.single(consumerName),
        streamId: streamName,
        topicId: topicName,
        partitionId,
      });
      stored = info ? info.storedOffset : null;
    }
    const plan = planResume({
      stored,
      currentOffset: partition.currentOffset,
      messagesCount: partition.messagesCount,
      lossDetected: true,
      ...(progress.lastTimestamp === undefined ? {} : { lastShownTimestampMicros: progress.lastTimestamp }),
    });
    logger.info(
      { partitionId, action: plan.action, ...('reason' in plan ? { reason: plan.reason } : {}) },
      'partition lost data; resuming without a skip',
    );
    // Offsets start again: the dedup by offset must not drop the new messages.
    progress.delivered = undefined;
    progress.startAfter = undefined;
    const outcome = await applyResumePlan(
      client,
      { streamName, topicName, consumerName, partitionId },
      plan,
      {
        batchSize: this.options.batchSize ?? 100,
        deliver: (messages) => this.deliver(partitionId, messages),
        shouldContinue: () => generation === this.generation,
      },
    );
    if (generation !== this.generation) return;
    if (outcome.firstNewOffset !== undefined) this.watch.observeFirstNew(partitionId, outcome.firstNewOffset);
    progress.currentOffset = partition.currentOffset;
    progress.messagesCount = partition.messagesCount;
    progress.stored = outcome.lastOffset ?? (plan.action === 'delete-stored' ? null : stored);
    // Survivors read past but not shown again still count as handled.
    if (
      outcome.lastOffset !== undefined &&
      (progress.delivered === undefined || outcome.lastOffset > progress.delivered)
    ) {
      progress.delivered = outcome.lastOffset;
      if (outcome.lastTimestampMicros !== undefined) progress.deliveredStamp = outcome.lastTimestampMicros;
    }
    progress.handledEpoch = epoch;
    this.options.onChange?.();
  }

  /** Returns true when some partition returned a full batch (more are waiting). */
  private async pollOnce(generation: number): Promise<boolean> {
    const { client, streamName, topicName, consumerName } = this.options;
    const batchSize = this.options.batchSize ?? 100;
    let more = false;
    for (const partitionId of this.partitionIds) {
      if (generation !== this.generation) break;
      if (this.watch.epochOf(partitionId) !== (this.progressOf(partitionId).handledEpoch ?? 0)) {
        await this.resumeAfterReset(partitionId, generation);
        if (generation !== this.generation) break;
      }
      const before = this.progressOf(partitionId);
      const storedBefore = before.stored;
      if (before.delivered === undefined && before.stored !== undefined)
        before.startAfter = before.stored ?? -1n;
      const issuedAt = this.watch.tick();
      const polled = await client.pollMessages({
        consumer: Consumer.single(consumerName),
        streamId: streamName,
        topicId: topicName,
        partitionId,
        strategy: PollingStrategy.next(),
        count: batchSize,
        autoCommit: true,
      });
      const progress = this.progressOf(partitionId);
      const epochBefore = this.watch.epochOf(partitionId);
      this.watch.observePolled(
        partitionId,
        polled.currentOffset,
        polled.messages.map((m) => m.offset),
        issuedAt,
      );
      if (this.watch.epochOf(partitionId) !== epochBefore) {
        // This very poll revealed the reset, and may have skipped past the first new message (stored offset
        // clamped, then auto-committed): replay from where Next started instead of handing these on.
        const first = polled.messages[0];
        const hint = first ? (first.offset > 0n ? first.offset - 1n : null) : (storedBefore ?? null);
        await this.resumeAfterReset(partitionId, generation, hint);
        continue;
      }
      progress.currentOffset = polled.currentOffset;
      const last = polled.messages.at(-1);
      if (last) {
        // Auto-commit stored the last returned offset; messagesCount is at least offset + 1.
        progress.stored = last.offset;
        if ((progress.messagesCount ?? 0n) <= polled.currentOffset)
          progress.messagesCount = polled.currentOffset + 1n;
      }
      this.deliver(partitionId, polled.messages);
      if (polled.messages.length >= batchSize) more = true;
    }
    return more;
  }

  /**
   * After a failure the server's stored offset may be ahead of what we delivered (the poll that
   * committed never reached us): fetch that range by offset. If it is behind (the commit did not
   * land), store ours so Next does not hand back what was already shown.
   */
  private async recoverGap(generation: number): Promise<void> {
    const { client, streamName, topicName, consumerName } = this.options;
    const batchSize = this.options.batchSize ?? 100;
    for (const partitionId of this.partitionIds) {
      const progress = this.progressOf(partitionId);
      // Where this consumer stood before the failed call: the last delivered offset, or (nothing
      // delivered yet) the stored offset as it was before the last poll.
      const known = progress.delivered ?? progress.startAfter;
      if (known === undefined) continue;
      // A reset is dealt with by resumeAfterReset; storing our old offset there would skip the new messages.
      if (this.watch.epochOf(partitionId) !== (progress.handledEpoch ?? 0)) continue;
      const consumer = Consumer.single(consumerName);
      const info = await client.getConsumerOffset({
        consumer,
        streamId: streamName,
        topicId: topicName,
        partitionId,
      });
      const stored = info ? info.storedOffset : null;
      progress.stored = stored;
      if (stored !== null && stored > known) {
        let next = known + 1n;
        while (generation === this.generation && next <= stored) {
          const polled = await client.pollMessages({
            consumer,
            streamId: streamName,
            topicId: topicName,
            partitionId,
            strategy: PollingStrategy.offset(next),
            count: Math.min(batchSize, Number(stored - next + 1n)),
            autoCommit: false,
          });
          const inGap = polled.messages.filter((m) => m.offset <= stored);
          if (inGap.length === 0) break; // nothing more to fetch (e.g. retention removed it)
          this.deliver(partitionId, inGap);
          next = inGap[inGap.length - 1]!.offset + 1n;
        }
      } else if (progress.delivered !== undefined && (stored === null || stored < progress.delivered)) {
        // Behind us: either our commit did not land, or a crash clamped it. Only the first is safe to overwrite,
        // and then the message at our last offset is still the one we showed.
        if (!(await this.stillHolds(partitionId, progress.delivered, progress.deliveredStamp))) {
          this.watch.observeReplaced(partitionId, progress.delivered);
          continue;
        }
        await client.storeConsumerOffset({
          consumer,
          streamId: streamName,
          topicId: topicName,
          partitionId,
          offset: progress.delivered,
        });
        progress.stored = progress.delivered;
      }
    }
    this.needsGapCheck = false;
  }

  /** Whether the message at `offset` is still the one delivered (same server stamp). */
  private async stillHolds(
    partitionId: number,
    offset: bigint,
    timestamp: bigint | undefined,
  ): Promise<boolean> {
    if (timestamp === undefined) return true;
    const { client, streamName, topicName, consumerName } = this.options;
    const polled = await client.pollMessages({
      consumer: Consumer.single(consumerName),
      streamId: streamName,
      topicId: topicName,
      partitionId,
      strategy: PollingStrategy.offset(offset),
      count: 1,
      autoCommit: false,
    });
    const message = polled.messages[0];
    return message !== undefined && message.offset === offset && message.timestampMicros === timestamp;
  }

  private deliver(partitionId: number, messages: PolledMessage[]): void {
    const progress = this.progressOf(partitionId);
    const fresh: ConsumedMessage[] = [];
    for (const message of messages) {
      // The one place that decides "is this message new?": offsets at or below the last delivered one are
      // replays (a retried poll, a gap fetch overlapping a poll). Whatever passes gets the next seq.
      if (progress.delivered !== undefined && message.offset <= progress.delivered) continue;
      progress.delivered = message.offset;
      progress.deliveredStamp = message.timestampMicros;
      if (progress.lastTimestamp === undefined || message.timestampMicros > progress.lastTimestamp)
        progress.lastTimestamp = message.timestampMicros;
      this.lastSeq += 1;
      fresh.push({ ...message, seq: this.lastSeq });
    }
    if (fresh.length === 0) return;
    this.received += fresh.length;
    this.lastDeliveredPartition = partitionId;
    this.options.onMessages(fresh, this.now());
    this.options.onChange?.();
  }

  private markTopicMissing(): void {
    if (!this.waitingForTopic) {
      this.waitingForTopic = true;
      this.options.logger.info(
        { stream: this.options.streamName, topic: this.options.topicName },
        'waiting for the producer to create the topic',
      );
      if ([...this.progress.values()].some((p) => p.delivered !== undefined)) this.options.onReset?.();
    }
    // The topic may come back as a new one with offsets from 0: forget what we delivered.
    this.topicCreatedAt = undefined;
    for (const [partitionId, progress] of this.progress) {
      this.watch.forget(partitionId);
      progress.handledEpoch = this.watch.epochOf(partitionId);
      progress.lastTimestamp = undefined;
      progress.deliveredStamp = undefined;
      progress.delivered = undefined;
      progress.startAfter = undefined;
      progress.stored = null;
      progress.currentOffset = undefined;
      progress.messagesCount = undefined;
    }
    this.partitionIds = [];
    this.lastRefreshMs = -Infinity;
    if (this.lastError) this.lastError = undefined;
    this.options.onChange?.();
  }

  private progressOf(partitionId: number): PartitionProgress {
    let progress = this.progress.get(partitionId);
    if (!progress) {
      progress = {};
      this.progress.set(partitionId, progress);
    }
    return progress;
  }

  /** Messages in the topic the consumer has not committed yet, summed over partitions. */
  private totalLag(): bigint | undefined {
    let total: bigint | undefined;
    for (const partitionId of this.partitionIds) {
      const p = this.progress.get(partitionId);
      if (!p || p.messagesCount === undefined || p.currentOffset === undefined || p.stored === undefined)
        continue;
      total = (total ?? 0n) + partitionLag(p.currentOffset, p.messagesCount, p.stored);
    }
    return total;
  }
}

function checkPollInterval(ms: number): number {
  if (!Number.isInteger(ms) || ms < MIN_POLL_INTERVAL_MS || ms > MAX_POLL_INTERVAL_MS) {
    throw new RangeError(
      `pollIntervalMs must be a whole number from ${MIN_POLL_INTERVAL_MS} to ${MAX_POLL_INTERVAL_MS}, got ${ms}`,
    );
  }
  return ms;
}
