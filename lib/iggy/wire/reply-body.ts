/** Turning a reply into its typed payload or an error (docs/architecture.md#replies-and-evictions). */

import { IggyErrorCode, protocolError, serverError } from '../errors';
import { Operation } from './constants';
import type { ReplyFrame } from './header';

/**
 * Which replies carry a `[count u32]` result section before the payload. Decided by the reply's
 * operation byte, not by the request's: create topic answers with 64 and create partitions with 65.
 */
export function isResultFramed(operation: number, bodyLength: number): boolean {
  if (operation >= 64 && operation <= 68) return true;
  if (operation >= 128 && operation <= 149 && operation !== 138) return true;
  if (operation === Operation.StoreConsumerOffset || operation === Operation.DeleteConsumerOffset)
    return true;
  return operation === Operation.Register && bodyLength > 0;
}

export type ReplyOutcome = { ok: true; payload: Buffer } | { ok: false; code: number };

/** Status first, then the result section; never reads a truncated result section as success. */
export function replyOutcome(reply: Pick<ReplyFrame, 'operation' | 'status' | 'body'>): ReplyOutcome {
  if (reply.status !== 0) return { ok: false, code: reply.status };
  const body = reply.body;
  if (!isResultFramed(reply.operation, body.length)) return { ok: true, payload: body };
  if (body.length < 4)
    throw protocolError(`reply (operation ${reply.operation}) is too short for its result count`);
  const count = body.readUInt32LE(0);
  if (count === 0) return { ok: true, payload: body.subarray(4) };
  // Entries are {index u32, result u32}; the first entry's result is the error.
  if (body.length < 12) {
    throw protocolError(
      `reply (operation ${reply.operation}) claims ${count} results but has only ${body.length} bytes`,
    );
  }
  return { ok: false, code: body.readUInt32LE(8) };
}

/** The payload of a successful reply, or the server's error as an IggyError. */
export function replyPayload(
  reply: Pick<ReplyFrame, 'operation' | 'status' | 'body'>,
  context?: string,
): Buffer {
  const outcome = replyOutcome(reply);
  if (!outcome.ok) throw serverError(outcome.code, context);
  return outcome.payload;
}

export function isTransientCode(code: number): boolean {
  return code === IggyErrorCode.TransientNotCommitted || code === IggyErrorCode.TransientNotAccepted;
}
