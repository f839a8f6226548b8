import { describe, expect, it } from 'vitest';
import {
  canCommit,
  canPoll,
  committed,
  joinGroup,
  leaveGroup,
  membersInOrder,
  newGroup,
  recordPoll,
  redealAll,
  settleHandoffs,
} from '../../support/model/groups';
import { type ConsumerGroupState, type TopicState, newPartition } from '../../support/model/state';
import { DEFAULT_TOPIC_SETTINGS } from '../../support/wire/topic-options';

/** docs/architecture.md#consumer-groups-on-the-wire: member ids, cooperative join, deal-out on leave, handoff of polled-but-uncommitted. */

function topicWith(partitions: number): TopicState {
  return {
    id: 0,
    name: 't',
    createdAtMicros: 0n,
    createdAtMs: 0,
    settings: { ...DEFAULT_TOPIC_SETTINGS },
    explicitOptions: [],
    derivedOptions: [],
    partitions: Array.from({ length: partitions }, (_, id) => newPartition(id, 0n)),
    balancedCursor: 0,
    groups: new Map(),
    nextGroupId: 1,
  };
}

const TIMEOUT = 30_000;
const at = (nowMs: number) => ({ nowMs, rebalancingTimeoutMs: TIMEOUT });

/** member id → its pollable partitions, in the order they were dealt. */
function table(group: ConsumerGroupState): Record<number, number[]> {
  return Object.fromEntries(membersInOrder(group).map((m) => [m.memberId, [...m.partitions]]));
}

function setup(partitions: number) {
  const topic = topicWith(partitions);
  const group = newGroup(0, 'g');
  topic.groups.set(0, group);
  const join = (client: bigint, nowMs = 0) => joinGroup(topic, group, client, at(nowMs));
  const leave = (client: bigint) => leaveGroup(topic, group, client);
  return { topic, group, join, leave };
}

describe('consumer group assignment (docs/architecture.md#consumer-groups-on-the-wire)', () => {
  it('reproduces the 4-partition table step by step, with the generation advancing each time', () => {
    const { group, join, leave } = setup(4);
    join(100n);
    expect(table(group)).toEqual({ 0: [0, 1, 2, 3] });
    expect(group.generation).toBe(1n);
    join(200n);
    expect(table(group)).toEqual({ 0: [0, 1], 1: [3, 2] });
    expect(group.generation).toBe(2n);
    join(300n);
    expect(table(group)).toEqual({ 0: [0, 1], 1: [3], 2: [2] });
    expect(group.generation).toBe(3n);
    leave(200n);
    expect(table(group)).toEqual({ 0: [0, 2], 2: [1, 3] });
    expect(group.generation).toBe(4n);
  });

  it('gives member ids as the lowest free slot, so a rejoin after a leave fills the gap', () => {
    const { group, join, leave } = setup(4);
    join(1n);
    join(2n);
    join(3n);
    leave(2n);
    join(4n);
    expect(membersInOrder(group).map((m) => [m.clientId, m.memberId])).toEqual([
      [1n, 0],
      [4n, 1],
      [3n, 2],
    ]);
  });

  it('a join of a client already in the group changes nothing, not even the generation', () => {
    const { group, join } = setup(4);
    join(1n);
    expect(join(1n)).toBe(false);
    expect(group.generation).toBe(1n);
  });

  it('5 partitions: four joins, then a leave and a rejoin into the freed slot', () => {
    const { group, join, leave } = setup(5);
    join(1n);
    join(2n);
    expect(table(group)).toEqual({ 0: [0, 1, 2], 1: [4, 3] });
    join(3n);
    expect(table(group)).toEqual({ 0: [0, 1], 1: [4, 3], 2: [2] });
    join(4n);
    expect(table(group)).toEqual({ 0: [0, 1], 1: [4], 2: [2], 3: [3] });
    leave(2n);
    expect(table(group)).toEqual({ 0: [0, 3], 2: [1, 4], 3: [2] });
    // P % M = 1 of 4: member 0 and member 2 both hold 2 > fair 1; only the first may keep its extra one.
    join(5n);
    expect(table(group)).toEqual({ 0: [0, 3], 1: [4], 2: [1], 3: [2] });
  });

  it('7 partitions: excess from several members is dealt in member-id order, each list trimmed from its end', () => {
    const { group, join, leave } = setup(7);
    join(1n);
    join(2n);
    expect(table(group)).toEqual({ 0: [0, 1, 2, 3], 1: [6, 5, 4] });
    join(3n);
    expect(table(group)).toEqual({ 0: [0, 1, 2], 1: [6, 5], 2: [3, 4] });
    leave(1n);
    expect(table(group)).toEqual({ 1: [0, 2, 4, 6], 2: [1, 3, 5] });
    // The newcomer takes slot 0; member 1 (4 > fair 2) is the one that may keep 3, member 2 keeps 2.
    join(4n);
    expect(table(group)).toEqual({ 0: [6, 5], 1: [0, 2, 4], 2: [1, 3] });
  });

  it('the last member leaving empties the group; the next one gets everything', () => {
    const { group, join, leave } = setup(3);
    join(1n);
    join(2n);
    leave(1n);
    leave(2n);
    expect(table(group)).toEqual({});
    join(3n);
    expect(table(group)).toEqual({ 0: [0, 1, 2] });
  });

  it('more members than partitions: latecomers own nothing and joins take nothing from them', () => {
    const { group, join } = setup(2);
    join(1n);
    join(2n);
    join(3n);
    join(4n);
    expect(table(group)).toEqual({ 0: [0], 1: [1], 2: [], 3: [] });
  });

  describe('handoff of a partition polled but not committed', () => {
    function polledWithoutCommit() {
      const s = setup(4);
      s.join(1n);
      recordPoll(s.group, 1n, 3, 9n); // member 0 read offsets up to 9 of partition 3, committed nothing
      s.join(2n, 1_000);
      return s;
    }

    it('is pollable by nobody: the source lost it, the new member waits for it', () => {
      const { group } = polledWithoutCommit();
      expect(table(group)).toEqual({ 0: [0, 1], 1: [2] });
      expect(canPoll(group, 1n, 3)).toBe(false);
      expect(canPoll(group, 2n, 3)).toBe(false);
      expect(canCommit(group, 1n, 3)).toBe(true);
      expect(canCommit(group, 2n, 3)).toBe(false);
    });

    it('moves when the source commits what it polled, and the generation advances', () => {
      const { topic, group } = polledWithoutCommit();
      const before = group.generation;
      topic.partitions[3]!.groupOffsets.set(group.id, 5n);
      committed(group, 1n, 3, 5n);
      expect(canPoll(group, 2n, 3)).toBe(false);
      topic.partitions[3]!.groupOffsets.set(group.id, 9n);
      committed(group, 1n, 3, 9n);
      expect(table(group)).toEqual({ 0: [0, 1], 1: [2, 3] });
      expect(group.generation).toBe(before + 1n);
    });

    it('moves after the rebalancing timeout without a commit', () => {
      const { group } = polledWithoutCommit();
      settleHandoffs(group, 1_000 + TIMEOUT - 1);
      expect(canPoll(group, 2n, 3)).toBe(false);
      settleHandoffs(group, 1_000 + TIMEOUT);
      expect(table(group)).toEqual({ 0: [0, 1], 1: [2, 3] });
    });

    it('is not needed when the poll was committed (auto-commit) or when someone else polled it', () => {
      const s = setup(4);
      s.join(1n);
      recordPoll(s.group, 1n, 3, 9n);
      s.topic.partitions[3]!.groupOffsets.set(s.group.id, 9n);
      recordPoll(s.group, 1n, 2, 4n);
      s.group.lastPolled.set(2, { clientId: 77n, offset: 4n }); // a former member's read
      s.join(2n);
      expect(table(s.group)).toEqual({ 0: [0, 1], 1: [3, 2] });
      expect(s.group.handoffs.size).toBe(0);
    });

    it('a member waiting for a handoff is not dealt more on the next join; a leave ends every handoff', () => {
      const { group, join, leave } = polledWithoutCommit();
      // The rule taken literally: member 1 waits for 3 and owns [2], member 0 holds 2 > fair 1 and is the one
      // member allowed to keep one more, so nobody has excess and the newcomer gets nothing for now.
      join(3n, 2_000);
      expect(table(group)).toEqual({ 0: [0, 1], 1: [2], 2: [] });
      expect(group.handoffs.get(3)?.toClient).toBe(2n);
      leave(3n);
      expect(group.handoffs.size).toBe(0);
      expect(table(group)).toEqual({ 0: [0, 2], 1: [1, 3] });
    });

    it('a re-deal (partition count change) also ends handoffs', () => {
      const { topic, group } = polledWithoutCommit();
      topic.partitions.push(newPartition(4, 0n));
      redealAll(topic, group);
      expect(table(group)).toEqual({ 0: [0, 2, 4], 1: [1, 3] });
    });
  });
});
