import { WireDecodeError, WireReader, WireWriter } from '../wire/bytes';
import { Code, ErrorCode, EvictionReason, REPLICATED_CODES } from '../wire/codes';
import {
  type ClientInfo,
  encodeClientResponse,
  encodeConsumerGroupDetails,
  encodeConsumerGroupResponse,
  encodeStats,
  encodeStreamDetails,
  encodeStreamResponse,
  encodeTopicDetails,
  encodeTopicHeader,
} from '../wire/responses';
import { currentOffset, sortedTopics } from '../model/state';
import { type ConnectionState, type Request, type ServerContext, boundClient } from './context';
import { findPartition, offsetSlot, readConsumer, readOptionalPartition, settledGroup } from './consumer';
import { encodeOptionCatalog, optionCatalog } from '../wire/option-catalog';
import { pollMessages } from './poll';
import { sendEviction, sendReadReply } from './replies';

const READ_CODES: ReadonlySet<number> = new Set([
  Code.Ping,
  Code.GetStats,
  Code.GetClusterMetadata,
  Code.DescribeOptions,
  Code.GetMe,
  Code.GetClients,
  Code.PollMessages,
  Code.FlushUnsavedBuffer,
  Code.GetConsumerOffset,
  Code.GetStream,
  Code.GetStreams,
  Code.GetTopic,
  Code.GetTopics,
  Code.GetConsumerGroup,
  Code.GetConsumerGroups,
  Code.SyncConsumerGroup,
]);

/** NonReplicated (operation 2): the command code sits at bytes 196..200 (docs/architecture.md#operations-and-command-codes, #request-numbering). */
export function handleNonReplicated(ctx: ServerContext, req: Request): void {
  const code = req.header.code;
  if (code === Code.Ping) return sendReadReply(ctx, req, Buffer.alloc(0));
  if (code === Code.LegacyLogin || code === Code.LegacyPatLogin) {
    return sendEviction(ctx, req, EvictionReason.MalformedLogin, { client: req.header.client });
  }
  // Logout sent on the read plane: answered OK, nothing is logged out.
  if (code === Code.Logout) return sendReadReply(ctx, req, Buffer.alloc(0));
  if (REPLICATED_CODES.has(code))
    return sendReadReply(ctx, req, Buffer.alloc(0), ErrorCode.FeatureUnavailable);
  if (!READ_CODES.has(code)) return sendReadReply(ctx, req, Buffer.alloc(0), ErrorCode.InvalidCommand);
  if (!boundClient(ctx, req.connection)) {
    // The pre-login read denial carries op 0 rather than the session echo.
    return sendReadReply(
      ctx,
      { ...req, header: { ...req.header, session: 0n } },
      Buffer.alloc(0),
      ErrorCode.Unauthenticated,
    );
  }
  try {
    const result = read(ctx, req, code);
    if ('status' in result) sendReadReply(ctx, req, Buffer.alloc(0), result.status);
    else sendReadReply(ctx, req, result.body);
  } catch (error) {
    if (!(error instanceof WireDecodeError)) throw error;
    ctx.options.log(`code ${code} body ${req.body.toString('hex')} does not decode: ${error.message}`);
    sendReadReply(ctx, req, Buffer.alloc(0), ErrorCode.InvalidCommand);
  }
}

type ReadResult = { status: number } | { body: Buffer };
const EMPTY: ReadResult = { body: Buffer.alloc(0) };

function read(ctx: ServerContext, req: Request, code: number): ReadResult {
  const reader = new WireReader(req.body);
  const done = <T>(value: T): T => {
    if (!reader.atEnd()) throw new WireDecodeError('trailing bytes');
    return value;
  };
  switch (code) {
    case Code.GetStats:
      done(null);
      return {
        body: encodeStats({
          startTimeMicros: ctx.startTimeMicros,
          nowMicros: ctx.state.nowMicros(),
          streams: ctx.state.sortedStreams(),
          clientsCount: ctx.connections.size,
          serverVersion: ctx.options.serverVersion,
          serverSemver: semver(ctx.options.serverVersion),
          readBytes: 0n,
          writtenBytes: 0n,
        }),
      };
    case Code.GetClusterMetadata:
      done(null);
      return { body: ctx.clusterMetadata() };
    case Code.GetMe:
      done(null);
      return { body: encodeClientResponse(clientInfo(ctx, req.connection), true) };
    case Code.GetClients:
      done(null);
      return {
        body: Buffer.concat([...ctx.connections].map((c) => encodeClientResponse(clientInfo(ctx, c), false))),
      };
    case Code.GetStream: {
      const stream = ctx.state.findStream(done(reader.identifier()));
      return stream ? { body: encodeStreamDetails(stream) } : EMPTY;
    }
    case Code.GetStreams:
      done(null);
      return { body: Buffer.concat(ctx.state.sortedStreams().map(encodeStreamResponse)) };
    case Code.GetTopic: {
      const streamId = reader.identifier();
      const topicId = done(reader.identifier());
      const stream = ctx.state.findStream(streamId);
      const topic = stream && ctx.state.findTopic(stream, topicId);
      return topic ? { body: encodeTopicDetails(topic, false) } : EMPTY;
    }
    case Code.GetTopics: {
      const stream = ctx.state.findStream(done(reader.identifier()));
      const topics = stream ? sortedTopics(stream) : [];
      return {
        body: Buffer.concat([
          new WireWriter().u32(topics.length).toBuffer(),
          ...topics.map(encodeTopicHeader),
        ]),
      };
    }
    case Code.PollMessages:
      return pollMessages(ctx, req, reader);
    case Code.FlushUnsavedBuffer:
      return { status: ErrorCode.FeatureUnavailable };
    case Code.DescribeOptions: {
      // An unknown scope is an undecodable body to us: status 3, like any other value outside an enum.
      const catalog = optionCatalog(done(reader.u8()), ctx.options.topicOptionsFlavor);
      return catalog ? { body: encodeOptionCatalog(catalog) } : { status: ErrorCode.InvalidCommand };
    }
    case Code.GetConsumerOffset: {
      const consumer = readConsumer(reader);
      const streamId = reader.identifier();
      const topicId = reader.identifier();
      const partitionId = done(readOptionalPartition(reader)) ?? 0;
      const stream = ctx.state.findStream(streamId);
      const topic = stream && ctx.state.findTopic(stream, topicId);
      if (!topic) return EMPTY;
      const group = consumer.kind === 'group' ? ctx.state.findGroup(topic, consumer.id) : undefined;
      if (consumer.kind === 'group' && !group) return EMPTY;
      const partition = findPartition(topic, partitionId);
      if (!partition) return { status: ErrorCode.PartitionNotFound };
      const stored = offsetSlot(partition, consumer, group).get();
      if (stored === undefined) return EMPTY;
      return {
        body: new WireWriter().u32(partition.id).u64(currentOffset(partition)).u64(stored).toBuffer(),
      };
    }
    case Code.GetConsumerGroup:
    case Code.GetConsumerGroups:
    case Code.SyncConsumerGroup: {
      const streamId = reader.identifier();
      const topicId = reader.identifier();
      const groupId = code === Code.GetConsumerGroups ? undefined : reader.identifier();
      done(null);
      const stream = ctx.state.findStream(streamId);
      if (!stream) return code === Code.SyncConsumerGroup ? EMPTY : { status: ErrorCode.StreamIdNotFound };
      const topic = ctx.state.findTopic(stream, topicId);
      if (!topic) return code === Code.SyncConsumerGroup ? EMPTY : { status: ErrorCode.TopicIdNotFound };
      if (groupId === undefined) {
        const groups = [...topic.groups.values()].sort((a, b) => a.id - b.id);
        return { body: Buffer.concat(groups.map((g) => encodeConsumerGroupResponse(topic, g))) };
      }
      const group = settledGroup(ctx.state.findGroup(topic, groupId));
      if (!group) return EMPTY;
      if (code === Code.GetConsumerGroup) return { body: encodeConsumerGroupDetails(topic, group) };
      // Only what the member may poll now, in assignment order; partitions waiting for a handoff are not listed.
      const member = group.members.get(req.header.client);
      if (!member) return EMPTY;
      const w = new WireWriter().u64(group.generation).u32(member.partitions.length);
      for (const id of member.partitions) w.u32(id);
      return { body: w.toBuffer() };
    }
    default:
      return { status: ErrorCode.InvalidCommand };
  }
}

function clientInfo(ctx: ServerContext, connection: ConnectionState): ClientInfo {
  const entry = boundClient(ctx, connection);
  const groups: ClientInfo['groups'] = [];
  if (entry) {
    for (const stream of ctx.state.sortedStreams()) {
      for (const topic of sortedTopics(stream)) {
        for (const group of topic.groups.values()) {
          if (group.members.has(entry.clientId))
            groups.push({ streamId: stream.id, topicId: topic.id, groupId: group.id });
        }
      }
    }
  }
  return { connectionId: connection.id, userId: entry?.userId, address: connection.address, groups };
}

/** 0.9.0 → 9000: major·1 000 000 + minor·1 000 + patch. */
function semver(version: string): number {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return 0;
  return Number(match[1]) * 1_000_000 + Number(match[2]) * 1000 + Number(match[3]);
}
