// Shapes of the demo's HTTP API (see the API contract). u64 offsets and u128 ids travel as decimal strings.

export interface ErrorInfo {
  code: string;
  message: string;
  at?: string;
}

export type IggyConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export interface IggyStatus {
  connected: boolean;
  state?: IggyConnectionState;
  address: string;
  serverVersion?: string;
  roundTripMs?: number;
  error?: ErrorInfo;
}

export interface ProducerStatus {
  running: boolean;
  sent: number;
  ratePerSec: number;
  nextId?: string;
  lastError?: ErrorInfo;
}

export interface ConsumerStatus {
  running: boolean;
  received: number;
  lastOffset?: string;
  storedOffset?: string;
  lag?: string;
  lastError?: ErrorInfo;
}

export interface ThroughputPoint {
  t: string;
  produced: number;
  consumed: number;
}

export interface DemoStatus {
  iggy: IggyStatus;
  producer: ProducerStatus;
  consumer: ConsumerStatus;
  stream?: string;
  topic?: string;
  consumerName?: string;
  throughput?: { intervalMs: number; points: ThroughputPoint[] };
}

export interface DemoMessage {
  offset: string;
  partitionId: number;
  id: string;
  timestamp: string;
  originTimestamp?: string;
  receivedAt?: string;
  payload: unknown;
  payloadText?: string;
  sizeBytes?: number;
}

export interface MessagesResponse {
  messages: DemoMessage[];
  latestOffset: string | null;
}

// Topology is read straight from the server's definition (a type-only import); the status and message shapes above
// stay separate on purpose: the page treats their fields as optional and checks what arrives before using it.
export type { Topology, TopologyPartition as PartitionInfo } from '@/lib/demo/types';

const DECIMAL = /^\d{1,39}$/;

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

/** Checks a message that arrived over SSE or polling; anything malformed is dropped rather than crashing the page. */
export function parseDemoMessage(value: unknown): DemoMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isDecimalString(v.offset)) return null;
  if (typeof v.partitionId !== 'number' || !Number.isInteger(v.partitionId) || v.partitionId < 0) return null;
  const id = typeof v.id === 'string' ? v.id : typeof v.id === 'number' ? String(v.id) : '';
  return {
    offset: v.offset,
    partitionId: v.partitionId,
    id,
    timestamp: typeof v.timestamp === 'string' ? v.timestamp : '',
    originTimestamp: typeof v.originTimestamp === 'string' ? v.originTimestamp : undefined,
    receivedAt: typeof v.receivedAt === 'string' ? v.receivedAt : undefined,
    payload: v.payload,
    payloadText: typeof v.payloadText === 'string' ? v.payloadText : undefined,
    sizeBytes: typeof v.sizeBytes === 'number' ? v.sizeBytes : undefined,
  };
}
