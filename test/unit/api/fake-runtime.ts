import type {
  ConsumerStatus,
  DemoEvent,
  DemoMessage,
  DemoRuntimeApi,
  DemoStatus,
  MessagesQuery,
  MessagesResponse,
  ProducerStatus,
  Topology,
} from '@/lib/demo/types';

/** An in-memory DemoRuntimeApi that records every call, for route tests that need no Iggy at all. */
export class FakeRuntime implements DemoRuntimeApi {
  runId = 'fake-run-1';
  producer: ProducerStatus = { running: false, sent: 0, ratePerSec: 1 };
  consumer: ConsumerStatus = { running: true, received: 0 };
  messagesList: DemoMessage[] = [];
  calls: string[] = [];
  topologyResult: Topology | Error = {
    stream: { id: 0, name: 'demo-stream' },
    topic: {
      id: 0,
      name: 'demo-topic',
      partitions: [{ id: 0, currentOffset: '4', messagesCount: '5', sizeBytes: '512', segmentsCount: 1 }],
    },
    consumer: { name: 'demo-consumer', storedOffsets: [{ partitionId: 0, offset: '2', lag: '2' }], lag: '2' },
  };
  private readonly listeners = new Set<(event: DemoEvent) => void>();

  get listenerCount(): number {
    return this.listeners.size;
  }

  status(): DemoStatus {
    return {
      runId: this.runId,
      iggy: { connected: true, state: 'connected', address: '127.0.0.1:8090', standIn: false },
      producer: { ...this.producer },
      consumer: { ...this.consumer },
      stream: 'demo-stream',
      topic: 'demo-topic',
      consumerName: 'demo-consumer',
      throughput: { intervalMs: 1000, points: [] },
      resets: [],
    };
  }

  async startProducer(options: { ratePerSec?: number } = {}): Promise<ProducerStatus> {
    this.calls.push(`startProducer(${options.ratePerSec ?? ''})`);
    this.producer = {
      ...this.producer,
      running: true,
      ratePerSec: options.ratePerSec ?? this.producer.ratePerSec,
    };
    return { ...this.producer };
  }

  async stopProducer(): Promise<ProducerStatus> {
    this.calls.push('stopProducer()');
    this.producer = { ...this.producer, running: false };
    return { ...this.producer };
  }

  setProducerRate(ratePerSec: number): ProducerStatus {
    this.calls.push(`setProducerRate(${ratePerSec})`);
    this.producer = { ...this.producer, ratePerSec };
    return { ...this.producer };
  }

  async startConsumer(): Promise<ConsumerStatus> {
    this.calls.push('startConsumer()');
    this.consumer = { ...this.consumer, running: true };
    return { ...this.consumer };
  }

  async stopConsumer(): Promise<ConsumerStatus> {
    this.calls.push('stopConsumer()');
    this.consumer = { ...this.consumer, running: false };
    return { ...this.consumer };
  }

  setConsumerPollInterval(pollIntervalMs: number): ConsumerStatus {
    this.calls.push(`setConsumerPollInterval(${pollIntervalMs})`);
    this.consumer = { ...this.consumer, pollIntervalMs };
    return { ...this.consumer };
  }

  messages(query: MessagesQuery): MessagesResponse {
    this.calls.push(
      `messages(${query.after ?? ''},${query.limit}${query.run === undefined ? '' : `,${query.run}`})`,
    );
    const all = this.messagesList;
    // Like DemoRuntime: a cursor from another run is ignored.
    const after = query.run === undefined || query.run === this.runId ? query.after : undefined;
    const picked =
      after === undefined ? all.slice(-query.limit) : all.filter((m) => m.seq > after).slice(0, query.limit);
    return {
      messages: picked,
      latestOffset: all.at(-1)?.offset ?? null,
      latestSeq: all.at(-1)?.seq ?? 0,
      runId: this.runId,
    };
  }

  async topology(): Promise<Topology> {
    this.calls.push('topology()');
    if (this.topologyResult instanceof Error) throw this.topologyResult;
    return this.topologyResult;
  }

  subscribe(listener: (event: DemoEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: DemoEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** The message at `offset` of partition 0, consumed as the (offset + 1)th message of the run. */
export function fakeMessage(offset: number): DemoMessage {
  const ts = new Date(Date.UTC(2026, 0, 1, 0, 0, offset)).toISOString();
  const payloadText = `{"id": ${offset + 1}, "text": "hello from producer", "ts": "${ts}"}`;
  return {
    seq: offset + 1,
    offset: String(offset),
    partitionId: 0,
    id: String(1000n + BigInt(offset)),
    timestamp: ts,
    originTimestamp: ts,
    receivedAt: ts,
    payload: JSON.parse(payloadText),
    payloadText,
    sizeBytes: payloadText.length,
  };
}
