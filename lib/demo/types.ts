/**
 * The shapes the demo runtime hands to the HTTP API (and so to the browser): the one definition, re-exported
 * with the request schemas by `lib/api/contract.ts`. Everything here is JSON-ready: u64 offsets and u128 ids are
 * decimal strings, times are ISO strings.
 *
 * Naming: a `…Status` is a snapshot object the API reports; a `…State` is one value of a state machine.
 */
import type { ThroughputPoint, ThroughputSnapshot } from './throughput-history';

export type { ThroughputPoint, ThroughputSnapshot };

export interface ErrorInfo {
  code: string;
  message: string;
  /** ISO time the error was seen. */
  at: string;
}

/** The connection as the page shows it (the client's own ConnectionState, folded for a reader). */
export type IggyConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable';

export interface IggyStatus {
  connected: boolean;
  state: IggyConnectionState;
  /** host:port, never credentials. */
  address: string;
  serverVersion?: string;
  /**
   * The server is the in-memory stand-in (its version carries the `+stand-in` build tag), not Iggy: the page
   * says so on every screen.
   */
  standIn: boolean;
  roundTripMs?: number;
  error?: ErrorInfo;
}

export interface ProducerStatus {
  running: boolean;
  sent: number;
  ratePerSec: number;
  /** JSON `id` the next message will carry, once known. */
  nextId?: string;
  lastError?: ErrorInfo;
}

export interface ConsumerStatus {
  running: boolean;
  received: number;
  lastOffset?: string;
  storedOffset?: string;
  /** Messages not consumed yet, summed over partitions; computed on the server only. */
  lag?: string;
  /** True while the stream or topic does not exist yet (the consumer waits for the producer). */
  waitingForTopic?: boolean;
  lastError?: ErrorInfo;
  /** Wait between polls that found nothing new; the loop always reports it (optional for older answers). */
  pollIntervalMs?: number;
}

/**
 * A partition on which the server reports fewer offsets than this app saw it hold: acknowledged messages are
 * gone (Iggy 0.9.0 keeps new messages in an in-memory journal until 1,024 messages or 1 MiB or a graceful
 * shutdown), and the offsets are handed out again. Offsets are decimal strings.
 */
export interface PartitionReset {
  /** 1, 2, 3 … in this run; a later, more precise report of the same reset keeps its id. */
  id: number;
  partitionId: number;
  /** First and last offset whose messages are gone (inclusive). */
  lostFrom: string;
  lostTo: string;
  lostCount: string;
  /** False when the server only let us bound the loss: at least lostFrom–lostTo is gone. */
  exact: boolean;
  /** ISO time this app noticed it (not when the server went down). */
  noticedAt: string;
  /** What revealed it: a send that got an old offset again, a poll, a topic read, or a stored offset past the data. */
  noticedBy: 'send' | 'poll' | 'topology' | 'stored-offset';
  /** The likely cause, in words. */
  cause: string;
  /** The newest message `seq` delivered before the reset was noticed: the timeline shows the reset right after it. */
  afterSeq: number;
}

/** A node of the cluster as the app sees it. `role` is what the cluster metadata says; `reachable` is judged by the app. */
export interface ClusterNodeStatus {
  /** The node's name from the cluster metadata, e.g. `node-0`. */
  name: string;
  /** Client (TCP) address as the metadata lists it, `host:port`. */
  address: string;
  role: 'leader' | 'follower';
  /** What the metadata's status byte says. The server fills it from configuration: a dead node may still read healthy. */
  reportedStatus: 'healthy' | 'starting' | 'stopping' | 'unreachable' | 'maintenance' | 'unknown';
  /** Whether the app could reach the node at its last check; null before the first check. */
  reachable: boolean | null;
  /** Which of the app's loops are connected to this node right now. */
  usedBy: ('producer' | 'consumer')[];
}

/** One loss of the primary and what followed, as the app lived it. */
export interface FailoverEvent {
  /** 1, 2, 3 … in this run; a later report of the same failover (the new primary found) keeps its id. */
  id: number;
  /** Name and address of the primary that stopped answering. */
  lostPrimary: { name: string; address: string };
  /** ISO time the app noticed the primary was gone. */
  lostAt: string;
  /** The node that took over, once found. */
  newPrimary?: { name: string; address: string };
  /** ISO time the app was working on the new primary again. */
  recoveredAt?: string;
  /** How long the app had no primary to write to (lostAt → recoveredAt), once known. */
  noPrimaryMs?: number;
  /** Sends whose reply was lost with the connection: they may or may not be stored; never resent as new. */
  unknownOutcomeSends: number;
  /** The newest message `seq` delivered before the loss: the timeline shows the divider right after it. */
  afterSeq: number;
}

/** Present in the status only when the roster lists more than one node. */
export interface ClusterStatus {
  /** Cluster name from the metadata. */
  name: string;
  nodes: ClusterNodeStatus[];
  /** Name of the node the app currently treats as primary, if one is known. */
  primary?: string;
  /** The most recent failovers of this run, oldest first (bounded). */
  failovers: FailoverEvent[];
}

export interface DemoStatus {
  /**
   * Names this app process's run. `seq` numbers start again at 1 in every run, so a page holding a cursor from
   * another run must start over instead of resuming.
   */
  runId: string;
  iggy: IggyStatus;
  producer: ProducerStatus;
  consumer: ConsumerStatus;
  stream: string;
  topic: string;
  consumerName: string;
  throughput: ThroughputSnapshot;
  /** The most recent partition resets of this run, oldest first (bounded). */
  resets: PartitionReset[];
  /** The cluster, when the server is one node of several (absent for a single node). */
  cluster?: ClusterStatus;
}

export interface DemoMessage {
  /**
   * Position in this run's consumption order, assigned by the consumer loop alone: 1, 2, 3 … across partitions
   * and across partition resets. The cursor of `/api/messages?after=` and the SSE event id.
   */
  seq: number;
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

export interface MessagesResponse {
  messages: DemoMessage[];
  /** Offset of the newest message held (in whichever partition it arrived), or null while none is held. */
  latestOffset: string | null;
  /** The newest `seq` assigned in this run (0 before the first message). */
  latestSeq: number;
  runId: string;
}

export interface TopologyPartition {
  id: number;
  currentOffset: string;
  messagesCount: string;
  sizeBytes: string;
  segmentsCount: number;
}

export interface ConsumerPartitionOffset {
  partitionId: number;
  /** Stored consumer offset, or null when the consumer never stored one. */
  offset: string | null;
  /** Messages of this partition the consumer has not processed yet. */
  lag: string;
}

export interface Topology {
  stream: { id: number; name: string };
  topic: { id: number; name: string; partitions: TopologyPartition[] };
  consumer: {
    name: string;
    storedOffsets: ConsumerPartitionOffset[];
    /** Sum of the per-partition lags. */
    lag: string;
  };
}

export type DemoEvent =
  | { type: 'message'; message: DemoMessage }
  | { type: 'status' }
  /** A new partition reset, or a more precise report of one already sent (same id). */
  | { type: 'reset'; reset: PartitionReset }
  /** A new failover, or a later report of one already sent (same id: the new primary was found). */
  | { type: 'failover'; failover: FailoverEvent };

export interface MessagesQuery {
  /** Only messages with a `seq` above this one. */
  after?: number;
  /** The run the cursor belongs to; a cursor from another run is ignored (the page starts over). */
  run?: string;
  limit: number;
}

/** What the route handlers need from the runtime; a fake implements it in tests. */
export interface DemoRuntimeApi {
  readonly runId: string;
  status(): DemoStatus;
  startProducer(options?: { ratePerSec?: number }): Promise<ProducerStatus>;
  stopProducer(): Promise<ProducerStatus>;
  setProducerRate(ratePerSec: number): ProducerStatus;
  startConsumer(): Promise<ConsumerStatus>;
  stopConsumer(): Promise<ConsumerStatus>;
  /** 50..2000 ms; applies live (a shorter interval ends the current wait). */
  setConsumerPollInterval(pollIntervalMs: number): ConsumerStatus;
  messages(query: MessagesQuery): MessagesResponse;
  topology(): Promise<Topology>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: DemoEvent) => void): () => void;
}
