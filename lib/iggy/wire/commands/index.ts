/**
 * The command table: every command the client sends, by domain, and the names of every frame
 * the wire inspector may see. A domain file (`./streams.ts`, …) is one row per command: its types,
 * its body encoder and reply decoder, and its descriptor. Adding a command = its row in the domain
 * file (a new domain also gets a line in `Commands` below), one client method line, one test-server
 * handler, tests (encoder and decoder bytes, and a round trip against the test server).
 */

import { Operation, ReadCode } from '../constants';
import type { CommandKind } from './command';
import { clusterCommands } from './cluster';
import { groupCommands } from './groups';
import { messageCommands } from './messages';
import { offsetCommands } from './offsets';
import { optionCommands } from './options';
import { streamCommands } from './streams';
import { systemCommands } from './system';
import { topicCommands } from './topics';

export { contextOf, type Command, type CommandKind, type GroupRef, type TopicRef } from './command';
export type { OptionDescription, OptionDefault, OptionScope, TlvKindName } from './options';
export type { ClientInfo, ClientTransport, CacheMetric, Stats } from './system';
export type { StreamDetails } from './streams';
export type {
  CreateTopicInput,
  Durability,
  PartitionDetails,
  ReportedTopicOption,
  TopicDetails,
  TopicSummary,
} from './topics';
export type { ConsumerOffsetInfo, ConsumerOffsetTarget } from './offsets';
export type { ConsumerGroupAssignment, ConsumerGroupDetails, ConsumerGroupMember } from './groups';
export {
  decodeClusterMetadata,
  type ClusterMetadata,
  type ClusterNode,
  type ClusterNodeReportedStatus,
  type ClusterNodeRole,
} from './cluster';
export {
  clusterCommands,
  groupCommands,
  messageCommands,
  offsetCommands,
  optionCommands,
  streamCommands,
  systemCommands,
  topicCommands,
};

/** Every descriptor, by domain: what the client runs. */
export const Commands = {
  system: systemCommands,
  cluster: clusterCommands,
  options: optionCommands,
  streams: streamCommands,
  topics: topicCommands,
  messages: messageCommands,
  offsets: offsetCommands,
  groups: groupCommands,
};

export const COMMANDS: readonly { name: string; kind: CommandKind }[] = Object.values(Commands).flatMap(
  (domain) => Object.values(domain),
);

/**
 * Frames no descriptor sends: the session frames (sent by the session itself), the operations the
 * server uses in replies only (64/65/68), and a read this client never issues.
 */
const OTHER_FRAMES: readonly { name: string; kind: CommandKind | { plane: 'session'; operation: number } }[] =
  [
    { name: 'Register (login)', kind: { plane: 'session', operation: Operation.Register } },
    { name: 'Logout', kind: { plane: 'session', operation: Operation.Logout } },
    { name: 'Ping', kind: { plane: 'read', code: ReadCode.Ping } },
    { name: 'CreateTopic', kind: { plane: 'metadata', operation: Operation.CreateTopicWithAssignments } },
    {
      name: 'CreatePartitions',
      kind: { plane: 'metadata', operation: Operation.CreatePartitionsWithAssignments },
    },
    { name: 'TruncatePartition', kind: { plane: 'metadata', operation: Operation.TruncatePartition } },
    { name: 'FlushUnsavedBuffer', kind: { plane: 'read', code: ReadCode.FlushUnsavedBuffer } },
  ];

const OPERATION_NAMES = new Map<number, string>();
const READ_CODE_NAMES = new Map<number, string>();
for (const { name, kind } of [...COMMANDS, ...OTHER_FRAMES]) {
  if (kind.plane === 'read') READ_CODE_NAMES.set(kind.code, name);
  else OPERATION_NAMES.set(kind.operation, name);
}

/**
 * The name of a frame from its header operation byte and, for operation 2 (reads), its command
 * code: `commandName(128)` → "CreateStream", `commandName(2, 200)` → "GetStream".
 */
export function commandName(operation: number, code?: number): string {
  if (operation === Operation.NonReplicated) {
    return (code === undefined ? undefined : READ_CODE_NAMES.get(code)) ?? `Read (code ${code ?? '?'})`;
  }
  return OPERATION_NAMES.get(operation) ?? `Operation ${operation}`;
}
