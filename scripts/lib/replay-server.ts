/**
 * A replay server for client-bound benchmarks (`npm run bench:peers`): SendMessages and PollMessages
 * are answered on the spot with ready-made valid replies, so the server side costs almost nothing and
 * the numbers measure the client. Everything else (register, ping, cluster metadata, create/get
 * stream and topic, logout…) is relayed to an in-memory test server (test/support), so any client
 * that logs in and sets up a topic normally just works.
 *
 * - SendMessages (operation 160): the body is skipped, not parsed or verified, except for the first
 *   frame's payload_length, which sets the payload size of later poll replies. Reply: a send
 *   confirmation for partition 0 (stream 0, topic 0).
 * - PollMessages (read code 100): a reply of exactly `count` messages starting at the requested
 *   offset, with valid per-message and batch XXH3 checksums, built once per (count, payload size)
 *   and then only re-stamped with the offset.
 *
 * It never imports lib/iggy: our client is one of the contestants. Run as its own process (it
 * prints `replay server listening on 127.0.0.1:<port>`), so it never shares an event loop with one.
 */
import { xxh3 } from '@node-rs/xxhash';
import { createServer, connect, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@/test/support';

const HEADER = 256;
const OP_NON_REPLICATED = 2;
const OP_SEND_MESSAGES = 160;
const CODE_POLL_MESSAGES = 100;
const COMMAND_REPLY = 8;
/** Bytes of a send body kept to find the first frame's payload_length (metadata is at most ~520 B). */
const SEND_PREFIX_KEPT = 1024;
/** Bounds the cache of pre-built poll replies (one per poll count and payload size seen). */
const MAX_CACHED_REPLIES = 32;

interface PendingFrame {
  header: Buffer;
  headerFilled: number;
  /** body bytes still to come for this frame */
  bodyLeft: number;
  relay: boolean;
  /** collected body for relayed and poll frames; the first SEND_PREFIX_KEPT bytes for sends */
  body: Buffer[];
  bodyKept: number;
}

export interface ReplayServer {
  port: number;
  close(): Promise<void>;
}

export async function startReplayServer(
  options: { port?: number; host?: string } = {},
): Promise<ReplayServer> {
  const upstream: TestServer = await startTestServer({ port: 0 });
  const upstreamPort = Number(new URL(upstream.url.replace('iggy://', 'http://')).port);
  let payloadBytes = 100;
  const replies = new Map<string, Buffer>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    sockets.add(client);
    client.setNoDelay(true);
    const relay = connect({ host: '127.0.0.1', port: upstreamPort });
    relay.setNoDelay(true);
    sockets.add(relay);
    relay.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      relay.destroy();
      sockets.delete(client);
      sockets.delete(relay);
    };
    relay.on('error', end);
    relay.on('close', end);
    client.on('error', end);
    client.on('close', end);

    const answer = (request: Buffer, body: Buffer) => {
      client.cork();
      client.write(replyHeader(request, body.length));
      client.write(body);
      client.uncork();
    };
    let frame: PendingFrame | undefined;
    const finish = (f: PendingFrame) => {
      const body = f.body.length === 1 ? f.body[0]! : Buffer.concat(f.body);
      if (f.relay) {
        relay.write(Buffer.concat([f.header, body]));
        return;
      }
      const operation = f.header.readUInt8(176);
      if (operation === OP_SEND_MESSAGES) {
        const seen = firstPayloadLength(body);
        if (seen !== undefined) payloadBytes = seen;
        answer(f.header, sendConfirmation());
      } else {
        const poll = parsePoll(body);
        answer(f.header, pollReply(poll.count, poll.offset));
      }
    };
    client.on('data', (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length) {
        if (!frame) {
          frame = {
            header: Buffer.alloc(HEADER),
            headerFilled: 0,
            bodyLeft: 0,
            relay: true,
            body: [],
            bodyKept: 0,
          };
        }
        if (frame.headerFilled < HEADER) {
          const take = Math.min(HEADER - frame.headerFilled, chunk.length - at);
          chunk.copy(frame.header, frame.headerFilled, at, at + take);
          frame.headerFilled += take;
          at += take;
          if (frame.headerFilled < HEADER) break;
          const size = frame.header.readUInt32LE(48);
          if (size < HEADER) return end();
          frame.bodyLeft = size - HEADER;
          const operation = frame.header.readUInt8(176);
          const code = frame.header.readUInt32LE(196);
          frame.relay = !(
            operation === OP_SEND_MESSAGES ||
            (operation === OP_NON_REPLICATED && code === CODE_POLL_MESSAGES)
          );
        }
        const take = Math.min(frame.bodyLeft, chunk.length - at);
        const isSend = !frame.relay && frame.header.readUInt8(176) === OP_SEND_MESSAGES;
        const keep = isSend ? Math.min(take, SEND_PREFIX_KEPT - frame.bodyKept) : take;
        if (keep > 0) {
          // Copied: the chunk belongs to the socket and a relayed frame may outlive it.
          frame.body.push(Buffer.from(chunk.subarray(at, at + keep)));
          frame.bodyKept += keep;
        }
        frame.bodyLeft -= take;
        at += take;
        if (frame.bodyLeft === 0) {
          const done = frame;
          frame = undefined;
          finish(done);
        }
      }
    });
  });

  function sendConfirmation(): Buffer {
    const body = Buffer.alloc(24);
    body.writeUInt32LE(1, 0); // one entry: stream 0, topic 0, partition 0, base offset 0
    return body;
  }

  function pollReply(count: number, offset: bigint): Buffer {
    const key = `${count}:${payloadBytes}`;
    let body = replies.get(key);
    if (!body) {
      if (replies.size >= MAX_CACHED_REPLIES) replies.clear();
      body = buildPollReply(count, payloadBytes);
      replies.set(key, body);
    }
    // Lockstep clients have read the previous reply before asking again, so re-stamping is safe.
    if (count > 0) {
      body.writeBigUInt64LE(offset + BigInt(count) - 1n, 4);
      body.writeBigUInt64LE(offset, 16 + 8);
    }
    return body;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.stop();
    },
  };
}

/** Reply header (docs/architecture.md#replies-and-evictions) echoing the request's checksum, client, request number and operation. */
function replyHeader(request: Buffer, bodyLength: number): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(HEADER + bodyLength, 48);
  header.writeUInt8(COMMAND_REPLY, 60);
  request.copy(header, 128, 144, 160); // request checksum
  request.copy(header, 160, 128, 144); // client
  header.writeBigUInt64LE(request.readBigUInt64LE(168), 200); // request number
  header.writeUInt8(request.readUInt8(176), 208); // operation
  return header;
}

/** `[metadata_length u32][metadata][batch header 256][frame header…]`: payload_length of frame 1. */
function firstPayloadLength(bodyPrefix: Buffer): number | undefined {
  if (bodyPrefix.length < 4) return undefined;
  const at = 4 + bodyPrefix.readUInt32LE(0) + HEADER + 36;
  return at + 4 <= bodyPrefix.length ? bodyPrefix.readUInt32LE(at) : undefined;
}

/** `[Consumer][stream Id][topic Id][OptPart][strategy 9 B][count u32][auto_commit u8]`. */
function parsePoll(body: Buffer): { count: number; offset: bigint } {
  let at = 1; // consumer kind
  for (let i = 0; i < 3; i++) at += 2 + body.readUInt8(at + 1); // consumer id, stream id, topic id
  at += 5; // optional partition
  const kind = body.readUInt8(at);
  const value = body.readBigUInt64LE(at + 1);
  const count = body.readUInt32LE(at + 9);
  return { count, offset: kind === 1 ? value : 0n };
}

/** `count` messages of `payloadBytes` 'a' bytes in one record; ids 1..count; every checksum valid. */
function buildPollReply(count: number, payloadBytes: number): Buffer {
  const frameLength = 48 + payloadBytes;
  const batchLength = HEADER + frameLength * count;
  const body = Buffer.alloc(16 + (count > 0 ? batchLength : 0));
  body.writeUInt32LE(0, 0);
  body.writeUInt32LE(count, 12);
  if (count === 0) return body;
  const now = BigInt(Date.now()) * 1000n;
  const record = body.subarray(16);
  record.writeBigUInt64LE(now, 16); // base timestamp
  record.writeBigUInt64LE(now, 24); // origin timestamp
  record.writeBigUInt64LE(BigInt(batchLength), 32);
  record.writeUInt32LE(count, 48);
  const checksums = Buffer.alloc(44 + 8 * count);
  for (let i = 0; i < count; i++) {
    const frame = record.subarray(HEADER + i * frameLength, HEADER + (i + 1) * frameLength);
    frame.writeBigUInt64LE(BigInt(i + 1), 8);
    frame.writeUInt32LE(i, 24);
    frame.writeUInt32LE(payloadBytes, 36);
    frame.fill(0x61, 48);
    const checksum = xxh3.xxh64(frame.subarray(8));
    frame.writeBigUInt64LE(checksum, 0);
    checksums.writeBigUInt64LE(checksum, 44 + 8 * i);
  }
  // Batch checksum over the record as sent: clients must not verify it, but a valid one costs nothing here.
  record.copy(checksums, 0, 0, 40);
  checksums.writeUInt32LE(count, 40);
  record.writeBigUInt64LE(xxh3.xxh64(checksums), 40);
  return body;
}

// `tsx scripts/lib/replay-server.ts [port]`: stand-alone, until SIGTERM/SIGINT.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const port = Number(process.argv[2] ?? 0);
  startReplayServer({ port })
    .then((server) => {
      console.log(`replay server listening on 127.0.0.1:${server.port}`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    })
    .catch((error: unknown) => {
      console.error(`replay server failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
