/**
 * The partitioning lab: a topic `partitioning` with 1–8 partitions (recreated to change the count).
 * Each send's partition and offsets come from Iggy's own send confirmation
 * (`[stream][topic][partition][base_offset]`), never from a guess on this side; the lanes are the
 * lab's memory of those confirmations, bounded per partition.
 */

import type { IggyClient, Partitioning } from '@/lib/iggy';
import { actionResults } from '../action-result';
import { readPartitionCli, sendCli, topicListCli } from '../cli-equivalent';
import type { LabResult } from '../contract';
import { LabError } from '../errors';
import { deleteTopicIfExists, recreateTopic } from '../lab-topics';
import type { LabHost } from '../runtime';
import type {
  LabPartitioning,
  LaneMessage,
  PartitioningAction,
  PartitioningLabState,
  PartitioningLabTypes,
  SendOutcome,
} from './contract';
import { PARTITIONING_LIMITS } from './limits';

export const PARTITIONING_TOPIC = 'partitioning';
/** The partition count a first Send creates the topic with, before anyone picked one. */
export const DEFAULT_LAB_PARTITIONS = 3;
/** Keys remembered for colouring; later ones reuse the palette. */
const MAX_TRACKED_KEYS = 32;

type SendRequest = Extract<PartitioningAction, { action: 'send' }>;
type Result<K extends PartitioningAction['action'] = PartitioningAction['action']> = LabResult<
  PartitioningLabTypes,
  K
>;

const result = actionResults<PartitioningLabTypes>('partitioning');

interface Lane {
  messages: LaneMessage[];
  dropped: number;
}

export class PartitioningLab {
  readonly #host: LabHost;
  #lanes = new Map<number, Lane>();
  #keys: string[] = [];
  #seq = 0;
  #sends = 0;

  constructor(host: LabHost) {
    this.#host = host;
  }

  async state(): Promise<PartitioningLabState> {
    const base = { stream: this.#host.streamName, topic: PARTITIONING_TOPIC, keys: [...this.#keys] };
    let topicInfo: PartitioningLabState['topicInfo'] = null;
    try {
      topicInfo = await this.#host.read(async (client) => {
        const topic = await client.getTopic(this.#host.streamName, PARTITIONING_TOPIC);
        if (!topic) return null;
        return {
          partitionsCount: topic.partitionsCount,
          partitions: topic.partitions.map((p) => ({ id: p.id, messagesCount: p.messagesCount.toString() })),
        };
      });
    } catch (error) {
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE') throw error;
    }
    // Deleted behind the lab's back (another tool, a server wipe): the lanes would describe nothing.
    if (topicInfo === null && this.#host.iggyStatus().reachable) this.#forget();
    const ids = topicInfo
      ? topicInfo.partitions.map((p) => p.id)
      : [...this.#lanes.keys()].sort((a, b) => a - b);
    return {
      ...base,
      iggy: this.#host.iggyStatus(),
      topicInfo,
      lanes: ids.map((partitionId) => {
        const lane = this.#lanes.get(partitionId);
        return { partitionId, messages: lane ? [...lane.messages] : [], dropped: lane?.dropped ?? 0 };
      }),
    };
  }

  async perform(action: PartitioningAction): Promise<Result> {
    switch (action.action) {
      case 'setup':
        return this.setup(action.partitions);
      case 'send':
        return this.send(action);
      case 'reset':
        return this.reset();
    }
  }

  async setup(partitions: number): Promise<Result<'setup'>> {
    const recorded = await this.#host.act(async (ctx) => {
      const client = await ctx.client();
      await ctx.ensureStream(client);
      return recreateTopic(client, this.#host.streamName, PARTITIONING_TOPIC, partitions);
    });
    this.#forget();
    return result('setup', recorded, {
      explanation: `${recorded.value ? 'Deleted and recreated' : 'Created'} topic ${PARTITIONING_TOPIC} with ${partitions} partition${partitions === 1 ? '' : 's'} (ids 0–${partitions - 1}), all empty.`,
      outcome: { partitions, recreated: recorded.value },
      cli: topicListCli(this.#host.streamName),
    });
  }

  async send(request: SendRequest): Promise<Result<'send'>> {
    const oneBatch = request.oneBatch ?? false;
    const recorded = await this.#host.act(async (ctx) => {
      const client = await ctx.client();
      const stream = this.#host.streamName;
      const topic = await client.getTopic(stream, PARTITIONING_TOPIC);
      const partitionsCount = topic?.partitionsCount ?? DEFAULT_LAB_PARTITIONS;
      // Checked before anything is created or sent: a refused request changes nothing.
      if (
        request.partitioning.kind === 'partitionId' &&
        request.partitioning.partitionId >= partitionsCount
      ) {
        throw new LabError(
          'BAD_REQUEST',
          `partition ${request.partitioning.partitionId} does not exist: topic ${PARTITIONING_TOPIC} ${topic ? 'has' : 'would be created with'} partitions 0–${partitionsCount - 1}`,
        );
      }
      let created = false;
      if (!topic) {
        await ctx.ensureStream(client);
        await client.createTopic({ streamId: stream, name: PARTITIONING_TOPIC, partitionsCount });
        this.#forget();
        created = true;
      }
      const placed = await this.#sendAll(client, request.partitioning, request.count, oneBatch);
      return { placed, created, partitionsCount };
    });
    const { placed, created, partitionsCount } = recorded.value;
    const outcome: SendOutcome = {
      sends: oneBatch ? 1 : request.count,
      messages: placed,
      partitions: placed
        .filter((m, i) => i === 0 || m.send !== placed[i - 1]!.send)
        .map((m) => m.partitionId),
      created,
    };
    return result('send', recorded, {
      explanation: explainSend(request, oneBatch, outcome, partitionsCount),
      outcome,
      cli: this.#sendCli(request, oneBatch, outcome),
    });
  }

  async reset(): Promise<Result<'reset'>> {
    const recorded = await this.#host.act(async (ctx) => {
      const client = await ctx.client();
      return deleteTopicIfExists(client, this.#host.streamName, PARTITIONING_TOPIC);
    });
    await this.#host.disconnect();
    this.#forget();
    return result('reset', recorded, {
      explanation: recorded.value
        ? `Deleted topic ${PARTITIONING_TOPIC} with all its partitions and closed the lab's connections.`
        : `Topic ${PARTITIONING_TOPIC} did not exist; closed the lab's connections.`,
      outcome: { topicDeleted: recorded.value },
    });
  }

  #forget(): void {
    this.#lanes = new Map();
    this.#keys = [];
    this.#seq = 0;
    this.#sends = 0;
  }

  async #sendAll(
    client: IggyClient,
    partitioning: LabPartitioning,
    count: number,
    oneBatch: boolean,
  ): Promise<LaneMessage[]> {
    const wire: Partitioning =
      partitioning.kind === 'balanced'
        ? { kind: 'balanced' }
        : partitioning.kind === 'partitionId'
          ? { kind: 'partitionId', partitionId: partitioning.partitionId }
          : { kind: 'messagesKey', key: partitioning.key };
    const key = partitioning.kind === 'messagesKey' ? partitioning.key : undefined;
    if (key !== undefined && !this.#keys.includes(key) && this.#keys.length < MAX_TRACKED_KEYS)
      this.#keys.push(key);
    const batches = oneBatch ? [count] : Array.from({ length: count }, () => 1);
    const placed: LaneMessage[] = [];
    for (const size of batches) {
      this.#sends += 1;
      const send = this.#sends;
      const seqs = Array.from({ length: size }, () => ++this.#seq);
      const result = await client.sendMessages({
        streamId: this.#host.streamName,
        topicId: PARTITIONING_TOPIC,
        partitioning: wire,
        messages: seqs.map((seq) => ({
          payload: JSON.stringify({ seq, key: key ?? null, mode: partitioning.kind }),
        })),
      });
      // An empty confirmation (a deduplicated resend on 0.9.0) says "committed" without a place.
      if (result.partitionId === undefined || result.baseOffset === undefined) continue;
      seqs.forEach((seq, index) => {
        const message: LaneMessage = {
          seq,
          partitionId: result.partitionId!,
          offset: (result.baseOffset! + BigInt(index)).toString(),
          partitioning: partitioning.kind,
          send,
          ...(key !== undefined ? { key } : {}),
        };
        this.#remember(result.partitionId!, message);
        placed.push(message);
      });
    }
    return placed;
  }

  #remember(partitionId: number, message: LaneMessage): void {
    let lane = this.#lanes.get(partitionId);
    if (!lane) {
      lane = { messages: [], dropped: 0 };
      this.#lanes.set(partitionId, lane);
    }
    lane.messages.push(message);
    if (lane.messages.length > PARTITIONING_LIMITS.laneCapacity) {
      lane.messages.shift();
      lane.dropped += 1;
    }
  }

  #sendCli(request: SendRequest, oneBatch: boolean, outcome: SendOutcome) {
    const target = { stream: this.#host.streamName, topic: PARTITIONING_TOPIC };
    if (request.partitioning.kind === 'balanced') {
      const payloads = outcome.messages.map((m) =>
        JSON.stringify({ seq: m.seq, key: null, mode: 'balanced' }),
      );
      return oneBatch
        ? sendCli(target, payloads.length > 0 ? payloads : ['…'], 'one send carrying every message')
        : sendCli(
            target,
            payloads.slice(0, 1),
            'run once per message: each run is one send, so Balanced moves on',
          );
    }
    const partitionId = outcome.partitions[0] ?? 0;
    return {
      ...readPartitionCli({ ...target, partitionId, count: Math.min(PARTITIONING_LIMITS.laneCapacity, 10) }),
      note: 'reads back the partition they landed on; the CLI shapes this lab verified do not send with a partition id or a key',
    };
  }
}

const list = (ids: number[]) => ids.join(', ');

export function explainSend(
  request: SendRequest,
  oneBatch: boolean,
  outcome: SendOutcome,
  partitionsCount: number,
): string {
  const n = request.count;
  const shape = oneBatch
    ? `one send of ${n} message${n === 1 ? '' : 's'}`
    : `${n} send${n === 1 ? '' : 's'} of one message`;
  const distinct = [...new Set(outcome.partitions)];
  const created = outcome.created
    ? ` (created topic ${PARTITIONING_TOPIC} with ${partitionsCount} partitions first)`
    : '';
  if (outcome.messages.length === 0)
    return `${shape}: Iggy confirmed the send without saying where it landed${created}.`;
  const where =
    distinct.length === 1
      ? `all on partition ${distinct[0]}`
      : `partitions ${list(outcome.partitions)} in turn`;
  switch (request.partitioning.kind) {
    case 'balanced':
      return oneBatch
        ? `Balanced, ${shape}: ${where} — Balanced picks one partition per send, so a batch never splits${created}.`
        : `Balanced, ${shape}: ${where} — Iggy deals each send to the next partition, round-robin over ${partitionsCount}${created}.`;
    case 'partitionId':
      return `Partition id ${request.partitioning.partitionId}, ${shape}: ${where}, exactly where you asked${created}.`;
    case 'messagesKey':
      return `Messages key ${JSON.stringify(request.partitioning.key)}, ${shape}: ${where} — Iggy hashes the key to a partition, so the same key always lands on the same one while the topic keeps ${partitionsCount} partitions${created}.`;
  }
}
