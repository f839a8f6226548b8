/** Byte layout of the 256-byte frame header and the numeric vocabulary of the protocol (docs/architecture.md#one-frame-format-a-256-byte-header). */

export const HEADER_SIZE = 256;
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Offsets shared by every header. */
export const OFF_SIZE = 48;
export const OFF_COMMAND = 60;

/** Request header (client → server). */
export const REQ_OFF_CLIENT = 128;
export const REQ_OFF_REQUEST_CHECKSUM = 144;
export const REQ_OFF_TIMESTAMP = 160;
export const REQ_OFF_REQUEST = 168;
export const REQ_OFF_OPERATION = 176;
export const REQ_OFF_SESSION = 184;
export const REQ_OFF_USER_ID = 192;
export const REQ_OFF_COMMAND_CODE = 196;

/** Reply header (server → client). */
export const REPLY_OFF_REQUEST_CHECKSUM = 128;
export const REPLY_OFF_CLIENT = 160;
export const REPLY_OFF_OP = 176;
export const REPLY_OFF_COMMIT = 184;
export const REPLY_OFF_TIMESTAMP = 192;
export const REPLY_OFF_REQUEST = 200;
export const REPLY_OFF_OPERATION = 208;
export const REPLY_OFF_STATUS = 216;

/** Eviction header (server → client). */
export const EVICT_OFF_CLIENT = 128;
export const EVICT_OFF_PROTOCOL_MAX = 144;
export const EVICT_OFF_PROTOCOL_MIN = 148;
export const EVICT_OFF_REASON = 255;

export const Command = { Request: 5, Reply: 8, Eviction: 13 } as const;

/** Operation discriminants a client sends at byte 176 (docs/architecture.md#operations-and-command-codes). */
export const Operation = {
  Register: 1,
  NonReplicated: 2,
  Logout: 3,
  CreateTopicWithAssignments: 64,
  CreatePartitionsWithAssignments: 65,
  /** server-internal; seen in replies only */
  TruncatePartition: 68,
  CreateStream: 128,
  DeleteStream: 130,
  PurgeStream: 131,
  CreateTopic: 132,
  DeleteTopic: 134,
  PurgeTopic: 135,
  CreatePartitions: 136,
  DeletePartitions: 137,
  CreateConsumerGroup: 139,
  DeleteConsumerGroup: 140,
  JoinConsumerGroup: 148,
  LeaveConsumerGroup: 149,
  SendMessages: 160,
  StoreConsumerOffset: 161,
  DeleteConsumerOffset: 162,
} as const;

/** Command codes for reads, written at bytes 196..200 with operation 2 (docs/architecture.md#operations-and-command-codes). */
export const ReadCode = {
  Ping: 1,
  GetStats: 10,
  GetClusterMetadata: 12,
  DescribeOptions: 13,
  GetMe: 20,
  GetClients: 22,
  PollMessages: 100,
  FlushUnsavedBuffer: 102,
  GetConsumerOffset: 120,
  GetStream: 200,
  GetStreams: 201,
  GetTopic: 300,
  GetTopics: 301,
  GetConsumerGroup: 600,
  GetConsumerGroups: 601,
  SyncConsumerGroup: 606,
} as const;

export const U32_MAX = 0xffffffff;
export const U64_MAX = 0xffff_ffff_ffff_ffffn;
export const U128_MAX = (1n << 128n) - 1n;
