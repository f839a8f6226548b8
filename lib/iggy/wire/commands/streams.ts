/** Streams (docs/architecture.md#reply-layouts): create, read, list, purge, delete. */

import { BinaryReader, BinaryWriter } from '../binary';
import { Operation, ReadCode } from '../constants';
import { decodeUntilEnd, writeName, type Identifier } from '../primitives';
import { command, encodeStreamRef, metadata, noBody, noResult, read, STREAM_ABSENT } from './command';
import { readTopicHeader, type TopicSummary } from './topics';

export interface StreamDetails {
  id: number;
  name: string;
  createdAtMicros: bigint;
  topicsCount: number;
  sizeBytes: bigint;
  messagesCount: bigint;
  /** [] from list and create */
  topics: TopicSummary[];
}

/** `[name WireName]` + an empty options block: streams accept no option keys. */
export function encodeCreateStreamBody(name: string): Buffer {
  const w = new BinaryWriter(64);
  writeName(w, name, 'stream name');
  return w.toBuffer();
}

function readStream(r: BinaryReader): StreamDetails {
  const id = r.u32();
  const createdAtMicros = r.u64();
  const topicsCount = r.u32();
  const sizeBytes = r.u64();
  const messagesCount = r.u64();
  const name = r.name();
  r.skip(r.u32()); // options block: streams have none today
  return { id, name, createdAtMicros, topicsCount, sizeBytes, messagesCount, topics: [] };
}

/** Create stream reply: one StreamResponse. */
export function decodeStream(payload: Buffer): StreamDetails {
  const r = new BinaryReader(payload, 'stream');
  const stream = readStream(r);
  r.expectEnd();
  return stream;
}

/** Get stream: StreamResponse + topics_count TopicHeaders; empty = not found. */
export function decodeStreamDetails(payload: Buffer): StreamDetails | null {
  if (payload.length === 0) return null;
  const r = new BinaryReader(payload, 'stream details');
  const stream = readStream(r);
  for (let i = 0; i < stream.topicsCount; i++) stream.topics.push(readTopicHeader(r));
  r.expectEnd();
  return stream;
}

/** Get streams: StreamResponse* until the end. */
export function decodeStreams(payload: Buffer): StreamDetails[] {
  return decodeUntilEnd(payload, 'streams', readStream);
}

export const streamCommands = {
  create: command({
    name: 'CreateStream',
    kind: metadata(Operation.CreateStream),
    encode: encodeCreateStreamBody,
    decode: decodeStream,
    describe: (name: string) => `create stream '${name}'`,
  }),
  get: command({
    name: 'GetStream',
    kind: read(ReadCode.GetStream),
    encode: encodeStreamRef,
    decode: decodeStreamDetails,
    absentOn: STREAM_ABSENT,
  }),
  list: command({
    name: 'GetStreams',
    kind: read(ReadCode.GetStreams),
    encode: noBody,
    decode: decodeStreams,
  }),
  delete: command({
    name: 'DeleteStream',
    kind: metadata(Operation.DeleteStream),
    encode: encodeStreamRef,
    decode: noResult,
    describe: (id: Identifier) => `delete stream ${String(id)}`,
  }),
  purge: command({
    name: 'PurgeStream',
    kind: metadata(Operation.PurgeStream),
    encode: encodeStreamRef,
    decode: noResult,
    describe: (id: Identifier) => `purge stream ${String(id)}`,
  }),
};
