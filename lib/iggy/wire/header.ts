/** Encoding request frames and decoding the headers of reply and eviction frames (docs/architecture.md#one-frame-format-a-256-byte-header, #replies-and-evictions). */

import { invalidArgument, protocolError } from '../errors';
import { xxh3_64 } from './checksum';
import { takeFrameHeadroom } from './frame-headroom';
import {
  Command,
  EVICT_OFF_CLIENT,
  EVICT_OFF_PROTOCOL_MAX,
  EVICT_OFF_PROTOCOL_MIN,
  EVICT_OFF_REASON,
  HEADER_SIZE,
  Operation,
  OFF_COMMAND,
  OFF_SIZE,
  REPLY_OFF_CLIENT,
  REPLY_OFF_OPERATION,
  REPLY_OFF_REQUEST,
  REPLY_OFF_REQUEST_CHECKSUM,
  REPLY_OFF_STATUS,
  REQ_OFF_CLIENT,
  REQ_OFF_COMMAND_CODE,
  REQ_OFF_OPERATION,
  REQ_OFF_REQUEST,
  REQ_OFF_REQUEST_CHECKSUM,
  REQ_OFF_SESSION,
  U64_MAX,
} from './constants';

export interface RequestFrameInput {
  clientId: bigint;
  operation: number;
  request: bigint;
  session: bigint;
  /** Only for operation 2 (NonReplicated); written at 196..200. */
  commandCode?: number;
  body?: Uint8Array;
  /** Stamp request_checksum = XXH3-64(body); otherwise write 0 (the server accepts both). */
  stampChecksum?: boolean;
}

function writeU128(buf: Buffer, value: bigint, at: number): void {
  buf.writeBigUInt64LE(value & U64_MAX, at);
  buf.writeBigUInt64LE(value >> 64n, at + 8);
}

function readU128(buf: Buffer, at: number): bigint {
  return buf.readBigUInt64LE(at) | (buf.readBigUInt64LE(at + 8) << 64n);
}

export function encodeRequestFrame(input: RequestFrameInput): Buffer {
  const body = input.body ?? new Uint8Array(0);
  if (input.clientId <= 0n || input.clientId >= 1n << 128n)
    throw invalidArgument('client id must be a non-zero u128');
  const inPlace = takeFrameHeadroom(body);
  const frame = inPlace ?? Buffer.alloc(HEADER_SIZE + body.length);
  if (inPlace) frame.fill(0, 0, HEADER_SIZE);
  frame.writeUInt32LE(frame.length, OFF_SIZE);
  frame.writeUInt8(Command.Request, OFF_COMMAND);
  writeU128(frame, input.clientId, REQ_OFF_CLIENT);
  if (input.stampChecksum) {
    // The u128 field holds the 64-bit hash zero-extended: low 8 bytes = hash, high 8 bytes = 0.
    frame.writeBigUInt64LE(xxh3_64(body), REQ_OFF_REQUEST_CHECKSUM);
  }
  frame.writeBigUInt64LE(input.request, REQ_OFF_REQUEST);
  frame.writeUInt8(input.operation, REQ_OFF_OPERATION);
  frame.writeBigUInt64LE(input.session, REQ_OFF_SESSION);
  frame.writeUInt32LE(input.commandCode ?? 0, REQ_OFF_COMMAND_CODE);
  if (!inPlace) frame.set(body, HEADER_SIZE);
  return frame;
}

export interface ReplyFrame {
  type: 'reply';
  size: number;
  requestChecksum: bigint;
  client: bigint;
  request: bigint;
  operation: number;
  status: number;
  body: Buffer;
}

export interface EvictionFrame {
  type: 'eviction';
  size: number;
  client: bigint;
  serverProtocolVersion: number;
  serverProtocolVersionMin: number;
  reason: number;
}

export type IncomingFrame = ReplyFrame | EvictionFrame;

/** Decodes one complete frame (as produced by the frame decoder) coming from the server. */
export function decodeIncomingFrame(frame: Buffer): IncomingFrame {
  if (frame.length < HEADER_SIZE)
    throw protocolError(`frame of ${frame.length} bytes is shorter than a header`);
  const size = frame.readUInt32LE(OFF_SIZE);
  if (size !== frame.length)
    throw protocolError(`frame size field ${size} does not match its ${frame.length} bytes`);
  const command = frame.readUInt8(OFF_COMMAND);
  if (command === Command.Eviction) {
    return {
      type: 'eviction',
      size,
      client: readU128(frame, EVICT_OFF_CLIENT),
      serverProtocolVersion: frame.readUInt32LE(EVICT_OFF_PROTOCOL_MAX),
      serverProtocolVersionMin: frame.readUInt32LE(EVICT_OFF_PROTOCOL_MIN),
      reason: frame.readUInt8(EVICT_OFF_REASON),
    };
  }
  if (command !== Command.Reply) throw protocolError(`unexpected command byte ${command} from the server`);
  return {
    type: 'reply',
    size,
    requestChecksum: readU128(frame, REPLY_OFF_REQUEST_CHECKSUM),
    client: readU128(frame, REPLY_OFF_CLIENT),
    request: frame.readBigUInt64LE(REPLY_OFF_REQUEST),
    operation: frame.readUInt8(REPLY_OFF_OPERATION),
    status: frame.readUInt32LE(REPLY_OFF_STATUS),
    body: frame.subarray(HEADER_SIZE),
  };
}

/** Fields a frame observer wants, read from either direction without throwing. */
export interface FrameSummary {
  command: number;
  operation: number;
  commandCode?: number;
  request: bigint;
  session?: bigint;
  status?: number;
  evictionReason?: number;
  size: number;
  bodyLength: number;
}

export function summarizeFrame(frame: Buffer): FrameSummary {
  if (frame.length < HEADER_SIZE) {
    return {
      command: frame.length > OFF_COMMAND ? frame.readUInt8(OFF_COMMAND) : 0,
      operation: 0,
      request: 0n,
      size: frame.length,
      bodyLength: 0,
    };
  }
  const command = frame.readUInt8(OFF_COMMAND);
  const size = frame.readUInt32LE(OFF_SIZE);
  const bodyLength = frame.length - HEADER_SIZE;
  if (command === Command.Request) {
    const operation = frame.readUInt8(REQ_OFF_OPERATION);
    const summary: FrameSummary = {
      command,
      operation,
      request: frame.readBigUInt64LE(REQ_OFF_REQUEST),
      session: frame.readBigUInt64LE(REQ_OFF_SESSION),
      size,
      bodyLength,
    };
    if (operation === Operation.NonReplicated) summary.commandCode = frame.readUInt32LE(REQ_OFF_COMMAND_CODE);
    return summary;
  }
  if (command === Command.Eviction) {
    return {
      command,
      operation: 0,
      request: 0n,
      evictionReason: frame.readUInt8(EVICT_OFF_REASON),
      size,
      bodyLength,
    };
  }
  return {
    command,
    operation: frame.readUInt8(REPLY_OFF_OPERATION),
    request: frame.readBigUInt64LE(REPLY_OFF_REQUEST),
    status: frame.readUInt32LE(REPLY_OFF_STATUS),
    size,
    bodyLength,
  };
}
