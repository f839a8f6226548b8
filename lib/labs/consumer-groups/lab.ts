/**
 * The consumer-group lab: a topic `consumer-groups` (1–16 partitions) in the labs' stream, a producer timer
 * that numbers its messages, and up to 8 members of group `lab-group`, each an IggyGroupConsumer on its own
 * TCP connection, consuming in this process until it is removed, disconnected, reset, idle or the app stops.
 *
 * Members commit after handling each batch (manual commit), so a member that vanishes with a batch in hand
 * leaves it uncommitted and the next owner receives it again: the at-least-once redelivery the delivery check
 * (consumer-groups-lab-delivery) attributes to that membership change. "Disconnect" drops the socket while
 * the member holds such a batch (waiting briefly for one), as a crash in the middle of work would.
 */

import { Consumer, IggyGroupConsumer, isIggyError, type IggyClient, type PolledMessage } from '@/lib/iggy';
import { IggyErrorCode } from '@/lib/iggy/errors';
import { consumerGroupCli, sendCli, topicListCli } from '../cli-equivalent';
import type { LabActionResult } from '../contract';
import type {
  ConsumerGroupsAction,
  ConsumerGroupsLabState,
  ConsumerGroupsResetOutcome,
  ConsumerGroupsSetupOutcome,
  MemberMessageView,
  MemberView,
  MembershipOutcome,
  PartitionView,
  ProducerOutcome,
  ProducerPartitioning,
  ProducerView,
} from './contract';
import { DeliveryTracker } from './delivery';
import { GroupActionRecorder } from './frames';
import { CONSUMER_GROUPS_LIMITS as LIMITS, MEMBER_LABELS, PRODUCER_KEYS, type MemberLabel } from './limits';
import { LabError } from '../errors';
import type { Lab, LabHost } from '../runtime';

export const CONSUMER_GROUPS_TOPIC = 'consumer-groups';
export const LAB_GROUP = 'lab-group';
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

const SETTLE_POLL_MS = 50;

/** Thrown from a member's handler after its socket was dropped: the batch is never committed. */
class DroppedMidBatch extends Error {}

interface LabMember {
  label: MemberLabel;
  role: string;
  client: IggyClient;
  consumer: IggyGroupConsumer;
  status: MemberView['status'];
  received: number;
  redelivered: number;
  lastMessages: MemberMessageView[];
  loop: Promise<void> | undefined;
  lastError: string | null;
  /** Set by Disconnect: called from the handler with the batch in hand, before it is committed. */
  dropOnBatch: ((held: number) => void) | undefined;
  unsubscribe: () => void;
}

interface Producer extends ProducerView {
  timer: ReturnType<typeof setTimeout> | undefined;
  sending: boolean;
  /** Bumped on every start/stop, so a send that finishes after a stop does not schedule another. */
  run: number;
}

const idleProducer = (): Producer => ({
  running: false,
  rate: LIMITS.defaultRate,
  partitioning: 'balanced',
  sent: 0,
  lastError: null,
  timer: undefined,
  sending: false,
  run: 0,
});

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class ConsumerGroupsLab implements Lab {
  readonly #host: LabHost;
  readonly #options: Required<Omit<ConsumerGroupsLabOptions, 'now'>>;
  readonly #delivery: DeliveryTracker;
  readonly #members = new Map<MemberLabel, LabMember>();
  #producer: Producer = idleProducer();
  #seq = 0;
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
  }

  get memberCount(): number {
    return this.#members.size;
  }

  get producerRunning(): boolean {
    return this.#producer.running;
  }

  // ─── state ──────────────────────────────────────────────────────────────────

  async state(): Promise<ConsumerGroupsLabState> {
    let server: Awaited<ReturnType<ConsumerGroupsLab['readServer']>> | null = null;
    try {
      server = await this.#host.read((client) => this.readServer(client));
    } catch (error) {
      if (!LabError.is(error) || error.code !== 'IGGY_UNAVAILABLE') throw error;
    }
    const reachable = this.#host.iggyStatus().reachable;
    if (server === null && reachable && (this.#members.size > 0 || this.#producer.running)) {
      // Deleted behind the lab's back: members would retry a missing topic for ever.
      await this.#stopEverything(
        'The lab topic disappeared (deleted outside the lab): its members and producer stopped.',
      );
    }
    if (server?.topic) this.#partitionsCount = server.topic.partitionsCount;
    const owners = this.#owners();
    const partitions: PartitionView[] = (server?.topic?.partitions ?? []).map((p) => {
      const stored = server?.stored.get(p.id) ?? null;
      const empty = p.messagesCount === 0n;
      const lag = empty ? 0n : stored === null ? p.currentOffset + 1n : p.currentOffset - stored;
      return {
        id: p.id,
        owner: owners.get(p.id) ?? null,
        messagesCount: p.messagesCount.toString(),
        currentOffset: empty ? null : p.currentOffset.toString(),
        storedOffset: stored === null ? null : stored.toString(),
        lag: (lag < 0n ? 0n : lag).toString(),
      };
    });
    return {
      iggy: this.#host.iggyStatus(),
      stream: this.#host.streamName,
      topic: CONSUMER_GROUPS_TOPIC,
      group: LAB_GROUP,
      topicInfo: server?.topic ? { partitionsCount: server.topic.partitionsCount } : null,
      partitions,
      serverGroup: server?.group
        ? {
            membersCount: server.group.membersCount,
            members: server.group.members.map((m) => ({ id: m.id, partitions: [...m.partitions] })),
          }
        : null,
      members: [...this.#members.values()].map((m) => this.#memberView(m)),
      producer: this.#producerView(),
      delivery: this.#delivery.report(),
      events: this.#delivery.events(),
      notice: this.#notice,
    };
  }

  /** One read of the topic, the group and the group's stored offset per partition. */
  async readServer(client: IggyClient) {
    const stream = this.#host.streamName;
    const topic = await client.getTopic(stream, CONSUMER_GROUPS_TOPIC);
    if (!topic) return { topic: null, group: null, stored: new Map<number, bigint>() };
    const group = await client.getConsumerGroup(stream, CONSUMER_GROUPS_TOPIC, LAB_GROUP);
    const stored = new Map<number, bigint>();
    if (group) {
      for (const partition of topic.partitions) {
        const info = await client.getConsumerOffset({
          consumer: Consumer.group(LAB_GROUP),
          streamId: stream,
          topicId: CONSUMER_GROUPS_TOPIC,
          partitionId: partition.id,
        });
        if (info) stored.set(partition.id, info.storedOffset);
      }
    }
    return { topic, group, stored };
  }

  // ─── actions ────────────────────────────────────────────────────────────────

  async perform(action: ConsumerGroupsAction): Promise<LabActionResult<unknown>> {
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
  async setup(partitions: number): Promise<LabActionResult<ConsumerGroupsSetupOutcome>> {
    const { value, frames, framesDropped } = await this.#record(async (recorder) => {
      const closed = await this.#closeMembersAndProducer(recorder);
      const client = await this.#admin(recorder);
      await client.ensureStream(this.#host.streamName);
      const existed = (await client.getTopic(this.#host.streamName, CONSUMER_GROUPS_TOPIC)) !== null;
      if (existed) await client.deleteTopic(this.#host.streamName, CONSUMER_GROUPS_TOPIC);
      await client.createTopic({
        streamId: this.#host.streamName,
        name: CONSUMER_GROUPS_TOPIC,
        partitionsCount: partitions,
      });
      this.#newTopic(partitions);
      return { existed, closed };
    });
    return {
      lab: 'consumer-groups',
      action: 'setup',
      explanation: `${value.existed ? 'Deleted and recreated' : 'Created'} topic ${CONSUMER_GROUPS_TOPIC} with ${plural(partitions, 'partition')} (ids 0–${partitions - 1}), all empty${value.closed > 0 ? `; ${plural(value.closed, 'member')} left the group first` : ''}. Add members to group ${LAB_GROUP} and start the producer.`,
      outcome: { partitions, recreated: value.existed },
      frames,
      framesDropped,
      cli: topicListCli(this.#host.streamName),
    };
  }

  async addMember(): Promise<LabActionResult<MembershipOutcome>> {
    const { value, frames, framesDropped } = await this.#record(async (recorder) => {
      const label = MEMBER_LABELS.find((l) => !this.#members.has(l));
      if (label === undefined || this.#members.size >= LIMITS.membersMax)
        throw new LabError('BAD_REQUEST', `the lab has ${LIMITS.membersMax} members already, its maximum`);
      this.#attachMembers(recorder);
      const created = await this.#ensureTopic(recorder);
      const member = await this.#startMember(label, recorder);
      this.#delivery.membershipChanged('added', label);
      const settled = await this.#settle();
      return { label, created, settled, member };
    });
    const { label, created, settled, member } = value;
    const assignment = this.#assignment();
    const own = member.consumer.assignment;
    const others = assignment.filter((a) => a.member !== label);
    return this.#membershipResult(
      'addMember',
      { frames, framesDropped },
      `${created ? `Created topic ${CONSUMER_GROUPS_TOPIC} with ${plural(this.#partitionsCount ?? 0, 'partition')} first. ` : ''}` +
        `Member ${label} joined group ${LAB_GROUP} on its own connection (JoinConsumerGroup), then synced (SyncConsumerGroup): ` +
        `${own.partitions.length === 0 ? 'no partitions for it' : `partitions ${own.partitions.join(', ')}`}` +
        `${own.generation !== undefined ? ` in generation ${own.generation}` : ''}. ` +
        (others.length === 0
          ? 'It is the only member, so it reads every partition.'
          : `A join rebalances cooperatively: the others give up only their excess. Now ${describeAssignment(assignment)}.`) +
        (settled ? '' : ` ${notSettledYet(this.#options.settleTimeoutMs)}`),
      { member: label, assignment, settled },
    );
  }

  async removeMember(label: MemberLabel): Promise<LabActionResult<MembershipOutcome>> {
    const { value, frames, framesDropped } = await this.#record(async (recorder) => {
      const member = this.#requireMember(label);
      this.#attachMembers(recorder);
      member.status = 'leaving';
      // close() finishes and commits the batch in hand, then sends LeaveConsumerGroup.
      await member.consumer.close();
      await this.#forgetMember(member);
      this.#delivery.membershipChanged('removed', label);
      return this.#settle();
    });
    const assignment = this.#assignment();
    return this.#membershipResult(
      'removeMember',
      { frames, framesDropped },
      `Member ${label} finished and committed the batch it held, then left group ${LAB_GROUP} (LeaveConsumerGroup) and closed its connection. ` +
        (assignment.length === 0
          ? 'No members are left: the partitions wait, and the group keeps its stored offsets for the next member.'
          : `A leave deals every partition out again, round-robin over the remaining members: ${describeAssignment(assignment)}.`) +
        (value ? '' : ` ${notSettledYet(this.#options.settleTimeoutMs)}`),
      { member: label, assignment, settled: value },
    );
  }

  async disconnectMember(label: MemberLabel): Promise<LabActionResult<MembershipOutcome>> {
    const { value, frames, framesDropped } = await this.#record(async (recorder) => {
      const member = this.#requireMember(label);
      this.#attachMembers(recorder);
      member.status = 'leaving';
      const held = await new Promise<number>((resolve) => {
        const drop = (count: number) => {
          clearTimeout(timer);
          member.dropOnBatch = undefined;
          member.client.dropConnection();
          // The change is real from this moment: copies received from now on are redeliveries.
          this.#delivery.membershipChanged('disconnected', label);
          resolve(count);
        };
        const timer = setTimeout(() => drop(0), this.#options.disconnectWaitMs);
        member.dropOnBatch = drop;
      });
      await member.consumer.close(); // no LeaveConsumerGroup: the socket is gone
      await this.#forgetMember(member);
      const settled = await this.#settle();
      return { held, settled };
    });
    const { held, settled } = value;
    const assignment = this.#assignment();
    return this.#membershipResult(
      'disconnectMember',
      { frames, framesDropped },
      `Dropped member ${label}'s TCP connection without LeaveConsumerGroup, ${held > 0 ? `while it held ${plural(held, 'message')} it had received but not committed` : 'while it held no uncommitted batch'}. ` +
        `Iggy noticed the closed socket, removed the member and dealt every partition out again${assignment.length > 0 ? `: ${describeAssignment(assignment)}` : ''}. ` +
        (held > 0
          ? `The group's stored offset is still before those messages, so their new owner receives them again: at-least-once delivery.`
          : 'Nothing was left uncommitted, so nothing is delivered twice.') +
        (settled ? '' : ` ${notSettledYet(this.#options.settleTimeoutMs)}`),
      { member: label, assignment, settled, heldUncommitted: held },
    );
  }

  async startProducer(
    rate: number,
    partitioning: ProducerPartitioning,
  ): Promise<LabActionResult<ProducerOutcome>> {
    const { value, frames, framesDropped } = await this.#record(async (recorder) => {
      const created = await this.#ensureTopic(recorder);
      const client = await this.#host.client('producer', recorder);
      recorder.attach('producer', client);
      this.#stopProducer();
      this.#producer = { ...this.#producer, running: true, rate, partitioning, lastError: null };
      this.#ensureCleanup();
      // The first send runs inside the action, so its frames show; the timer sends the rest.
      await this.#sendOne(client);
      this.#scheduleSend(this.#producer.run);
      return created;
    });
    const how =
      partitioning === 'balanced'
        ? 'Balanced: each send goes to the next partition in turn'
        : `by messages key, cycling ${PRODUCER_KEYS.join(', ')}: each key always lands on the same partition, so partitions no key hashes to stay empty and their owners idle`;
    return {
      lab: 'consumer-groups',
      action: 'startProducer',
      explanation: `${value ? `Created topic ${CONSUMER_GROUPS_TOPIC} with ${plural(this.#partitionsCount ?? 0, 'partition')} first. ` : ''}Producing ${rate} message${rate === 1 ? '' : 's'}/s to ${CONSUMER_GROUPS_TOPIC}, ${how}. Each payload carries its number n, which the delivery check follows.`,
      outcome: { running: true, rate, partitioning, created: value },
      frames,
      framesDropped,
      cli: sendCli(
        { stream: this.#host.streamName, topic: CONSUMER_GROUPS_TOPIC },
        [JSON.stringify({ n: 1, key: null })],
        partitioning === 'balanced'
          ? 'once per message; the lab sends them on a timer'
          : 'the CLI shapes this lab verified send Balanced, not with a key',
      ),
    };
  }

  async stopProducer(): Promise<LabActionResult<ProducerOutcome>> {
    const { value } = await this.#record(async () => {
      const wasRunning = this.#producer.running;
      this.#stopProducer();
      return wasRunning;
    });
    const { rate, partitioning, sent } = this.#producer;
    return {
      lab: 'consumer-groups',
      action: 'stopProducer',
      explanation: value
        ? `Stopped the producer after ${plural(sent, 'message')}. The members keep polling: the lag drains to 0 as they commit.`
        : 'The producer was not running.',
      outcome: { running: false, rate, partitioning, created: false },
      frames: [],
      framesDropped: 0,
    };
  }

  async reset(): Promise<LabActionResult<ConsumerGroupsResetOutcome>> {
    const { value, frames, framesDropped } = await this.#record(async (recorder) => {
      const closed = await this.#closeMembersAndProducer(recorder);
      const client = await this.#admin(recorder);
      const exists = (await client.getTopic(this.#host.streamName, CONSUMER_GROUPS_TOPIC)) !== null;
      if (exists) await client.deleteTopic(this.#host.streamName, CONSUMER_GROUPS_TOPIC);
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
    return {
      lab: 'consumer-groups',
      action: 'reset',
      explanation: value.exists
        ? `Deleted topic ${CONSUMER_GROUPS_TOPIC} (its messages, group ${LAB_GROUP} and the group's stored offsets)${value.closed > 0 ? `, after ${plural(value.closed, 'member')} left the group` : ''}, and closed the lab's connections. The next action creates the topic again.`
        : `Topic ${CONSUMER_GROUPS_TOPIC} did not exist; closed the lab's connections.`,
      outcome: { topicDeleted: value.exists, membersClosed: value.closed },
      frames,
      framesDropped,
    };
  }

  // ─── members ────────────────────────────────────────────────────────────────

  async #startMember(label: MemberLabel, recorder: GroupActionRecorder): Promise<LabMember> {
    const role = `member-${label}`;
    const client = await this.#host.client(role, recorder);
    recorder.attach(role, client);
    const consumer = new IggyGroupConsumer(client, {
      streamId: this.#host.streamName,
      topicId: CONSUMER_GROUPS_TOPIC,
      group: LAB_GROUP,
      createGroup: true,
      autoCommit: false,
      batchSize: this.#options.batchSize,
      pollIntervalMs: this.#options.pollIntervalMs,
      syncIntervalMs: this.#options.syncIntervalMs,
      requestTimeoutMs: 5_000,
      closeTimeoutMs: 2_000,
    });
    const member: LabMember = {
      label,
      role,
      client,
      consumer,
      status: 'joining',
      received: 0,
      redelivered: 0,
      lastMessages: [],
      loop: undefined,
      lastError: null,
      dropOnBatch: undefined,
      // Lab connections never reconnect: a lost one means a member that is gone, not one coming back.
      unsubscribe: client.onStateChange((state) => {
        if ((state === 'idle' || state === 'closed') && member.status !== 'leaving')
          void this.#lose(member, 'its connection to Iggy was lost');
      }),
    };
    this.#members.set(label, member);
    this.#ensureCleanup();
    try {
      await consumer.start();
    } catch (error) {
      member.status = 'leaving';
      await consumer.close();
      await this.#forgetMember(member);
      throw error;
    }
    member.status = 'member';
    member.loop = consumer
      .consume((batch) => this.#handle(member, batch.partitionId!, batch.messages))
      .catch((error: unknown) => {
        if (error instanceof DroppedMidBatch || member.status === 'leaving') return;
        void this.#lose(member, describeError(error));
      });
    return member;
  }

  #handle(member: LabMember, partitionId: number, messages: PolledMessage[]): void {
    for (const message of messages) {
      const n = messageNumber(message.payload);
      const receipt = this.#delivery.record(member.label, { n, partitionId, offset: message.offset });
      member.received += 1;
      if (receipt !== 'first') member.redelivered += 1;
      member.lastMessages.push({
        n: n ?? null,
        partitionId,
        offset: message.offset.toString(),
        redelivered: receipt !== 'first',
      });
      if (member.lastMessages.length > LIMITS.lastMessagesPerMember) member.lastMessages.shift();
    }
    if (member.dropOnBatch) {
      member.dropOnBatch(messages.length);
      throw new DroppedMidBatch('dropped before committing');
    }
  }

  /** A member that stopped on its own (connection lost, an error no retry fixes): it is gone from the lab. */
  async #lose(member: LabMember, why: string): Promise<void> {
    if (member.status === 'leaving' || this.#members.get(member.label) !== member) return;
    member.status = 'leaving';
    member.lastError = why;
    await member.consumer.close();
    await this.#forgetMember(member);
    this.#delivery.membershipChanged('lost', member.label);
    this.#notice = `Member ${member.label} stopped: ${why}. It is no longer in the lab.`;
  }

  async #forgetMember(member: LabMember): Promise<void> {
    member.unsubscribe();
    if (this.#members.get(member.label) === member) this.#members.delete(member.label);
    await this.#host.release(member.role);
  }

  #requireMember(label: MemberLabel): LabMember {
    const member = this.#members.get(label);
    if (!member || member.status === 'leaving')
      throw new LabError(
        'BAD_REQUEST',
        `member ${label} is not in the lab (members: ${[...this.#members.keys()].join(', ') || 'none'})`,
      );
    return member;
  }

  /** Waits (bounded) until the members' own syncs agree: every partition owned once, one generation. */
  async #settle(): Promise<boolean> {
    const deadline = Date.now() + this.#options.settleTimeoutMs;
    for (;;) {
      if (this.#settled()) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  #settled(): boolean {
    const active = [...this.#members.values()].filter((m) => m.status !== 'leaving');
    if (active.length === 0) return true;
    if (active.some((m) => m.consumer.status !== 'running')) return false;
    const owned = active.flatMap((m) => m.consumer.assignment.partitions);
    if (new Set(owned).size !== owned.length || owned.length !== this.#partitionsCount) return false;
    const generations = new Set(
      active
        .filter((m) => m.consumer.assignment.partitions.length > 0)
        .map((m) => m.consumer.assignment.generation),
    );
    return generations.size <= 1;
  }

  #assignment(): MembershipOutcome['assignment'] {
    return [...this.#members.values()]
      .filter((m) => m.status !== 'leaving')
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((m) => {
        const { partitions, generation } = m.consumer.assignment;
        return {
          member: m.label,
          partitions: [...partitions],
          generation: generation === undefined ? null : generation.toString(),
        };
      });
  }

  /** Partition → the member polling it; on a stale overlap the newer generation wins. */
  #owners(): Map<number, MemberLabel> {
    const owners = new Map<number, { label: MemberLabel; generation: bigint }>();
    for (const member of this.#members.values()) {
      if (member.status === 'leaving') continue;
      const { partitions, generation = -1n } = member.consumer.assignment;
      for (const partition of partitions) {
        const current = owners.get(partition);
        if (!current || generation > current.generation)
          owners.set(partition, { label: member.label, generation });
      }
    }
    return new Map([...owners].map(([partition, { label }]) => [partition, label]));
  }

  #memberView(member: LabMember): MemberView {
    const state = member.consumer.state;
    return {
      label: member.label,
      status: member.status,
      memberId: state.memberId ?? null,
      generation: state.generation === undefined ? null : state.generation.toString(),
      partitions: [...state.partitions],
      received: member.received,
      redelivered: member.redelivered,
      rebalances: state.rebalances,
      lastMessages: member.lastMessages.map((m) => ({ ...m })),
      lastError: member.lastError ?? (state.lastError ? state.lastError.message : null),
    };
  }

  /** Members leave (each commits its batch in hand first) and the producer stops; returns how many left. */
  async #closeMembersAndProducer(recorder: GroupActionRecorder): Promise<number> {
    this.#stopProducer();
    const members = [...this.#members.values()];
    for (const member of members) {
      recorder.attach(member.role, member.client);
      member.status = 'leaving';
    }
    await Promise.all(members.map((m) => m.consumer.close()));
    await Promise.all(members.map((m) => this.#forgetMember(m)));
    return members.length;
  }

  /** Without Iggy (or on idle/app stop): stop at once, no goodbyes; the host closes the connections. */
  async #stopEverything(notice: string | null): Promise<void> {
    this.#stopProducer();
    const members = [...this.#members.values()];
    this.#members.clear();
    for (const member of members) {
      member.status = 'leaving';
      member.unsubscribe();
    }
    if (members.length > 0 && notice !== null) this.#notice = notice;
    else if (notice !== null && this.#producer.sent > 0) this.#notice = notice;
    await Promise.allSettled(members.map((m) => m.consumer.close()));
    await Promise.allSettled(members.map((m) => this.#host.release(m.role)));
  }

  /** Every way the host closes its connections (Reset, idle, app stop, Iggy gone) ends members and producer. */
  #ensureCleanup(): void {
    if (this.#removeCleanup) return;
    this.#removeCleanup = this.#host.addCleanup(() => {
      this.#removeCleanup = undefined;
      if (this.#members.size === 0 && !this.#producer.running) return;
      const why = this.#quiet
        ? null
        : this.#host.iggyStatus().reachable
          ? "The lab's connections were closed (10 idle minutes, or the app stopping): its members and producer stopped."
          : 'Iggy went away: the lab closed its members and stopped the producer. Add members again once it is back.';
      void this.#stopEverything(why);
    });
  }

  // ─── producer ───────────────────────────────────────────────────────────────

  #stopProducer(): void {
    clearTimeout(this.#producer.timer);
    this.#producer.timer = undefined;
    this.#producer.running = false;
    this.#producer.run += 1;
  }

  #scheduleSend(run: number): void {
    if (!this.#producer.running || this.#producer.run !== run) return;
    this.#producer.timer = setTimeout(() => {
      this.#producer.timer = undefined;
      void this.#tick(run);
    }, 1000 / this.#producer.rate);
    this.#producer.timer.unref?.();
  }

  async #tick(run: number): Promise<void> {
    if (!this.#producer.running || this.#producer.run !== run) return;
    try {
      const client = await this.#host.client('producer');
      if (this.#producer.run !== run) return;
      await this.#sendOne(client);
    } catch (error) {
      if (this.#producer.run !== run) return;
      this.#stopProducer();
      this.#producer.lastError = describeError(error);
      this.#notice = `The producer stopped: ${this.#producer.lastError}.`;
      return;
    }
    this.#scheduleSend(run);
  }

  async #sendOne(client: IggyClient): Promise<void> {
    const n = ++this.#seq;
    const key = this.#producer.partitioning === 'key' ? PRODUCER_KEYS[n % PRODUCER_KEYS.length]! : null;
    await client.sendMessages({
      streamId: this.#host.streamName,
      topicId: CONSUMER_GROUPS_TOPIC,
      partitioning: key === null ? { kind: 'balanced' } : { kind: 'messagesKey', key },
      messages: [{ payload: JSON.stringify({ n, key }) }],
    });
    this.#producer.sent += 1;
  }

  #producerView(): ProducerView {
    const { running, rate, partitioning, sent, lastError } = this.#producer;
    return { running, rate, partitioning, sent, lastError };
  }

  // ─── helpers ────────────────────────────────────────────────────────────────

  /** Every member's connection is recorded: a membership change makes the others sync again. */
  #attachMembers(recorder: GroupActionRecorder): void {
    for (const member of this.#members.values()) recorder.attach(member.role, member.client);
  }

  /** Joins, leaves and drops answer alike: the member's new assignment and the group's CLI line. */
  #membershipResult(
    action: 'addMember' | 'removeMember' | 'disconnectMember',
    recorded: { frames: LabActionResult<unknown>['frames']; framesDropped: number },
    explanation: string,
    outcome: MembershipOutcome,
  ): LabActionResult<MembershipOutcome> {
    return {
      lab: 'consumer-groups',
      action,
      explanation,
      outcome,
      ...recorded,
      cli: consumerGroupCli({
        stream: this.#host.streamName,
        topic: CONSUMER_GROUPS_TOPIC,
        group: LAB_GROUP,
      }),
    };
  }

  /** Runs an action in the host's queue, recording with the lab's own per-partition recorder. */
  async #record<T>(
    fn: (recorder: GroupActionRecorder) => Promise<T>,
  ): Promise<{ value: T; frames: LabActionResult<unknown>['frames']; framesDropped: number }> {
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
    this.#seq = 0;
    const { rate, partitioning, run } = this.#producer;
    // `run` keeps counting up, so a send still in flight from before cannot restart the timer.
    this.#producer = { ...idleProducer(), rate, partitioning, run: run + 1 };
    this.#delivery.clear();
    this.#notice = null;
  }
}

function messageNumber(payload: Buffer): number | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { n?: unknown };
    return typeof parsed.n === 'number' && Number.isSafeInteger(parsed.n) ? parsed.n : undefined;
  } catch {
    return undefined; // not the lab's JSON: partition and offset identify it instead
  }
}

function describeError(error: unknown): string {
  if (LabError.is(error) || isIggyError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** "A → 0, 3 · B → 1 · C → nothing" */
export function describeAssignment(assignment: MembershipOutcome['assignment']): string {
  return assignment
    .map(
      (a) =>
        `${a.member} → ${a.partitions.length === 0 ? 'nothing' : [...a.partitions].sort((x, y) => x - y).join(', ')}`,
    )
    .join(' · ');
}

function notSettledYet(ms: number): string {
  return `After ${ms / 1000} s the members do not agree yet: a partition moves on a join only once its owner has committed what it polled, or after the rebalancing timeout (30 s by default); the drawing updates when it does.`;
}
