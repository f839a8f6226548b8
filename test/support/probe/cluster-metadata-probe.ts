import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import { WireDecodeError, WireReader, WireWriter, writeU128 } from '../wire/bytes';
import { checksum64 } from '../wire/checksum';
import { Code, Command, HEADER_SIZE, Operation, PROTOCOL_0_11_0 } from '../wire/codes';

/**
 * A minimal raw client of test/support (never lib/iggy): logs in on one node and reads cluster metadata
 * (read code 12). Used by the harness to ask a real cluster which node leads.
 */

export interface ClusterMetadataNode {
  name: string;
  ip: string;
  tcpPort: number;
  quicPort: number;
  httpPort: number;
  websocketPort: number;
  role: number;
  status: number;
}

export interface ClusterMetadata {
  clusterName: string;
  nodes: ClusterMetadataNode[];
}

/** Decodes a code-12 reply body; throws WireDecodeError on anything that does not fit the layout exactly. */
export function decodeClusterMetadata(body: Buffer): ClusterMetadata {
  const r = new WireReader(body);
  const text = () => r.bytes(r.u32()).toString('utf8');
  const u16 = () => {
    const b = r.bytes(2);
    return b.readUInt16LE(0);
  };
  const clusterName = text();
  const count = r.u32();
  if (count > 1024) throw new WireDecodeError(`node count ${count}`);
  const nodes: ClusterMetadataNode[] = [];
  for (let i = 0; i < count; i += 1) {
    nodes.push({
      name: text(),
      ip: text(),
      tcpPort: u16(),
      quicPort: u16(),
      httpPort: u16(),
      websocketPort: u16(),
      role: r.u8(),
      status: r.u8(),
    });
  }
  if (!r.atEnd()) throw new WireDecodeError('trailing bytes after the last node');
  return { clusterName, nodes };
}

function frame(
  fields: { client: bigint; operation: number; session?: bigint; request?: bigint; code?: number },
  body: Buffer,
): Buffer {
  const out = Buffer.alloc(HEADER_SIZE + body.length);
  out.writeUInt32LE(out.length, 48);
  out.writeUInt8(Command.Request, 60);
  writeU128(out, 128, fields.client);
  writeU128(out, 144, checksum64(body));
  out.writeBigUInt64LE(fields.request ?? 0n, 168);
  out.writeUInt8(fields.operation, 176);
  out.writeBigUInt64LE(fields.session ?? 0n, 184);
  out.writeUInt32LE(fields.code ?? 0, 196);
  body.copy(out, HEADER_SIZE);
  return out;
}

/** Connects to host:port, logs in, reads code 12 and closes. Every step is bounded by timeoutMs in all. */
export async function readClusterMetadata(
  address: { host: string; port: number },
  credentials: { username: string; password: string },
  timeoutMs = 5000,
): Promise<ClusterMetadata> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: address.host, port: address.port }, () => resolve(s));
    s.once('error', reject);
    s.setTimeout(timeoutMs, () =>
      s.destroy(new Error(`connect to ${address.host}:${address.port} timed out`)),
    );
  });
  const frames: Buffer[] = [];
  let pending = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= HEADER_SIZE && pending.length >= pending.readUInt32LE(48)) {
      const size = pending.readUInt32LE(48);
      frames.push(Buffer.from(pending.subarray(0, size)));
      pending = pending.subarray(size);
    }
    wake?.();
  });
  socket.on('error', (error) => {
    failure = error;
    wake?.();
  });
  socket.on('close', () => {
    failure ??= new Error('connection closed');
    wake?.();
  });
  const deadline = Date.now() + timeoutMs;
  const nextFrame = async (): Promise<Buffer> => {
    while (frames.length === 0) {
      if (failure) throw failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no reply from ${address.host}:${address.port} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    return frames.shift()!;
  };
  try {
    const client = BigInt(`0x${randomBytes(16).toString('hex')}`) | 1n;
    const login = new WireWriter()
      .u32(PROTOCOL_0_11_0)
      .wireName('cluster-probe')
      .wireName('0.1.0')
      .wireName(credentials.username)
      .u8(Buffer.byteLength(credentials.password))
      .bytes(Buffer.from(credentials.password, 'utf8'))
      .u32(0)
      .toBuffer();
    socket.write(frame({ client, operation: Operation.Register }, login));
    const loginReply = await nextFrame();
    if (loginReply.readUInt8(60) !== Command.Reply || loginReply.readUInt32LE(216) !== 0) {
      throw new Error(
        `login refused (command ${loginReply.readUInt8(60)}, reason ${loginReply.readUInt8(255)})`,
      );
    }
    const session = loginReply.readBigUInt64LE(HEADER_SIZE + 8);
    socket.write(
      frame(
        { client, operation: Operation.NonReplicated, session, request: 1n, code: Code.GetClusterMetadata },
        Buffer.alloc(0),
      ),
    );
    const reply = await nextFrame();
    const status = reply.readUInt32LE(216);
    if (status !== 0) throw new Error(`cluster metadata answered status ${status}`);
    return decodeClusterMetadata(reply.subarray(HEADER_SIZE));
  } finally {
    socket.destroy();
  }
}
