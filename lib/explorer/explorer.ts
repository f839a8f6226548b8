/**
 * The explorer's server side: one ExplorerHost (its own bounded connections), the send bucket and the
 * lag history. Each method is one view: validated input in, the view's data plus the frames it cost out.
 */
import type { IggyClientOptions } from '@/lib/iggy';
import { browseCli, groupListCli, sendMessageCli, streamListCli, topicCli } from './cli';
import type {
  ExplorerConsumers,
  ExplorerLagSeries,
  ExplorerMessages,
  ExplorerSent,
  ExplorerTopicDetails,
  ExplorerTree,
  LagQuery,
  MessagesQuery,
  SendBody,
} from './contract';
import { readConsumers, sampleLag, type KnownConsumer } from './consumers';
import { ExplorerError } from './errors';
import { ExplorerHost, type ExplorerHostOptions } from './host';
import { LagHistory, type LagHistoryOptions } from './lag-history';
import { BROWSE_CONSUMER, EXPLORER_LIMITS } from './limits';
import { readMessages, readTopic, readTree } from './reads';
import { headerBytes, payloadBytes, sendOne } from './send';
import { TokenBucket } from './token-bucket';

export interface ExplorerOptions extends ExplorerHostOptions {
  /** Single consumers the app knows of (the demo's), listed on every topic. */
  knownConsumers: string[];
  lag?: LagHistoryOptions;
  clientOptions?: Partial<IggyClientOptions>;
}

export class Explorer {
  readonly host: ExplorerHost;
  readonly lag: LagHistory;
  readonly #known: string[];
  readonly #bucket: TokenBucket;

  constructor(options: ExplorerOptions) {
    this.host = new ExplorerHost(options);
    this.#known = options.knownConsumers;
    this.#bucket = new TokenBucket(
      EXPLORER_LIMITS.sendBurst,
      EXPLORER_LIMITS.sendRefillPerSecond,
      options.now,
    );
    this.lag = new LagHistory((target) => this.host.run('sampler', (client) => sampleLag(client, target)), {
      ...(options.now ? { now: options.now } : {}),
      ...options.lag,
    });
  }

  get closed(): boolean {
    return this.host.closed;
  }

  async tree(): Promise<ExplorerTree> {
    const { value, ...cost } = await this.host.record('browse', readTree);
    return { address: this.host.address, ...value, ...cost, cli: streamListCli() };
  }

  async topic(stream: string, topic: string): Promise<ExplorerTopicDetails> {
    const { value, ...cost } = await this.host.record('browse', (c) => readTopic(c, stream, topic));
    return { ...value, ...cost, cli: topicCli(stream) };
  }

  async messages(query: MessagesQuery): Promise<ExplorerMessages> {
    const { value, ...cost } = await this.host.record('browse', (c) => readMessages(c, query));
    const cli = browseCli(
      { stream: query.stream, topic: query.topic, partitionId: value.partitionId },
      query.seek,
      query.value,
      value.polledCount,
      BROWSE_CONSUMER,
    );
    return { ...value, ...cost, ...(cli ? { cli } : {}) };
  }

  /** Validates payload and headers first (a refusal costs no token and sends nothing), then the bucket. */
  async send(body: SendBody): Promise<ExplorerSent> {
    const payload = payloadBytes(body.payload);
    const headers = headerBytes(body.headers);
    if (!this.#bucket.take())
      throw new ExplorerError(
        'RATE_LIMITED',
        `the explorer sends at most ${EXPLORER_LIMITS.sendBurst} messages in a burst, then ${EXPLORER_LIMITS.sendRefillPerSecond} per second; try again in ${Math.ceil(this.#bucket.waitMs() / 1000)} s`,
      );
    const { value, ...cost } = await this.host.record('send', (c) => sendOne(c, body, payload, headers));
    const plain =
      body.partitioning.kind === 'balanced' &&
      body.headers.length === 0 &&
      body.payload.encoding !== 'base64';
    const cli = sendMessageCli(body.stream, body.topic, body.payload.data, plain);
    return { ...value, ...cost, ...(cli ? { cli } : {}) };
  }

  async consumers(stream: string, topic: string, asked?: string): Promise<ExplorerConsumers> {
    const known: KnownConsumer[] = this.#known.map((name) => ({ name, source: 'demo' as const }));
    if (asked !== undefined && !this.#known.includes(asked)) known.push({ name: asked, source: 'asked' });
    const { value, ...cost } = await this.host.record('browse', (c) =>
      readConsumers(c, stream, topic, known),
    );
    return { ...value, ...cost, cli: groupListCli(stream, topic) };
  }

  lagSeries(query: LagQuery): Promise<ExplorerLagSeries> {
    return this.lag.watch(query);
  }

  async close(): Promise<void> {
    this.lag.stop();
    await this.host.close();
  }
}
