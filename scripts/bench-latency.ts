/**
 * npm run bench:latency — how long a demo message takes from the producer to the HTTP API, and then (by
 * running scripts/bench-ui.ts, which drives a real browser) to the screen, with the consumer polling every
 * 500 ms (the default) and every 50 ms. Set BENCH_LATENCY_API_ONLY=1 to skip the browser part.
 *
 * Measured: from the message's own `ts` (stamped by the producer just before sendMessages) to the
 * moment the runtime emits it as a message event, which is exactly when /api/events pushes it and
 * /api/messages can return it. (A browser polling /api/messages adds its own polling interval.)
 *
 * Two loads: isolated single sends (the demo's 1 msg/s, with wall time compressed: each send
 * waits for the previous message to arrive plus a random 0..poll-interval pause, so sends land at
 * every phase of the consumer's poll timer), and the runtime's producer at 100 msgs/s; each at both intervals.
 * Uses IGGY_URL when set, otherwise an in-process test server. Writes the figures into
 * docs/performance.md between the bench:latency markers.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { IggyClient } from '@/lib/iggy';
import { loadDemoConfig } from '@/lib/demo/config';
import { producerPayload } from '@/lib/demo/message-json';
import { DemoRuntime } from '@/lib/demo/runtime';
import type { DemoMessage } from '@/lib/demo/types';
import { startTestServer, type TestServer } from '@/test/support';
import { writePerformanceSection } from './lib/performance-doc';

const MESSAGES = Math.max(500, Number(process.env.BENCH_MESSAGES ?? 500) || 500);
const POLL_INTERVALS_MS = [500, 50] as const;

interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function percentiles(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank percentile.
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return {
    count: sorted.length,
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
  };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tsOf = (message: DemoMessage) => Date.parse((message.payload as { ts: string }).ts);

interface IntervalResult {
  pollIntervalMs: number;
  toAck: number[];
  toVisible: number[];
  atRate: number[];
}

async function measureAt(url: string, pollIntervalMs: number, onServer: boolean): Promise<IntervalResult> {
  const suffix = `${pollIntervalMs}-${Date.now().toString(36)}`;
  const config = loadDemoConfig({
    IGGY_URL: url,
    IGGY_STREAM: `bench-stream-${suffix}`,
    IGGY_TOPIC: `bench-topic-${suffix}`,
    IGGY_CONSUMER: `bench-consumer-${suffix}`,
    CONSUMER_POLL_MS: String(pollIntervalMs),
  });
  const target = onServer ? `in-process test server (${config.address})` : `Iggy at ${config.address}`;
  console.log(
    `bench:latency against ${target}, ${MESSAGES} messages per load, consumer poll interval ${pollIntervalMs} ms`,
  );

  const runtime = new DemoRuntime(config);
  const arrivals = new Map<number, { message: DemoMessage; atMs: number }>();
  let onArrival: ((id: number) => void) | undefined;
  runtime.subscribe((event) => {
    if (event.type !== 'message') return;
    const id = (event.message.payload as { id?: number }).id;
    if (typeof id !== 'number') return;
    arrivals.set(id, { message: event.message, atMs: performance.timeOrigin + performance.now() });
    onArrival?.(id);
  });
  runtime.start();

  const client = new IggyClient({
    host: config.iggy.host,
    port: config.iggy.port,
    username: config.iggy.username,
    password: config.iggy.password,
  });
  await client.connect();
  await client.ensureStream(config.streamName);
  await client.ensureTopic(config.streamName, config.topicName, 1);

  // Load 1: isolated single sends.
  const toVisible: number[] = [];
  const toAck: number[] = [];
  for (let i = 1; i <= MESSAGES; i += 1) {
    const arrived = new Promise<void>((resolve) => {
      onArrival = (id) => id === i && resolve();
    });
    const at = new Date();
    await client.sendMessages({
      streamId: config.streamName,
      topicId: config.topicName,
      messages: [{ payload: producerPayload(BigInt(i), at) }],
    });
    toAck.push(Date.now() - at.getTime());
    await Promise.race([arrived, sleep(10_000)]);
    const arrival = arrivals.get(i);
    if (!arrival) throw new Error(`message ${i} did not arrive within 10 s`);
    toVisible.push(arrival.atMs - at.getTime());
    await sleep(Math.random() * pollIntervalMs);
    if (i % 100 === 0) console.log(`  single sends: ${i}/${MESSAGES}`);
  }
  onArrival = undefined;
  await client.close();

  // Load 2: the runtime's own producer at 100 msgs/s.
  const firstId = MESSAGES + 1;
  await runtime.startProducer({ ratePerSec: 100 });
  const deadline = Date.now() + 60_000;
  while (runtime.status().producer.sent < MESSAGES && Date.now() < deadline) await sleep(50);
  await runtime.stopProducer();
  await runtime.whenIdle();
  const lastId = firstId + runtime.status().producer.sent - 1;
  while (arrivals.get(lastId) === undefined && Date.now() < deadline + 10_000) await sleep(50);
  const atRate: number[] = [];
  for (let id = firstId; id <= lastId; id += 1) {
    const arrival = arrivals.get(id);
    if (arrival) atRate.push(arrival.atMs - tsOf(arrival.message));
  }
  await runtime.close();
  return { pollIntervalMs, toAck, toVisible, atRate };
}

async function main(): Promise<void> {
  let server: TestServer | undefined;
  let url = process.env.IGGY_URL?.trim();
  if (!url) {
    server = await startTestServer();
    url = server.url;
  }
  const results: IntervalResult[] = [];
  for (const interval of POLL_INTERVALS_MS) results.push(await measureAt(url, interval, Boolean(server)));
  await server?.stop();

  const rows = results.flatMap((r) => {
    const poll = `${r.pollIntervalMs} ms`;
    return [
      ['isolated sends (1 msg/s pacing, compressed)', poll, 'ts → send acknowledged', percentiles(r.toAck)],
      [
        'isolated sends (1 msg/s pacing, compressed)',
        poll,
        'ts → visible via /api/events, /api/messages',
        percentiles(r.toVisible),
      ],
      [
        'runtime producer at 100 msgs/s',
        poll,
        'ts → visible via /api/events, /api/messages',
        percentiles(r.atRate),
      ],
    ] as const;
  });
  const table = [
    '| load | poll interval | measured | messages | p50 | p95 | p99 | max |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ([load, poll, what, s]) =>
        `| ${load} | ${poll} | ${what} | ${s.count} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |`,
    ),
  ].join('\n');
  console.log(`\n${table}\n`);
  for (const r of results)
    if (r.atRate.length < MESSAGES)
      console.log(
        `warning: only ${r.atRate.length} of ${MESSAGES} messages at 100 msgs/s arrived (poll ${r.pollIntervalMs} ms)`,
      );

  const section = [
    '## Produce-to-API latency (`npm run bench:latency`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} against the ${server ? 'in-process test server' : 'Iggy server at IGGY_URL'} on ${os.cpus().length} CPU cores, Node ${process.versions.node}.`,
    '',
    "Latency runs from the message's own `ts` (stamped just before `sendMessages`) to the moment the runtime emits the message",
    'event: the instant `/api/events` pushes it and `/api/messages` can return it. A browser that polls `/api/messages` adds its',
    'own polling interval on top. The consumer polls every 500 ms by default (`CONSUMER_POLL_MS`, or live from the consumer',
    'card; at once again after a full batch), so most of the latency is the wait for the next poll: about half the poll',
    'interval on average, up to the whole interval. Each load runs at 500 ms and at 50 ms.',
    '',
    'The 1 msg/s case compresses wall time: each single send waits for the previous message to arrive plus a random pause up to',
    'one poll interval, so sends land at every phase of the poll timer, as they would one second apart. `ts` has millisecond',
    'resolution, so the acknowledgement column is good to about 1 ms. Produce → screen (in a browser) is in the next section.',
    '',
    table,
  ].join('\n');
  await writePerformanceSection('latency', section);
  console.log('wrote the figures to docs/performance.md');

  if (process.env.BENCH_LATENCY_API_ONLY === '1') return;
  console.log('\nproduce → screen in a browser (scripts/bench-ui.ts), at 500 ms and 50 ms:');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url)),
      [fileURLToPath(new URL('./bench-ui.ts', import.meta.url))],
      { stdio: 'inherit' },
    );
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`the browser bench failed with exit code ${code}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:latency failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
