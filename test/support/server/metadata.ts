import { type Identifier, WireDecodeError, WireReader } from '../wire/bytes';
import { ErrorCode, EvictionReason, Operation } from '../wire/codes';
import { resultError, resultOk } from '../wire/frame';
import { parseOptionsBlock } from '../wire/options';
import { encodeConsumerGroupDetails, encodeStreamResponse, encodeTopicDetails } from '../wire/responses';
import { validateTopicOptions } from '../wire/topic-options';
import {
  MAX_PARTITIONS,
  MAX_STREAMS,
  MAX_TOPICS_PER_STREAM,
  type StreamState,
  type TopicState,
  lowestFreeId,
  newPartition,
  purgePartition,
} from '../model/state';
import { joinGroup, leaveGroup, newGroup, redealAll } from '../model/groups';
import type { MetadataCommit } from '../model/follower-lag';
import { groupClock } from './consumer';
import { type ClientEntry, type Request, type ServerContext, boundClient } from './context';
import { buildCommittedReply, sendDenial, sendEviction } from './replies';

/** What a metadata op decided: a pre-commit denial, a silent drop, or a committed outcome. */
type Outcome =
  | { kind: 'denied'; status: number }
  | { kind: 'drop' }
  | { kind: 'committed'; operation?: number; error?: number; payload?: Buffer; created?: MetadataCommit };

const denied = (status: number): Outcome => ({ kind: 'denied', status });
const committedError = (error: number): Outcome => ({ kind: 'committed', error });
const committed = (payload?: Buffer, operation?: number, created?: MetadataCommit): Outcome => ({
  kind: 'committed',
  payload,
  operation,
  created,
});

/** Metadata plane (operations 128..149): binding check, per-client dedup (docs/architecture.md#request-numbering), then the command. */
export function handleMetadata(ctx: ServerContext, req: Request): void {
  const entry = boundClient(ctx, req.connection);
  if (!entry) return sendEviction(ctx, req, EvictionReason.NoSession);

  const { request, requestChecksum } = req.header;
  if (request <= entry.watermark) {
    const cached = entry.lastReply;
    if (cached && cached.request === request) {
      if (requestChecksum === 0n || requestChecksum === cached.requestChecksum) {
        return ctx.send(req.connection, cached.frame);
      }
      return; // same number, different content: silent drop
    }
    return ctx.send(
      req.connection,
      buildCommittedReply(
        ctx,
        req,
        entry.clientId,
        req.header.operation,
        resultError(ErrorCode.RequestAlreadyApplied),
      ),
    );
  }

  let outcome: Outcome;
  try {
    outcome = execute(ctx, req, entry);
  } catch (error) {
    if (!(error instanceof WireDecodeError)) throw error;
    outcome = undecodable(req.header.operation);
  }
  if (outcome.kind === 'drop') return;
  if (outcome.kind === 'denied') return sendDenial(ctx, req, outcome.status);

  ctx.commitPosition += 1n;
  ctx.replication?.metadataCommitted(outcome.created ?? { kind: 'other' });
  const body = outcome.error !== undefined ? resultError(outcome.error) : resultOk(outcome.payload);
  const frame = buildCommittedReply(
    ctx,
    req,
    entry.clientId,
    outcome.operation ?? req.header.operation,
    body,
  );
  entry.watermark = request;
  entry.lastReply = { request, requestChecksum, frame };
  ctx.send(req.connection, frame);
}

/** Join/leave bodies that do not decode get no reply at all; everything else is denied with 3. */
function undecodable(operation: number): Outcome {
  if (operation === Operation.JoinConsumerGroup || operation === Operation.LeaveConsumerGroup)
    return { kind: 'drop' };
  return denied(ErrorCode.InvalidCommand);
}

function exact<T>(body: Buffer, read: (r: WireReader) => T): T {
  const reader = new WireReader(body);
  const value = read(reader);
  if (!reader.atEnd()) throw new WireDecodeError('trailing bytes');
  return value;
}

type Target = { stream: StreamState; topic: TopicState } | { error: number };

function resolveTopic(ctx: ServerContext, streamId: Identifier, topicId: Identifier): Target {
  const stream = ctx.state.findStream(streamId);
  if (!stream) return { error: ErrorCode.StreamIdNotFound };
  const topic = ctx.state.findTopic(stream, topicId);
  if (!topic) return { error: ErrorCode.TopicIdNotFound };
  return { stream, topic };
}

function execute(ctx: ServerContext, req: Request, entry: ClientEntry): Outcome {
  const { body } = req;
  switch (req.header.operation) {
    case Operation.CreateStream: {
      const reader = new WireReader(body);
      const name = reader.wireName();
      const options = parseOptionsBlock(reader.rest());
      if (options.length > 0) return denied(ErrorCode.UnsupportedOptionKey);
      const streams = [...ctx.state.streams.values()];
      if (streams.some((s) => s.name === name)) return committedError(ErrorCode.StreamNameAlreadyExists);
      if (streams.length >= MAX_STREAMS) return committedError(ErrorCode.TooManyStreams);
      const stream: StreamState = {
        id: lowestFreeId(ctx.state.streams),
        name,
        createdAtMicros: ctx.state.nowMicros(),
        topics: new Map(),
      };
      ctx.state.streams.set(stream.id, stream);
      return committed(encodeStreamResponse(stream), undefined, { kind: 'create-stream', stream });
    }
    case Operation.DeleteStream:
    case Operation.PurgeStream: {
      const streamId = exact(body, (r) => r.identifier());
      const stream = ctx.state.findStream(streamId);
      if (!stream) return committedError(ErrorCode.StreamIdNotFound);
      if (req.header.operation === Operation.DeleteStream) ctx.state.streams.delete(stream.id);
      else for (const topic of stream.topics.values()) topic.partitions.forEach(purgePartition);
      return committed();
    }
    case Operation.CreateTopic: {
      const reader = new WireReader(body);
      const streamId = reader.identifier();
      const partitionsCount = reader.u32();
      const name = reader.wireName();
      const entries = parseOptionsBlock(reader.rest());
      if (partitionsCount > MAX_PARTITIONS) return denied(ErrorCode.TooManyPartitions);
      const validated = validateTopicOptions(entries, ctx.options.topicOptionsFlavor);
      if (!validated.ok) {
        const sent = entries
          .map((e) => `${e.key}(kind ${e.value.kind}, ${e.value.data.toString('hex')})`)
          .join(', ');
        ctx.options.log(`create topic denied with ${validated.status}; options: ${sent}`);
        return denied(validated.status);
      }
      const stream = ctx.state.findStream(streamId);
      if (!stream) return committedError(ErrorCode.StreamIdNotFound);
      if ([...stream.topics.values()].some((t) => t.name === name))
        return committedError(ErrorCode.TopicNameAlreadyExists);
      if (stream.topics.size >= MAX_TOPICS_PER_STREAM) return committedError(ErrorCode.TooManyTopics);
      const createdAtMicros = ctx.state.nowMicros();
      const topic: TopicState = {
        id: lowestFreeId(stream.topics),
        name,
        createdAtMicros,
        createdAtMs: Date.now(),
        settings: validated.settings,
        explicitOptions: validated.explicit,
        derivedOptions: validated.derived,
        partitions: Array.from({ length: partitionsCount }, (_, id) => newPartition(id, createdAtMicros)),
        balancedCursor: 0,
        groups: new Map(),
        nextGroupId: 0,
      };
      stream.topics.set(topic.id, topic);
      return committed(encodeTopicDetails(topic, true), Operation.CreateTopicWithAssignments, {
        kind: 'create-topic',
        stream,
        topic,
      });
    }
    case Operation.DeleteTopic:
    case Operation.PurgeTopic: {
      const [streamId, topicId] = exact(body, (r) => [r.identifier(), r.identifier()] as const);
      const target = resolveTopic(ctx, streamId, topicId);
      if ('error' in target) return committedError(target.error);
      if (req.header.operation === Operation.DeleteTopic) target.stream.topics.delete(target.topic.id);
      else target.topic.partitions.forEach(purgePartition);
      return committed();
    }
    case Operation.CreatePartitions:
    case Operation.DeletePartitions: {
      const [streamId, topicId, count] = exact(
        body,
        (r) => [r.identifier(), r.identifier(), r.u32()] as const,
      );
      if (count === 0 || count > MAX_PARTITIONS) return denied(ErrorCode.TooManyPartitions);
      const target = resolveTopic(ctx, streamId, topicId);
      if ('error' in target) return committedError(target.error);
      const { topic } = target;
      if (req.header.operation === Operation.CreatePartitions) {
        if (topic.partitions.length + count > MAX_PARTITIONS)
          return committedError(ErrorCode.InvalidPartitionsCount);
        const createdAtMicros = ctx.state.nowMicros();
        const firstId = topic.partitions.reduce((max, p) => Math.max(max, p.id + 1), 0);
        for (let i = 0; i < count; i += 1) topic.partitions.push(newPartition(firstId + i, createdAtMicros));
      } else {
        if (count > topic.partitions.length) return committedError(ErrorCode.InvalidPartitionsCount);
        topic.partitions.splice(topic.partitions.length - count, count);
      }
      // Not observed on the real server: a partition-count change deals everything out again, like a leave.
      for (const group of topic.groups.values()) redealAll(topic, group);
      return committed(
        undefined,
        req.header.operation === Operation.CreatePartitions
          ? Operation.CreatePartitionsWithAssignments
          : undefined,
      );
    }
    case Operation.CreateConsumerGroup: {
      const [streamId, topicId, name] = exact(
        body,
        (r) => [r.identifier(), r.identifier(), r.wireName()] as const,
      );
      const target = resolveTopic(ctx, streamId, topicId);
      if ('error' in target) return committedError(target.error);
      const { topic } = target;
      if ([...topic.groups.values()].some((g) => g.name === name)) {
        return committedError(ErrorCode.ConsumerGroupNameAlreadyExists);
      }
      const group = newGroup(topic.nextGroupId, name);
      topic.nextGroupId += 1;
      topic.groups.set(group.id, group);
      return committed(encodeConsumerGroupDetails(topic, group), undefined, {
        kind: 'create-group',
        stream: target.stream,
        topic,
        group,
      });
    }
    case Operation.DeleteConsumerGroup:
    case Operation.JoinConsumerGroup:
    case Operation.LeaveConsumerGroup: {
      const [streamId, topicId, groupId] = exact(
        body,
        (r) => [r.identifier(), r.identifier(), r.identifier()] as const,
      );
      const target = resolveTopic(ctx, streamId, topicId);
      if ('error' in target) return committedError(target.error);
      const { topic } = target;
      const group = ctx.state.findGroup(topic, groupId);
      if (!group) return committedError(ErrorCode.ConsumerGroupIdNotFound);
      if (req.header.operation === Operation.DeleteConsumerGroup) {
        topic.groups.delete(group.id);
        for (const partition of topic.partitions) partition.groupOffsets.delete(group.id);
      } else if (req.header.operation === Operation.JoinConsumerGroup) {
        joinGroup(topic, group, entry.clientId, groupClock(ctx));
      } else if (!leaveGroup(topic, group, entry.clientId)) {
        return committedError(ErrorCode.ConsumerGroupMemberNotFound);
      }
      return committed();
    }
    default:
      // Update stream/topic, delete segments, user and token ops: defined on the wire, not in this server's subset.
      return denied(ErrorCode.FeatureUnavailable);
  }
}
