import {
  CancellableSleep,
  Consumer,
  Partitioning,
  PollingStrategy,
  backoffDelayMs,
  isIggyError,
  type Durability,
  type IggyClient,
} from '@/lib/iggy';
import { toErrorInfo } from './errors';
import { RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS } from './limits';
import { OutageLog } from './outage-log';
import type { Logger } from './logger';
import { payloadJsonId, producerPayload } from './message-json';
import { BATCHING_THRESHOLD_PER_SEC, RatePacer, assertValidRate } from './rate-pacer';
import { ensureDemoTopic, isDurabilityUnsupported } from './topic-setup';
import type { ErrorInfo, ProducerStatus } from './types';

/** The client calls the producer makes; an IggyClient satisfies it. */
export type ProducerClient = Pick<
  IggyClient,
  'ensureStream' | 'getTopic' | 'createTopic' | 'sendMessages' | 'pollMessages'
> & { readonly serverVersion?: string | undefined };

export interface ProducerSentBatch {
  firstId: bigint;
  count: number;
  partitionId?: number;
  baseOffset?: bigint;
  atMs: number;
  /** What `sendToken` returned right before this send left. */
  issuedAt?: number;
}

export interface ProducerLoopOptions {
  client: ProducerClient;
  streamName: string;
  topicName: string;
  /** Partitions to create the topic with when it does not exist yet. */
  partitionsCount: number;
  /** Topic option `durability` to create the topic with (IGGY_TOPIC_DURABILITY); undefined sends none. */
  durability?: Durability;
  ratePerSec: number;
  logger: Logger;
  /** Resolves once the client is connected (or rejects); called before each attempt after a failure. */
  ready?: () => Promise<void>;
  onSent?: (batch: ProducerSentBatch) => void;
  /** The topic as read or created before sending (its creation stamp tells a recreated topic from a crash). */
  onTopic?: (topic: { createdAtMicros: bigint }) => void;
  /** Called right before each send; its value comes back as `issuedAt` of the batch (orders it among reads). */
  sendToken?: () => number;
  onChange?: () => void;
  /** Every failure, before the backoff (the CLI exits on errors retrying cannot fix). */
  onError?: (error: unknown) => void;
  now?: () => number;
  /** The most messages one send carries (bounds a catch-up batch). */
  maxBatchSize?: number;
  /**
   * A send's reply was lost with the connection (a cluster primary went away): its messages may or may not be
   * stored. They are not resent; the ids move on past them.
   */
  onUnknownOutcome?: (batch: { firstId: bigint; count: number }) => void;
}

/** Poll as this plain consumer, never committing, when reading back the last id: it leaves no state behind. */
const ID_PROBE_CONSUMER = 'demo-producer-id-probe';
/** How long stop() waits for an in-flight send before answering; the send still completes and is counted. */
const STOP_WAIT_MS = 1500;

/**
 * Sends `{"id": N, "text": "hello from producer", "ts": …}` at a steady, changeable rate. `id`
 * continues after the newest message already in the topic, re-read after every failure so that a
 * send which landed despite an error (e.g. a timeout) never causes a repeated id — but never below what
 * this process already sent: after a crash the topic's newest message is older than ours (the server lost
 * the rest), and the ids keep counting while the offsets restart. A fresh process (the app restarted too) has no
 * such memory: it continues after the newest id the server still holds, so ids of lost messages are given out
 * again. Nobody can then see both (the lost ones are gone from the server, and a new run's page starts empty),
 * and persisting a counter just for this would add state the demo does not otherwise need.
 */
export class ProducerLoop {
  private readonly options: ProducerLoopOptions;
  private readonly now: () => number;
  /** Keeps a long outage to a few lines in the log. */
  private readonly outage: OutageLog;
  private readonly pacer: RatePacer;
  private readonly sleeper = new CancellableSleep();
  private running = false;
  private generation = 0;
  private sent = 0;
  private nextId: bigint | undefined;
  private lastError: ErrorInfo | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private inFlight: Promise<unknown> | undefined;
  private partitionIds: number[] = [0];
  private nextPartitionIndex = 0;

  constructor(options: ProducerLoopOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.outage = new OutageLog({ logger: options.logger, name: 'producer', now: this.now });
    this.pacer = new RatePacer(options.ratePerSec, this.now());
  }

  status(): ProducerStatus {
    const status: ProducerStatus = {
      running: this.running,
      sent: this.sent,
      ratePerSec: this.pacer.ratePerSec,
    };
    if (this.nextId !== undefined) status.nextId = this.nextId.toString();
    if (this.lastError) status.lastError = this.lastError;
    return status;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts sending (or, when already running, just applies a new rate). */
  async start(ratePerSec?: number): Promise<ProducerStatus> {
    if (ratePerSec !== undefined) assertValidRate(ratePerSec);
    if (this.running) {
      if (ratePerSec !== undefined) this.setRate(ratePerSec);
      return this.status();
    }
    this.running = true;
    const generation = ++this.generation;
    if (ratePerSec !== undefined) this.pacer.setRate(ratePerSec, this.now());
    this.options.onChange?.();
    // A previous loop may still be finishing its last send; never let two loops send at once.
    const previous = this.loopDone;
    this.loopDone = previous.then(() => {
      if (generation !== this.generation) return;
      this.pacer.reset(this.now());
      return this.run(generation);
    });
    return this.status();
  }

  setRate(ratePerSec: number): ProducerStatus {
    this.pacer.setRate(ratePerSec, this.now());
    this.sleeper.cancel();
    this.options.logger.info({ ratePerSec }, 'producer rate changed');
    this.options.onChange?.();
    return this.status();
  }

  /**
   * Stops at once: no new send begins. A send already on the wire is awaited briefly; if it takes
   * longer, stop() answers anyway and the send is still counted (or reported) when it settles.
   */
  async stop(): Promise<ProducerStatus> {
    if (!this.running) return this.status();
    this.running = false;
    this.generation += 1;
    this.sleeper.cancel();
    const inFlight = this.inFlight;
    if (inFlight) {
      await Promise.race([inFlight.catch(() => undefined), new Promise((r) => setTimeout(r, STOP_WAIT_MS))]);
    }
    this.options.logger.info({ sent: this.sent }, 'producer stopped');
    this.options.onChange?.();
    return this.status();
  }

  /** Resolves when the loop has fully finished (after stop()), including any in-flight send. */
  async whenIdle(): Promise<void> {
    await this.loopDone;
  }

  private async run(generation: number): Promise<void> {
    const { logger, streamName, topicName } = this.options;
    logger.info(
      { stream: streamName, topic: topicName, ratePerSec: this.pacer.ratePerSec },
      'producer started',
    );
    let prepared = false;
    let failures = 0;
    while (generation === this.generation) {
      try {
        if (!prepared) {
          await this.options.ready?.();
          if (generation !== this.generation) break;
          const partitionIds = await this.prepareTopic();
          this.partitionIds = partitionIds;
          if (generation !== this.generation) break;
          const afterTopic = await this.readNextId(partitionIds);
          const ours = this.nextId;
          this.nextId = ours !== undefined && ours > afterTopic ? ours : afterTopic;
          prepared = true;
          this.outage.recovered();
          this.pacer.reset(this.now());
          logger.info(
            { nextId: this.nextId.toString() },
            this.nextId === afterTopic
              ? 'producer continues after the newest id in the topic'
              : 'producer continues after the last id it sent (the topic holds an older one: messages were lost)',
          );
          this.options.onChange?.();
        }
        const due = this.pacer.dueCount(this.now());
        if (due > 0) {
          await this.sendBatch(Math.min(due, this.options.maxBatchSize ?? 1000));
          this.outage.recovered();
          if (this.lastError) {
            this.lastError = undefined;
            this.options.onChange?.();
          }
          failures = 0;
        }
        if (generation !== this.generation) break;
        await this.sleeper.wait(this.pacer.sleepMs(this.now()));
      } catch (error) {
        prepared = false;
        failures += 1;
        this.lastError = toErrorInfo(error, this.now());
        if (isDurabilityUnsupported(error)) {
          // Retrying cannot help, and creating the topic without the durability asked for is not an option.
          logger.error(`producer: ${this.lastError.message}`);
          this.running = false;
          this.generation += 1;
          this.options.onError?.(error);
          this.options.onChange?.();
          break;
        }
        const delayMs = backoffDelayMs(failures - 1, RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS);
        this.outage.failed(error, delayMs);
        this.options.onError?.(error);
        this.options.onChange?.();
        if (generation !== this.generation) break;
        await this.sleeper.wait(delayMs);
      }
    }
  }

  private async prepareTopic(): Promise<number[]> {
    const { client, streamName, topicName, partitionsCount, durability } = this.options;
    await client.ensureStream(streamName);
    const topic = await ensureDemoTopic(client, {
      streamName,
      topicName,
      partitionsCount,
      ...(durability ? { durability } : {}),
      ...(client.serverVersion ? { serverVersion: client.serverVersion } : {}),
    });
    this.options.onTopic?.(topic);
    const ids = topic.partitions.map((p) => p.id);
    // Some servers answer create-topic without the partition list; fall back to 0..n-1.
    if (ids.length > 0) return ids;
    return Array.from({ length: Math.max(1, topic.partitionsCount) }, (_, i) => i);
  }

  /** The newest JSON id in the topic + 1 (1 for an empty topic). */
  private async readNextId(partitionIds: number[]): Promise<bigint> {
    let newest: bigint | undefined;
    for (const partitionId of partitionIds) {
      const id = await this.newestIdIn(partitionId);
      if (id !== undefined && (newest === undefined || id > newest)) newest = id;
    }
    return newest === undefined ? 1n : newest + 1n;
  }

  private async newestIdIn(partitionId: number): Promise<bigint | undefined> {
    const { client, streamName, topicName } = this.options;
    // Last count 1 covers the usual case; a foreign non-JSON message on top makes us look further back.
    for (const count of [1, 100]) {
      const polled = await client.pollMessages({
        consumer: Consumer.single(ID_PROBE_CONSUMER),
        streamId: streamName,
        topicId: topicName,
        partitionId,
        strategy: PollingStrategy.last(),
        count,
        autoCommit: false,
      });
      let newest: bigint | undefined;
      for (const message of polled.messages) {
        const id = payloadJsonId(message.payload);
        if (id !== undefined && (newest === undefined || id > newest)) newest = id;
      }
      if (newest !== undefined || polled.messages.length < count) return newest;
    }
    return undefined;
  }

  private async sendBatch(count: number): Promise<void> {
    const { client, logger, streamName, topicName } = this.options;
    const firstId = this.nextId ?? 1n;
    const at = new Date(this.now());
    const messages = Array.from({ length: count }, (_, i) => ({
      payload: producerPayload(firstId + BigInt(i), at),
    }));
    // Round-robin over the partitions on our side, with explicit partition ids: that is how Iggy's own Rust SDK
    // sends (it resolves Balanced on the client), so it is the path a real 0.9.0 server exercises the most.
    const partitionId = this.partitionIds[this.nextPartitionIndex % this.partitionIds.length] ?? 0;
    this.nextPartitionIndex = (this.nextPartitionIndex + 1) % this.partitionIds.length;
    const issuedAt = this.options.sendToken?.();
    const send = client.sendMessages({
      streamId: streamName,
      topicId: topicName,
      partitioning: Partitioning.partitionId(partitionId),
      messages,
    });
    this.inFlight = send;
    let result;
    try {
      result = await send;
    } catch (error) {
      if (isIggyError(error) && error.kind === 'outcome-unknown') {
        // Stored or not, nobody can tell: resending would risk the same ids twice, so the next send moves on
        // (docs/architecture.md#the-cluster-aware-connection). A re-read of the topic never goes below this.
        this.nextId = firstId + BigInt(count);
        this.pacer.markSent(count);
        logger.warn(
          { firstId: firstId.toString(), count },
          'send outcome unknown (the connection was lost before the reply); not resending',
        );
        this.options.onUnknownOutcome?.({ firstId, count });
      }
      throw error;
    } finally {
      this.inFlight = undefined;
    }
    // Counted even when stop() was called meanwhile: the server accepted these messages.
    this.pacer.markSent(count);
    this.sent += count;
    this.nextId = firstId + BigInt(count);
    const atMs = this.now();
    const batch: ProducerSentBatch = { firstId, count, atMs };
    if (issuedAt !== undefined) batch.issuedAt = issuedAt;
    if (result.partitionId !== undefined) batch.partitionId = result.partitionId;
    if (result.baseOffset !== undefined) batch.baseOffset = result.baseOffset;
    this.options.onSent?.(batch);
    const where = { partitionId: result.partitionId, offset: result.baseOffset?.toString() };
    if (count === 1 && this.pacer.ratePerSec <= BATCHING_THRESHOLD_PER_SEC) {
      logger.info({ id: firstId.toString(), ...where }, 'sent message');
    } else {
      logger.info({ firstId: firstId.toString(), count, ...where }, 'sent batch');
    }
    this.options.onChange?.();
  }
}
