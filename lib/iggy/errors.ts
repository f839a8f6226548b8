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
  'server' | 'eviction' | 'timeout' | 'disconnected' | 'protocol' | 'connect' | 'invalid-argument' | 'closed';

/** Iggy's own numeric codes (protocol reference §6) plus client-side codes in the 90 000 range. */
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
  UnsupportedOptionKey: 4041,
  InvalidOptionValue: 4042,
  InvalidOffset: 4100,
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
} as const;

export type IggyErrorCodeName = keyof typeof IggyErrorCode;

const MESSAGES: Record<number, string> = {
  3: 'the server could not decode the command',
  4: 'the request checksum did not match its body',
  5: 'the feature is not available on this server',
  6: 'invalid identifier',
  20: 'the stream, topic or partition could not be found',
  30: 'the server evicted this idle consumer-group member',
  40: 'the connection is not authenticated',
  41: 'permission denied',
  42: 'invalid username or password (or the user is inactive)',
  53: 'invalid or expired personal access token',
  57: 'the server could not commit the request yet (transient, retry)',
  58: 'the server could not accept the request yet (transient, retry)',
  59: 'the request number was already applied',
  1009: 'stream not found',
  1010: 'stream name not found',
  1012: 'a stream with this name already exists',
  1019: 'invalid max topic size (must be 0, unlimited, or at least the segment size)',
  1020: 'too many streams',
  2010: 'topic not found',
  2011: 'topic name not found',
  2013: 'a topic with this name already exists in the stream',
  2015: 'invalid number of partitions (must be 1..1000)',
  2019: 'invalid partitions count',
  2021: 'too many topics in the stream',
  3007: 'partition not found',
  3013: 'partition id space exhausted',
  3021: 'no consumer offset is stored',
  4041: 'unsupported option key',
  4042: 'invalid option value',
  4100: 'invalid offset (beyond the current offset, or the partition is empty)',
  5000: 'consumer group not found',
  5003: 'consumer group name not found',
  5004: 'a consumer group with this name already exists',
  5006: 'this client is not a member of the consumer group',
  14003: 'incompatible protocol version',
  90001: 'the request timed out',
  90002: 'disconnected from the Iggy server',
  90003: 'the server sent bytes this client cannot decode',
  90004: 'could not connect to the Iggy server',
  90005: 'invalid argument',
  90006: 'the client is closed',
};

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(IggyErrorCode).map(([name, code]) => [code, name]),
);

/** Eviction reasons (§1.5): symbolic name, mapped error code, what it means to a user. */
const EVICTIONS: Record<number, { name: string; code: number; message: string }> = {
  1: { name: 'NoSession', code: 40, message: 'the connection has no registered session' },
  2: { name: 'ClientReleaseTooLow', code: 3, message: 'client release too low' },
  3: { name: 'ClientReleaseTooHigh', code: 3, message: 'client release too high' },
  4: {
    name: 'InvalidRequestOperation',
    code: 3,
    message: 'the request used an operation clients may not send',
  },
  5: { name: 'InvalidRequestBody', code: 3, message: 'the request body was invalid' },
  6: { name: 'InvalidRequestBodySize', code: 3, message: 'the request body size was invalid' },
  7: { name: 'SessionTooLow', code: 40, message: 'the session is stale' },
  8: { name: 'SessionReleaseMismatch', code: 40, message: 'session release mismatch' },
  9: {
    name: 'InvalidCredentials',
    code: 42,
    message: 'invalid username or password (or the user is inactive)',
  },
  10: { name: 'InvalidToken', code: 53, message: 'invalid or expired personal access token' },
  11: { name: 'UserInactive', code: 40, message: 'the user is inactive' },
  12: {
    name: 'SessionError',
    code: 40,
    message: 'the server could not create the session (or the client id belongs to another user)',
  },
  13: { name: 'StaleClient', code: 30, message: 'evicted as an idle consumer-group member' },
  14: { name: 'IncompatibleProtocol', code: 14003, message: 'incompatible protocol version' },
  15: { name: 'MalformedLogin', code: 4, message: 'the server could not decode the login request' },
};

/** Evictions that a new connection with the same settings would hit again: never retry them in a loop. */
const TERMINAL_EVICTIONS = new Set([9, 10, 11, 14, 15]);

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
  return EVICTIONS[reason]?.name ?? `UnknownEviction${reason}`;
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
 * Turns an eviction frame into an error. Reason 14 spells out both sides of the version gate so
 * a user who points the demo at a newer server learns exactly what to change.
 */
export function evictionError(reason: number, serverMaxVersion = 0, serverMinVersion = 0): IggyError {
  const known = EVICTIONS[reason];
  const code = known?.code ?? IggyErrorCode.Unauthenticated;
  let message: string;
  if (reason === 14) {
    const window =
      serverMaxVersion === 0 && serverMinVersion === 0
        ? 'a protocol version window it did not report'
        : `protocol ${describePackedVersion(serverMinVersion)} to ${describePackedVersion(serverMaxVersion)}`;
    message =
      `the Iggy server rejected this client's protocol version (eviction 14, IncompatibleProtocol): ` +
      `the server accepts ${window}, but this client speaks binary protocol ${CLIENT_PROTOCOL_VERSION_TEXT} ` +
      `for Iggy server ${TARGET_SERVER_VERSION_TEXT}. Run an Iggy ${TARGET_SERVER_VERSION_TEXT} server (apache/iggy:${TARGET_SERVER_VERSION_TEXT}).`;
  } else {
    const name = known?.name ?? `unknown reason ${reason}`;
    message = `the Iggy server evicted this client (eviction ${reason}, ${name}): ${known?.message ?? 'unknown eviction reason'}`;
  }
  return new IggyError({ code, kind: 'eviction', message, evictionReason: reason });
}
