import { readU128, writeU128 } from './bytes';
import { Command, HEADER_SIZE } from './codes';

/** The request header fields the server acts on (docs/architecture.md#one-frame-format-a-256-byte-header). */
export interface RequestHeader {
  size: number;
  command: number;
  client: bigint;
  requestChecksum: bigint;
  timestamp: bigint;
  request: bigint;
  operation: number;
  session: bigint;
  code: number;
}

export function parseRequestHeader(frame: Buffer): RequestHeader {
  return {
    size: frame.readUInt32LE(48),
    command: frame.readUInt8(60),
    client: readU128(frame, 128),
    requestChecksum: readU128(frame, 144),
    timestamp: frame.readBigUInt64LE(160),
    request: frame.readBigUInt64LE(168),
    operation: frame.readUInt8(176),
    session: frame.readBigUInt64LE(184),
    code: frame.readUInt32LE(196),
  };
}

export interface ReplyFields {
  requestChecksum: bigint;
  client: bigint;
  op: bigint;
  commit: bigint;
  timestamp: bigint;
  request: bigint;
  operation: number;
  status: number;
}

/** Reply header (docs/architecture.md#replies-and-evictions): command 8, body follows. A non-zero status always comes with an empty body. */
export function encodeReply(fields: ReplyFields, body: Buffer = Buffer.alloc(0)): Buffer {
  const effectiveBody = fields.status === 0 ? body : Buffer.alloc(0);
  const frame = Buffer.alloc(HEADER_SIZE + effectiveBody.length);
  frame.writeUInt32LE(frame.length, 48);
  frame.writeUInt8(Command.Reply, 60);
  writeU128(frame, 128, fields.requestChecksum);
  writeU128(frame, 160, fields.client);
  frame.writeBigUInt64LE(BigInt.asUintN(64, fields.op), 176);
  frame.writeBigUInt64LE(BigInt.asUintN(64, fields.commit), 184);
  frame.writeBigUInt64LE(BigInt.asUintN(64, fields.timestamp), 192);
  frame.writeBigUInt64LE(BigInt.asUintN(64, fields.request), 200);
  frame.writeUInt8(fields.operation, 208);
  frame.writeUInt32LE(fields.status >>> 0, 216);
  effectiveBody.copy(frame, HEADER_SIZE);
  return frame;
}

/** Eviction (docs/architecture.md#replies-and-evictions): always exactly 256 bytes, reason at 255, version window only for reason 14. */
export function encodeEviction(
  client: bigint,
  reason: number,
  versionWindow?: { max: number; min: number },
): Buffer {
  const frame = Buffer.alloc(HEADER_SIZE);
  frame.writeUInt32LE(HEADER_SIZE, 48);
  frame.writeUInt8(Command.Eviction, 60);
  writeU128(frame, 128, client);
  if (versionWindow) {
    frame.writeUInt32LE(versionWindow.max >>> 0, 144);
    frame.writeUInt32LE(versionWindow.min >>> 0, 148);
  }
  frame.writeUInt8(reason, 255);
  return frame;
}

/** `[count u32]` result framing (docs/architecture.md#replies-and-evictions): count 0 + payload on success. */
export function resultOk(payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(4);
  return Buffer.concat([head, payload]);
}

/** A committed rejection: one `{index u32, result u32}` entry. */
export function resultError(code: number): Buffer {
  const body = Buffer.alloc(12);
  body.writeUInt32LE(1, 0);
  body.writeUInt32LE(0, 4);
  body.writeUInt32LE(code, 8);
  return body;
}
