import type { Socket } from 'node:net';
import type { FollowerLag } from '../model/follower-lag';
import type { IggyState } from '../model/state';
import type { RequestHeader } from '../wire/frame';
import type { TopicOptionsFlavor } from '../wire/topic-options';

export interface UserAccount {
  id: number;
  username: string;
  password: string;
  active: boolean;
}

export interface ResolvedOptions {
  users: UserAccount[];
  serverVersion: string;
  protocolVersion: number;
  heartbeatIntervalMs: number;
  transientAfterCreateMs: number;
  rebalancingTimeoutMs: number;
  topicOptionsFlavor: TopicOptionsFlavor;
  log: (line: string) => void;
}

export interface ConnectionState {
  /** Server-side connection number: the `client_id` of get me / get clients and a group's member_id. */
  id: number;
  socket: Socket;
  address: string;
  /** The u128 client id registered on this connection; stale when the binding moved to another connection. */
  boundClientId: bigint | undefined;
  lastActivityMs: number;
}

/** One entry of the server's client table, keyed by the u128 client id (dedup state lives here). */
export interface ClientEntry {
  clientId: bigint;
  userId: number;
  session: bigint;
  connection: ConnectionState | undefined;
  /** Highest metadata request number committed for this client id. */
  watermark: bigint;
  lastReply: { request: bigint; requestChecksum: bigint; frame: Buffer } | undefined;
}

export interface Request {
  header: RequestHeader;
  body: Buffer;
  connection: ConnectionState;
}

export interface ServerContext {
  readonly state: IggyState;
  readonly clients: Map<bigint, ClientEntry>;
  readonly connections: Set<ConnectionState>;
  readonly options: ResolvedOptions;
  readonly startTimeMicros: bigint;
  /** Position of the last committed metadata op; sessions are taken from it. */
  commitPosition: bigint;
  readonly host: string;
  readonly port: number;
  /** In a cluster: the commits followers have not applied yet (the primary records them). */
  readonly replication?: FollowerLag;
  /** True while serving a follower's read: state is its lagging view and reads change nothing shared. */
  readonly follower?: boolean;
  /** This node's index in its cluster. */
  readonly nodeIndex?: number;
  /** Cluster metadata (read code 12) as this node answers it. */
  clusterMetadata(): Buffer;
  send(connection: ConnectionState, frame: Buffer): void;
}

/** The live client entry bound to this connection, or undefined when it is not (or no longer) registered. */
export function boundClient(ctx: ServerContext, connection: ConnectionState): ClientEntry | undefined {
  if (connection.boundClientId === undefined) return undefined;
  const entry = ctx.clients.get(connection.boundClientId);
  return entry?.connection === connection ? entry : undefined;
}
