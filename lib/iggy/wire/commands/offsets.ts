/** Consumer offsets: store, get, delete. */

import { BinaryReader, BinaryWriter } from '../binary';
import { Operation, ReadCode } from '../constants';
import {
  checkU64,
  writeConsumer,
  writeIdentifier,
  writeOptionalPartition,
  type Consumer,
  type Identifier,
} from '../primitives';
import { command, noResult, partition, read } from './command';

export interface ConsumerOffsetTarget {
  consumer: Consumer;
  streamId: Identifier;
  topicId: Identifier;
  partitionId?: number;
}

export interface ConsumerOffsetInfo {
  partitionId: number;
  currentOffset: bigint;
  storedOffset: bigint;
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

/** Get consumer offset: `[partition u32][current u64][stored u64]`; empty = nothing stored. */
export function decodeConsumerOffset(payload: Buffer): ConsumerOffsetInfo | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'consumer offset');
  const info = { partitionId: r.u32(), currentOffset: r.u64(), storedOffset: r.u64() };
  r.expectEnd();
  return info;
}

export const offsetCommands = {
  store: command({
    name: 'StoreConsumerOffset',
    kind: partition(Operation.StoreConsumerOffset),
    encode: encodeStoreConsumerOffsetBody,
    decode: noResult,
  }),
  get: command({
    name: 'GetConsumerOffset',
    kind: read(ReadCode.GetConsumerOffset),
    encode: encodeGetConsumerOffsetBody,
    decode: decodeConsumerOffset,
  }),
  delete: command({
    name: 'DeleteConsumerOffset',
    kind: partition(Operation.DeleteConsumerOffset),
    encode: encodeDeleteConsumerOffsetBody,
    decode: noResult,
  }),
};
