import { type Socket, connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { xxh3 } from '@node-rs/xxhash';

/**
 * A hand-rolled client for rule tests: frames are built byte by byte from the protocol description (docs/architecture.md),
 * without lib/iggy and without the test server's own codec.
 */

export interface RequestSpec {
  operation: number;
  client?: bigint;
  session?: bigint;
  request?: bigint;
  code?: number;
  body?: Buffer;
  /** 'auto' stamps XXH3(body); a bigint is written verbatim; default 0. */
  requestChecksum?: bigint | 'auto';
  command?: number;
  /** Overrides the size field (to test the size checks). */
  size?: number;
}

export function u128Bytes(value: bigint): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(value & 0xffff_ffff_ffff_ffffn, 0);
  b.writeBigUInt64LE(value >> 64n, 8);
  return b;
}

export function xxh3Of(body: Buffer): bigint {
  return xxh3.xxh64(body);
}

export function buildRequest(spec: RequestSpec): Buffer {
  const body = spec.body ?? Buffer.alloc(0);
  const frame = Buffer.alloc(256 + body.length);
  frame.writeUInt32LE(spec.size ?? frame.length, 48);
  frame.writeUInt8(spec.command ?? 5, 60);
  u128Bytes(spec.client ?? 0n).copy(frame, 128);
  const checksum = spec.requestChecksum === 'auto' ? xxh3Of(body) : (spec.requestChecksum ?? 0n);
  u128Bytes(checksum).copy(frame, 144);
  frame.writeBigUInt64LE(spec.request ?? 0n, 168);
  frame.writeUInt8(spec.operation, 176);
  frame.writeBigUInt64LE(spec.session ?? 0n, 184);
  frame.writeUInt32LE(spec.code ?? 0, 196);
  body.copy(frame, 256);
  return frame;
}

export interface ParsedFrame {
  raw: Buffer;
  command: number;
  size: number;
  status: number;
  operation: number;
  request: bigint;
  op: bigint;
  requestChecksum: bigint;
  client: bigint;
  body: Buffer;
  /** Eviction reason (byte 255) and version window (144/148). */
  reason: number;
  windowMax: number;
  windowMin: number;
}

function readU128(b: Buffer, at: number): bigint {
  return (b.readBigUInt64LE(at + 8) << 64n) | b.readBigUInt64LE(at);
}

export function parseFrame(raw: Buffer): ParsedFrame {
  return {
    raw,
    command: raw.readUInt8(60),
    size: raw.readUInt32LE(48),
    status: raw.readUInt32LE(216),
    operation: raw.readUInt8(208),
    request: raw.readBigUInt64LE(200),
    op: raw.readBigUInt64LE(176),
    requestChecksum: readU128(raw, 128),
    client: readU128(raw, 160),
    body: raw.subarray(256),
    reason: raw.readUInt8(255),
    windowMax: raw.readUInt32LE(144),
    windowMin: raw.readUInt32LE(148),
  };
}

/** Result-framed body: [count][{index, code}...] or [0][payload]. */
export function resultOf(frame: ParsedFrame): { code: number; payload: Buffer } {
  const count = frame.body.readUInt32LE(0);
  if (count > 0) return { code: frame.body.readUInt32LE(8), payload: Buffer.alloc(0) };
  return { code: 0, payload: frame.body.subarray(4) };
}

export class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private waiter: (() => void) | undefined;
  closed = false;
  readonly closedPromise: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 256) {
        const size = this.buffered.readUInt32LE(48);
        if (this.buffered.length < size) break;
        this.frames.push(Buffer.from(this.buffered.subarray(0, size)));
        this.buffered = this.buffered.subarray(size);
      }
      this.waiter?.();
    });
    socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.waiter?.();
        resolve();
      }),
    );
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(frame: Buffer): void {
    this.socket.write(frame);
  }

  /** The next frame, or undefined after timeoutMs (or when the socket closed). */
  async next(timeoutMs = 2000): Promise<ParsedFrame | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const raw = this.frames.shift();
    return raw ? parseFrame(raw) : undefined;
  }

  async request(spec: RequestSpec, timeoutMs = 2000): Promise<ParsedFrame> {
    this.write(buildRequest(spec));
    const reply = await this.next(timeoutMs);
    if (!reply) throw new Error(`no reply to operation ${spec.operation} code ${spec.code ?? 0}`);
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function randomClientId(): bigint {
  return BigInt(`0x${randomBytes(16).toString('hex')}`) | 1n;
}

function nameBytes(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

export function loginBody(username: string, password: string, version = 0x2c00): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(version);
  return Buffer.concat([
    head,
    nameBytes('raw-test'),
    nameBytes('0.0.1'),
    nameBytes(username),
    nameBytes(password),
    Buffer.alloc(4), // context length 0
  ]);
}

export function numId(id: number): Buffer {
  const b = Buffer.from([1, 4, 0, 0, 0, 0]);
  b.writeUInt32LE(id, 2);
  return b;
}

export function strId(name: string): Buffer {
  return Buffer.concat([Buffer.from([2]), nameBytes(name)]);
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

export function u64(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return b;
}

export const BALANCED = Buffer.from([1, 0]);
export function partitionIdPartitioning(id: number): Buffer {
  return Buffer.concat([Buffer.from([2, 4]), u32(id)]);
}

export interface RawMessage {
  id: bigint;
  payload: Buffer;
  originTimestampMicros?: bigint;
}

/** Batch header + frames with every checksum, exactly as docs/architecture.md#sending-messages lays them out. */
export function buildBatch(messages: RawMessage[]): Buffer {
  const origins = messages.map((m) => m.originTimestampMicros ?? 1_000_000n);
  const origin = origins.reduce((a, b) => (a < b ? a : b));
  const frames = messages.map((message, index) => {
    const frame = Buffer.alloc(48 + message.payload.length);
    u128Bytes(message.id).copy(frame, 8);
    frame.writeUInt32LE(index, 24);
    frame.writeUInt32LE(Number(origins[index]! - origin), 28);
    frame.writeUInt32LE(0, 32);
    frame.writeUInt32LE(message.payload.length, 36);
    message.payload.copy(frame, 48);
    frame.writeBigUInt64LE(xxh3Of(frame.subarray(8)), 0);
    return frame;
  });
  const header = Buffer.alloc(256);
  header.writeBigUInt64LE(origin, 24);
  header.writeBigUInt64LE(BigInt(256 + frames.reduce((s, f) => s + f.length, 0)), 32);
  header.writeUInt32LE(frames.length, 48);
  const checksumInput = Buffer.concat([
    header.subarray(0, 40),
    header.subarray(48, 52),
    ...frames.map((f) => f.subarray(0, 8)),
  ]);
  header.writeBigUInt64LE(xxh3Of(checksumInput), 40);
  return Buffer.concat([header, ...frames]);
}

export function sendBody(
  stream: Buffer,
  topic: Buffer,
  partitioning: Buffer,
  batch: Buffer,
  messagesCount?: number,
): Buffer {
  const metadata = Buffer.concat([stream, topic, partitioning, u32(messagesCount ?? batch.readUInt32LE(48))]);
  return Buffer.concat([u32(metadata.length), metadata, batch]);
}

/** Poll body: [Consumer][stream][topic][OptPart][strategy 9][count u32][auto_commit u8]. */
export function pollBody(opts: {
  consumerKind?: number;
  consumerId?: Buffer;
  stream: Buffer;
  topic: Buffer;
  partition?: number;
  strategy: number;
  value?: bigint;
  count: number;
  autoCommit?: boolean;
}): Buffer {
  const optPart =
    opts.partition === undefined ? Buffer.alloc(5) : Buffer.concat([Buffer.from([1]), u32(opts.partition)]);
  return Buffer.concat([
    Buffer.from([opts.consumerKind ?? 1]),
    opts.consumerId ?? numId(1),
    opts.stream,
    opts.topic,
    optPart,
    Buffer.from([opts.strategy]),
    u64(opts.value ?? 0n),
    u32(opts.count),
    Buffer.from([opts.autoCommit ? 1 : 0]),
  ]);
}

/** Walks a poll reply into message offsets and payloads. */
export function decodePoll(body: Buffer): {
  partitionId: number;
  currentOffset: bigint;
  count: number;
  messages: { offset: bigint; payload: string; id: bigint; checksumOk: boolean }[];
} {
  const partitionId = body.readUInt32LE(0);
  const currentOffset = body.readBigUInt64LE(4);
  const count = body.readUInt32LE(12);
  const messages: { offset: bigint; payload: string; id: bigint; checksumOk: boolean }[] = [];
  let position = 16;
  while (position < body.length) {
    const baseOffset = body.readBigUInt64LE(position + 8);
    const batchLength = Number(body.readBigUInt64LE(position + 32));
    let framePosition = position + 256;
    while (framePosition < position + batchLength) {
      const headersLength = body.readUInt32LE(framePosition + 32);
      const payloadLength = body.readUInt32LE(framePosition + 36);
      const end = framePosition + 48 + payloadLength + headersLength;
      messages.push({
        offset: baseOffset + BigInt(body.readUInt32LE(framePosition + 24)),
        payload: body.subarray(framePosition + 48, framePosition + 48 + payloadLength).toString('utf8'),
        id: readU128(body, framePosition + 8),
        checksumOk: xxh3Of(body.subarray(framePosition + 8, end)) === body.readBigUInt64LE(framePosition),
      });
      framePosition = end;
    }
    position += batchLength;
  }
  return { partitionId, currentOffset, count, messages };
}

/** Registers as iggy/iggy and returns the session plus a request counter helper. */
export async function login(
  conn: RawConnection,
  client = randomClientId(),
  username = 'iggy',
  password = 'iggy',
): Promise<Session> {
  const reply = await conn.request({
    operation: 1,
    client,
    body: loginBody(username, password),
    requestChecksum: 'auto',
  });
  if (reply.command !== 8 || reply.status !== 0)
    throw new Error(`login failed: command ${reply.command} reason ${reply.reason}`);
  return new Session(conn, client, reply.body.readBigUInt64LE(8));
}

export class Session {
  private counter = 0n;
  constructor(
    readonly conn: RawConnection,
    readonly client: bigint,
    readonly session: bigint,
  ) {}

  /** Metadata op with the next request number. */
  metadata(operation: number, body: Buffer, extra: Partial<RequestSpec> = {}): Promise<ParsedFrame> {
    this.counter += 1n;
    return this.conn.request({
      operation,
      client: this.client,
      session: this.session,
      request: this.counter,
      body,
      ...extra,
    });
  }

  get lastRequest(): bigint {
    return this.counter;
  }

  read(code: number, body: Buffer = Buffer.alloc(0)): Promise<ParsedFrame> {
    return this.conn.request({
      operation: 2,
      code,
      client: this.client,
      session: this.session,
      request: this.counter || 1n,
      body,
    });
  }

  partition(operation: number, body: Buffer): Promise<ParsedFrame> {
    return this.conn.request({
      operation,
      client: this.client,
      session: this.session,
      request: this.counter || 1n,
      body,
    });
  }

  /** Writes without waiting (for silence assertions). */
  write(spec: RequestSpec): void {
    this.conn.write(
      buildRequest({ client: this.client, session: this.session, request: this.counter || 1n, ...spec }),
    );
  }

  async createStream(name: string): Promise<number> {
    const reply = await this.metadata(128, nameBytes(name));
    const result = resultOf(reply);
    if (reply.status !== 0 || result.code !== 0)
      throw new Error(`create stream ${reply.status}/${result.code}`);
    return result.payload.readUInt32LE(0);
  }

  async createTopic(
    stream: Buffer,
    name: string,
    partitions: number,
    options: Buffer = Buffer.alloc(0),
  ): Promise<ParsedFrame> {
    return this.metadata(132, Buffer.concat([stream, u32(partitions), nameBytes(name), options]));
  }
}

export { nameBytes };

export /** Walks a TopicHeader (variable length) and its partitions. */
function decodeTopic(payload: Buffer) {
  const nameLength = payload.readUInt8(49);
  const name = payload.subarray(50, 50 + nameLength).toString();
  let position = 50 + nameLength;
  const explicitLength = payload.readUInt32LE(position);
  position += 4 + explicitLength;
  const derivedLength = payload.readUInt32LE(position);
  position += 4 + derivedLength;
  const partitionsCount = payload.readUInt32LE(12);
  const partitions = [];
  for (let i = 0; i < partitionsCount; i += 1) {
    partitions.push({
      id: payload.readUInt32LE(position),
      segmentsCount: payload.readUInt32LE(position + 12),
      currentOffset: payload.readBigUInt64LE(position + 16),
      messagesCount: payload.readBigUInt64LE(position + 32),
    });
    position += 40;
  }
  return {
    id: payload.readUInt32LE(0),
    name,
    partitionsCount,
    explicitLength,
    derivedLength,
    partitions,
    end: position,
  };
}

/** One TLV field `[kind u8][length u32][data]` (docs/architecture.md#shared-encodings). */
export function tlv(kind: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([kind]), u32(data.length), data]);
}

/** Option values by TLV kind, and a block built from key/value pairs. */
export const opt = {
  str: (text: string) => tlv(2, Buffer.from(text, 'utf8')),
  bool: (value: boolean) => tlv(3, Buffer.from([value ? 1 : 0])),
  u32: (value: number) => tlv(11, u32(value)),
  u64: (value: bigint) => tlv(12, u64(value)),
};

export function optionsBlock(pairs: Record<string, Buffer>): Buffer {
  return Buffer.concat(Object.entries(pairs).flatMap(([key, value]) => [opt.str(key), value]));
}

/** Sends one message and returns the base offset of the reply's single confirmation. */
export async function sendOne(
  s: Session,
  stream: Buffer,
  topic: Buffer,
  partitioning: Buffer,
  payload: string | Buffer,
): Promise<bigint> {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const reply = await s.partition(
    160,
    sendBody(stream, topic, partitioning, buildBatch([{ id: 1n, payload: bytes }])),
  );
  if (reply.status !== 0 || reply.body.readUInt32LE(0) !== 1)
    throw new Error(`send failed: status ${reply.status}`);
  return reply.body.readBigUInt64LE(16);
}
