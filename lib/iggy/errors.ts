/**
 * One error type for everything the client can fail with: server status codes, committed
 * rejections, evictions, and the client's own failures (timeouts, lost sockets, bad bytes,
 * bad arguments). Callers branch on `kind` and `code`, never on message text.
 */

import {
  describePackedVersion,
  CLIENT_PROTOCOL_VERSION_TEXT,
  TARGET_SERVER_VERSION_TEXT,
} from './wire/version';

export type IggyErrorKind =
  | 'server'
  | 'eviction'
  | 'timeout'
  | 'disconnected'
  | 'protocol'
  | 'connect'
  | 'invalid-argument'
  | 'closed'
  /** A write reached the wire and its reply was lost with the connection: it may or may not be stored. */
  | 'outcome-unknown';

/** Iggy's own numeric codes (docs/architecture.md#error-codes; 3024 and 4102 from the released 0.9.0) plus client-side codes in the 90 000 range. */
export const IggyErrorCode = {
  InvalidCommand: 3,
  InvalidFormat: 4,
  FeatureUnavailable: 5,
  InvalidIdentifier: 6,
  ResourceNotFound: 20,
  StaleClient: 30,
  Unauthenticated: 40,
  Unauthorized: 41,
  InvalidCredentials: 42,
  InvalidPersonalAccessToken: 53,
  TransientNotCommitted: 57,
  TransientNotAccepted: 58,
  RequestAlreadyApplied: 59,
  StreamIdNotFound: 1009,
  StreamNameNotFound: 1010,
  StreamNameAlreadyExists: 1012,
  InvalidTopicSize: 1019,
  TooManyStreams: 1020,
  TopicIdNotFound: 2010,
  TopicNameNotFound: 2011,
  TopicNameAlreadyExists: 2013,
  TooManyPartitions: 2015,
  InvalidPartitionsCount: 2019,
  TooManyTopics: 2021,
  PartitionNotFound: 3007,
  PartitionIdSpaceExhausted: 3013,
  ConsumerOffsetNotFound: 3021,
  TooManyConsumerOffsets: 3024,
  UnsupportedOptionKey: 4041,
  InvalidOptionValue: 4042,
  InvalidOffset: 4100,
  SegmentSizeMismatchAtOpen: 4102,
  ConsumerGroupIdNotFound: 5000,
  ConsumerGroupNameNotFound: 5003,
  ConsumerGroupNameAlreadyExists: 5004,
  ConsumerGroupMemberNotFound: 5006,
  IncompatibleProtocolVersion: 14003,
  // Client-side codes: chosen far above Iggy's range so they never collide with a server code.
  Timeout: 90001,
  Disconnected: 90002,
  ProtocolError: 90003,
  ConnectFailed: 90004,
  InvalidArgument: 90005,
  Closed: 90006,
  /** A write's reply was lost with the connection (cluster client only): applied or not, nobody can tell. */
  OutcomeUnknown: 90007,
  /** The cluster client found no node that acts as primary within its failover deadline. */
  NoPrimary: 90008,
} as const;

export type IggyErrorCodeName = keyof typeof IggyErrorCode;

const C = IggyErrorCode;

const MESSAGES: Record<number, string> = {
  [C.InvalidCommand]: 'the server could not decode the command',
  [C.InvalidFormat]: 'the request checksum did not match its body',
  [C.FeatureUnavailable]: 'the feature is not available on this server',
  [C.InvalidIdentifier]: 'invalid identifier',
  [C.ResourceNotFound]: 'the stream, topic or partition could not be found',
  [C.StaleClient]: 'the server evicted this idle consumer-group member',
  [C.Unauthenticated]: 'the connection is not authenticated',
  [C.Unauthorized]: 'permission denied',
  [C.InvalidCredentials]: 'invalid username or password (or the user is inactive)',
  [C.InvalidPersonalAccessToken]: 'invalid or expired personal access token',
  [C.TransientNotCommitted]: 'the server could not commit the request yet (transient, retry)',
  [C.TransientNotAccepted]: 'the server could not accept the request yet (transient, retry)',
  [C.RequestAlreadyApplied]: 'the request number was already applied',
  [C.StreamIdNotFound]: 'stream not found',
  [C.StreamNameNotFound]: 'stream name not found',
  [C.StreamNameAlreadyExists]: 'a stream with this name already exists',
  [C.InvalidTopicSize]: 'invalid max topic size (must be 0, unlimited, or at least the segment size)',
  [C.TooManyStreams]: 'too many streams',
  [C.TopicIdNotFound]: 'topic not found',
  [C.TopicNameNotFound]: 'topic name not found',
  [C.TopicNameAlreadyExists]: 'a topic with this name already exists in the stream',
  [C.TooManyPartitions]: 'invalid number of partitions (must be 1..1000)',
  [C.InvalidPartitionsCount]: 'invalid partitions count',
  [C.TooManyTopics]: 'too many topics in the stream',
  [C.PartitionNotFound]: 'partition not found',
  [C.PartitionIdSpaceExhausted]: 'partition id space exhausted',
  [C.ConsumerOffsetNotFound]: 'no consumer offset is stored',
  [C.TooManyConsumerOffsets]: 'too many consumer offsets are stored: the server refuses to keep another one',
  [C.UnsupportedOptionKey]: 'unsupported option key',
  [C.InvalidOptionValue]: 'invalid option value',
  [C.SegmentSizeMismatchAtOpen]:
    'a segment file did not have the size the server expected when it opened the partition',
  [C.InvalidOffset]: 'invalid offset (beyond the current offset, or the partition is empty)',
  [C.ConsumerGroupIdNotFound]: 'consumer group not found',
  [C.ConsumerGroupNameNotFound]: 'consumer group name not found',
  [C.ConsumerGroupNameAlreadyExists]: 'a consumer group with this name already exists',
  [C.ConsumerGroupMemberNotFound]: 'this client is not a member of the consumer group',
  [C.IncompatibleProtocolVersion]: 'incompatible protocol version',
  [C.Timeout]: 'the request timed out',
  [C.Disconnected]: 'disconnected from the Iggy server',
  [C.ProtocolError]: 'the server sent bytes this client cannot decode',
  [C.ConnectFailed]: 'could not connect to the Iggy server',
  [C.InvalidArgument]: 'invalid argument',
  [C.Closed]: 'the client is closed',
  [C.OutcomeUnknown]:
    'the reply to a write was lost with the connection: it may or may not have been applied',
  [C.NoPrimary]: 'no node of the Iggy cluster acts as primary',
};

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(IggyErrorCode).map(([name, code]) => [code, name]),
);

/** Eviction reasons (docs/architecture.md#replies-and-evictions), byte 255 of an eviction frame. */
export const EvictionReason = {
  NoSession: 1,
  ClientReleaseTooLow: 2,
  ClientReleaseTooHigh: 3,
  InvalidRequestOperation: 4,
  InvalidRequestBody: 5,
  InvalidRequestBodySize: 6,
  SessionTooLow: 7,
  SessionReleaseMismatch: 8,
  InvalidCredentials: 9,
  InvalidToken: 10,
  UserInactive: 11,
  SessionError: 12,
  StaleClient: 13,
  IncompatibleProtocol: 14,
  MalformedLogin: 15,
} as const;

const R = EvictionReason;

/** Per reason: the error code it maps to and what it means to a user. */
const EVICTIONS: Record<number, { code: number; message: string }> = {
  [R.NoSession]: { code: C.Unauthenticated, message: 'the connection has no registered session' },
  [R.ClientReleaseTooLow]: { code: C.InvalidCommand, message: 'client release too low' },
  [R.ClientReleaseTooHigh]: { code: C.InvalidCommand, message: 'client release too high' },
  [R.InvalidRequestOperation]: {
    code: C.InvalidCommand,
    message: 'the request used an operation clients may not send',
  },
  [R.InvalidRequestBody]: { code: C.InvalidCommand, message: 'the request body was invalid' },
  [R.InvalidRequestBodySize]: { code: C.InvalidCommand, message: 'the request body size was invalid' },
  [R.SessionTooLow]: { code: C.Unauthenticated, message: 'the session is stale' },
  [R.SessionReleaseMismatch]: { code: C.Unauthenticated, message: 'session release mismatch' },
  [R.InvalidCredentials]: {
    code: C.InvalidCredentials,
    message: 'invalid username or password (or the user is inactive)',
  },
  [R.InvalidToken]: {
    code: C.InvalidPersonalAccessToken,
    message: 'invalid or expired personal access token',
  },
  [R.UserInactive]: { code: C.Unauthenticated, message: 'the user is inactive' },
  [R.SessionError]: {
    code: C.Unauthenticated,
    message: 'the server could not create the session (or the client id belongs to another user)',
  },
  [R.StaleClient]: { code: C.StaleClient, message: 'evicted as an idle consumer-group member' },
  [R.IncompatibleProtocol]: { code: C.IncompatibleProtocolVersion, message: 'incompatible protocol version' },
  [R.MalformedLogin]: { code: C.InvalidFormat, message: 'the server could not decode the login request' },
};

const EVICTION_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(EvictionReason).map(([name, reason]) => [reason, name]),
);

/** Evictions that a new connection with the same settings would hit again: never retry them in a loop. */
const TERMINAL_EVICTIONS: ReadonlySet<number> = new Set([
  R.InvalidCredentials,
  R.InvalidToken,
  R.UserInactive,
  R.IncompatibleProtocol,
  R.MalformedLogin,
]);

export interface IggyErrorInit {
  code: number;
  kind: IggyErrorKind;
  message?: string;
  evictionReason?: number;
  cause?: unknown;
}

/**
 * A Next.js build can load this module more than once in one process (the instrumentation hook that starts the
 * runtime and each route handler are separate bundles), and then `instanceof` fails across copies. A registered
 * symbol is the same in every copy, so type checks use it instead.
 */
const IGGY_ERROR_BRAND: unique symbol = Symbol.for('iggy-demo.IggyError');

export class IggyError extends Error {
  readonly [IGGY_ERROR_BRAND] = true;
  readonly code: number;
  readonly codeName: string;
  readonly kind: IggyErrorKind;
  readonly evictionReason?: number;
  readonly retryable: boolean;

  constructor(init: IggyErrorInit) {
    super(
      init.message ?? describeCode(init.code),
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'IggyError';
    this.code = init.code;
    this.codeName = codeName(init.code);
    this.kind = init.kind;
    if (init.evictionReason !== undefined) this.evictionReason = init.evictionReason;
    this.retryable =
      init.kind === 'timeout' ||
      init.kind === 'disconnected' ||
      init.kind === 'connect' ||
      init.code === IggyErrorCode.TransientNotCommitted ||
      init.code === IggyErrorCode.TransientNotAccepted;
  }

  /** True when reconnecting with the same settings cannot help (bad credentials, wrong protocol). */
  get terminal(): boolean {
    return (
      this.kind === 'eviction' &&
      this.evictionReason !== undefined &&
      TERMINAL_EVICTIONS.has(this.evictionReason)
    );
  }
}

export function isIggyError(e: unknown): e is IggyError {
  return (
    typeof e === 'object' && e !== null && (e as { [IGGY_ERROR_BRAND]?: unknown })[IGGY_ERROR_BRAND] === true
  );
}

export function codeName(code: number): string {
  return NAMES[code] ?? `Unknown${code}`;
}

export function describeCode(code: number): string {
  return MESSAGES[code] ?? `Iggy error code ${code}`;
}

export function evictionName(reason: number): string {
  return EVICTION_NAMES[reason] ?? `UnknownEviction${reason}`;
}

export function serverError(code: number, context?: string): IggyError {
  const text = `${describeCode(code)} (${codeName(code)}, code ${code})`;
  return new IggyError({ code, kind: 'server', message: context ? `${context}: ${text}` : text });
}

export function protocolError(message: string): IggyError {
  return new IggyError({
    code: IggyErrorCode.ProtocolError,
    kind: 'protocol',
    message: `protocol error: ${message}`,
  });
}

export function invalidArgument(message: string): IggyError {
  return new IggyError({ code: IggyErrorCode.InvalidArgument, kind: 'invalid-argument', message });
}

export function disconnectedError(message: string, cause?: unknown): IggyError {
  return new IggyError({ code: IggyErrorCode.Disconnected, kind: 'disconnected', message, cause });
}

export function timeoutError(message: string): IggyError {
  return new IggyError({ code: IggyErrorCode.Timeout, kind: 'timeout', message });
}

export function closedError(): IggyError {
  return new IggyError({ code: IggyErrorCode.Closed, kind: 'closed', message: 'the Iggy client is closed' });
}

export function connectError(message: string, cause?: unknown): IggyError {
  return new IggyError({ code: IggyErrorCode.ConnectFailed, kind: 'connect', message, cause });
}

/**
 * A write whose frame was sent and whose reply never came (the node died or the connection dropped). Resending it
 * as a new request could store it twice, so the caller decides (docs/architecture.md#the-cluster-aware-connection).
 */
export function outcomeUnknownError(describe: string, cause: IggyError): IggyError {
  return new IggyError({
    code: IggyErrorCode.OutcomeUnknown,
    kind: 'outcome-unknown',
    message: `${describe}: the outcome is unknown, the connection was lost before the reply (${cause.message})`,
    cause,
  });
}

export function noPrimaryError(message: string, cause?: unknown): IggyError {
  return new IggyError({ code: IggyErrorCode.NoPrimary, kind: 'connect', message, cause });
}

/**
 * Turns an eviction frame into an error. Reason 14 spells out both sides of the version gate so
 * a user who points the demo at a newer server learns exactly what to change.
 */
export function evictionError(reason: number, serverMaxVersion = 0, serverMinVersion = 0): IggyError {
  const known = EVICTIONS[reason];
  const code = known?.code ?? IggyErrorCode.Unauthenticated;
  let message: string;
  if (reason === EvictionReason.IncompatibleProtocol) {
    const window =
      serverMaxVersion === 0 && serverMinVersion === 0
        ? 'a protocol version window it did not report'
        : `protocol ${describePackedVersion(serverMinVersion)} to ${describePackedVersion(serverMaxVersion)}`;
    message =
      `the Iggy server rejected this client's protocol version (eviction 14, IncompatibleProtocol): ` +
      `the server accepts ${window}, but this client speaks binary protocol ${CLIENT_PROTOCOL_VERSION_TEXT} ` +
      `for Iggy server ${TARGET_SERVER_VERSION_TEXT}. Run an Iggy ${TARGET_SERVER_VERSION_TEXT} server (apache/iggy:${TARGET_SERVER_VERSION_TEXT}).`;
  } else {
    const name = EVICTION_NAMES[reason] ?? `unknown reason ${reason}`;
    message = `the Iggy server evicted this client (eviction ${reason}, ${name}): ${known?.message ?? 'unknown eviction reason'}`;
  }
  return new IggyError({ code, kind: 'eviction', message, evictionReason: reason });
}
