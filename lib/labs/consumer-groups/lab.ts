/**
 * The consumer-group lab: a topic `consumer-groups` (1–16 partitions) in the labs' stream, a producer timer
 * that numbers its messages (producer.ts), and up to 8 members of group `lab-group` (roster.ts), each an
 * IggyGroupConsumer on its own TCP connection, consuming in this process until it is removed,
 * disconnected, reset, idle or the app stops.
 *
 * Members commit after handling each batch (manual commit), so a member that vanishes with a batch in hand
 * leaves it uncommitted and the next owner receives it again: the at-least-once redelivery the delivery check
 * (delivery.ts) attributes to that membership change. "Disconnect" drops the socket while the member holds
 * such a batch (waiting briefly for one), as a crash in the middle of work would.
 *
 * Over 400 lines on purpose: one short method per action plus cleanup; each part it uses is its own module.
 */

import { IggyErrorCode, isIggyError, type IggyClient } from '@/lib/iggy';
import { actionResults } from '../action-result';
import { consumerGroupCli, sendCli, topicListCli } from '../cli-equivalent';
import type { LabResult } from '../contract';
import { LabError } from '../errors';
import { deleteTopicIfExists, recreateTopic } from '../lab-topics';
import type { FrameRecording } from '../frame-recorder';
import type { Lab, LabHost } from '../runtime';
import type {
  ConsumerGroupsAction,
  ConsumerGroupsLabState,
  ConsumerGroupsLabTypes,
  ProducerPartitioning,
} from './contract';
import { DeliveryTracker } from './delivery';
import {
  createdFirst,
  explainDrop,
  explainJoin,
  explainLeave,
  explainProducerStart,
  explainProducerStop,
  explainReset,
  explainSetup,
} from './explanations';
import { GroupActionRecorder } from './frames';
import {
  CONSUMER_GROUPS_LIMITS as LIMITS,
  CONSUMER_GROUPS_TOPIC,
  LAB_GROUP,
  type MemberLabel,
} from './limits';
import { TimedProducer } from './producer';
import { partitionViews, readServer, type ServerView } from './server-view';
import { MemberRoster, type RosterOptions } from './roster';

export { CONSUMER_GROUPS_TOPIC, LAB_GROUP };
/** 8 members, the producer, the admin connection ('lab') and the state reader. */
export const CONSUMER_GROUPS_MAX_CONNECTIONS = LIMITS.membersMax + 3;

export interface ConsumerGroupsLabOptions {
  /** How long an action waits for every member to agree on the assignment. Default 4 s. */
  settleTimeoutMs?: number;
  /** How long Disconnect waits for the member to hold a batch before dropping anyway. Default 2 s. */
  disconnectWaitMs?: number;
  /** The members' poll pause after a round of empty polls, and their re-sync period. */
  pollIntervalMs?: number;
  syncIntervalMs?: number;
  /** Messages per poll: small, so a batch in hand is a handful of messages. */
  batchSize?: number;
  now?: () => number;
}

type Action = ConsumerGroupsAction['action'];
type Result<K extends Action = Action> = LabResult<ConsumerGroupsLabTypes, K>;

const result = actionResults<ConsumerGroupsLabTypes>('consumer-groups');

function describeError(error: unknown): string {
  if (LabError.is(error) || isIggyError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export class ConsumerGroupsLab implements Lab {
  readonly #host: LabHost;
  readonly #options: RosterOptions;
  readonly #delivery: DeliveryTracker;
  readonly #roster: MemberRoster;
  readonly #producer: TimedProducer;
  #partitionsCount: number | undefined;
  #notice: string | null = null;
  #removeCleanup: (() => void) | undefined;
  #quiet = false;

  constructor(host: LabHost, options: ConsumerGroupsLabOptions = {}) {
    this.#host = host;
    this.#options = {
      settleTimeoutMs: options.settleTimeoutMs ?? 4_000,
      disconnectWaitMs: options.disconnectWaitMs ?? 2_000,
      pollIntervalMs: options.pollIntervalMs ?? 100,
      syncIntervalMs: options.syncIntervalMs ?? 500,
      batchSize: options.batchSize ?? 5,
    };
    this.#delivery = new DeliveryTracker({}, options.now);
    this.#roster = new MemberRoster({
      host,
      delivery: this.#delivery,
      topic: CONSUMER_GROUPS_TOPIC,
      group: LAB_GROUP,
      options: this.#options,
      partitionsCount: () => this.#partitionsCount,
      onLost: (notice) => {
        this.#notice = notice;
      },
      describeError,
    });
    this.#producer = new TimedProducer({
      host,
      topic: CONSUMER_GROUPS_TOPIC,
      onFailed: (why) => {
        this.#notice = `The producer stopped: ${why}.`;
      },
      describeError,
    });
  }

  get memberCount(): number {
    return this.#roster.size;
  }

  get producerRunning(): boolean {
    return this.#producer.running;
  }

  // ─── state ──────────────────────────────────────────────────────────────────

  async state(): Promise<ConsumerGroupsLabState> {
    let server: ServerView | null = null;
    try {
      server = await this.#host.read((client) => readServer(client, this.#host.streamName));
    } catch (error) {
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE') throw error;
    }
    const reachable = this.#host.iggyStatus().reachable;
    if (server === null && reachable && (this.#roster.size > 0 || this.#producer.running)) {
      // Deleted behind the lab's back: members would retry a missing topic for ever.
      await this.#stopEverything(
        'The lab topic disappeared (deleted outside the lab): its members and producer stopped.',
      );
    }
    if (server?.topic) this.#partitionsCount = server.topic.partitionsCount;
    return {
      iggy: this.#host.iggyStatus(),
      stream: this.#host.streamName,
      topic: CONSUMER_GROUPS_TOPIC,
      group: LAB_GROUP,
      topicInfo: server?.topic ? { partitionsCount: server.topic.partitionsCount } : null,
      partitions: partitionViews(server?.topic ?? null, server?.stored, this.#roster.owners()),
      serverGroup: server?.group
        ? {
            membersCount: server.group.membersCount,
            members: server.group.members.map((m) => ({ id: m.id, partitions: [...m.partitions] })),
          }
        : null,
      members: this.#roster.views(),
      producer: this.#producer.view(),
      delivery: this.#delivery.report(),
      events: this.#delivery.events(),
      notice: this.#notice,
    };
  }

  // ─── actions ────────────────────────────────────────────────────────────────

  async perform(action: ConsumerGroupsAction): Promise<Result> {
    switch (action.action) {
      case 'setup':
        return this.setup(action.partitions);
      case 'addMember':
        return this.addMember();
      case 'removeMember':
        return this.removeMember(action.member);
      case 'disconnectMember':
        return this.disconnectMember(action.member);
      case 'startProducer':
        return this.startProducer(action.rate, action.partitioning);
      case 'stopProducer':
        return this.stopProducer();
      case 'reset':
        return this.reset();
    }
  }

  /** Recreates the topic with `partitions` partitions; members and producer stop first (members leave). */
  async setup(partitions: number): Promise<Result<'setup'>> {
    const recorded = await this.#record(async (recorder) => {
      const closed = await this.#closeMembersAndProducer(recorder);
      const client = await this.#admin(recorder);
      await client.ensureStream(this.#host.streamName);
      const existed = await recreateTopic(client, this.#host.streamName, CONSUMER_GROUPS_TOPIC, partitions);
      this.#newTopic(partitions);
      return { existed, closed };
    });
    const { existed, closed } = recorded.value;
    return result('setup', recorded, {
      explanation: explainSetup(existed, partitions, closed),
      outcome: { partitions, recreated: existed },
      cli: topicListCli(this.#host.streamName),
    });
  }

  async addMember(): Promise<Result<'addMember'>> {
    const recorded = await this.#record(async (recorder) => {
      const label = this.#roster.nextLabel();
      this.#roster.attachAll(recorder);
      const created = await this.#ensureTopic(recorder);
      this.#ensureCleanup();
      const member = await this.#roster.join(label, recorder);
      const settled = await this.#roster.settle();
      return { label, created, settled, own: member.assignment };
    });
    const { label, created, settled, own } = recorded.value;
    const assignment = this.#roster.assignment();
    return result('addMember', recorded, {
      explanation:
        createdFirst(created, this.#partitionsCount ?? 0) +
        explainJoin(label, own, assignment, settled, this.#options.settleTimeoutMs),
      outcome: { member: label, assignment, settled },
      cli: this.#groupCli(),
    });
  }

  async removeMember(label: MemberLabel): Promise<Result<'removeMember'>> {
    const recorded = await this.#record(async (recorder) => {
      this.#roster.attachAll(recorder);
      // The member finishes and commits the batch in hand, then sends LeaveConsumerGroup.
      await this.#roster.leave(label);
      return this.#roster.settle();
    });
    const assignment = this.#roster.assignment();
    const settled = recorded.value;
    return result('removeMember', recorded, {
      explanation: explainLeave(label, assignment, settled, this.#options.settleTimeoutMs),
      outcome: { member: label, assignment, settled },
      cli: this.#groupCli(),
    });
  }

  async disconnectMember(label: MemberLabel): Promise<Result<'disconnectMember'>> {
    const recorded = await this.#record(async (recorder) => {
      this.#roster.attachAll(recorder);
      const held = await this.#roster.drop(label);
      const settled = await this.#roster.settle();
      return { held, settled };
    });
    const { held, settled } = recorded.value;
    const assignment = this.#roster.assignment();
    return result('disconnectMember', recorded, {
      explanation: explainDrop(label, held, assignment, settled, this.#options.settleTimeoutMs),
      outcome: { member: label, assignment, settled, heldUncommitted: held },
      cli: this.#groupCli(),
    });
  }

  async startProducer(rate: number, partitioning: ProducerPartitioning): Promise<Result<'startProducer'>> {
    const recorded = await this.#record(async (recorder) => {
      const created = await this.#ensureTopic(recorder);
      const client = await this.#host.client('producer', recorder);
      recorder.attach('producer', client);
      this.#ensureCleanup();
      // The first send runs inside the action, so its frames show; the timer sends the rest.
      await this.#producer.start(client, rate, partitioning);
      return created;
    });
    const created = recorded.value;
    return result('startProducer', recorded, {
      explanation:
        createdFirst(created, this.#partitionsCount ?? 0) + explainProducerStart(rate, partitioning),
      outcome: { running: true, rate, partitioning, created },
      cli: sendCli(
        { stream: this.#host.streamName, topic: CONSUMER_GROUPS_TOPIC },
        [JSON.stringify({ n: 1, key: null })],
        partitioning === 'balanced'
          ? 'once per message; the lab sends them on a timer'
          : 'the CLI shapes this lab verified send Balanced, not with a key',
      ),
    });
  }

  async stopProducer(): Promise<Result<'stopProducer'>> {
    const { value: wasRunning } = await this.#record(async () => {
      const running = this.#producer.running;
      this.#producer.stop();
      return running;
    });
    const { rate, partitioning, sent } = this.#producer.view();
    // Nothing was sent to Iggy: the answer carries no frames.
    return result('stopProducer', NO_FRAMES, {
      explanation: explainProducerStop(wasRunning, sent),
      outcome: { running: false, rate, partitioning, created: false },
    });
  }

  async reset(): Promise<Result<'reset'>> {
    const recorded = await this.#record(async (recorder) => {
      const closed = await this.#closeMembersAndProducer(recorder);
      const client = await this.#admin(recorder);
      const exists = await deleteTopicIfExists(client, this.#host.streamName, CONSUMER_GROUPS_TOPIC);
      return { exists, closed };
    });
    this.#quiet = true;
    try {
      await this.#host.disconnect();
    } finally {
      this.#quiet = false;
    }
    this.#newTopic(undefined);
    this.#notice = null;
    const { exists, closed } = recorded.value;
    return result('reset', recorded, {
      explanation: explainReset(exists, closed),
      outcome: { topicDeleted: exists, membersClosed: closed },
    });
  }

  // ─── helpers ────────────────────────────────────────────────────────────────

  /** Joins, leaves and drops show the group's CLI line. */
  #groupCli() {
    return consumerGroupCli({
      stream: this.#host.streamName,
      topic: CONSUMER_GROUPS_TOPIC,
      group: LAB_GROUP,
    });
  }

  /** Members leave (each commits its batch in hand first) and the producer stops; returns how many left. */
  async #closeMembersAndProducer(recorder: GroupActionRecorder): Promise<number> {
    this.#producer.stop();
    return this.#roster.leaveAll(recorder);
  }

  /** Without Iggy (or on idle/app stop): stop at once, no goodbyes; the host closes the connections. */
  async #stopEverything(notice: string | null): Promise<void> {
    this.#producer.stop();
    // Shown from now on, while the members are still closing.
    if (notice !== null && (this.#roster.size > 0 || this.#producer.sent > 0)) this.#notice = notice;
    await this.#roster.abandonAll();
  }

  /** Every way the host closes its connections (Reset, idle, app stop, Iggy gone) ends members and producer. */
  #ensureCleanup(): void {
    if (this.#removeCleanup) return;
    this.#removeCleanup = this.#host.addCleanup(() => {
      this.#removeCleanup = undefined;
      if (this.#roster.size === 0 && !this.#producer.running) return;
      const why = this.#quiet
        ? null
        : this.#host.iggyStatus().reachable
          ? "The lab's connections were closed (10 idle minutes, or the app stopping): its members and producer stopped."
          : 'Iggy went away: the lab closed its members and stopped the producer. Add members again once it is back.';
      void this.#stopEverything(why);
    });
  }

  /** Runs an action in the host's queue, recording with the lab's own per-partition recorder. */
  async #record<T>(
    fn: (recorder: GroupActionRecorder) => Promise<T>,
  ): Promise<FrameRecording & { value: T }> {
    const recorder = new GroupActionRecorder();
    try {
      const notice = this.#notice;
      const { value } = await this.#host.act(() => fn(recorder));
      // The page showed the notice while it polled; a successful action moves on from it.
      if (this.#notice === notice) this.#notice = null;
      return { value, ...recorder.stop() };
    } finally {
      recorder.stop();
    }
  }

  async #admin(recorder: GroupActionRecorder): Promise<IggyClient> {
    const client = await this.#host.client('lab', recorder);
    recorder.attach('lab', client);
    return client;
  }

  /** The topic, created with the default partition count when missing; true when it was created now. */
  async #ensureTopic(recorder: GroupActionRecorder): Promise<boolean> {
    const client = await this.#admin(recorder);
    const stream = this.#host.streamName;
    const topic = await client.getTopic(stream, CONSUMER_GROUPS_TOPIC);
    if (topic) {
      this.#partitionsCount = topic.partitionsCount;
      return false;
    }
    await client.ensureStream(stream);
    try {
      await client.createTopic({
        streamId: stream,
        name: CONSUMER_GROUPS_TOPIC,
        partitionsCount: LIMITS.defaultPartitions,
      });
    } catch (error) {
      if (!isIggyError(error) || error.code !== IggyErrorCode.TopicNameAlreadyExists) throw error;
    }
    this.#newTopic(LIMITS.defaultPartitions);
    return true;
  }

  /** A fresh (or no) topic: numbering and the delivery history start over. */
  #newTopic(partitions: number | undefined): void {
    this.#partitionsCount = partitions;
    this.#producer.restart();
    this.#delivery.clear();
    this.#notice = null;
  }
}

const NO_FRAMES: FrameRecording = { frames: [], framesDropped: 0 };
