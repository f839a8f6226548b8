/** Topics and their partitions. */

import { IggyErrorCode, protocolError } from '../../errors';
import { Operation, ReadCode } from '../constants';
import { encodeCreateTopicBody, encodePartitionsBody, type CreateTopicInput } from '../requests';
import { decodeTopicDetails, decodeTopics, type TopicDetails } from '../responses';
import { command, encodeStreamRef, encodeTopicRef, metadata, noResult, read, type TopicRef } from './command';
import { STREAM_ABSENT } from './streams';

export interface PartitionsInput extends TopicRef {
  count: number;
}

function createdTopic(payload: Buffer): TopicDetails {
  const topic = decodeTopicDetails(payload);
  if (!topic) throw protocolError('create topic reply carries no topic');
  return topic;
}

const encodePartitions = (input: PartitionsInput): Buffer =>
  encodePartitionsBody(input.streamId, input.topicId, input.count);

export const topicCommands = {
  create: command({
    name: 'CreateTopic',
    kind: metadata(Operation.CreateTopic),
    encode: encodeCreateTopicBody,
    decode: createdTopic,
    describe: (input: CreateTopicInput) => `create topic '${input?.name}'`,
  }),
  get: command({
    name: 'GetTopic',
    kind: read(ReadCode.GetTopic),
    encode: encodeTopicRef,
    decode: decodeTopicDetails,
    absentOn: [...STREAM_ABSENT, IggyErrorCode.TopicIdNotFound, IggyErrorCode.TopicNameNotFound],
  }),
  list: command({
    name: 'GetTopics',
    kind: read(ReadCode.GetTopics),
    encode: encodeStreamRef,
    decode: decodeTopics,
  }),
  delete: command({
    name: 'DeleteTopic',
    kind: metadata(Operation.DeleteTopic),
    encode: encodeTopicRef,
    decode: noResult,
    describe: (ref: TopicRef) => `delete topic ${String(ref.topicId)}`,
  }),
  purge: command({
    name: 'PurgeTopic',
    kind: metadata(Operation.PurgeTopic),
    encode: encodeTopicRef,
    decode: noResult,
    describe: (ref: TopicRef) => `purge topic ${String(ref.topicId)}`,
  }),
  createPartitions: command({
    name: 'CreatePartitions',
    kind: metadata(Operation.CreatePartitions),
    encode: encodePartitions,
    decode: noResult,
  }),
  deletePartitions: command({
    name: 'DeletePartitions',
    kind: metadata(Operation.DeletePartitions),
    encode: encodePartitions,
    decode: noResult,
  }),
};
