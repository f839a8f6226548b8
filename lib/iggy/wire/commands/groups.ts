/** Consumer groups: lifecycle, membership, assignment. */

import { Operation, ReadCode } from '../constants';
import { encodeCreateConsumerGroupBody } from '../requests';
import {
  decodeConsumerGroupAssignment,
  decodeConsumerGroupDetails,
  decodeConsumerGroups,
} from '../responses';
import { command, encodeGroupRef, encodeTopicRef, metadata, noResult, read, type TopicRef } from './command';

export interface CreateGroupInput extends TopicRef {
  name: string;
}

export const groupCommands = {
  create: command({
    name: 'CreateConsumerGroup',
    kind: metadata(Operation.CreateConsumerGroup),
    encode: (input: CreateGroupInput) =>
      encodeCreateConsumerGroupBody(input.streamId, input.topicId, input.name),
    // The reply may carry the group details or nothing (docs/architecture.md#where-descriptions-of-the-protocol-disagree): null = read it back.
    decode: decodeConsumerGroupDetails,
    describe: (input: CreateGroupInput) => `create consumer group '${input.name}'`,
  }),
  get: command({
    name: 'GetConsumerGroup',
    kind: read(ReadCode.GetConsumerGroup),
    encode: encodeGroupRef,
    decode: decodeConsumerGroupDetails,
  }),
  list: command({
    name: 'GetConsumerGroups',
    kind: read(ReadCode.GetConsumerGroups),
    encode: encodeTopicRef,
    decode: decodeConsumerGroups,
  }),
  join: command({
    name: 'JoinConsumerGroup',
    kind: metadata(Operation.JoinConsumerGroup),
    encode: encodeGroupRef,
    decode: noResult,
  }),
  sync: command({
    name: 'SyncConsumerGroup',
    kind: read(ReadCode.SyncConsumerGroup),
    encode: encodeGroupRef,
    decode: decodeConsumerGroupAssignment,
  }),
  leave: command({
    name: 'LeaveConsumerGroup',
    kind: metadata(Operation.LeaveConsumerGroup),
    encode: encodeGroupRef,
    decode: noResult,
  }),
  delete: command({
    name: 'DeleteConsumerGroup',
    kind: metadata(Operation.DeleteConsumerGroup),
    encode: encodeGroupRef,
    decode: noResult,
  }),
};
