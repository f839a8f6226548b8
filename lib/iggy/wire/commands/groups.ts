/** Consumer groups (docs/architecture.md#consumer-groups-on-the-wire): lifecycle, membership, assignment. */

import { protocolError } from '../../errors';
import { BinaryReader, BinaryWriter } from '../binary';
import { Operation, ReadCode } from '../constants';
import { decodeUntilEnd, writeIdentifier, writeName, type Identifier } from '../primitives';
import { command, encodeGroupRef, encodeTopicRef, metadata, noResult, read, type TopicRef } from './command';

export interface CreateGroupInput extends TopicRef {
  name: string;
}

export interface ConsumerGroupMember {
  id: number;
  partitions: number[];
}

export interface ConsumerGroupDetails {
  id: number;
  name: string;
  partitionsCount: number;
  membersCount: number;
  members: ConsumerGroupMember[];
}

export interface ConsumerGroupAssignment {
  generation: bigint;
  partitions: number[];
}

/** `[stream Id][topic Id][name]`. */
export function encodeCreateConsumerGroupBody(
  streamId: Identifier,
  topicId: Identifier,
  name: string,
): Buffer {
  const w = new BinaryWriter(64);
  writeIdentifier(w, streamId, 'stream id');
  writeIdentifier(w, topicId, 'topic id');
  writeName(w, name, 'consumer group name');
  return w.toBuffer();
}

function readGroup(r: BinaryReader): Omit<ConsumerGroupDetails, 'members'> {
  const id = r.u32();
  const partitionsCount = r.u32();
  const membersCount = r.u32();
  const name = r.name();
  return { id, name, partitionsCount, membersCount };
}

/** ConsumerGroupDetails: the group, then members_count × `[id u32][count u32][partition u32 × count]`; empty = not found. */
export function decodeConsumerGroupDetails(payload: Buffer): ConsumerGroupDetails | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'consumer group');
  const group = readGroup(r);
  const members: ConsumerGroupMember[] = [];
  for (let i = 0; i < group.membersCount; i++) {
    const id = r.u32();
    const count = r.u32();
    if (count * 4 > r.remaining) throw protocolError(`consumer group member claims ${count} partitions`);
    const partitions: number[] = [];
    for (let j = 0; j < count; j++) partitions.push(r.u32());
    members.push({ id, partitions });
  }
  r.expectEnd();
  return { ...group, members };
}

/** Get consumer groups: ConsumerGroupResponse* until the end (no members listed). */
export function decodeConsumerGroups(payload: Buffer): ConsumerGroupDetails[] {
  return decodeUntilEnd(payload, 'consumer groups', (r) => ({ ...readGroup(r), members: [] }));
}

/** Sync consumer group: `[generation u64][count u32][partition u32 × count]`; empty = not a member. */
export function decodeConsumerGroupAssignment(payload: Buffer): ConsumerGroupAssignment | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'consumer group assignment');
  const generation = r.u64();
  const count = r.u32();
  if (count * 4 !== r.remaining)
    throw protocolError(`assignment claims ${count} partitions with ${r.remaining} bytes left`);
  const partitions: number[] = [];
  for (let i = 0; i < count; i++) partitions.push(r.u32());
  return { generation, partitions };
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
