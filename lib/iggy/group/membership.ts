/**
 * One consumer's membership of its group on the client's current connection: join (creating the group when
 * asked), SyncConsumerGroup for the generation and partitions, and what an empty sync or a lost connection
 * means. Its state is one value, so "a member" and "announced" and "has nothing assigned" cannot disagree.
 */

import { IggyErrorCode } from '../errors';
import type { ConsumerGroupAssignment } from '../wire/commands/groups';
import { isServerCode } from './errors';
import type { ResolvedGroupConsumerOptions } from './options';
import { samePartitionSet } from './round-robin';
import type { AssignmentReason, GroupAssignment, GroupConsumerClient } from './types';

/**
 * Where this consumer stands in the group on the client's current connection (one client id):
 * - outside: not a member (before the first join, after a lost connection or an unexpected empty sync, closed);
 * - joined: joined, and the first assignment since has not been announced yet (it is announced as 'joined');
 * - assigned: a member that knows its partitions;
 * - unassigned: a member the server's sync answers empty for (more members than partitions): it keeps syncing
 *   and does not rejoin on every empty reply.
 */
export type Membership = 'outside' | 'joined' | 'assigned' | 'unassigned';

/** What the membership needs of its consumer. */
export interface MembershipHost {
  readonly client: GroupConsumerClient;
  readonly options: ResolvedGroupConsumerOptions;
  readonly counts: { joins: number; syncs: number; rebalances: number };
  /** One bounded client call, labelled for its timeout error. */
  step<T>(call: () => Promise<T>, what: string): Promise<T>;
  /** Announce the assignment, read back through `assignment`. */
  emit(reason: AssignmentReason): void;
  /** Partitions may have been advanced by another member: resume from the server's stored offsets. */
  rewindAll(): void;
}

export class GroupMembership {
  readonly #host: MembershipHost;
  #state: Membership = 'outside';
  /** The group exists (created or found): `createGroup` need not try again until a join says it is gone. */
  #groupEnsured = false;
  #generation: bigint | undefined;
  #partitions: number[] = [];
  #memberId: number | undefined;
  /** Sync before the next poll: a generation change, a failed poll or a refused commit may have moved partitions. */
  #syncDue = true;

  constructor(host: MembershipHost) {
    this.#host = host;
  }

  get state(): Membership {
    return this.#state;
  }

  get isMember(): boolean {
    return this.#state !== 'outside';
  }

  get syncDue(): boolean {
    return this.#syncDue;
  }

  get generation(): bigint | undefined {
    return this.#generation;
  }

  get partitions(): readonly number[] {
    return this.#partitions;
  }

  get assignment(): GroupAssignment {
    return { generation: this.#generation, partitions: [...this.#partitions], memberId: this.#memberId };
  }

  /** Something may have moved the partitions: sync before the next poll. */
  markSyncDue(): void {
    this.#syncDue = true;
  }

  /** After leaving the group: nothing held any more. Answers whether there was anything to announce as left. */
  left(): boolean {
    const held = this.#state !== 'outside' || this.#partitions.length > 0;
    this.#state = 'outside';
    this.#partitions = [];
    this.#memberId = undefined;
    return held;
  }

  async ensure(): Promise<void> {
    if (this.#state === 'outside') await this.#join();
    await this.sync();
  }

  async #join(): Promise<void> {
    const { streamId, topicId, group, createGroup } = this.#host.options;
    if (createGroup && !this.#groupEnsured) {
      try {
        await this.#host.step(
          () => this.#host.client.createConsumerGroup(streamId, topicId, String(group)),
          'create consumer group',
        );
      } catch (error) {
        if (!isServerCode(error, IggyErrorCode.ConsumerGroupNameAlreadyExists)) throw error;
      }
      this.#groupEnsured = true;
    }
    try {
      await this.#host.step(
        () => this.#host.client.joinConsumerGroup(streamId, topicId, group),
        'join consumer group',
      );
    } catch (error) {
      // Deleted behind our back: with createGroup the next attempt creates it again.
      if (
        isServerCode(error, IggyErrorCode.ConsumerGroupIdNotFound, IggyErrorCode.ConsumerGroupNameNotFound)
      ) {
        this.#groupEnsured = false;
      }
      throw error;
    }
    this.#state = 'joined';
    this.#host.counts.joins++;
  }

  async #fetchAssignment(): Promise<ConsumerGroupAssignment | null> {
    const { streamId, topicId, group } = this.#host.options;
    this.#host.counts.syncs++;
    return this.#host.step(
      () => this.#host.client.syncConsumerGroup(streamId, topicId, group),
      'sync consumer group',
    );
  }

  async sync(): Promise<void> {
    let assignment = await this.#fetchAssignment();
    if (assignment === null && this.#state !== 'joined' && this.#state !== 'unassigned') {
      // An empty sync reply means "not a member" (a reconnect, or an eviction we did not see): join once more.
      this.lose();
      await this.#join();
      assignment = await this.#fetchAssignment();
    }
    this.#syncDue = false;
    const fresh = this.#state === 'joined';
    // Empty right after a join: the reference reads an empty sync as "not a member / no assignment", so this is
    // a member with nothing to poll (more members than partitions). Keep syncing; do not rejoin on every sync.
    if (this.#state !== 'outside') this.#state = assignment === null ? 'unassigned' : 'assigned';
    await this.#apply(assignment?.generation ?? this.#generation, assignment?.partitions ?? [], fresh);
  }

  /** `fresh`: the first assignment since a join, announced as 'joined' even when nothing changed. */
  async #apply(generation: bigint | undefined, partitions: readonly number[], fresh: boolean): Promise<void> {
    const previous = this.#generation;
    const generationChanged = previous !== undefined && generation !== undefined && generation !== previous;
    const changed = generation !== previous || !samePartitionSet(partitions, this.#partitions);
    this.#generation = generation;
    this.#partitions = [...partitions];
    if (!changed && !fresh) return;
    if (generationChanged) {
      this.#host.counts.rebalances++;
      // A cooperative rebalance hands partitions over in steps; look again soon instead of a full interval later.
      this.#syncDue = true;
    }
    // A partition we did not hold the whole time may have been advanced by another member: resume from the
    // server's stored offset rather than from our own read position.
    this.#host.rewindAll();
    this.#memberId = this.#host.options.resolveMemberId ? await this.#findMemberId(partitions) : undefined;
    this.#host.emit(fresh ? 'joined' : 'rebalanced');
  }

  /** Best effort: the member listed with exactly our partitions, if it is the only one. */
  async #findMemberId(partitions: readonly number[]): Promise<number | undefined> {
    if (partitions.length === 0) return undefined;
    const { streamId, topicId, group } = this.#host.options;
    try {
      const details = await this.#host.step(
        () => this.#host.client.getConsumerGroup(streamId, topicId, group),
        'get consumer group',
      );
      const matches = details?.members.filter((m) => samePartitionSet(m.partitions, partitions)) ?? [];
      return matches.length === 1 ? matches[0]!.id : undefined;
    } catch {
      return undefined; // a label for the UI; never a reason to fail the sync
    }
  }

  lose(): void {
    const hadSomething = this.#state !== 'outside' || this.#partitions.length > 0;
    this.#state = 'outside';
    this.#partitions = [];
    this.#memberId = undefined;
    this.#syncDue = true;
    this.#host.rewindAll();
    if (hadSomething) this.#host.emit('lost');
  }
}
