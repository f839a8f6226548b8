/** Numeric vocabulary of protocol 0.11 (docs/architecture.md#replies-and-evictions, #operations-and-command-codes, #error-codes). */

export const HEADER_SIZE = 256;
export const MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

export const Command = {
  Request: 5,
  Reply: 8,
  Eviction: 13,
  /** Above this the server's bit-pattern check fails and the connection is dropped. */
  HighestDefined: 29,
} as const;

export const Operation = {
  Register: 1,
  NonReplicated: 2,
  Logout: 3,
  CreateTopicWithAssignments: 64,
  CreatePartitionsWithAssignments: 65,
  TruncatePartition: 68,
  CreateStream: 128,
  UpdateStream: 129,
  DeleteStream: 130,
  PurgeStream: 131,
  CreateTopic: 132,
  UpdateTopic: 133,
  DeleteTopic: 134,
  PurgeTopic: 135,
  CreatePartitions: 136,
  DeletePartitions: 137,
  DeleteSegments: 138,
  CreateConsumerGroup: 139,
  DeleteConsumerGroup: 140,
  JoinConsumerGroup: 148,
  LeaveConsumerGroup: 149,
  SendMessages: 160,
  StoreConsumerOffset: 161,
  DeleteConsumerOffset: 162,
} as const;

/** Every discriminant the server decodes; anything else (and 0) is a silent drop. */
export function isDefinedOperation(op: number): boolean {
  return (
    op === 1 ||
    op === 2 ||
    op === 3 ||
    (op >= 64 && op <= 68) ||
    (op >= 128 && op <= 149) ||
    (op >= 160 && op <= 162)
  );
}

export function isInternalOperation(op: number): boolean {
  return op >= 64 && op <= 68;
}

export function isMetadataOperation(op: number): boolean {
  return op >= 128 && op <= 149;
}

export function isPartitionOperation(op: number): boolean {
  return op >= 160 && op <= 162;
}

export const Code = {
  Ping: 1,
  GetStats: 10,
  /** Not in our protocol description; the official 0.9.0 SDKs ask for it after login and before polling. */
  GetClusterMetadata: 12,
  DescribeOptions: 13,
  GetMe: 20,
  GetClients: 22,
  Logout: 39,
  LoginRegister: 40,
  LegacyLogin: 38,
  LegacyPatLogin: 44,
  LoginRegisterWithPat: 45,
  PollMessages: 100,
  SendMessages: 101,
  FlushUnsavedBuffer: 102,
  GetConsumerOffset: 120,
  StoreConsumerOffset: 121,
  DeleteConsumerOffset: 122,
  GetStream: 200,
  GetStreams: 201,
  CreateStream: 202,
  DeleteStream: 203,
  UpdateStream: 204,
  PurgeStream: 205,
  GetTopic: 300,
  GetTopics: 301,
  CreateTopic: 302,
  DeleteTopic: 303,
  UpdateTopic: 304,
  PurgeTopic: 305,
  CreatePartitions: 402,
  DeletePartitions: 403,
  DeleteSegments: 503,
  GetConsumerGroup: 600,
  GetConsumerGroups: 601,
  CreateConsumerGroup: 602,
  DeleteConsumerGroup: 603,
  JoinConsumerGroup: 604,
  LeaveConsumerGroup: 605,
  SyncConsumerGroup: 606,
} as const;

/** Codes of replicated commands: sent as operation 2 they are refused with status 5 and not executed. */
export const REPLICATED_CODES: ReadonlySet<number> = new Set([
  Code.LoginRegister,
  Code.LoginRegisterWithPat,
  Code.SendMessages,
  Code.StoreConsumerOffset,
  Code.DeleteConsumerOffset,
  Code.CreateStream,
  Code.DeleteStream,
  Code.UpdateStream,
  Code.PurgeStream,
  Code.CreateTopic,
  Code.DeleteTopic,
  Code.UpdateTopic,
  Code.PurgeTopic,
  Code.CreatePartitions,
  Code.DeletePartitions,
  Code.DeleteSegments,
  Code.CreateConsumerGroup,
  Code.DeleteConsumerGroup,
  Code.JoinConsumerGroup,
  Code.LeaveConsumerGroup,
  // user and personal-access-token mutations
  31,
  32,
  33,
  34,
  35,
  36,
  37,
  42,
  43,
]);

export const ErrorCode = {
  InvalidCommand: 3,
  InvalidFormat: 4,
  FeatureUnavailable: 5,
  ResourceNotFound: 20,
  Unauthenticated: 40,
  TransientNotAccepted: 58,
  RequestAlreadyApplied: 59,
  StreamIdNotFound: 1009,
  StreamNameAlreadyExists: 1012,
  InvalidTopicSize: 1019,
  TooManyStreams: 1020,
  TopicIdNotFound: 2010,
  TopicNameAlreadyExists: 2013,
  TooManyPartitions: 2015,
  InvalidPartitionsCount: 2019,
  TooManyTopics: 2021,
  PartitionNotFound: 3007,
  ConsumerOffsetNotFound: 3021,
  UnsupportedOptionKey: 4041,
  InvalidOptionValue: 4042,
  InvalidOffset: 4100,
  ConsumerGroupIdNotFound: 5000,
  ConsumerGroupNameAlreadyExists: 5004,
  ConsumerGroupMemberNotFound: 5006,
} as const;

export const EvictionReason = {
  NoSession: 1,
  InvalidRequestOperation: 4,
  InvalidCredentials: 9,
  SessionError: 12,
  StaleClient: 13,
  IncompatibleProtocol: 14,
  MalformedLogin: 15,
} as const;

/** Packed protocol version: major << 20 | minor << 10 | patch. */
export function packVersion(major: number, minor: number, patch: number): number {
  return ((major & 0x3ff) << 20) | ((minor & 0x3ff) << 10) | (patch & 0x3ff);
}

export const PROTOCOL_0_11_0 = packVersion(0, 11, 0);
