/**
 * The polling-strategies lab: a one-partition topic `polling` in the labs' stream, filled on demand
 * with 20 numbered messages, polled with any strategy by any consumer name.
 *
 * Why the fill pauses: Iggy stamps the server timestamp per batch when it appends, so 20 messages in
 * one send would share one timestamp and Timestamp(t) could only ever answer "all" or "none". The
 * fill sends them one per SendMessages, FILL_PAUSE_MS apart (about 2 s in all), so each message has
 * its own server timestamp for the slider to choose between. Origin timestamps would not help:
 * Timestamp polling reads the server's.
 */

import { Consumer, PollingStrategy, type IggyClient, type PollingStrategy as WireStrategy } from '@/lib/iggy';
import { consumerOffsetCli, pollCli, sendCli } from './cli-equivalent';
import {
  LAB_LIMITS,
  type DeleteOffsetOutcome,
  type FillOutcome,
  type LabActionResult,
  type LabMessageView,
  type LabPollingStrategy,
  type PollOutcome,
  type PollingAction,
  type PollingLabState,
  type ResetOutcome,
} from './contract';
import { LabError } from './errors';
import type { Lab, LabHost } from './runtime';

export const POLLING_TOPIC = 'polling';
export const POLLING_PARTITION = 0;
export const FILL_PAUSE_MS = 100;
/** Reads the messages for the drawing without storing anything (auto-commit off). */
const VIEWER = Consumer.single('polling-lab-viewer');

export interface PollingLabOptions {
  fillPauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

type PollRequest = Extract<PollingAction, { action: 'poll' }>;

export class PollingLab implements Lab {
  readonly #host: LabHost;
  readonly #pauseMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  #fill = { running: false, sent: 0, total: LAB_LIMITS.pollingMessages };
  #fillAbort: AbortController | undefined;

  constructor(host: LabHost, options: PollingLabOptions = {}) {
    this.#host = host;
    this.#pauseMs = options.fillPauseMs ?? FILL_PAUSE_MS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get #target() {
    return { stream: this.#host.streamName, topic: POLLING_TOPIC, partitionId: POLLING_PARTITION };
  }

  async state(consumer?: string): Promise<PollingLabState> {
    const base = {
      stream: this.#host.streamName,
      topic: POLLING_TOPIC,
      fill: { ...this.#fill },
    };
    try {
      return await this.#host.read(async (client) => {
        const topic = await client.getTopic(this.#host.streamName, POLLING_TOPIC);
        const partition = topic?.partitions.find((p) => p.id === POLLING_PARTITION);
        if (!topic || !partition) {
          return {
            ...base,
            iggy: this.#host.iggyStatus(),
            partition: null,
            messages: [],
            storedOffset: null,
          };
        }
        const messages = await readMessages(client, this.#host.streamName);
        const storedOffset =
          consumer === undefined
            ? null
            : { consumer, offset: await storedOffsetOf(client, this.#host.streamName, consumer) };
        return {
          ...base,
          iggy: this.#host.iggyStatus(),
          partition: {
            messagesCount: partition.messagesCount.toString(),
            currentOffset: partition.currentOffset.toString(),
          },
          messages,
          storedOffset,
        };
      });
    } catch (error) {
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE') throw error;
      return { ...base, iggy: this.#host.iggyStatus(), partition: null, messages: [], storedOffset: null };
    }
  }

  async perform(action: PollingAction): Promise<LabActionResult<unknown>> {
    switch (action.action) {
      case 'fill':
        return this.fill();
      case 'poll':
        return this.poll(action);
      case 'deleteOffset':
        return this.deleteOffset(action.consumer);
      case 'reset':
        return this.reset();
    }
  }

  /** A fresh topic with LAB_LIMITS.pollingMessages messages, one send each, paused apart. */
  async fill(): Promise<LabActionResult<FillOutcome>> {
    if (this.#fill.running) throw new LabError('BAD_REQUEST', 'the lab is already filling its topic');
    const total = LAB_LIMITS.pollingMessages;
    this.#fill = { running: true, sent: 0, total };
    const abort = new AbortController();
    this.#fillAbort = abort;
    const removeCleanup = this.#host.addCleanup(() => abort.abort());
    try {
      const recorded = await this.#host.act(async (ctx) => {
        const client = await ctx.client();
        await ctx.ensureStream(client);
        // Recreate: offsets start at 0 again and no consumer keeps a stored offset from an earlier fill.
        if (await client.getTopic(this.#host.streamName, POLLING_TOPIC))
          await client.deleteTopic(this.#host.streamName, POLLING_TOPIC);
        await client.createTopic({
          streamId: this.#host.streamName,
          name: POLLING_TOPIC,
          partitionsCount: 1,
        });
        for (let n = 0; n < total; n += 1) {
          if (abort.signal.aborted) break;
          if (n > 0) await this.#sleep(this.#pauseMs);
          await client.sendMessages({
            streamId: this.#host.streamName,
            topicId: POLLING_TOPIC,
            partitioning: { kind: 'partitionId', partitionId: POLLING_PARTITION },
            messages: [{ payload: JSON.stringify({ n, text: `message ${n}` }) }],
          });
          this.#fill.sent = n + 1;
        }
        return readMessages(client, this.#host.streamName);
      });
      const messages = recorded.value;
      const first = messages[0];
      const last = messages.at(-1);
      const spreadMs =
        first && last ? Number(BigInt(last.timestampMicros) - BigInt(first.timestampMicros)) / 1000 : 0;
      return {
        lab: 'polling',
        action: 'fill',
        explanation:
          messages.length === 0
            ? 'The fill was interrupted before any message was sent.'
            : `Recreated topic ${POLLING_TOPIC} and sent ${messages.length} messages, one SendMessages each: offsets ${first!.offset}–${last!.offset}, server timestamps spread over ${spreadMs.toFixed(0)} ms.`,
        outcome: {
          sent: messages.length,
          firstOffset: first?.offset ?? null,
          lastOffset: last?.offset ?? null,
          firstTimestampMicros: first?.timestampMicros ?? null,
          lastTimestampMicros: last?.timestampMicros ?? null,
        },
        frames: recorded.frames,
        framesDropped: recorded.framesDropped,
        cli: sendCli(
          this.#target,
          ['{"n":0,"text":"message 0"}'],
          `once per message (n = 0 … ${total - 1}), a short pause between`,
        ),
      };
    } finally {
      removeCleanup();
      this.#fillAbort = undefined;
      this.#fill = { ...this.#fill, running: false };
    }
  }

  async poll(request: PollRequest): Promise<LabActionResult<PollOutcome>> {
    const recorded = await this.#host.act(async (ctx) => {
      const client = await ctx.client();
      const stream = this.#host.streamName;
      const topic = await client.getTopic(stream, POLLING_TOPIC);
      if (!topic) throw new LabError('BAD_REQUEST', 'the lab topic does not exist yet: fill it first');
      const storedBefore = await storedOffsetOf(client, stream, request.consumer);
      const polled = await client.pollMessages({
        consumer: Consumer.single(request.consumer),
        streamId: stream,
        topicId: POLLING_TOPIC,
        partitionId: POLLING_PARTITION,
        strategy: toWireStrategy(request.strategy),
        count: request.count,
        autoCommit: request.autoCommit,
      });
      const storedAfter = await storedOffsetOf(client, stream, request.consumer);
      return {
        offsets: polled.messages.map((m) => m.offset.toString()),
        currentOffset: polled.currentOffset.toString(),
        messagesCount: topic.partitions[0]?.messagesCount ?? 0n,
        storedBefore,
        storedAfter,
      };
    });
    const { messagesCount, ...rest } = recorded.value;
    const outcome: PollOutcome = {
      strategy: request.strategy,
      count: request.count,
      consumer: request.consumer,
      autoCommit: request.autoCommit,
      ...rest,
    };
    const cli = pollCli(this.#target, request);
    return {
      lab: 'polling',
      action: 'poll',
      explanation: explainPoll(outcome, messagesCount),
      outcome,
      frames: recorded.frames,
      framesDropped: recorded.framesDropped,
      ...(cli ? { cli } : {}),
    };
  }

  async deleteOffset(consumer: string): Promise<LabActionResult<DeleteOffsetOutcome>> {
    const recorded = await this.#host.act(async (ctx) => {
      const client = await ctx.client();
      const stream = this.#host.streamName;
      if (!(await client.getTopic(stream, POLLING_TOPIC)))
        throw new LabError('BAD_REQUEST', 'the lab topic does not exist yet: fill it first');
      const before = await storedOffsetOf(client, stream, consumer);
      // Nothing stored means nothing to delete: ask Iggy only when there is.
      if (before !== null)
        await client.deleteConsumerOffset({
          consumer: Consumer.single(consumer),
          streamId: stream,
          topicId: POLLING_TOPIC,
          partitionId: POLLING_PARTITION,
        });
      return before;
    });
    const before = recorded.value;
    return {
      lab: 'polling',
      action: 'deleteOffset',
      explanation:
        before === null
          ? `Consumer "${consumer}" has no stored offset on partition ${POLLING_PARTITION}, so there is nothing to delete: Next already starts at offset 0.`
          : `Deleted the stored offset ${before} of consumer "${consumer}": its next Next poll starts over at offset 0.`,
      outcome: { consumer, storedBefore: before, deleted: before !== null },
      frames: recorded.frames,
      framesDropped: recorded.framesDropped,
      cli: consumerOffsetCli({ ...this.#target, consumer }),
    };
  }

  async reset(): Promise<LabActionResult<ResetOutcome>> {
    this.#fillAbort?.abort();
    const recorded = await this.#host.act(async (ctx) => {
      const client = await ctx.client();
      const exists = (await client.getTopic(this.#host.streamName, POLLING_TOPIC)) !== null;
      if (exists) await client.deleteTopic(this.#host.streamName, POLLING_TOPIC);
      return exists;
    });
    await this.#host.disconnect();
    this.#fill = { running: false, sent: 0, total: LAB_LIMITS.pollingMessages };
    return {
      lab: 'polling',
      action: 'reset',
      explanation: recorded.value
        ? `Deleted topic ${POLLING_TOPIC} (its messages and every stored consumer offset on it) and closed the lab's connections.`
        : `Topic ${POLLING_TOPIC} did not exist; closed the lab's connections.`,
      outcome: { topicDeleted: recorded.value },
      frames: recorded.frames,
      framesDropped: recorded.framesDropped,
    };
  }
}

function toWireStrategy(strategy: LabPollingStrategy): WireStrategy {
  switch (strategy.kind) {
    case 'offset':
      return PollingStrategy.offset(BigInt(strategy.value));
    case 'timestamp':
      return PollingStrategy.timestamp(BigInt(strategy.value));
    case 'first':
      return PollingStrategy.first();
    case 'last':
      return PollingStrategy.last();
    case 'next':
      return PollingStrategy.next();
  }
}

async function readMessages(client: IggyClient, stream: string): Promise<LabMessageView[]> {
  const polled = await client.pollMessages({
    consumer: VIEWER,
    streamId: stream,
    topicId: POLLING_TOPIC,
    partitionId: POLLING_PARTITION,
    strategy: PollingStrategy.first(),
    count: LAB_LIMITS.pollingMessages,
    autoCommit: false,
  });
  return polled.messages.map((m) => ({
    offset: m.offset.toString(),
    timestampMicros: m.timestampMicros.toString(),
    text: textOf(m.payload),
  }));
}

function textOf(payload: Buffer): string {
  const raw = payload.toString('utf8');
  try {
    const parsed = JSON.parse(raw) as { text?: unknown };
    if (typeof parsed.text === 'string') return parsed.text.slice(0, 80);
  } catch {
    // not the lab's JSON: show the bytes as text
  }
  return raw.slice(0, 80);
}

async function storedOffsetOf(client: IggyClient, stream: string, consumer: string): Promise<string | null> {
  const info = await client.getConsumerOffset({
    consumer: Consumer.single(consumer),
    streamId: stream,
    topicId: POLLING_TOPIC,
    partitionId: POLLING_PARTITION,
  });
  return info ? info.storedOffset.toString() : null;
}

/** "Offset(5)", "Timestamp(12:00:01.250)", "Next"… as the lab names a strategy. */
export function strategyLabel(strategy: LabPollingStrategy): string {
  switch (strategy.kind) {
    case 'offset':
      return `Offset(${strategy.value})`;
    case 'timestamp':
      return `Timestamp(${formatMicros(strategy.value)})`;
    case 'first':
      return 'First';
    case 'last':
      return 'Last';
    case 'next':
      return 'Next';
  }
}

/** µs since the epoch → "HH:MM:SS.mmm" UTC, the precision the lab's slider works at. */
export function formatMicros(micros: string | bigint): string {
  const ms = Number(BigInt(micros) / 1000n);
  return new Date(ms).toISOString().slice(11, 23);
}

const range = (offsets: string[]) =>
  offsets.length === 1 ? `offset ${offsets[0]}` : `offsets ${offsets[0]}–${offsets.at(-1)}`;

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const say = (n: number) => NUMBER_WORDS[n] ?? String(n);

/**
 * One line on why this poll returned what it did, in Iggy's terms. `messagesCount` is the
 * partition's size when the poll ran (the partition is empty when it is 0).
 */
export function explainPoll(outcome: PollOutcome, messagesCount: bigint): string {
  const { strategy, count, offsets, consumer, storedBefore, storedAfter, autoCommit } = outcome;
  const head = `${strategyLabel(strategy)}, count ${count}`;
  const got = offsets.length;
  const commit = commitNote(autoCommit, got, storedBefore, storedAfter);
  if (messagesCount === 0n) return `${head}: nothing — the partition is empty; fill it first.`;
  const newest = BigInt(outcome.currentOffset);
  let why: string;
  switch (strategy.kind) {
    case 'first':
      why = got > 0 ? `the oldest ${say(got)} from the start of the partition, ${range(offsets)}` : 'nothing';
      break;
    case 'last':
      why =
        got > 0
          ? `the newest ${say(got)}, ${range(offsets)}${got < count ? ` (the partition holds only ${got})` : ''}`
          : 'nothing';
      break;
    case 'offset': {
      const from = BigInt(strategy.value);
      if (got === 0)
        why = `nothing — offset ${from} is past the end (the newest message is offset ${newest}); Iggy answers an empty poll, not an error`;
      else
        why = `from offset ${from} onwards, ${range(offsets)}${got < count ? ` — only ${got} exist from there` : ''}`;
      break;
    }
    case 'next': {
      const start = storedBefore === null ? 0n : BigInt(storedBefore) + 1n;
      const basis =
        storedBefore === null
          ? `consumer "${consumer}" has no stored offset, so Next starts at offset 0`
          : `consumer "${consumer}" has stored offset ${storedBefore}, so Next starts at ${start}`;
      why =
        got > 0
          ? `${basis}: ${range(offsets)}`
          : `${basis}, and there is nothing there yet (the newest message is offset ${newest})`;
      break;
    }
    case 'timestamp':
      why =
        got > 0
          ? `the first message stamped at or after ${formatMicros(strategy.value)} is offset ${offsets[0]}: ${range(offsets)}`
          : `nothing — no message is stamped at or after ${formatMicros(strategy.value)}; it is newer than every message in the partition`;
      break;
  }
  return `${head}: ${why}. ${commit}`;
}

function commitNote(autoCommit: boolean, got: number, before: string | null, after: string | null): string {
  const show = (v: string | null) => (v === null ? 'none' : v);
  if (!autoCommit)
    return `Auto-commit off: the stored offset stays ${show(before)}${after !== before ? ` (it now reads ${show(after)})` : ''}.`;
  if (got === 0) return `Auto-commit on, but nothing came back, so the stored offset stays ${show(after)}.`;
  return `Auto-commit on: Iggy stored offset ${show(after)} (was ${show(before)}).`;
}
