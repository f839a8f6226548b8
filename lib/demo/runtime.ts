import { Consumer, IggyClient, type IggyClientOptions, type PolledMessage } from '@/lib/iggy';
import type { DemoConfig } from './config';
import { ConnectionKeeper } from './connection-keeper';
import { ConsumerLoop } from './consumer-loop';
import { DemoError } from './errors';
import { silentLogger, type Logger } from './logger';
import { DEFAULT_BUFFER_CAPACITY, MessageBuffer } from './message-buffer';
import { toDemoMessage } from './message-json';
import { ProducerLoop } from './producer-loop';
import { ThroughputHistory } from './throughput-history';
import { WireLog } from './wire-log';
import type {
  ConsumerState,
  DemoEvent,
  DemoMessage,
  DemoRuntimeApi,
  DemoStatus,
  IggyStatus,
  MessagesPage,
  MessagesQuery,
  ProducerState,
  Topology,
} from './types';
/** How often a stopped consumer's lag is re-read, so the status keeps showing it grow. */
const OFFSET_WATCH_INTERVAL_MS = 1000;

export interface DemoRuntimeOptions {
  logger?: Logger;
  /** Extra client settings (timeouts, reconnect delays); host, port and credentials come from the config. */
  clientOptions?: Partial<IggyClientOptions>;
  bufferCapacity?: number;
  consumerPollIntervalMs?: number;
  /** Coalesces bursts of state changes into one status event (default 250 ms). */
  statusDebounceMs?: number;
  now?: () => number;
}

interface StoredMessage {
  offset: bigint;
  partitionId: number;
  json: DemoMessage;
}

/**
 * The demo's moving parts in one object: a producer loop and a consumer loop, each on its own
 * IggyClient (one request in flight per connection, so a slow poll never delays a send), the
 * consumer's timeline buffer, per-second throughput, and an event feed for Server-Sent Events.
 */
export class DemoRuntime implements DemoRuntimeApi {
  readonly config: DemoConfig;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly producerConnection: ConnectionKeeper;
  private readonly consumerConnection: ConnectionKeeper;
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

  constructor(config: DemoConfig, options: DemoRuntimeOptions = {}) {
    this.config = config;
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
      sdkName: options.clientOptions?.sdkName ?? sdkName,
    });
    const onChange = () => this.scheduleStatus();
    const producerClient = new IggyClient(clientOptions('iggy-demo-producer'));
    const consumerClient = new IggyClient(clientOptions('iggy-demo-consumer'));
    this.producerConnection = new ConnectionKeeper(producerClient, onChange);
    this.consumerConnection = new ConnectionKeeper(consumerClient, onChange);
    this.wireLog = new WireLog({ producer: producerClient, consumer: consumerClient });
    this.producer = new ProducerLoop({
      client: producerClient,
      streamName: config.streamName,
      topicName: config.topicName,
      partitionsCount: config.partitionsCount,
      ratePerSec: config.producerRatePerSec,
      logger: this.logger.child({ loop: 'producer' }),
      ready: () => this.producerConnection.ready(),
      onSent: (batch) => this.throughput.recordProduced(batch.count, batch.atMs),
      onChange,
      now: this.now,
    });
    this.consumer = new ConsumerLoop({
      client: consumerClient,
      streamName: config.streamName,
      topicName: config.topicName,
      consumerName: config.consumerName,
      logger: this.logger.child({ loop: 'consumer' }),
      ready: () => this.consumerConnection.ready(),
      onMessages: (messages, receivedAtMs) => this.acceptMessages(messages, receivedAtMs),
      onReset: (partitionId) => {
        if (partitionId === undefined) this.buffer.clear();
        else this.buffer.resetPartition(partitionId);
      },
      onChange,
      now: this.now,
      ...(options.consumerPollIntervalMs !== undefined
        ? { pollIntervalMs: options.consumerPollIntervalMs }
        : {}),
    });
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
      iggy: this.iggyStatus(),
      producer: this.producer.state(),
      consumer: this.consumer.state(),
      stream: this.config.streamName,
      topic: this.config.topicName,
      consumerName: this.config.consumerName,
      throughput: this.throughput.snapshot(this.now()),
    };
  }

  async startProducer(options: { ratePerSec?: number } = {}): Promise<ProducerState> {
    this.assertOpen();
    return this.producer.start(options.ratePerSec);
  }

  stopProducer(): Promise<ProducerState> {
    return this.producer.stop();
  }

  setProducerRate(ratePerSec: number): ProducerState {
    return this.producer.setRate(ratePerSec);
  }

  async startConsumer(): Promise<ConsumerState> {
    this.assertOpen();
    return this.consumer.start();
  }

  stopConsumer(): Promise<ConsumerState> {
    return this.consumer.stop();
  }

  messages(query: MessagesQuery): MessagesPage {
    const latest = this.buffer.latestOffset();
    return {
      messages: this.buffer.query(query.after, query.limit).map((m) => m.json),
      latestOffset: latest === undefined ? null : latest.toString(),
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
    const client = connection.client as IggyClient;
    const { streamName, topicName, consumerName } = this.config;
    const stream = await client.getStream(streamName);
    const topic = stream ? await client.getTopic(streamName, topicName) : null;
    if (!stream || !topic) {
      throw new DemoError(
        'TOPIC_NOT_FOUND',
        `Topic ${streamName}/${topicName} does not exist yet; start the producer to create it`,
      );
    }
    const storedOffsets: Topology['consumer']['storedOffsets'] = [];
    for (const partition of topic.partitions) {
      const info = await client.getConsumerOffset({
        consumer: Consumer.single(consumerName),
        streamId: streamName,
        topicId: topicName,
        partitionId: partition.id,
      });
      storedOffsets.push({ partitionId: partition.id, offset: info ? info.storedOffset.toString() : null });
    }
    return {
      stream: { id: stream.id, name: stream.name },
      topic: {
        id: topic.id,
        name: topic.name,
        partitions: topic.partitions.map((p) => ({
          id: p.id,
          currentOffset: p.currentOffset.toString(),
          messagesCount: p.messagesCount.toString(),
          sizeBytes: p.sizeBytes.toString(),
          segmentsCount: p.segmentsCount,
        })),
      },
      consumer: { name: consumerName, storedOffsets },
    };
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
      state: live ? 'connected' : primary.status(),
      address: this.config.address,
    };
    const version = primary.client.serverVersion;
    if (version) status.serverVersion = version;
    const rtt = primary.client.lastRoundTripMs;
    if (rtt !== undefined) status.roundTripMs = Math.round(rtt * 100) / 100;
    const error = live ? undefined : (this.consumerConnection.error ?? this.producerConnection.error);
    if (error) status.error = error;
    return status;
  }

  private acceptMessages(messages: PolledMessage[], receivedAtMs: number): void {
    let accepted = 0;
    for (const message of messages) {
      const json = toDemoMessage(message, receivedAtMs);
      if (!this.buffer.push({ offset: message.offset, partitionId: message.partitionId, json })) continue;
      accepted += 1;
      this.emit({ type: 'message', message: json });
    }
    if (accepted > 0) this.throughput.recordConsumed(accepted, receivedAtMs);
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
