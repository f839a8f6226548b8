import {
  CancellableSleep,
  PollingStrategy,
  backoffDelayMs,
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
import { TopicCursors } from './partition-cursor';
import { recoverGap, resumeAfterReset, type RecoveryOptions } from './partition-recovery';
import { PartitionWatch } from './partition-watch';
import { consumerTarget, partitionTarget, readStoredOffsets, type ConsumerNames } from './stored-offsets';
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

/**
 * Polls with PollingStrategy.next() and auto-commit as a named plain consumer, so the position
 * lives on the server and a restarted app resumes where it left off. Across reconnects it neither
 * skips nor repeats: offsets at or below the last delivered one are dropped, and after any failure
 * it compares the server's stored offset with what it delivered and fetches a gap by offset (a
 * poll whose auto-commit landed but whose reply was lost would otherwise be skipped).
 *
 * About 400 lines: what is left is one state machine (run, refresh, poll, topic gone); the per-partition
 * state is partition-cursor.ts and the recovery after a failure or a loss is partition-recovery.ts.
 */
export class ConsumerLoop {
  readonly #options: ConsumerLoopOptions;
  readonly #now: () => number;
  /** Keeps a long outage to a few lines in the log. */
  readonly #outage: OutageLog;
  readonly #sleeper = new CancellableSleep();
  readonly #cursors = new TopicCursors();
  #running = false;
  #generation = 0;
  #received = 0;
  #lastSeq = 0;
  #lastDeliveredPartition: number | undefined;
  #lastError: ErrorInfo | undefined;
  #waitingForTopic = false;
  #lastRefreshMs = -Infinity;
  #needsGapCheck = false;
  /** Creation stamp of the topic as last read: a new one means the topic was deleted and recreated. */
  #topicCreatedAt: bigint | undefined;
  readonly #watch: PartitionWatch;
  #loopDone: Promise<void> = Promise.resolve();
  #pollIntervalMs: number;
  /** True while the loop sleeps the ordinary poll interval (not a retry backoff), so a change may wake it. */
  #idleSleep = false;

  constructor(options: ConsumerLoopOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#outage = new OutageLog({ logger: options.logger, name: 'consumer', now: this.#now });
    this.#watch = options.watch ?? new PartitionWatch({ now: this.#now });
    // Not range-checked here: tests run the loop with a few milliseconds; the public setter is bounded.
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  /**
   * Changes the wait between polls from the next sleep on. A shorter interval also ends the current idle
   * sleep, so going from 2 s to 50 ms applies at once; a retry backoff is never cut short.
   */
  setPollInterval(ms: number): ConsumerStatus {
    const shorter = checkPollInterval(ms) < this.#pollIntervalMs;
    this.#pollIntervalMs = ms;
    if (shorter && this.#idleSleep) this.#sleeper.cancel();
    this.#options.onChange?.();
    return this.status();
  }

  get isRunning(): boolean {
    return this.#running;
  }

  /** The newest `seq` handed to onMessages (0 before the first message). */
  get latestSeq(): number {
    return this.#lastSeq;
  }

  status(): ConsumerStatus {
    const status: ConsumerStatus = {
      running: this.#running,
      received: this.#received,
      pollIntervalMs: this.#pollIntervalMs,
    };
    const cursor = this.#cursors.shown(this.#lastDeliveredPartition);
    if (cursor?.delivered !== undefined) status.lastOffset = cursor.delivered.toString();
    if (cursor?.stored !== undefined && cursor.stored !== null)
      status.storedOffset = cursor.stored.toString();
    const lag = this.#cursors.lag();
    if (lag !== undefined) status.lag = lag.toString();
    if (this.#waitingForTopic) status.waitingForTopic = true;
    if (this.#lastError) status.lastError = this.#lastError;
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
    if (!this.#running) this.#cursors.observe(partitions, stored);
  }

  /** Per-partition stored offsets as last seen (null = nothing stored yet). */
  storedOffsets(): { partitionId: number; offset: bigint | null }[] {
    return this.#cursors.storedOffsets();
  }

  start(): ConsumerStatus {
    if (this.#running) return this.status();
    this.#running = true;
    const generation = ++this.#generation;
    this.#lastRefreshMs = -Infinity;
    // Whatever happened while stopped (another consumer, a restart) shows up in the stored offset.
    this.#needsGapCheck = true;
    this.#options.onChange?.();
    this.#loopDone = this.#loopDone.then(() =>
      generation === this.#generation ? this.#run(generation) : undefined,
    );
    return this.status();
  }

  async stop(): Promise<ConsumerStatus> {
    if (!this.#running) return this.status();
    this.#running = false;
    this.#generation += 1;
    this.#sleeper.cancel();
    this.#options.logger.info({ received: this.#received }, 'consumer stopped');
    this.#options.onChange?.();
    return this.status();
  }

  async whenIdle(): Promise<void> {
    await this.#loopDone;
  }

  async #run(generation: number): Promise<void> {
    const { logger, streamName, topicName, consumerName } = this.#options;
    logger.info({ stream: streamName, topic: topicName, consumer: consumerName }, 'consumer started');
    let failures = 0;
    while (generation === this.#generation) {
      let delayMs = this.#pollIntervalMs;
      let idle = true;
      try {
        await this.#options.ready?.();
        if (generation !== this.#generation) break;
        if (this.#now() - this.#lastRefreshMs >= (this.#options.offsetRefreshMs ?? 1000))
          await this.#refresh();
        // The first iteration after a failure always refreshes: reaching here, the server answered.
        this.#outage.recovered();
        if (this.#waitingForTopic) {
          await this.#idleWait();
          continue;
        }
        if (this.#needsGapCheck) await this.#recoverGaps(generation);
        const more = await this.#pollOnce(generation);
        if (this.#lastError) {
          this.#lastError = undefined;
          this.#options.onChange?.();
        }
        failures = 0;
        delayMs = more ? 0 : this.#pollIntervalMs;
      } catch (error) {
        if (isMissingTopicError(error)) {
          this.#outage.recovered();
          this.#markTopicMissing();
        } else {
          failures += 1;
          this.#needsGapCheck = true;
          this.#lastRefreshMs = -Infinity;
          this.#lastError = toErrorInfo(error, this.#now());
          idle = false;
          delayMs = Math.max(
            this.#pollIntervalMs,
            backoffDelayMs(failures - 1, RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS),
          );
          this.#outage.failed(error, delayMs);
          this.#options.onError?.(error);
          this.#options.onChange?.();
        }
      }
      if (generation !== this.#generation) break;
      if (idle && delayMs > 0) await this.#idleWait();
      else await this.#sleeper.wait(delayMs);
    }
  }

  /** One poll interval (read when the sleep starts), which setPollInterval may end early. */
  async #idleWait(): Promise<void> {
    this.#idleSleep = true;
    try {
      await this.#sleeper.wait(this.#pollIntervalMs);
    } finally {
      this.#idleSleep = false;
    }
  }

  /** Partition list, current offsets and stored consumer offsets, for lag and topic-reset detection. */
  async #refresh(): Promise<void> {
    const { client, streamName, topicName } = this.#options;
    this.#lastRefreshMs = this.#now();
    const issuedAt = this.#watch.tick();
    const topic = await client.getTopic(streamName, topicName);
    if (!topic) {
      this.#markTopicMissing();
      return;
    }
    if (this.#waitingForTopic) {
      this.#waitingForTopic = false;
      this.#options.logger.info({ topic: topicName }, 'topic exists now; consuming');
    }
    if (this.#topicCreatedAt !== undefined && topic.createdAtMicros !== this.#topicCreatedAt)
      this.#topicRecreated();
    this.#topicCreatedAt = topic.createdAtMicros;
    this.#watch.observeTopic(topic.createdAtMicros);
    this.#cursors.usePartitions(topic.partitions);
    const offsets = readStoredOffsets(client, consumerTarget(this.#options), topic.partitions);
    for await (const { partition, stored } of offsets) {
      this.#cursors.of(partition.id).observe(partition, stored);
      // Fewer offsets than we saw, or a stored offset past the data: the watch notes a reset, pollOnce handles it.
      this.#watch.observePartition(
        partition.id,
        partition.currentOffset,
        partition.messagesCount,
        stored,
        issuedAt,
      );
    }
    this.#options.onChange?.();
  }

  /** Same name, new topic: its offsets start from 0 and are not a loss. Forget what was delivered. */
  #topicRecreated(): void {
    this.#options.logger.info({ topic: this.#options.topicName }, 'topic was recreated; starting over');
    this.#cursors.restartAll('topic', this.#watch);
    this.#options.onReset?.();
  }

  /** The watch noticed a loss on this partition: resume it without a skip (partition-recovery.ts). */
  async #resumeAfterReset(
    partitionId: number,
    generation: number,
    storedHint?: bigint | null,
  ): Promise<void> {
    const { client, logger } = this.#options;
    const options = {
      ...this.#recoveryOptions(partitionId, generation),
      watch: this.#watch,
      logger,
      storedHint,
    };
    const cursor = this.#cursors.of(partitionId);
    if (await resumeAfterReset(client, this.#names(), partitionId, cursor, options))
      this.#options.onChange?.();
  }

  /** Returns true when some partition returned a full batch (more are waiting). */
  async #pollOnce(generation: number): Promise<boolean> {
    const { client } = this.#options;
    const batchSize = this.#batchSize();
    let more = false;
    for (const partitionId of this.#cursors.ids) {
      if (generation !== this.#generation) break;
      if (!this.#cursors.of(partitionId).isHandled(this.#watch.epochOf(partitionId))) {
        await this.#resumeAfterReset(partitionId, generation);
        if (generation !== this.#generation) break;
      }
      const cursor = this.#cursors.of(partitionId);
      const storedBefore = cursor.stored;
      cursor.beforeNextPoll();
      const issuedAt = this.#watch.tick();
      const polled = await client.pollMessages({
        ...partitionTarget(this.#options, partitionId),
        strategy: PollingStrategy.next(),
        count: batchSize,
        autoCommit: true,
      });
      const epochBefore = this.#watch.epochOf(partitionId);
      this.#watch.observePolled(
        partitionId,
        polled.currentOffset,
        polled.messages.map((m) => m.offset),
        issuedAt,
      );
      if (this.#watch.epochOf(partitionId) !== epochBefore) {
        // This very poll revealed the reset, and may have skipped past the first new message (stored offset
        // clamped, then auto-committed): replay from where Next started instead of handing these on.
        const first = polled.messages[0];
        const hint = first ? (first.offset > 0n ? first.offset - 1n : null) : (storedBefore ?? null);
        await this.#resumeAfterReset(partitionId, generation, hint);
        continue;
      }
      // Auto-commit stored the last returned offset.
      cursor.afterNextPoll(polled.currentOffset, polled.messages.at(-1)?.offset);
      this.#deliver(partitionId, polled.messages);
      if (polled.messages.length >= batchSize) more = true;
    }
    return more;
  }

  /** After a failure, each partition whose data is intact catches up with its stored offset (partition-recovery.ts). */
  async #recoverGaps(generation: number): Promise<void> {
    for (const partitionId of this.#cursors.ids) {
      const cursor = this.#cursors.of(partitionId);
      // A reset is dealt with by resumeAfterReset; storing our old offset there would skip the new messages.
      if (!cursor.isHandled(this.#watch.epochOf(partitionId))) continue;
      const options = this.#recoveryOptions(partitionId, generation);
      const replaced = await recoverGap(this.#options.client, this.#names(), partitionId, cursor, options);
      if (replaced !== undefined) this.#watch.observeReplaced(partitionId, replaced);
    }
    this.#needsGapCheck = false;
  }

  #recoveryOptions(partitionId: number, generation: number): RecoveryOptions {
    return {
      batchSize: this.#batchSize(),
      deliver: (messages) => this.#deliver(partitionId, messages),
      shouldContinue: () => generation === this.#generation,
    };
  }

  /** Whatever the cursor judges new gets the next seq, in order. */
  #deliver(partitionId: number, messages: PolledMessage[]): void {
    const fresh: ConsumedMessage[] = this.#cursors
      .of(partitionId)
      .take(messages)
      .map((message) => ({ ...message, seq: ++this.#lastSeq }));
    if (fresh.length === 0) return;
    this.#received += fresh.length;
    this.#lastDeliveredPartition = partitionId;
    this.#options.onMessages(fresh, this.#now());
    this.#options.onChange?.();
  }

  #markTopicMissing(): void {
    if (!this.#waitingForTopic) {
      this.#waitingForTopic = true;
      this.#options.logger.info(
        { stream: this.#options.streamName, topic: this.#options.topicName },
        'waiting for the producer to create the topic',
      );
      if (this.#cursors.anyDelivered()) this.#options.onReset?.();
    }
    // The topic may come back as a new one with offsets from 0: forget what we delivered.
    this.#topicCreatedAt = undefined;
    this.#cursors.restartAll('topic-gone', this.#watch);
    this.#lastRefreshMs = -Infinity;
    if (this.#lastError) this.#lastError = undefined;
    this.#options.onChange?.();
  }

  #names(): ConsumerNames {
    const { streamName, topicName, consumerName } = this.#options;
    return { streamName, topicName, consumerName };
  }

  #batchSize(): number {
    return this.#options.batchSize ?? 100;
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
