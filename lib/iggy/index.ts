/** Public surface of the Iggy TCP client (protocol 0.11, server 0.9.0). */

export { IggyClient, SDK_NAME, SDK_VERSION } from './client';
export type { ConnectionState, FrameEvent, IggyClientOptions } from './client';
export { IggyError, IggyErrorCode, EvictionReason, codeName, isIggyError, evictionError } from './errors';
export type { IggyErrorKind, IggyErrorCodeName } from './errors';
export { parseIggyUrl, DEFAULT_IGGY_PORT, MAX_SEEDS } from './url';
export type { IggyUrl, IggySeed } from './url';
export type {
  ClusterMetadata,
  ClusterNode,
  ClusterNodeReportedStatus,
  ClusterNodeRole,
} from './wire/commands/cluster';
export type {
  ClusterEvent,
  ClusterListener,
  ClusterRosterEvent,
  ClusterSnapshot,
  NodeRef,
  PrimaryChangedEvent,
  PrimaryLostEvent,
  PrimarySearchFailedEvent,
} from './cluster/cluster-events';
export type { ClusterOptions } from './cluster/options';
export { DEFAULT_CLUSTER } from './cluster/options';
export { probeTcp } from './cluster/reachability';
export { Consumer, Partitioning, PollingStrategy } from './wire/primitives';
export type { Identifier } from './wire/primitives';
export type {
  OutgoingMessage,
  PollMessagesInput,
  PolledMessage,
  PolledMessages,
  SendMessagesInput,
  SendResult,
} from './wire/messages';
export type {
  CacheMetric,
  ClientInfo,
  ConsumerGroupAssignment,
  ConsumerGroupDetails,
  ConsumerGroupMember,
  ConsumerOffsetInfo,
  PartitionDetails,
  ReportedTopicOption,
  Stats,
  StreamDetails,
  TopicDetails,
  TopicSummary,
} from './wire/commands';
export type { CreateTopicInput, Durability } from './wire/commands';
export type { OptionEntry, OptionValue } from './wire/primitives';
export { commandName } from './wire/commands';
export { HEADER_SIZE } from './wire/constants';
export { evictionFrameName, nameFrame, type LastRequest, type WireFrameKind } from './frame-names';
export type { OptionDescription, OptionDefault, OptionScope, TlvKindName } from './wire/commands';
export type { ReconnectOptions } from './reconnect';
export { backoffDelayMs, CancellableSleep, SleepGroup, sleep } from './backoff';
export { randomU128 } from './random';
export { partitionLag } from './lag';
export { CLIENT_PROTOCOL_VERSION, describePackedVersion } from './wire/version';
export { IggyGroupConsumer } from './group-consumer';
export type { GroupConsumerOptions } from './group/options';
export type { PartitionProgressView } from './group/partition-progress';
export {
  RESYNC_PARTITION_ID,
  type GroupConsumerClient,
  type GroupConsumerState,
  type GroupConsumerStatus,
  type GroupAssignment,
  type GroupAssignmentEvent,
  type AssignmentReason,
  type AssignmentListener,
  type GroupBatch,
  type BatchHandler,
} from './group/types';
export {
  decodeUserHeaders,
  encodeUserHeaders,
  MAX_USER_HEADERS_BYTES,
  USER_HEADER_KINDS,
  type UserHeader,
  type UserHeaderKind,
  type UserHeaderValue,
} from './wire/user-headers';
