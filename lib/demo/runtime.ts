import { randomUUID } from 'node:crypto';
import { IggyClient, type IggyClientOptions } from '@/lib/iggy';
import type { DemoConfig } from './config';
import { ClusterWatch } from './cluster-watch';
import { ConnectionMonitor } from './connection-monitor';
import { ConsumerLoop, type ConsumedMessage } from './consumer-loop';
import { DemoError } from './errors';
import { isStandInVersion } from './stand-in';
import { silentLogger, type Logger } from './logger';
import { DEFAULT_BUFFER_CAPACITY, MessageBuffer } from './message-buffer';
import { toDemoMessage } from './message-json';
import { PartitionWatch, type PartitionResetEvent } from './partition-watch';
import { ProducerLoop } from './producer-loop';
import { ThroughputHistory } from './throughput-history';
import { readTopology } from './topology-read';
import { WireLog } from './wire-log';
import type {
  ClusterStatus,
  ConsumerStatus,
  FailoverEvent,
  DemoEvent,
  DemoMessage,
  DemoRuntimeApi,
  DemoStatus,
  IggyStatus,
  MessagesQuery,
  MessagesResponse,
  PartitionReset,
  ProducerStatus,
  Topology,
} from './types';
/** How often a stopped consumer's lag is re-read, so the status keeps showing it grow. */
const OFFSET_WATCH_INTERVAL_MS = 1000;
/** Partition resets kept for /api/status (a page that connects later still sees them). */
const MAX_RECENT_RESETS = 20;

export interface DemoRuntimeOptions {
  logger?: Logger;
  /** Extra client settings (timeouts, reconnect delays); host, port and credentials come from the config. */
  clientOptions?: Partial<IggyClientOptions>;
  bufferCapacity?: number;
  consumerPollIntervalMs?: number;
  /** Coalesces bursts of state changes into one status event (default 250 ms). */
  statusDebounceMs?: number;
  now?: () => number;
  /** Names this run (default: a random UUID). */
  runId?: string;
}

interface StoredMessage {
  seq: number;
  offset: bigint;
  partitionId: number;
  json: DemoMessage;
}

/**
 * The demo's moving parts in one object: a producer loop and a consumer loop, each on its own
 * IggyClient (one request in flight per connection, so a slow poll never delays a send), the
 * consumer's timeline buffer, per-second throughput, and an event feed for Server-Sent Events.
 * About 400 lines: it only wires those parts together and reports them; each part is its own module.
 */
export class DemoRuntime implements DemoRuntimeApi {
  readonly config: DemoConfig;
  /** `seq` restarts at 1 with every runtime: a page's cursor is only meaningful together with this id. */
  readonly runId: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly producerConnection: ConnectionMonitor;
  private readonly consumerConnection: ConnectionMonitor;
  private readonly producer: ProducerLoop;
  private readonly consumer: ConsumerLoop;
  private readonly buffer: MessageBuffer<StoredMessage>;
  private readonly throughput = new ThroughputHistory();
  /** The frames both connections exchange, recorded only while the wire inspector is open. */
  readonly wireLog: WireLog;
  private readonly listeners = new Set<(event: DemoEvent) => void>();
  private readonly statusDebounceMs: number;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private offsetWatch: ReturnType<typeof setInterval> | undefined;
  private watchingOffsets = false;
  /** Highest offset seen per partition, fed by every loop and topology read: notices what a crash lost. */
  private readonly partitionWatch: PartitionWatch;
  private readonly resets: PartitionReset[] = [];
  /** Roster, reachability and failovers, when Iggy runs as a cluster. */
  private readonly clusterWatch: ClusterWatch;

  constructor(config: DemoConfig, options: DemoRuntimeOptions = {}) {
    this.config = config;
    this.runId = options.runId ?? randomUUID();
    this.logger = options.logger ?? silentLogger();
    this.now = options.now ?? Date.now;
    this.statusDebounceMs = options.statusDebounceMs ?? 250;
    this.buffer = new MessageBuffer({ capacity: options.bufferCapacity ?? DEFAULT_BUFFER_CAPACITY });
    const clientOptions = (sdkName: string): IggyClientOptions => ({
      ...options.clientOptions,
      host: config.iggy.host,
      port: config.iggy.port,
      username: config.iggy.username,
      password: config.iggy.password,
      // Cluster-aware even with one address: it may be one node of a cluster, and a single node reads as one.
      seeds: config.iggy.seeds.map(({ host, port }) => ({ host, port })),
      cluster: options.clientOptions?.cluster ?? true,
      sdkName: options.clientOptions?.sdkName ?? sdkName,
    });
    const onChange = () => this.scheduleStatus();
    this.partitionWatch = new PartitionWatch({
      now: this.now,
      capacity: MAX_RECENT_RESETS,
      onEvent: (event, refined) => this.recordReset(event, refined),
    });
    const producerClient = new IggyClient(clientOptions('iggy-demo-producer'));
    const consumerClient = new IggyClient(clientOptions('iggy-demo-consumer'));
    this.producerConnection = new ConnectionMonitor(producerClient, onChange);
    this.consumerConnection = new ConnectionMonitor(consumerClient, onChange);
    this.wireLog = new WireLog({ producer: producerClient, consumer: consumerClient });
    this.producer = new ProducerLoop({
      client: producerClient,
      streamName: config.streamName,
      topicName: config.topicName,
      partitionsCount: config.partitionsCount,
      ...(config.topicDurability ? { durability: config.topicDurability } : {}),
      ratePerSec: config.producerRatePerSec,
      logger: this.logger.child({ loop: 'producer' }),
      ready: () => this.producerConnection.ready(),
      onTopic: (topic) => this.partitionWatch.observeTopic(topic.createdAtMicros),
      sendToken: () => this.partitionWatch.tick(),
      onSent: (batch) => {
        this.throughput.recordProduced(batch.count, batch.atMs);
        // The server handing out an offset it already gave is the earliest and most exact sign of a reset.
        if (batch.partitionId !== undefined && batch.baseOffset !== undefined)
          this.partitionWatch.observeSent(batch.partitionId, batch.baseOffset, batch.count, batch.issuedAt);
      },
      onUnknownOutcome: (batch) => this.clusterWatch.noteUnknownOutcome(batch.count),
      onChange,
      now: this.now,
    });
    this.consumer = new ConsumerLoop({
      client: consumerClient,
      streamName: config.streamName,
      topicName: config.topicName,
      consumerName: config.consumerName,
      logger: this.logger.child({ loop: 'consumer' }),
      watch: this.partitionWatch,
      ready: () => this.consumerConnection.ready(),
      onMessages: (messages, receivedAtMs) => this.acceptMessages(messages, receivedAtMs),
      // The topic is gone, and its messages with it. (A single partition reset needs nothing here: seq keeps
      // counting, so its new offsets are never mistaken for old ones.)
      onReset: (partitionId) => {
        if (partitionId === undefined) this.buffer.clear();
      },
      onChange,
      now: this.now,
      pollIntervalMs: options.consumerPollIntervalMs ?? config.consumerPollIntervalMs,
    });
    this.clusterWatch = new ClusterWatch({
      clients: { producer: producerClient, consumer: consumerClient },
      latestSeq: () => this.consumer.latestSeq,
      onFailover: (failover) => this.recordFailover(failover),
      onChange,
      now: this.now,
    });
  }

  /** A new failover is logged once at warn level, its end once at info level; each report goes to subscribers. */
  private recordFailover(failover: FailoverEvent): void {
    if (failover.recoveredAt === undefined && failover.unknownOutcomeSends === 0) {
      this.logger.warn(
        { lostPrimary: failover.lostPrimary.address },
        `Iggy cluster: lost the primary ${failover.lostPrimary.name}; looking for the new one`,
      );
    } else if (failover.newPrimary && failover.unknownOutcomeSends === 0) {
      this.logger.info(
        { newPrimary: failover.newPrimary.address, noPrimaryMs: failover.noPrimaryMs },
        `Iggy cluster: ${failover.newPrimary.name} is primary now`,
      );
    }
    this.emit({ type: 'failover', failover });
    this.scheduleStatus();
  }

  /** Starts the consumer (the producer waits for a click). Connecting happens in the background. */
  start(): this {
    if (this.closed) return this;
    this.consumer.start();
    this.offsetWatch ??= setInterval(() => void this.watchOffsetsWhileStopped(), OFFSET_WATCH_INTERVAL_MS);
    this.offsetWatch.unref?.();
    return this;
  }

  /** A stopped consumer polls nothing; read the offsets for it so the status shows lag building up. */
  private async watchOffsetsWhileStopped(): Promise<void> {
    if (this.closed || this.consumer.isRunning || this.watchingOffsets) return;
    if (this.consumerConnection.state !== 'connected') return;
    this.watchingOffsets = true;
    try {
      const topology = await this.topology();
      this.consumer.observe(
        topology.topic.partitions.map((p) => ({
          id: p.id,
          currentOffset: BigInt(p.currentOffset),
          messagesCount: BigInt(p.messagesCount),
        })),
        topology.consumer.storedOffsets.map((s) => ({
          partitionId: s.partitionId,
          offset: s.offset === null ? null : BigInt(s.offset),
        })),
      );
      this.scheduleStatus();
    } catch {
      // Unreachable server or no topic yet: the connection state and the consumer already say so.
    } finally {
      this.watchingOffsets = false;
    }
  }

  status(): DemoStatus {
    return {
      runId: this.runId,
      iggy: this.iggyStatus(),
      producer: this.producer.status(),
      consumer: this.consumer.status(),
      stream: this.config.streamName,
      topic: this.config.topicName,
      consumerName: this.config.consumerName,
      throughput: this.throughput.snapshot(this.now()),
      resets: this.resets.map((r) => ({ ...r })),
      ...this.clusterSection(),
    };
  }

  private clusterSection(): { cluster?: ClusterStatus } {
    const cluster = this.clusterWatch.status();
    return cluster ? { cluster } : {};
  }

  /** A new reset is logged once at warn level; a refinement (same id, a lower lostFrom) only updates it. */
  private recordReset(event: PartitionResetEvent, refined: boolean): void {
    const known = this.resets.find((r) => r.id === event.id);
    let reset: PartitionReset;
    if (known) {
      Object.assign(known, event);
      reset = known;
    } else {
      // The divider goes after the newest message the consumer had handed on when the reset was noticed.
      reset = { ...event, afterSeq: this.consumer.latestSeq };
      this.resets.push(reset);
      while (this.resets.length > MAX_RECENT_RESETS) this.resets.shift();
    }
    if (!refined) {
      this.logger.warn(
        {
          partitionId: event.partitionId,
          lostFrom: event.lostFrom,
          lostTo: event.lostTo,
          exact: event.exact,
          noticedBy: event.noticedBy,
        },
        `Iggy lost offsets ${event.lostFrom}–${event.lostTo} of partition ${event.partitionId}` +
          `${event.exact ? '' : ' (at least)'}: likely ${event.cause}`,
      );
    }
    this.emit({ type: 'reset', reset: { ...reset } });
    this.scheduleStatus();
  }

  async startProducer(options: { ratePerSec?: number } = {}): Promise<ProducerStatus> {
    this.assertOpen();
    return this.producer.start(options.ratePerSec);
  }

  stopProducer(): Promise<ProducerStatus> {
    return this.producer.stop();
  }

  setProducerRate(ratePerSec: number): ProducerStatus {
    return this.producer.setRate(ratePerSec);
  }

  async startConsumer(): Promise<ConsumerStatus> {
    this.assertOpen();
    return this.consumer.start();
  }

  /** Changes the consumer's wait between polls (50..2000 ms) live; a shorter one applies at once. */
  setConsumerPollInterval(pollIntervalMs: number): ConsumerStatus {
    return this.consumer.setPollInterval(pollIntervalMs);
  }

  stopConsumer(): Promise<ConsumerStatus> {
    return this.consumer.stop();
  }

  messages(query: MessagesQuery): MessagesResponse {
    // A cursor from an earlier run counts a different sequence: answer as for a page that holds nothing.
    const after = query.run === undefined || query.run === this.runId ? query.after : undefined;
    const latest = this.buffer.latestOffset();
    return {
      messages: this.buffer.query(after, query.limit).map((m) => m.json),
      latestOffset: latest === undefined ? null : latest.toString(),
      latestSeq: this.consumer.latestSeq,
      runId: this.runId,
    };
  }

  async topology(): Promise<Topology> {
    this.assertOpen();
    const connection = this.consumerConnection;
    // A dropped connection would make each call wait for the reconnect: answer "unavailable" now instead.
    if (connection.state === 'reconnecting' || connection.state === 'closed') {
      throw new DemoError('IGGY_UNAVAILABLE', `Iggy is not reachable at ${this.config.address}`);
    }
    try {
      await connection.ready();
    } catch {
      throw new DemoError('IGGY_UNAVAILABLE', `Iggy is not reachable at ${this.config.address}`);
    }
    return readTopology(connection.client as IggyClient, this.config, this.partitionWatch);
  }

  subscribe(listener: (event: DemoEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves once every stopped loop has finished its last request (a running loop is not waited for). */
  async whenIdle(): Promise<void> {
    const waits: Promise<void>[] = [];
    if (!this.producer.isRunning) waits.push(this.producer.whenIdle());
    if (!this.consumer.isRunning) waits.push(this.consumer.whenIdle());
    await Promise.all(waits);
  }

  /** Stops both loops and closes both connections; the runtime cannot be started again. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.producer.stop(), this.consumer.stop()]);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    if (this.offsetWatch) clearInterval(this.offsetWatch);
    this.offsetWatch = undefined;
    this.clusterWatch.stop();
    const idle = this.whenIdle();
    await Promise.race([idle, new Promise((resolve) => setTimeout(resolve, 3000))]);
    await Promise.allSettled([this.producerConnection.close(), this.consumerConnection.close()]);
    this.wireLog.close();
    this.listeners.clear();
  }

  private iggyStatus(): IggyStatus {
    const keepers = [this.consumerConnection, this.producerConnection];
    const live = keepers.find((k) => k.state === 'connected');
    const primary = live ?? this.consumerConnection;
    const status: IggyStatus = {
      connected: live !== undefined,
      state: live ? 'connected' : primary.reportedState(),
      // In a cluster, the node this app works on now; otherwise the one address it was given.
      address: live && this.clusterWatch.status() ? live.client.address : this.config.address,
      standIn: isStandInVersion(primary.client.serverVersion),
    };
    const version = primary.client.serverVersion;
    if (version) status.serverVersion = version;
    const rtt = primary.client.lastRoundTripMs;
    if (rtt !== undefined) status.roundTripMs = Math.round(rtt * 100) / 100;
    const error = live ? undefined : (this.consumerConnection.error ?? this.producerConnection.error);
    if (error) status.error = error;
    return status;
  }

  /** The consumer loop already decided these are new and numbered them: keep, count and announce each one. */
  private acceptMessages(messages: ConsumedMessage[], receivedAtMs: number): void {
    for (const message of messages) {
      const json = toDemoMessage(message, receivedAtMs);
      this.buffer.push({ seq: message.seq, offset: message.offset, partitionId: message.partitionId, json });
      this.emit({ type: 'message', message: json });
    }
    if (messages.length > 0) this.throughput.recordConsumed(messages.length, receivedAtMs);
  }

  private scheduleStatus(): void {
    if (this.statusTimer || this.closed) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.emit({ type: 'status' });
    }, this.statusDebounceMs);
  }

  private emit(event: DemoEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber (a closed SSE stream) must not stop the others or the loops.
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'event listener failed',
        );
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new DemoError('IGGY_UNAVAILABLE', 'the demo runtime is shut down');
  }
}
