/**
 * A command descriptor: everything one Iggy command needs in one place. Its plane and number
 * decide how the frame is stamped, `encode` builds the body, `decode` reads the reply payload,
 * `absentOn` lists server codes that mean "not there" (the client then answers null), and the
 * name labels errors and the wire inspector.
 */

import { IggyErrorCode } from '../../errors';
import { encodeIdentifiers, type Identifier } from '../primitives';

export type CommandKind =
  { plane: 'read'; code: number } | { plane: 'metadata' | 'partition'; operation: number };

export interface Command<In, Out> {
  /** PascalCase, as the protocol reference names it. */
  readonly name: string;
  readonly kind: CommandKind;
  readonly encode: (input: In) => Buffer;
  /** `input` is the request, for decoders whose options travel with it (a poll's verifyChecksums). */
  readonly decode: (payload: Buffer, input: In) => Out;
  /** Only for commands whose result may be null. */
  readonly absentOn?: null extends Out ? readonly number[] : never;
  /** Error context, e.g. "create stream 'orders'"; default: the name in words ("get stream"). */
  readonly describe?: (input: In) => string;
}

/** Identity, so TypeScript infers In and Out from encode and decode. */
export function command<In, Out>(descriptor: Command<In, Out>): Command<In, Out> {
  return descriptor;
}

export const read = (code: number): CommandKind => ({ plane: 'read', code });
export const metadata = (operation: number): CommandKind => ({ plane: 'metadata', operation });
export const partition = (operation: number): CommandKind => ({ plane: 'partition', operation });

const EMPTY = Buffer.alloc(0);
export const noBody = (): Buffer => EMPTY;
/** For commands whose success carries nothing the caller needs. */
export const noResult = (): void => undefined;

export function contextOf<In>(
  descriptor: Pick<Command<In, unknown>, 'name' | 'describe'>,
  input: In,
): string {
  return descriptor.describe?.(input) ?? descriptor.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The codes that mean "no such stream": a get answers null on them, and so does a get of anything inside. */
export const STREAM_ABSENT = [IggyErrorCode.StreamIdNotFound, IggyErrorCode.StreamNameNotFound] as const;

export interface TopicRef {
  streamId: Identifier;
  topicId: Identifier;
}

export interface GroupRef extends TopicRef {
  groupId: Identifier;
}

export const encodeStreamRef = (streamId: Identifier): Buffer => encodeIdentifiers([streamId, 'stream id']);

export const encodeTopicRef = (ref: TopicRef): Buffer =>
  encodeIdentifiers([ref.streamId, 'stream id'], [ref.topicId, 'topic id']);

export const encodeGroupRef = (ref: GroupRef): Buffer =>
  encodeIdentifiers(
    [ref.streamId, 'stream id'],
    [ref.topicId, 'topic id'],
    [ref.groupId, 'consumer group id'],
  );
