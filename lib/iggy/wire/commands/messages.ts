/** Sending and polling messages. */

import { invalidArgument } from '../../errors';
import { Operation, ReadCode } from '../constants';
import {
  decodePollReply,
  decodeSendReply,
  encodePollMessagesBody,
  encodeSendMessagesBody,
  type PollMessagesInput,
} from '../messages';
import { command, partition, read } from './command';

/**
 * A group poll without a partition is answered with nothing, forever (docs/architecture.md#consumer-groups-on-the-wire), so a
 * caller would wait silently. Refuse it with the way out instead.
 */
function encodePoll(input: PollMessagesInput): Buffer {
  if (input?.consumer?.kind === 'group' && input.partitionId === undefined) {
    throw invalidArgument(
      `polling as consumer group ${JSON.stringify(input.consumer.id)} needs a partition id: the server ` +
        'answers a group poll without one with no messages. A group member must join, sync its assignment ' +
        '(syncConsumerGroup) and poll each assigned partition by id, e.g. with the group consumer.',
    );
  }
  return encodePollMessagesBody(input);
}

export const messageCommands = {
  send: command({
    name: 'SendMessages',
    kind: partition(Operation.SendMessages),
    encode: encodeSendMessagesBody,
    decode: decodeSendReply,
  }),
  poll: command({
    name: 'PollMessages',
    kind: read(ReadCode.PollMessages),
    encode: encodePoll,
    decode: (payload: Buffer, input: PollMessagesInput) =>
      decodePollReply(payload, { verifyChecksums: input.verifyChecksums }),
  }),
};
