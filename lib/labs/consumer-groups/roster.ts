/**
 * The consumer-group lab's members: up to 8 IggyGroupConsumers of group `lab-group`, each on its own
 * connection, consuming in this process. A member commits after handling each batch (manual commit), so
 * one that vanishes with a batch in hand leaves it uncommitted and the next owner receives it again.
 * The roster starts, removes, drops and forgets members, waits for the group to settle, and reports who
 * owns which partition; the delivery tracker hears of every message and every membership change.
 */

import { IggyGroupConsumer, type IggyClient, type PolledMessage } from '@/lib/iggy';
import { LabError } from '../errors';
import type { FrameTap } from '../frame-recorder';
import type { LabHost } from '../runtime';
import type { MemberMessageView, MemberView, MembershipOutcome } from './contract';
import type { DeliveryTracker } from './delivery';
import { CONSUMER_GROUPS_LIMITS as LIMITS, MEMBER_LABELS, type MemberLabel } from './limits';

const SETTLE_POLL_MS = 50;

export interface RosterOptions {
  settleTimeoutMs: number;
  disconnectWaitMs: number;
  pollIntervalMs: number;
  syncIntervalMs: number;
  batchSize: number;
}

export interface RosterDeps {
  host: LabHost;
  delivery: DeliveryTracker;
  topic: string;
  group: string;
  options: RosterOptions;
  /** The topic's partition count as the lab last saw it (a settled group owns each exactly once). */
  partitionsCount(): number | undefined;
  /** A member stopped on its own (connection lost, an error no retry fixes); `notice` is safe to show. */
  onLost(notice: string): void;
  describeError(error: unknown): string;
}

/** What an action records a member's connection with. */
export interface MemberRecorder {
  attach(connection: string, tap: FrameTap): void;
}

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
  lastError: string | null;
  /** Set by Disconnect: called from the handler with the batch in hand, before it is committed. */
  dropOnBatch: ((held: number) => void) | undefined;
  unsubscribe: () => void;
}

export type Assignment = MembershipOutcome['assignment'];

export class MemberRoster {
  readonly #deps: RosterDeps;
  readonly #members = new Map<MemberLabel, LabMember>();

  constructor(deps: RosterDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#members.size;
  }

  labels(): MemberLabel[] {
    return [...this.#members.keys()];
  }

  /** The lowest free label; refused when the lab has its maximum of members. */
  nextLabel(): MemberLabel {
    const label = MEMBER_LABELS.find((l) => !this.#members.has(l));
    if (label === undefined || this.#members.size >= LIMITS.membersMax)
      throw new LabError('BAD_REQUEST', `the lab has ${LIMITS.membersMax} members already, its maximum`);
    return label;
  }

  /** Every member's connection is recorded: a membership change makes the others sync again. */
  attachAll(recorder: MemberRecorder): void {
    for (const member of this.#members.values()) recorder.attach(member.role, member.client);
  }

  /** Joins `label` on a connection of its own and starts its consume loop; read `assignment` once settled. */
  async join(label: MemberLabel, recorder: MemberRecorder): Promise<Pick<IggyGroupConsumer, 'assignment'>> {
    const { host, options } = this.#deps;
    const role = `member-${label}`;
    const client = await host.client(role, recorder);
    recorder.attach(role, client);
    const consumer = new IggyGroupConsumer(client, {
      streamId: host.streamName,
      topicId: this.#deps.topic,
      group: this.#deps.group,
      createGroup: true,
      autoCommit: false,
      batchSize: options.batchSize,
      pollIntervalMs: options.pollIntervalMs,
      syncIntervalMs: options.syncIntervalMs,
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
      lastError: null,
      dropOnBatch: undefined,
      // Lab connections never reconnect: a lost one means a member that is gone, not one coming back.
      unsubscribe: client.onStateChange((state) => {
        if ((state === 'idle' || state === 'closed') && member.status !== 'leaving')
          void this.#lose(member, 'its connection to Iggy was lost');
      }),
    };
    this.#members.set(label, member);
    try {
      await consumer.start();
    } catch (error) {
      member.status = 'leaving';
      await consumer.close();
      await this.#forget(member);
      throw error;
    }
    member.status = 'member';
    void consumer
      .consume((batch) => this.#handle(member, batch.partitionId!, batch.messages))
      .catch((error: unknown) => {
        if (error instanceof DroppedMidBatch || member.status === 'leaving') return;
        void this.#lose(member, this.#deps.describeError(error));
      });
    this.#deps.delivery.membershipChanged('added', label);
    return consumer;
  }

  /** The member finishes and commits the batch in hand, then leaves the group (LeaveConsumerGroup). */
  async leave(label: MemberLabel): Promise<void> {
    const member = this.#require(label);
    member.status = 'leaving';
    await member.consumer.close();
    await this.#forget(member);
    this.#deps.delivery.membershipChanged('removed', label);
  }

  /**
   * Drops the member's socket without leaving, while it holds a batch it has not committed (waiting for
   * one up to disconnectWaitMs); returns how many messages it held.
   */
  async drop(label: MemberLabel): Promise<number> {
    const member = this.#require(label);
    member.status = 'leaving';
    const held = await new Promise<number>((resolve) => {
      const drop = (count: number) => {
        clearTimeout(timer);
        member.dropOnBatch = undefined;
        member.client.dropConnection();
        // The change is real from this moment: copies received from now on are redeliveries.
        this.#deps.delivery.membershipChanged('disconnected', label);
        resolve(count);
      };
      const timer = setTimeout(() => drop(0), this.#deps.options.disconnectWaitMs);
      member.dropOnBatch = drop;
    });
    await member.consumer.close(); // no LeaveConsumerGroup: the socket is gone
    await this.#forget(member);
    return held;
  }

  /** Every member leaves (each commits its batch in hand first); returns how many left. */
  async leaveAll(recorder: MemberRecorder): Promise<number> {
    const members = [...this.#members.values()];
    for (const member of members) {
      recorder.attach(member.role, member.client);
      member.status = 'leaving';
    }
    await Promise.all(members.map((m) => m.consumer.close()));
    await Promise.all(members.map((m) => this.#forget(m)));
    return members.length;
  }

  /** Without Iggy (or on idle/app stop): every member stops at once, no goodbyes. */
  async abandonAll(): Promise<void> {
    const members = [...this.#members.values()];
    this.#members.clear();
    for (const member of members) {
      member.status = 'leaving';
      member.unsubscribe();
    }
    await Promise.allSettled(members.map((m) => m.consumer.close()));
    await Promise.allSettled(members.map((m) => this.#deps.host.release(m.role)));
  }

  /** Waits (bounded) until the members' own syncs agree: every partition owned once, one generation. */
  async settle(): Promise<boolean> {
    const deadline = Date.now() + this.#deps.options.settleTimeoutMs;
    for (;;) {
      if (this.#settled()) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  assignment(): Assignment {
    return this.#active()
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
  owners(): Map<number, MemberLabel> {
    const owners = new Map<number, { label: MemberLabel; generation: bigint }>();
    for (const member of this.#active()) {
      const { partitions, generation = -1n } = member.consumer.assignment;
      for (const partition of partitions) {
        const current = owners.get(partition);
        if (!current || generation > current.generation)
          owners.set(partition, { label: member.label, generation });
      }
    }
    return new Map([...owners].map(([partition, { label }]) => [partition, label]));
  }

  views(): MemberView[] {
    return [...this.#members.values()].map((member) => {
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
    });
  }

  #active(): LabMember[] {
    return [...this.#members.values()].filter((m) => m.status !== 'leaving');
  }

  #settled(): boolean {
    const active = this.#active();
    if (active.length === 0) return true;
    if (active.some((m) => m.consumer.status !== 'running')) return false;
    const owned = active.flatMap((m) => m.consumer.assignment.partitions);
    if (new Set(owned).size !== owned.length || owned.length !== this.#deps.partitionsCount()) return false;
    const generations = new Set(
      active
        .filter((m) => m.consumer.assignment.partitions.length > 0)
        .map((m) => m.consumer.assignment.generation),
    );
    return generations.size <= 1;
  }

  #handle(member: LabMember, partitionId: number, messages: PolledMessage[]): void {
    for (const message of messages) {
      const n = messageNumber(message.payload);
      const receipt = this.#deps.delivery.record(member.label, { n, partitionId, offset: message.offset });
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

  /** A member that stopped on its own: it is gone from the lab. */
  async #lose(member: LabMember, why: string): Promise<void> {
    if (member.status === 'leaving' || this.#members.get(member.label) !== member) return;
    member.status = 'leaving';
    member.lastError = why;
    await member.consumer.close();
    await this.#forget(member);
    this.#deps.delivery.membershipChanged('lost', member.label);
    this.#deps.onLost(`Member ${member.label} stopped: ${why}. It is no longer in the lab.`);
  }

  async #forget(member: LabMember): Promise<void> {
    member.unsubscribe();
    if (this.#members.get(member.label) === member) this.#members.delete(member.label);
    await this.#deps.host.release(member.role);
  }

  #require(label: MemberLabel): LabMember {
    const member = this.#members.get(label);
    if (!member || member.status === 'leaving')
      throw new LabError(
        'BAD_REQUEST',
        `member ${label} is not in the lab (members: ${this.labels().join(', ') || 'none'})`,
      );
    return member;
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
