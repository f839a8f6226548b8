/**
 * The durability lab: two one-partition topics in the labs' stream, `durability` (the server's default
 * durability) and, where the server lists the option, `durability-persisted` (durability=persisted).
 * The lab asks the server which topic options it has (DescribeOptions; catalog.ts), computes how many
 * acknowledged messages are still only in a partition's in-memory journal (the server does not report
 * that; journal.ts), and reports what it saw after the reader restarted Iggy: a partition that came back
 * shorter or everything back (restart.ts). This file holds the actions and the state read.
 *
 * What the lab cannot do: stop the server (the app does not own its process; the reader runs the
 * commands), or flush on request (FlushUnsavedBuffer, code 102, always answers status 5 in protocol 0.11).
 * A topic's settings are what the server reports in the topic's reply: the options its creator sent
 * (explicit) and the defaults the server filled in (derived); the journal thresholds come from there.
 *
 * Over 400 lines on purpose: one short method per action plus the state read; each part it uses is its own module.
 */

import { IggyErrorCode, isIggyError, type IggyClient, type TopicDetails } from '@/lib/iggy';
import { actionResults } from '../action-result';
import { optionsTopicCli, sendCli, topicListCli } from '../cli-equivalent';
import type { LabResult } from '../contract';
import { LabError } from '../errors';
import { deleteTopicIfExists } from '../lab-topics';
import type { Lab, LabActionContext, LabHost } from '../runtime';
import { OptionCatalog, settingsOf } from './catalog';
import type {
  CreatePersistedOutcome,
  DurabilityAction,
  DurabilityLabState,
  DurabilityLabTypes,
  DurabilitySendOutcome,
  DurabilityTopicKind,
  DurabilityTopicView,
  InMemoryView,
  RefreshOutcome,
} from './contract';
import { explainCatalog, explainCreate, explainSend } from './explanations';
import {
  afterRestart,
  emptyLedger,
  estimateFromPartition,
  extendEstimate,
  inMemoryView,
  messageWeight,
  recordBatch,
  type JournalLedger,
} from './journal';
import { DURABILITY_LIMITS, DURABILITY_TOPICS } from './limits';
import { KINDS, PARTITION, RestartDetector } from './restart';

export { DURABILITY_TOPICS };

type SendRequest = Extract<DurabilityAction, { action: 'send' }>;
type Result<K extends DurabilityAction['action'] = DurabilityAction['action']> = LabResult<
  DurabilityLabTypes,
  K
>;

const result = actionResults<DurabilityLabTypes>('durability');

export interface DurabilityLabOptions {
  now?: () => number;
}

export class DurabilityLab implements Lab {
  readonly #host: LabHost;
  readonly #catalog = new OptionCatalog();
  readonly #restarts: RestartDetector;
  #ledgers: Partial<Record<DurabilityTopicKind, JournalLedger>> = {};
  #sending = 0;
  #sendAbort: AbortController | undefined;
  #messageNumber = 0;

  constructor(host: LabHost, options: DurabilityLabOptions = {}) {
    this.#host = host;
    this.#restarts = new RestartDetector({
      host,
      now: options.now ?? Date.now,
      inMemoryTotal: () => BigInt(this.#ledgers.default?.count ?? 0),
    });
  }

  async state(): Promise<DurabilityLabState> {
    try {
      return await this.#host.read(async (client) => {
        this.#restarts.listen(client);
        await this.#catalog.readForState(client);
        const topics = new Map<DurabilityTopicKind, TopicDetails | null>();
        const issuedAt = new Map<DurabilityTopicKind, number>();
        for (const kind of KINDS) {
          // Taken before the request: a send on the action connection may raise what the watch knows meanwhile.
          issuedAt.set(kind, this.#restarts.watch(kind).tick());
          topics.set(kind, await client.getTopic(this.#host.streamName, DURABILITY_TOPICS[kind]));
        }
        this.#observe(topics, issuedAt);
        return this.#view(topics, client.serverVersion ?? null);
      });
    } catch (error) {
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE') throw error;
      this.#restarts.markLost();
      return {
        iggy: this.#host.iggyStatus(),
        stream: this.#host.streamName,
        serverVersion: null,
        catalog: null,
        catalogError: null,
        topics: [],
        awaitingReturn: this.#restarts.awaitingReturn,
        lastRestart: this.#restarts.lastRestart,
      };
    }
  }

  async perform(action: DurabilityAction): Promise<Result> {
    switch (action.action) {
      case 'send':
        return this.send(action);
      case 'createPersisted':
        return this.createPersisted();
      case 'refresh':
        return this.refresh();
      case 'reset':
        return this.reset();
    }
  }

  async send(request: SendRequest): Promise<Result<'send'>> {
    const name = DURABILITY_TOPICS[request.topic];
    const abort = new AbortController();
    this.#sendAbort = abort;
    const removeCleanup = this.#host.addCleanup(() => abort.abort());
    this.#sending += 1;
    try {
      const recorded = await this.#host.act(async (ctx) => {
        const client = await this.#actionClient(ctx);
        if (!this.#catalog.known) await this.#catalog.read(client);
        const stream = this.#host.streamName;
        let topic = await client.getTopic(stream, name);
        let created = false;
        if (!topic) {
          if (request.topic === 'persisted')
            throw new LabError(
              'BAD_REQUEST',
              `topic ${name} does not exist yet: create it first with "Create persisted topic"`,
            );
          await ctx.ensureStream(client);
          topic = await this.#createTopic(client, 'default');
          created = true;
        }
        const thresholds = this.#catalog.thresholds(topic);
        const offsets: bigint[] = [];
        const batches = request.oneBatch ? [request.count] : Array.from({ length: request.count }, () => 1);
        for (const size of batches) {
          if (abort.signal.aborted) break;
          const payloads = Array.from({ length: size }, () => {
            const n = this.#messageNumber++;
            return JSON.stringify({ n, text: `durability lab message ${n}` });
          });
          const issued = this.#restarts.watch(request.topic).tick();
          const result = await client.sendMessages({
            streamId: stream,
            topicId: name,
            partitioning: { kind: 'balanced' },
            messages: payloads.map((payload) => ({ payload })),
          });
          if (result.baseOffset !== undefined) {
            const event = this.#restarts
              .watch(request.topic)
              .observeSent(PARTITION, result.baseOffset, size, issued);
            if (event) {
              // The send itself revealed a reset: what survived below baseOffset is on disk.
              this.#restarts.noteLoss(request.topic, event);
              this.#ledgers[request.topic] = afterRestart(result.baseOffset);
            }
            for (let i = 0; i < size; i += 1) offsets.push(result.baseOffset + BigInt(i));
          }
          if (request.topic === 'default') {
            const partition = topic.partitions.find((p) => p.id === PARTITION);
            const ledger =
              this.#ledgers.default ??
              estimateFromPartition(partition?.messagesCount ?? 0n, partition?.sizeBytes ?? 0n, thresholds);
            this.#ledgers.default = recordBatch(
              ledger,
              payloads.map((p) => messageWeight(Buffer.byteLength(p))),
              thresholds,
            );
          }
        }
        const after = await client.getTopic(stream, name);
        return { offsets, created, sends: batches.length, after };
      });
      const { offsets, created, sends, after } = recorded.value;
      const inMemory = this.#inMemory(request.topic, after);
      const outcome: DurabilitySendOutcome = {
        topic: name,
        sent: offsets.length,
        sends,
        firstOffset: offsets[0]?.toString() ?? null,
        lastOffset: offsets.at(-1)?.toString() ?? null,
        created,
        inMemory,
      };
      return result('send', recorded, {
        explanation: explainSend(outcome, request, this.#catalog.thresholds(after)),
        outcome,
        cli: sendCli(
          { stream: this.#host.streamName, topic: name },
          ['{"n":0,"text":"durability lab message 0"}'],
          request.oneBatch
            ? 'the lab sent them as one batch; the CLI line sends one message (the topic has one partition, so Balanced is partition 0)'
            : 'once per message (the topic has one partition, so Balanced is partition 0)',
        ),
      });
    } finally {
      this.#sending -= 1;
      removeCleanup();
      this.#sendAbort = undefined;
    }
  }

  async createPersisted(): Promise<Result<'createPersisted'>> {
    const name = DURABILITY_TOPICS.persisted;
    const recorded = await this.#host.act(async (ctx): Promise<CreatePersistedOutcome> => {
      const client = await this.#actionClient(ctx);
      // Asked again, not taken from the cache: the answer is what this action decides on.
      await this.#catalog.read(client);
      if (this.#catalog.lists('durability') === false)
        return { topic: name, created: false, refusal: 'not-in-catalog' };
      if (await client.getTopic(this.#host.streamName, name))
        return { topic: name, created: false, refusal: 'already-exists' };
      await ctx.ensureStream(client);
      try {
        await this.#createTopic(client, 'persisted');
      } catch (error) {
        if (isIggyError(error) && error.code === IggyErrorCode.UnsupportedOptionKey)
          return { topic: name, created: false, refusal: 'refused-by-server' };
        throw error;
      }
      return { topic: name, created: true, refusal: null };
    });
    const outcome = recorded.value;
    return result('createPersisted', recorded, {
      explanation: explainCreate(outcome, this.#catalog.view()),
      outcome,
      cli: {
        ...optionsTopicCli(),
        note: 'lists the options this server knows; durability=persisted can only be given when a topic is created',
      },
    });
  }

  async refresh(): Promise<Result<'refresh'>> {
    const recorded = await this.#host.act(async (ctx) => {
      const client = await this.#actionClient(ctx);
      await this.#catalog.read(client);
      const topics = new Map<DurabilityTopicKind, TopicDetails | null>();
      for (const kind of KINDS)
        topics.set(kind, await client.getTopic(this.#host.streamName, DURABILITY_TOPICS[kind]));
      return topics;
    });
    const catalog = this.#catalog.view();
    const outcome: RefreshOutcome = {
      flavor: catalog?.flavor ?? 'unknown',
      optionCount: catalog?.options.length ?? 0,
    };
    const present = [...recorded.value].filter(([, t]) => t !== null).map(([k]) => DURABILITY_TOPICS[k]);
    return result('refresh', recorded, {
      explanation: `${explainCatalog(catalog, this.#catalog.error)} Lab topics on the server: ${present.length === 0 ? 'none yet' : present.join(', ')}.`,
      outcome,
      cli: {
        ...optionsTopicCli(),
        note: `and ${topicListCli(this.#host.streamName).command} for the topics`,
      },
    });
  }

  async reset(): Promise<Result<'reset'>> {
    this.#sendAbort?.abort();
    const recorded = await this.#host.act(async (ctx) => {
      const client = await this.#actionClient(ctx);
      const deleted: string[] = [];
      for (const kind of KINDS) {
        const name = DURABILITY_TOPICS[kind];
        if (await deleteTopicIfExists(client, this.#host.streamName, name)) deleted.push(name);
      }
      return deleted;
    });
    await this.#host.disconnect();
    this.#forgetAll();
    const deleted = recorded.value;
    return result('reset', recorded, {
      explanation:
        deleted.length === 0
          ? "No lab topic existed; forgot the last restart and closed the lab's connections."
          : `Deleted ${deleted.join(' and ')}, forgot the last restart and closed the lab's connections.`,
      outcome: { topicsDeleted: deleted },
    });
  }

  // ─── connections and the catalog ──────────────────────────────────────────

  /** The action connection; one the server dropped since the last action is replaced first. */
  async #actionClient(ctx: LabActionContext): Promise<IggyClient> {
    let client = await ctx.client();
    if (client.state !== 'connected') {
      this.#restarts.markLost();
      await this.#host.disconnect();
      client = await ctx.client();
    }
    this.#restarts.listen(client);
    return client;
  }

  /** Sends messages_required_to_save where the server lists it (or the catalog is unknown), durability only for persisted. */
  async #createTopic(client: IggyClient, kind: DurabilityTopicKind): Promise<TopicDetails> {
    const name = DURABILITY_TOPICS[kind];
    const withThreshold = this.#catalog.lists('messages_required_to_save') !== false;
    let topic: TopicDetails | null = null;
    try {
      topic = await client.createTopic({
        streamId: this.#host.streamName,
        name,
        partitionsCount: 1,
        ...(withThreshold ? { messagesRequiredToSave: DURABILITY_LIMITS.messagesRequiredToSave } : {}),
        ...(kind === 'persisted' ? { durability: 'persisted' as const } : {}),
      });
    } catch (error) {
      if (!(isIggyError(error) && error.code === IggyErrorCode.TopicNameAlreadyExists)) throw error;
    }
    topic ??= await client.getTopic(this.#host.streamName, name);
    if (!topic) throw new LabError('BAD_REQUEST', `topic ${name} was created but cannot be read back`);
    // A new topic starts at offset 0: not a reset.
    this.#restarts.forgetTopic(kind);
    this.#restarts.watch(kind).observeTopic(topic.createdAtMicros);
    this.#ledgers[kind] = emptyLedger(0n);
    return topic;
  }

  // ─── restarts and the journal ─────────────────────────────────────────────

  /** Compares what a state read got with what the lab saw before, and keeps the journal ledgers in step. */
  #observe(
    topics: Map<DurabilityTopicKind, TopicDetails | null>,
    issuedAt: Map<DurabilityTopicKind, number>,
  ): void {
    const partitionOf = (kind: DurabilityTopicKind) =>
      topics.get(kind)?.partitions.find((p) => p.id === PARTITION);
    // A missing topic may be one a send is creating right now: its ledger is the send's to keep.
    for (const kind of KINDS)
      if (!partitionOf(kind) && this.#sending === 0) {
        this.#restarts.forgetTopic(kind);
        delete this.#ledgers[kind];
      }
    if (this.#restarts.observe(topics, issuedAt)) {
      for (const kind of KINDS) {
        const count = partitionOf(kind)?.messagesCount;
        if (count !== undefined) this.#ledgers[kind] = afterRestart(count);
      }
      return;
    }
    // While a send runs the counts move under the ledger: reconcile only between actions.
    if (this.#sending > 0) return;
    for (const kind of KINDS) {
      const topic = topics.get(kind) ?? null;
      const partition = partitionOf(kind);
      if (!partition) continue;
      const ledger = this.#ledgers[kind];
      if (ledger && ledger.accounted === partition.messagesCount) continue;
      const thresholds = this.#catalog.thresholds(topic);
      this.#ledgers[kind] = ledger
        ? extendEstimate(ledger, partition.messagesCount, partition.sizeBytes, thresholds)
        : estimateFromPartition(partition.messagesCount, partition.sizeBytes, thresholds);
    }
  }

  #inMemory(kind: DurabilityTopicKind, topic: TopicDetails | null): InMemoryView | null {
    const partition = topic?.partitions.find((p) => p.id === PARTITION);
    if (!partition) return null;
    return inMemoryView(kind, partition, this.#ledgers[kind], this.#catalog.thresholds(topic));
  }

  #view(
    topics: Map<DurabilityTopicKind, TopicDetails | null>,
    serverVersion: string | null,
  ): DurabilityLabState {
    const catalog = this.#catalog.view();
    return {
      iggy: this.#host.iggyStatus(),
      stream: this.#host.streamName,
      serverVersion,
      catalog,
      catalogError: this.#catalog.error ?? null,
      topics: KINDS.map((kind): DurabilityTopicView => {
        const topic = topics.get(kind) ?? null;
        const partition = topic?.partitions.find((p) => p.id === PARTITION);
        return {
          kind,
          name: DURABILITY_TOPICS[kind],
          exists: topic !== null,
          settings: topic ? settingsOf(topic.options) : [],
          partition: partition
            ? {
                messagesCount: partition.messagesCount.toString(),
                currentOffset: partition.currentOffset.toString(),
                sizeBytes: partition.sizeBytes.toString(),
              }
            : null,
          inMemory: this.#inMemory(kind, topic),
        };
      }),
      awaitingReturn: false,
      lastRestart: this.#restarts.lastRestart,
    };
  }

  #forgetAll(): void {
    this.#ledgers = {};
    this.#catalog.forget();
    this.#restarts.forget();
  }
}
