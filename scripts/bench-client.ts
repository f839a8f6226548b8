/**
 * npm run bench:client — raw throughput of lib/iggy: send N messages, then poll them back.
 *
 * Cases: payload 100 B and 1 KB × batch sizes 1, 100, 1000 messages per request. N is calibrated
 * per case from a short warm-up so each timed phase takes a few seconds (capped in bytes so the
 * in-memory test server does not exhaust RAM). Polls use count = batch size, offset by offset.
 * Uses IGGY_URL when set, otherwise an in-process test server (which then shares this process's
 * CPU: figures are a floor for the client, not a measure of Iggy). Writes the table into
 * docs/performance.md between the bench:client markers and leaves the rest of the file alone.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  Consumer,
  IggyClient,
  Partitioning,
  PollingStrategy,
  parseIggyUrl,
  type OutgoingMessage,
} from '@/lib/iggy';
import { decodePollReply, encodeMessageBatch } from '@/lib/iggy/internal';
import { startTestServer, type TestServer } from '@/test/support';
import { PERFORMANCE_DOC, writePerformanceSection } from './lib/performance-doc';

const PHASE_SECONDS = Number(process.env.BENCH_SECONDS ?? 3) || 3;
const WARMUP_MS = 400;
/** Upper bound on payload bytes per case: the in-memory server keeps every message. */
const MAX_BYTES_PER_CASE = Number(process.env.BENCH_MAX_BYTES ?? 200_000_000) || 200_000_000;
const PAYLOAD_SIZES = [100, 1024];
const BATCH_SIZES = [1, 100, 1000];

interface CaseResult {
  payloadBytes: number;
  batchSize: number;
  messages: number;
  sendSeconds: number;
  pollSeconds: number;
}

function batchOf(payload: Buffer, size: number): OutgoingMessage[] {
  // Fixed ids and one origin timestamp keep the encoder's work, not random number generation, on the clock.
  const now = BigInt(Date.now()) * 1000n;
  return Array.from({ length: size }, (_, i) => ({ payload, id: BigInt(i + 1), originTimestampMicros: now }));
}

async function runCase(
  client: IggyClient,
  payloadBytes: number,
  batchSize: number,
  maxMessages = Infinity,
): Promise<CaseResult> {
  const stream = `bench-client-${payloadBytes}-${batchSize}-${Date.now().toString(36)}`;
  await client.createStream(stream);
  await client.createTopic({ streamId: stream, name: 'bench', partitionsCount: 1 });
  const payload = Buffer.alloc(payloadBytes, 0x61);
  const target = { streamId: stream, topicId: 'bench', partitioning: Partitioning.partitionId(0) };
  try {
    // Warm-up, also the calibration: how many batches fit in WARMUP_MS.
    let warmBatches = 0;
    const warmStart = performance.now();
    while (performance.now() - warmStart < WARMUP_MS) {
      await client.sendMessages({ ...target, messages: batchOf(payload, batchSize) });
      warmBatches++;
    }
    const warmRate = (warmBatches * batchSize) / ((performance.now() - warmStart) / 1000);
    const byBytes = Math.floor(MAX_BYTES_PER_CASE / payloadBytes);
    const wanted = Math.min(Math.max(batchSize, Math.round(warmRate * PHASE_SECONDS)), byBytes, maxMessages);
    const batches = Math.max(1, Math.round(wanted / batchSize));
    const messages = batches * batchSize;
    const firstOffset = BigInt(warmBatches * batchSize);

    const batch = batchOf(payload, batchSize);
    const sendStart = performance.now();
    for (let b = 0; b < batches; b++) await client.sendMessages({ ...target, messages: batch });
    const sendSeconds = (performance.now() - sendStart) / 1000;

    let received = 0;
    let offset = firstOffset;
    const pollStart = performance.now();
    while (received < messages) {
      const polled = await client.pollMessages({
        consumer: Consumer.single(1),
        streamId: stream,
        topicId: 'bench',
        partitionId: 0,
        strategy: PollingStrategy.offset(offset),
        count: Math.min(batchSize, messages - received),
        autoCommit: false,
      });
      if (polled.messages.length === 0) throw new Error(`poll returned nothing at offset ${offset}`);
      for (const m of polled.messages) {
        if (m.payload.length !== payloadBytes)
          throw new Error(`message ${m.offset} came back with ${m.payload.length} bytes`);
      }
      received += polled.messages.length;
      offset = polled.messages.at(-1)!.offset + 1n;
    }
    const pollSeconds = (performance.now() - pollStart) / 1000;
    return { payloadBytes, batchSize, messages, sendSeconds, pollSeconds };
  } finally {
    await client.deleteStream(stream).catch(() => undefined);
  }
}

interface CodecResult {
  payloadBytes: number;
  encodePerSecond: number;
  decodePerSecond: number;
}

/**
 * The client's own CPU cost with no socket and no server: encode 1000-message batches (checksums
 * included) and decode a poll reply carrying the same batch (checksums verified).
 */
function codecOnly(payloadBytes: number): CodecResult {
  const messages = batchOf(Buffer.alloc(payloadBytes, 0x61), 1000);
  const batch = encodeMessageBatch(messages);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(1000, 12);
  const reply = Buffer.concat([head, batch]);
  /** Batches per second of `work`, after a warm-up, over about one second. */
  const rate = (work: () => unknown): number => {
    for (let i = 0; i < 20; i++) work();
    let rounds = 0;
    const started = performance.now();
    while (performance.now() - started < 1_000) {
      work();
      rounds++;
    }
    return rounds / ((performance.now() - started) / 1000);
  };
  return {
    payloadBytes,
    encodePerSecond: rate(() => encodeMessageBatch(messages)) * 1000,
    decodePerSecond: rate(() => decodePollReply(reply)) * 1000,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (n: number) => n.toFixed(1);

function table(results: CaseResult[]): string {
  const rows = results.map((r) => {
    const sendRate = r.messages / r.sendSeconds;
    const pollRate = r.messages / r.pollSeconds;
    return `| ${r.payloadBytes === 1024 ? '1 KB' : `${r.payloadBytes} B`} | ${fmt(r.batchSize)} | ${fmt(r.messages)} | ${fmt(sendRate)} | ${mb((sendRate * r.payloadBytes) / 1e6)} | ${fmt(pollRate)} | ${mb((pollRate * r.payloadBytes) / 1e6)} |`;
  });
  return [
    '| payload | batch | messages | send msgs/s | send MB/s | poll msgs/s | poll MB/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const url = process.env.IGGY_URL?.trim();
  let server: TestServer | undefined;
  let targetText: string;
  if (url) {
    targetText = `Iggy server at ${parseIggyUrl(url).address} (IGGY_URL)`;
  } else {
    server = await startTestServer();
    targetText = 'in-process test server (test/support, same Node process and CPU as the client)';
  }
  const client = IggyClient.fromUrl(url ?? server!.url, { requestTimeoutMs: 30_000, pingIntervalMs: 0 });
  try {
    await client.connect();
    if (url) targetText += `, server version ${client.serverVersion ?? 'unknown'}`;
    const cpus = os.cpus();
    const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`;
    console.log(`machine: ${machine}`);
    console.log(`target:  ${targetText}`);
    // Untimed warm-up so the first case does not pay for JIT compilation of the codec paths.
    for (const batchSize of BATCH_SIZES) await runCase(client, 100, batchSize, 300);
    const results: CaseResult[] = [];
    for (const payloadBytes of PAYLOAD_SIZES) {
      for (const batchSize of BATCH_SIZES) {
        const result = await runCase(client, payloadBytes, batchSize);
        results.push(result);
        console.log(
          `payload ${payloadBytes} B, batch ${batchSize}: ${fmt(result.messages)} msgs; ` +
            `send ${fmt(result.messages / result.sendSeconds)} msgs/s (${mb((result.messages * payloadBytes) / result.sendSeconds / 1e6)} MB/s), ` +
            `poll ${fmt(result.messages / result.pollSeconds)} msgs/s (${mb((result.messages * payloadBytes) / result.pollSeconds / 1e6)} MB/s)`,
        );
      }
    }
    const codec = PAYLOAD_SIZES.map(codecOnly);
    for (const c of codec) {
      console.log(
        `codec only, payload ${c.payloadBytes} B: encode ${fmt(c.encodePerSecond)} msgs/s, decode ${fmt(c.decodePerSecond)} msgs/s`,
      );
    }
    const section = [
      '## Client throughput (`npm run bench:client`)',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on: ${machine}.`,
      `Target: ${targetText}.`,
      '',
      'One connection, one partition, requests in lockstep (one in flight). Each case sends N messages in',
      'batches of the given size, then polls them back with `count` = batch size. MB/s counts payload bytes',
      '(10^6 bytes per MB); frame and batch headers add 48 bytes per message and 256 per batch on top.',
      `N is calibrated so each phase takes about ${PHASE_SECONDS} s, capped at ${MAX_BYTES_PER_CASE / 1e6} MB of payload per case.`,
      '',
      table(results),
      '',
      'Codec alone (no socket, no server; 1000-message batches, all XXH3 checksums computed or verified):',
      '',
      '| payload | encode msgs/s | encode MB/s | decode msgs/s | decode MB/s |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...codec.map(
        (c) =>
          `| ${c.payloadBytes === 1024 ? '1 KB' : `${c.payloadBytes} B`} | ${fmt(c.encodePerSecond)} | ${mb((c.encodePerSecond * c.payloadBytes) / 1e6)} | ${fmt(c.decodePerSecond)} | ${mb((c.decodePerSecond * c.payloadBytes) / 1e6)} |`,
      ),
      '',
      url
        ? 'The figures include the network path to the server.'
        : [
            'With the in-process test server, client and server share one event loop and CPU; the',
            `load average was ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores at the end of the run. Figures can move by up to 2×`,
            'between runs on a shared machine, so treat them as a floor and compare within one run only. With one',
            'message per request, both directions are bound by the per-request round trip (two event-loop hops and',
            'a 256-byte header each way), not by the codec.',
          ].join('\n'),
    ].join('\n');
    await writePerformanceSection('client', section);
    console.log(`\nwrote ${path.relative(process.cwd(), PERFORMANCE_DOC)}`);
  } finally {
    await client.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
