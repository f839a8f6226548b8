/**
 * The shapes the demo runtime hands to the HTTP API (and so to the browser). Everything here is
 * JSON-ready: u64 offsets and u128 ids are decimal strings, times are ISO strings.
 */
import type { ThroughputSnapshot } from './throughput-history';

export interface ErrorInfo {
  code: string;
  message: string;
  /** ISO time the error was seen. */
  at: string;
}

export type IggyConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export interface IggyStatus {
  connected: boolean;
  state: IggyConnectionStatus;
  /** host:port, never credentials. */
  address: string;
  serverVersion?: string;
  roundTripMs?: number;
  error?: ErrorInfo;
}

export interface ProducerState {
  running: boolean;
  sent: number;
  ratePerSec: number;
  /** JSON `id` the next message will carry, once known. */
  nextId?: string;
  lastError?: ErrorInfo;
}

export interface ConsumerState {
  running: boolean;
  received: number;
  lastOffset?: string;
  storedOffset?: string;
  lag?: string;
  /** True while the stream or topic does not exist yet (the consumer waits for the producer). */
  waitingForTopic?: boolean;
  lastError?: ErrorInfo;
}

export interface DemoStatus {
  iggy: IggyStatus;
  producer: ProducerState;
  consumer: ConsumerState;
  stream: string;
  topic: string;
  consumerName: string;
  throughput: ThroughputSnapshot;
}

export interface DemoMessage {
  offset: string;
  partitionId: number;
  /** Iggy message id (u128), decimal. */
  id: string;
  /** Server stamp, ISO. */
  timestamp: string;
  /** Producer's stamp, ISO. */
  originTimestamp: string;
  /** When this app's consumer received it, ISO. */
  receivedAt: string;
  /** Parsed JSON when the payload is valid JSON, otherwise the UTF-8 text. */
  payload: unknown;
  payloadText: string;
  sizeBytes: number;
}

export interface MessagesPage {
  messages: DemoMessage[];
  latestOffset: string | null;
}

export interface TopologyPartition {
  id: number;
  currentOffset: string;
  messagesCount: string;
  sizeBytes: string;
  segmentsCount: number;
}

export interface Topology {
  stream: { id: number; name: string };
  topic: { id: number; name: string; partitions: TopologyPartition[] };
  consumer: { name: string; storedOffsets: { partitionId: number; offset: string | null }[] };
}

export type DemoEvent = { type: 'message'; message: DemoMessage } | { type: 'status' };

export interface MessagesQuery {
  after?: bigint;
  limit: number;
}

/** What the route handlers need from the runtime; a fake implements it in tests. */
export interface DemoRuntimeApi {
  status(): DemoStatus;
  startProducer(options?: { ratePerSec?: number }): Promise<ProducerState>;
  stopProducer(): Promise<ProducerState>;
  setProducerRate(ratePerSec: number): ProducerState;
  startConsumer(): Promise<ConsumerState>;
  stopConsumer(): Promise<ConsumerState>;
  messages(query: MessagesQuery): MessagesPage;
  topology(): Promise<Topology>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: DemoEvent) => void): () => void;
}
