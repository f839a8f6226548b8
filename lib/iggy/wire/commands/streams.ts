/** Streams: create, read, list, purge, delete. */

import { IggyErrorCode } from '../../errors';
import { Operation, ReadCode } from '../constants';
import type { Identifier } from '../primitives';
import { encodeCreateStreamBody } from '../requests';
import { decodeStream, decodeStreamDetails, decodeStreams } from '../responses';
import { command, encodeStreamRef, metadata, noBody, noResult, read } from './command';

export const STREAM_ABSENT = [IggyErrorCode.StreamIdNotFound, IggyErrorCode.StreamNameNotFound] as const;

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
