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
import { actionResults } from '../action-result';
import { consumerOffsetCli, pollCli, sendCli } from '../cli-equivalent';
import type { LabResult } from '../contract';
import { LabError } from '../errors';
import { deleteTopicIfExists, recreateTopic } from '../lab-topics';
import type { LabHost } from '../runtime';
import type {
  LabMessageView,
  LabPollingStrategy,
  PollOutcome,
  PollingAction,
  PollingLabState,
  PollingLabTypes,
  PollingStateQuery,
} from './contract';
import { explainPoll } from './explanations';
import { POLLING_LIMITS } from './limits';

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
type Result<K extends PollingAction['action'] = PollingAction['action']> = LabResult<PollingLabTypes, K>;

const result = actionResults<PollingLabTypes>('polling');

export class PollingLab {
  readonly #host: LabHost;
  readonly #pauseMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  #fill = { running: false, sent: 0, total: POLLING_LIMITS.pollingMessages };
  #fillAbort: AbortController | undefined;

  constructor(host: LabHost, options: PollingLabOptions = {}) {
    this.#host = host;
    this.#pauseMs = options.fillPauseMs ?? FILL_PAUSE_MS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get #target() {
    return { stream: this.#host.streamName, topic: POLLING_TOPIC, partitionId: POLLING_PARTITION };
  }

  async state({ consumer }: PollingStateQuery = {}): Promise<PollingLabState> {
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

  async perform(action: PollingAction): Promise<Result> {
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

  /** A fresh topic with POLLING_LIMITS.pollingMessages messages, one send each, paused apart. */
  async fill(): Promise<Result<'fill'>> {
    if (this.#fill.running) throw new LabError('BAD_REQUEST', 'the lab is already filling its topic');
    const total = POLLING_LIMITS.pollingMessages;
    this.#fill = { running: true, sent: 0, total };
    const abort = new AbortController();
    this.#fillAbort = abort;
    const removeCleanup = this.#host.addCleanup(() => abort.abort());
    try {
      const recorded = await this.#host.act(async (ctx) => {
        const client = await ctx.client();
        await ctx.ensureStream(client);
        // Recreated: no consumer keeps a stored offset from an earlier fill.
        await recreateTopic(client, this.#host.streamName, POLLING_TOPIC, 1);
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
      return result('fill', recorded, {
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
        cli: sendCli(
          this.#target,
          ['{"n":0,"text":"message 0"}'],
          `once per message (n = 0 … ${total - 1}), a short pause between`,
        ),
      });
    } finally {
      removeCleanup();
      this.#fillAbort = undefined;
      this.#fill = { ...this.#fill, running: false };
    }
  }

  async poll(request: PollRequest): Promise<Result<'poll'>> {
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
    return result('poll', recorded, {
      explanation: explainPoll(outcome, messagesCount),
      outcome,
      cli: pollCli(this.#target, request),
    });
  }

  async deleteOffset(consumer: string): Promise<Result<'deleteOffset'>> {
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
    return result('deleteOffset', recorded, {
      explanation:
        before === null
          ? `Consumer "${consumer}" has no stored offset on partition ${POLLING_PARTITION}, so there is nothing to delete: Next already starts at offset 0.`
          : `Deleted the stored offset ${before} of consumer "${consumer}": its next Next poll starts over at offset 0.`,
      outcome: { consumer, storedBefore: before, deleted: before !== null },
      cli: consumerOffsetCli({ ...this.#target, consumer }),
    });
  }

  async reset(): Promise<Result<'reset'>> {
    this.#fillAbort?.abort();
    const recorded = await this.#host.act(async (ctx) => {
      const client = await ctx.client();
      return deleteTopicIfExists(client, this.#host.streamName, POLLING_TOPIC);
    });
    await this.#host.disconnect();
    this.#fill = { running: false, sent: 0, total: POLLING_LIMITS.pollingMessages };
    return result('reset', recorded, {
      explanation: recorded.value
        ? `Deleted topic ${POLLING_TOPIC} (its messages and every stored consumer offset on it) and closed the lab's connections.`
        : `Topic ${POLLING_TOPIC} did not exist; closed the lab's connections.`,
      outcome: { topicDeleted: recorded.value },
    });
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
    count: POLLING_LIMITS.pollingMessages,
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
