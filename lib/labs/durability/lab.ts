/**
 * The durability lab: two one-partition topics in the labs' stream, `durability` (the server's default
 * durability) and, where the server lists the option, `durability-persisted` (durability=persisted).
 * The lab asks the server which topic options it has (DescribeOptions), computes how many acknowledged
 * messages are still only in a partition's in-memory journal (the server does not report that), and
 * reports what it saw after the reader restarted Iggy: a partition that came back shorter (via
 * PartitionWatch, the demo's reset detection) or everything back.
 *
 * What the lab cannot do: stop the server (the app does not own its process; the reader runs the
 * commands), or flush on request (FlushUnsavedBuffer, code 102, always answers status 5 in protocol 0.11).
 * A topic's settings are what the server reports in the topic's reply: the options its creator sent
 * (explicit) and the defaults the server filled in (derived); the journal thresholds come from there.
 */

import {
  IggyErrorCode,
  isIggyError,
  type IggyClient,
  type OptionDefault,
  type OptionDescription,
  type ReportedTopicOption,
  type TopicDetails,
} from '@/lib/iggy';
import { PartitionWatch, RESET_CAUSE, type PartitionResetEvent } from '@/lib/demo/partition-watch';
import { optionsTopicCli, sendCli, topicListCli } from '../cli-equivalent';
import type { LabActionResult } from '../contract';
import type {
  CatalogOptionView,
  CreatePersistedOutcome,
  DurabilityAction,
  DurabilityLabState,
  DurabilityResetOutcome,
  DurabilitySendOutcome,
  DurabilityTopicKind,
  DurabilityTopicView,
  InMemoryView,
  LostRangeView,
  OptionCatalogView,
  OptionsFlavor,
  RefreshOutcome,
  RestartOutcomeView,
  TopicSettingView,
} from './contract';
import {
  afterRestart,
  emptyLedger,
  estimateFromPartition,
  extendEstimate,
  messageWeight,
  recordBatch,
  type FlushThresholds,
  type JournalLedger,
} from './journal';
import { DURABILITY_LIMITS, DURABILITY_TOPICS } from './limits';
import { LabError } from '../errors';
import type { Lab, LabActionContext, LabHost } from '../runtime';

export { DURABILITY_TOPICS };

const KINDS: readonly DurabilityTopicKind[] = ['default', 'persisted'];
const PARTITION = 0;
/** The documented defaults, used only when neither the topic nor the server's catalog says (observations §2). */
const FALLBACK_MESSAGE_THRESHOLD = 1024;
const FALLBACK_SIZE_THRESHOLD = 1_048_576n;
const FLUSH_KEYS = [
  'messages_required_to_save',
  'size_of_messages_required_to_save',
  'durability',
  'enforce_fsync',
] as const;

type SendRequest = Extract<DurabilityAction, { action: 'send' }>;
type WatchedEvent = { kind: DurabilityTopicKind; event: PartitionResetEvent };

export interface DurabilityLabOptions {
  now?: () => number;
}

export class DurabilityLab implements Lab {
  readonly #host: LabHost;
  readonly #now: () => number;
  #catalog: OptionDescription[] | undefined;
  #catalogError: string | undefined;
  /** The connection the catalog was read on: a new connection may be a different server. */
  #catalogConnection: IggyClient | undefined;
  #watches = newWatches();
  #ledgers: Partial<Record<DurabilityTopicKind, JournalLedger>> = {};
  /** Connections the lab listens to for a drop by the server. */
  #listening = new WeakSet<IggyClient>();
  #everConnected = false;
  #connectionLostAt: number | undefined;
  #inMemoryAtLoss: bigint | undefined;
  #pendingEvents: WatchedEvent[] = [];
  #lastRestart: RestartOutcomeView | null = null;
  #sending = 0;
  #sendAbort: AbortController | undefined;
  #messageNumber = 0;

  constructor(host: LabHost, options: DurabilityLabOptions = {}) {
    this.#host = host;
    this.#now = options.now ?? Date.now;
  }

  async state(): Promise<DurabilityLabState> {
    try {
      return await this.#host.read(async (client) => {
        this.#listen(client);
        if (this.#catalogConnection !== client) await this.#readCatalog(client, true);
        const topics = new Map<DurabilityTopicKind, TopicDetails | null>();
        const issuedAt = new Map<DurabilityTopicKind, number>();
        for (const kind of KINDS) {
          // Taken before the request: a send on the action connection may raise what the watch knows meanwhile.
          issuedAt.set(kind, this.#watches[kind].tick());
          topics.set(kind, await client.getTopic(this.#host.streamName, DURABILITY_TOPICS[kind]));
        }
        this.#observe(topics, issuedAt);
        return this.#view(topics, client.serverVersion ?? null);
      });
    } catch (error) {
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE') throw error;
      this.#markLost();
      return {
        iggy: this.#host.iggyStatus(),
        stream: this.#host.streamName,
        serverVersion: null,
        catalog: null,
        catalogError: null,
        topics: [],
        awaitingReturn: this.#connectionLostAt !== undefined,
        lastRestart: this.#lastRestart,
      };
    }
  }

  async perform(action: DurabilityAction): Promise<LabActionResult<unknown>> {
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

  async send(request: SendRequest): Promise<LabActionResult<DurabilitySendOutcome>> {
    const name = DURABILITY_TOPICS[request.topic];
    const abort = new AbortController();
    this.#sendAbort = abort;
    const removeCleanup = this.#host.addCleanup(() => abort.abort());
    this.#sending += 1;
    try {
      const recorded = await this.#host.act(async (ctx) => {
        const client = await this.#actionClient(ctx);
        if (!this.#catalog) await this.#readCatalog(client, false);
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
        const thresholds = this.#thresholds(topic);
        const offsets: bigint[] = [];
        const batches = request.oneBatch ? [request.count] : Array.from({ length: request.count }, () => 1);
        for (const size of batches) {
          if (abort.signal.aborted) break;
          const payloads = Array.from({ length: size }, () => {
            const n = this.#messageNumber++;
            return JSON.stringify({ n, text: `durability lab message ${n}` });
          });
          const issued = this.#watches[request.topic].tick();
          const result = await client.sendMessages({
            streamId: stream,
            topicId: name,
            partitioning: { kind: 'balanced' },
            messages: payloads.map((payload) => ({ payload })),
          });
          if (result.baseOffset !== undefined) {
            const event = this.#watches[request.topic].observeSent(
              PARTITION,
              result.baseOffset,
              size,
              issued,
            );
            if (event) {
              // The send itself revealed a reset: what survived below baseOffset is on disk.
              this.#noteLoss(request.topic, event);
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
      return {
        lab: 'durability',
        action: 'send',
        explanation: explainSend(outcome, request, this.#thresholds(after)),
        outcome,
        frames: recorded.frames,
        framesDropped: recorded.framesDropped,
        cli: sendCli(
          { stream: this.#host.streamName, topic: name },
          ['{"n":0,"text":"durability lab message 0"}'],
          request.oneBatch
            ? 'the lab sent them as one batch; the CLI line sends one message (the topic has one partition, so Balanced is partition 0)'
            : 'once per message (the topic has one partition, so Balanced is partition 0)',
        ),
      };
    } finally {
      this.#sending -= 1;
      removeCleanup();
      this.#sendAbort = undefined;
    }
  }

  async createPersisted(): Promise<LabActionResult<CreatePersistedOutcome>> {
    const name = DURABILITY_TOPICS.persisted;
    const recorded = await this.#host.act(async (ctx): Promise<CreatePersistedOutcome> => {
      const client = await this.#actionClient(ctx);
      // Asked again, not taken from the cache: the answer is what this action decides on.
      await this.#readCatalog(client, false);
      if (this.#catalog && !catalogLists(this.#catalog, 'durability'))
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
    return {
      lab: 'durability',
      action: 'createPersisted',
      explanation: explainCreate(outcome, this.#catalogView()),
      outcome,
      frames: recorded.frames,
      framesDropped: recorded.framesDropped,
      cli: {
        ...optionsTopicCli(),
        note: 'lists the options this server knows; durability=persisted can only be given when a topic is created',
      },
    };
  }

  async refresh(): Promise<LabActionResult<RefreshOutcome>> {
    const recorded = await this.#host.act(async (ctx) => {
      const client = await this.#actionClient(ctx);
      await this.#readCatalog(client, false);
      const topics = new Map<DurabilityTopicKind, TopicDetails | null>();
      for (const kind of KINDS)
        topics.set(kind, await client.getTopic(this.#host.streamName, DURABILITY_TOPICS[kind]));
      return topics;
    });
    const catalog = this.#catalogView();
    const outcome: RefreshOutcome = {
      flavor: catalog?.flavor ?? 'unknown',
      optionCount: catalog?.options.length ?? 0,
    };
    const present = [...recorded.value].filter(([, t]) => t !== null).map(([k]) => DURABILITY_TOPICS[k]);
    return {
      lab: 'durability',
      action: 'refresh',
      explanation: `${explainCatalog(catalog, this.#catalogError)} Lab topics on the server: ${present.length === 0 ? 'none yet' : present.join(', ')}.`,
      outcome,
      frames: recorded.frames,
      framesDropped: recorded.framesDropped,
      cli: {
        ...optionsTopicCli(),
        note: `and ${topicListCli(this.#host.streamName).command} for the topics`,
      },
    };
  }

  async reset(): Promise<LabActionResult<DurabilityResetOutcome>> {
    this.#sendAbort?.abort();
    const recorded = await this.#host.act(async (ctx) => {
      const client = await this.#actionClient(ctx);
      const deleted: string[] = [];
      for (const kind of KINDS) {
        const name = DURABILITY_TOPICS[kind];
        if (await client.getTopic(this.#host.streamName, name)) {
          await client.deleteTopic(this.#host.streamName, name);
          deleted.push(name);
        }
      }
      return deleted;
    });
    await this.#host.disconnect();
    this.#forgetAll();
    const deleted = recorded.value;
    return {
      lab: 'durability',
      action: 'reset',
      explanation:
        deleted.length === 0
          ? "No lab topic existed; forgot the last restart and closed the lab's connections."
          : `Deleted ${deleted.join(' and ')}, forgot the last restart and closed the lab's connections.`,
      outcome: { topicsDeleted: deleted },
      frames: recorded.frames,
      framesDropped: recorded.framesDropped,
    };
  }

  // ─── connections and the catalog ──────────────────────────────────────────

  /** The action connection; one the server dropped since the last action is replaced first. */
  async #actionClient(ctx: LabActionContext): Promise<IggyClient> {
    let client = await ctx.client();
    if (client.state !== 'connected') {
      this.#markLost();
      await this.#host.disconnect();
      client = await ctx.client();
    }
    this.#listen(client);
    return client;
  }

  /** A drop the lab did not cause (its own closes leave no error) means Iggy went away. */
  #listen(client: IggyClient): void {
    this.#everConnected = true;
    if (this.#listening.has(client)) return;
    this.#listening.add(client);
    const stop = client.onStateChange((state, error) => {
      if (state === 'idle' && error) this.#markLost();
    });
    this.#host.addCleanup(stop);
  }

  async #readCatalog(client: IggyClient, forState: boolean): Promise<void> {
    try {
      this.#catalog = await client.describeOptions('topic');
      this.#catalogError = undefined;
    } catch (error) {
      if (!isIggyError(error) || error.kind !== 'server') throw error;
      this.#catalog = undefined;
      this.#catalogError = `the server did not describe its topic options (${error.message})`;
    }
    if (forState) this.#catalogConnection = client;
  }

  #catalogView(): OptionCatalogView | null {
    if (!this.#catalog) return null;
    const durabilityListed = catalogLists(this.#catalog, 'durability');
    const flavor: OptionsFlavor = durabilityListed
      ? 'release'
      : catalogLists(this.#catalog, 'enforce_fsync')
        ? 'edge'
        : 'unknown';
    return {
      flavor,
      durabilityListed,
      options: this.#catalog.map((entry): CatalogOptionView => ({
        key: entry.key,
        kind: entry.kind,
        defaultValue: entry.defaultValue === null ? null : showDefault(entry.defaultValue),
        description: entry.description,
      })),
    };
  }

  /**
   * The journal thresholds of a topic as the server reports them (its explicit or derived options);
   * where the reply lacks one or it is not a plain number, the catalog's default, then the documented one.
   */
  #thresholds(topic: TopicDetails | null): FlushThresholds {
    const reported = (key: string) =>
      positiveInteger(topic?.options.find((o) => o.key === key)?.value) ??
      positiveInteger(this.#catalog?.find((o) => o.key === key)?.defaultValue);
    const messages = reported('messages_required_to_save');
    return {
      messages:
        messages !== undefined && messages <= 0xffff_ffffn ? Number(messages) : FALLBACK_MESSAGE_THRESHOLD,
      bytes: reported('size_of_messages_required_to_save') ?? FALLBACK_SIZE_THRESHOLD,
    };
  }

  /** Sends messages_required_to_save where the server lists it (or the catalog is unknown), durability only for persisted. */
  async #createTopic(client: IggyClient, kind: DurabilityTopicKind): Promise<TopicDetails> {
    const name = DURABILITY_TOPICS[kind];
    const withThreshold = !this.#catalog || catalogLists(this.#catalog, 'messages_required_to_save');
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
    this.#watches[kind].forget();
    this.#watches[kind].observeTopic(topic.createdAtMicros);
    this.#ledgers[kind] = emptyLedger(0n);
    return topic;
  }

  // ─── restarts and the journal ─────────────────────────────────────────────

  #markLost(): void {
    // Never connected yet: Iggy was not there to go away.
    if (!this.#everConnected || this.#connectionLostAt !== undefined) return;
    this.#connectionLostAt = this.#now();
    this.#inMemoryAtLoss ??= this.#inMemoryTotal();
  }

  #noteLoss(kind: DurabilityTopicKind, event: PartitionResetEvent): void {
    this.#inMemoryAtLoss ??= this.#inMemoryTotal();
    this.#pendingEvents.push({ kind, event });
  }

  #inMemoryTotal(): bigint {
    return BigInt(this.#ledgers.default?.count ?? 0);
  }

  /** Compares what the server reports with what the lab saw before; concludes a restart when there was one. */
  #observe(
    topics: Map<DurabilityTopicKind, TopicDetails | null>,
    issuedAt: Map<DurabilityTopicKind, number>,
  ): void {
    for (const kind of KINDS) {
      const topic = topics.get(kind) ?? null;
      const partition = topic?.partitions.find((p) => p.id === PARTITION);
      if (!topic || !partition) {
        // A send may be creating it right now: its ledger is the send's to keep.
        if (this.#sending === 0) {
          this.#watches[kind].forget();
          delete this.#ledgers[kind];
        }
        continue;
      }
      // Recreated under the same name (by anyone): offsets from 0 again are not a loss.
      this.#watches[kind].observeTopic(topic.createdAtMicros);
      const event = this.#watches[kind].observePartition(
        PARTITION,
        partition.currentOffset,
        partition.messagesCount,
        undefined,
        issuedAt.get(kind),
      );
      if (event) this.#noteLoss(kind, event);
    }
    const events = this.#pendingEvents;
    if (events.length > 0 || this.#connectionLostAt !== undefined) {
      this.#lastRestart = this.#restartOutcome(events, topics);
      for (const kind of KINDS) {
        const count = topics.get(kind)?.partitions.find((p) => p.id === PARTITION)?.messagesCount;
        if (count !== undefined) this.#ledgers[kind] = afterRestart(count);
      }
      this.#pendingEvents = [];
      this.#connectionLostAt = undefined;
      this.#inMemoryAtLoss = undefined;
      return;
    }
    // While a send runs the counts move under the ledger: reconcile only between actions.
    if (this.#sending > 0) return;
    for (const kind of KINDS) {
      const topic = topics.get(kind) ?? null;
      const partition = topic?.partitions.find((p) => p.id === PARTITION);
      if (!partition) continue;
      const ledger = this.#ledgers[kind];
      if (ledger && ledger.accounted === partition.messagesCount) continue;
      const thresholds = this.#thresholds(topic);
      this.#ledgers[kind] = ledger
        ? extendEstimate(ledger, partition.messagesCount, partition.sizeBytes, thresholds)
        : estimateFromPartition(partition.messagesCount, partition.sizeBytes, thresholds);
    }
  }

  #restartOutcome(
    events: WatchedEvent[],
    topics: Map<DurabilityTopicKind, TopicDetails | null>,
  ): RestartOutcomeView {
    const lostAt = this.#connectionLostAt;
    const before = this.#inMemoryAtLoss ?? this.#inMemoryTotal();
    const lost: LostRangeView[] = events.map(({ kind, event }) => ({
      topic: DURABILITY_TOPICS[kind],
      partitionId: event.partitionId,
      lostFrom: event.lostFrom,
      lostTo: event.lostTo,
      lostCount: event.lostCount,
      exact: event.exact,
    }));
    const persistedKept =
      topics.get('persisted') && !events.some((e) => e.kind === 'persisted')
        ? ` Topic ${DURABILITY_TOPICS.persisted} (durability=persisted) came back with every message.`
        : '';
    const explanation =
      lost.length > 0
        ? `${lost.map(describeLoss).join(' ')} Iggy had acknowledged them, but they were still in the partition's in-memory journal when it stopped without writing it: a crash. What had been written before survived, and new sends get those offsets again.${persistedKept}`
        : `Iggy went away${lostAt === undefined ? '' : ` at ${clock(lostAt)}`} and came back with every message: nothing lost.${
            before > 0n
              ? ` The lab had computed ${before} acknowledged message${before === 1n ? '' : 's'} only in memory, so this was a graceful stop: Iggy writes the journal before it exits.`
              : ' Nothing was only in memory at the time, so even a crash would have lost nothing.'
          }`;
    return {
      outcome: lost.length > 0 ? 'loss' : 'no-loss',
      noticedAt: new Date(this.#now()).toISOString(),
      connectionLostAt: lostAt === undefined ? null : new Date(lostAt).toISOString(),
      lost,
      inMemoryBefore: before.toString(),
      explanation,
      cause: lost.length > 0 ? RESET_CAUSE : null,
    };
  }

  #inMemory(kind: DurabilityTopicKind, topic: TopicDetails | null): InMemoryView | null {
    const partition = topic?.partitions.find((p) => p.id === PARTITION);
    if (!partition) return null;
    if (kind === 'persisted')
      return {
        count: '0',
        bytes: '0',
        offsets: null,
        basis: 'persisted',
        how: 'durability=persisted: Iggy answers a send only once stable storage holds it, so no acknowledged message is only in memory.',
      };
    const thresholds = this.#thresholds(topic);
    const ledger =
      this.#ledgers[kind] ?? estimateFromPartition(partition.messagesCount, partition.sizeBytes, thresholds);
    const count = BigInt(ledger.count);
    const rule = `the journal is written at ${thresholds.messages} messages or ${thresholds.bytes} bytes, as the topic reports`;
    return {
      count: count.toString(),
      bytes: ledger.bytes.toString(),
      offsets:
        count > 0n
          ? {
              from: (partition.currentOffset - count + 1n).toString(),
              to: partition.currentOffset.toString(),
            }
          : null,
      basis: ledger.basis,
      how:
        ledger.basis === 'lab-sends'
          ? `Computed, not read from Iggy: replayed from the lab's own sends since the journal was last empty (${rule}, 48 bytes of header per message counted).`
          : `Estimated, not read from Iggy: the partition holds messages the lab did not send (another sender, or sends before the app started), so it assumes they came one per send and counts them toward the threshold (${rule}).`,
    };
  }

  #view(
    topics: Map<DurabilityTopicKind, TopicDetails | null>,
    serverVersion: string | null,
  ): DurabilityLabState {
    const catalog = this.#catalogView();
    return {
      iggy: this.#host.iggyStatus(),
      stream: this.#host.streamName,
      serverVersion,
      catalog,
      catalogError: this.#catalogError ?? null,
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
      lastRestart: this.#lastRestart,
    };
  }

  #forgetAll(): void {
    this.#watches = newWatches();
    this.#ledgers = {};
    this.#catalog = undefined;
    this.#catalogError = undefined;
    this.#catalogConnection = undefined;
    this.#connectionLostAt = undefined;
    this.#inMemoryAtLoss = undefined;
    this.#pendingEvents = [];
    this.#lastRestart = null;
    this.#listening = new WeakSet();
    this.#everConnected = false;
  }
}

const newWatches = (): Record<DurabilityTopicKind, PartitionWatch> => ({
  default: new PartitionWatch(),
  persisted: new PartitionWatch(),
});

const catalogLists = (catalog: readonly OptionDescription[], key: string) =>
  catalog.some((option) => option.key === key);

/** A count or size option's value: an integer kind, or a decimal string as a creator may send it. */
function positiveInteger(value: OptionDefault | null | undefined): bigint | undefined {
  if (typeof value === 'bigint') return value > 0n ? value : undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? BigInt(value) : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    const parsed = BigInt(value.trim());
    return parsed > 0n ? parsed : undefined;
  }
  return undefined;
}

function showDefault(value: OptionDefault): string {
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  return String(value);
}

/** The flush settings of a topic as the server reports them: sent at creation (explicit) or the server's default. */
export function settingsOf(options: readonly ReportedTopicOption[]): TopicSettingView[] {
  const settings: TopicSettingView[] = [];
  for (const key of FLUSH_KEYS) {
    const option = options.find((o) => o.key === key);
    if (!option || option.value === null) continue;
    settings.push({
      key,
      value: showDefault(option.value),
      source: option.explicit ? 'explicit' : 'default',
    });
  }
  return settings;
}

function describeLoss(range: LostRangeView): string {
  const offsets =
    range.lostFrom === range.lostTo
      ? `offset ${range.lostFrom}`
      : `offsets ${range.lostFrom}–${range.lostTo}`;
  return `Iggy came back without ${range.exact ? '' : 'at least '}${offsets} of ${range.topic} partition ${range.partitionId} (${range.lostCount} message${range.lostCount === '1' ? '' : 's'}).`;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export function explainCatalog(catalog: OptionCatalogView | null, error: string | undefined): string {
  if (!catalog) return `Asked Iggy for its topic options (DescribeOptions): ${error ?? 'no answer'}.`;
  const head = `Asked Iggy for its topic options (DescribeOptions): ${catalog.options.length} options.`;
  switch (catalog.flavor) {
    case 'release':
      return `${head} It lists durability (default ${catalog.options.find((o) => o.key === 'durability')?.defaultValue ?? 'unknown'}): a released 0.9.0-line server, where a topic can be created with durability=persisted.`;
    case 'edge':
      return `${head} It lists enforce_fsync and no durability: an edge build (like 0.9.0-edge.5). enforce_fsync only fsyncs the threshold flushes; no option here makes a send wait for the disk.`;
    case 'unknown':
      return `${head} It lists neither durability nor enforce_fsync.`;
  }
}

function explainSend(
  outcome: DurabilitySendOutcome,
  request: SendRequest,
  thresholds: FlushThresholds,
): string {
  if (outcome.sent === 0) return 'The send was interrupted before any message was acknowledged.';
  const range =
    outcome.firstOffset === outcome.lastOffset
      ? `offset ${outcome.firstOffset}`
      : `offsets ${outcome.firstOffset}–${outcome.lastOffset}`;
  const how = request.oneBatch ? 'in one SendMessages' : 'one SendMessages each';
  const head = `${outcome.created ? `Created ${outcome.topic} (messages_required_to_save=${thresholds.messages}, one partition), then sent` : 'Sent'} ${outcome.sent} message${outcome.sent === 1 ? '' : 's'} to ${outcome.topic}, ${how}: ${range}, each acknowledged.`;
  const memory = outcome.inMemory;
  if (!memory) return head;
  if (memory.basis === 'persisted')
    return `${head} With durability=persisted each was on stable storage before Iggy answered: none is only in memory.`;
  if (memory.count === '0')
    return `${head} Computed: the journal just reached ${thresholds.messages} messages (or ${thresholds.bytes} bytes) and was written out, so no acknowledged message is only in memory.`;
  const held = memory.offsets
    ? memory.offsets.from === memory.offsets.to
      ? `offset ${memory.offsets.from}`
      : `offsets ${memory.offsets.from}–${memory.offsets.to}`
    : '';
  return `${head} Computed: ${memory.count} acknowledged message${memory.count === '1' ? ' is' : 's are'} still only in memory (${held}): a crash now would lose ${memory.count === '1' ? 'it' : 'them'}; a graceful stop writes ${memory.count === '1' ? 'it' : 'them'}.`;
}

function explainCreate(outcome: CreatePersistedOutcome, catalog: OptionCatalogView | null): string {
  switch (outcome.refusal) {
    case null:
      return `Created ${outcome.topic} with durability=persisted: Iggy now answers a send to it only once the message is on stable storage, so a crash cannot lose an acknowledged message there. Sends are slower, since each waits for the disk.`;
    case 'already-exists':
      return `${outcome.topic} already exists (durability is fixed when a topic is created); nothing changed.`;
    case 'refused-by-server':
      return `Iggy refused durability=persisted with 4041 (unsupported option key): this server does not know the option, so the lab did not create ${outcome.topic}.`;
    case 'not-in-catalog':
      return `This server's topic options do not include durability${catalog?.flavor === 'edge' ? ' (it lists enforce_fsync instead: an edge build)' : ''}, so a topic cannot be made to wait for the disk here. The lab did not create ${outcome.topic} and sent no CreateTopic.`;
  }
}
