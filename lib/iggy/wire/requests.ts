/** Request bodies for the client's command subset (reference §2.2 and §3.1). */

import { invalidArgument } from '../errors';
import { BinaryWriter, utf8 } from './binary';
import { U64_MAX } from './constants';
import {
  checkU32,
  type Consumer,
  type Identifier,
  type OptionValue,
  writeConsumer,
  writeIdentifier,
  writeName,
  writeOptionalPartition,
  writeOptions,
} from './primitives';
import { CLIENT_PROTOCOL_VERSION } from './version';

export interface LoginInput {
  username: string;
  password: string;
  sdkName: string;
  sdkVersion: string;
  protocolVersion?: number;
}

/** `[version u32][sdk name][sdk version][username][password u8-prefixed][context u32 length = 0]`. */
export function encodeLoginBody(input: LoginInput): Buffer {
  const w = new BinaryWriter(128);
  w.u32(input.protocolVersion ?? CLIENT_PROTOCOL_VERSION);
  writeName(w, input.sdkName, 'sdk name');
  writeName(w, input.sdkVersion, 'sdk version');
  writeName(w, input.username, 'username');
  // Never echo the password in an error: check its length here instead of via writeName.
  const password = utf8(typeof input.password === 'string' ? input.password : '');
  if (password.length < 1 || password.length > 255)
    throw invalidArgument('password must be 1..255 UTF-8 bytes');
  w.u8(password.length).bytes(password);
  w.u32(0);
  return w.toBuffer();
}

/** `[name WireName]` + an empty options block: streams accept no option keys. */
export function encodeCreateStreamBody(name: string): Buffer {
  const w = new BinaryWriter(64);
  writeName(w, name, 'stream name');
  return w.toBuffer();
}

export function encodeIdentifiers(...ids: [Identifier, string][]): Buffer {
  const w = new BinaryWriter(64);
  for (const [id, what] of ids) writeIdentifier(w, id, what);
  return w.toBuffer();
}

export interface CreateTopicInput {
  streamId: Identifier;
  name: string;
  partitionsCount: number;
  messageExpiryMicros?: bigint;
  maxTopicSizeBytes?: bigint;
  compression?: 'none' | 'gzip';
}

function checkU64(value: bigint, what: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX)
    throw invalidArgument(`${what} must be a u64 bigint`);
  return value;
}

/**
 * `[stream Id][partitions_count u32][name][options TLV]`. The options block stays empty unless
 * the caller sets an option, so the server applies its own defaults.
 */
export function encodeCreateTopicBody(input: CreateTopicInput): Buffer {
  const w = new BinaryWriter(128);
  writeIdentifier(w, input.streamId, 'stream id');
  const count = checkU32(input.partitionsCount, 'partitions count');
  if (count < 1 || count > 1000) throw invalidArgument('partitions count must be 1..1000');
  w.u32(count);
  writeName(w, input.name, 'topic name');
  const options: [string, OptionValue][] = [];
  if (input.compression !== undefined) {
    if (input.compression !== 'none' && input.compression !== 'gzip')
      throw invalidArgument("compression must be 'none' or 'gzip'");
    options.push(['compression_algorithm', { kind: 'string', value: input.compression }]);
  }
  if (input.messageExpiryMicros !== undefined) {
    options.push([
      'message_expiry',
      { kind: 'u64', value: checkU64(input.messageExpiryMicros, 'message expiry') },
    ]);
  }
  if (input.maxTopicSizeBytes !== undefined) {
    options.push([
      'max_topic_size',
      { kind: 'u64', value: checkU64(input.maxTopicSizeBytes, 'max topic size') },
    ]);
  }
  writeOptions(w, options);
  return w.toBuffer();
}

/** `[stream Id][topic Id][count u32]` for create and delete partitions. */
export function encodePartitionsBody(streamId: Identifier, topicId: Identifier, count: number): Buffer {
  const w = new BinaryWriter(64);
  writeIdentifier(w, streamId, 'stream id');
  writeIdentifier(w, topicId, 'topic id');
  checkU32(count, 'partitions count');
  if (count < 1 || count > 1000) throw invalidArgument('partitions count must be 1..1000');
  w.u32(count);
  return w.toBuffer();
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

export interface ConsumerOffsetTarget {
  consumer: Consumer;
  streamId: Identifier;
  topicId: Identifier;
  partitionId?: number;
}

/** AckLevel 1 = Quorum, the safe default for a demo that must not lose offsets. */
const ACK_QUORUM = 1;

function writeOffsetTarget(w: BinaryWriter, target: ConsumerOffsetTarget): void {
  writeConsumer(w, target.consumer);
  writeIdentifier(w, target.streamId, 'stream id');
  writeIdentifier(w, target.topicId, 'topic id');
  writeOptionalPartition(w, target.partitionId);
}

/** `[Consumer][stream Id][topic Id][OptPart]`. */
export function encodeGetConsumerOffsetBody(target: ConsumerOffsetTarget): Buffer {
  const w = new BinaryWriter(64);
  writeOffsetTarget(w, target);
  return w.toBuffer();
}

/** `[Consumer][stream Id][topic Id][OptPart][offset u64][ack u8]`. */
export function encodeStoreConsumerOffsetBody(target: ConsumerOffsetTarget & { offset: bigint }): Buffer {
  const w = new BinaryWriter(64);
  writeOffsetTarget(w, target);
  w.u64(checkU64(target.offset, 'offset'));
  w.u8(ACK_QUORUM);
  return w.toBuffer();
}

/** `[Consumer][stream Id][topic Id][OptPart][ack u8]`. */
export function encodeDeleteConsumerOffsetBody(target: ConsumerOffsetTarget): Buffer {
  const w = new BinaryWriter(64);
  writeOffsetTarget(w, target);
  w.u8(ACK_QUORUM);
  return w.toBuffer();
}
