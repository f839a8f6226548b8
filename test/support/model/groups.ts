import type { ConsumerGroupState, GroupMember, TopicState } from './state';

/**
 * Partition assignment of a consumer group, as the real server deals it (docs/architecture.md#consumer-groups-on-the-wire):
 * leave/disconnect deals everything out again; join is cooperative and never takes a partition that its
 * owner polled without committing away at once (it is handed off on commit or after the rebalancing timeout).
 * Every function takes the time from its caller so the rules can be tested without a clock.
 */

export interface GroupClock {
  nowMs: number;
  rebalancingTimeoutMs: number;
}

export function newGroup(id: number, name: string): ConsumerGroupState {
  return { id, name, members: new Map(), generation: 0n, handoffs: new Map(), lastPolled: new Map() };
}

export function membersInOrder(group: ConsumerGroupState): GroupMember[] {
  return [...group.members.values()].sort((a, b) => a.memberId - b.memberId);
}

function partitionIds(topic: TopicState): number[] {
  return topic.partitions.map((p) => p.id).sort((a, b) => a - b);
}

function lowestFreeMemberId(group: ConsumerGroupState): number {
  const used = new Set([...group.members.values()].map((m) => m.memberId));
  let id = 0;
  while (used.has(id)) id += 1;
  return id;
}

/** The member polled this partition past what the group committed, and still owns it. */
function isInFlight(topic: TopicState, group: ConsumerGroupState, member: GroupMember, partitionId: number) {
  const polled = group.lastPolled.get(partitionId);
  if (!polled || polled.clientId !== member.clientId) return false;
  const committed = topic.partitions.find((p) => p.id === partitionId)?.groupOffsets.get(group.id);
  return committed === undefined || committed < polled.offset;
}

/** Adds the client (no-op when it is already a member) and deals cooperatively. Returns false on a no-op. */
export function joinGroup(
  topic: TopicState,
  group: ConsumerGroupState,
  clientId: bigint,
  clock: GroupClock,
): boolean {
  settleHandoffs(group, clock.nowMs);
  if (group.members.has(clientId)) return false;
  group.members.set(clientId, { memberId: lowestFreeMemberId(group), clientId, partitions: [] });
  const members = membersInOrder(group);
  const waiting = new Set([...group.handoffs.values()].map((h) => h.toClient));
  const ownsNothing = () => members.filter((m) => m.partitions.length === 0 && !waiting.has(m.clientId));

  // 1. Partitions nobody owns (nor waits for) go round-robin to the members that own nothing.
  const taken = new Set([...members.flatMap((m) => m.partitions), ...group.handoffs.keys()]);
  const unowned = partitionIds(topic).filter((id) => !taken.has(id));
  const firstRecipients = ownsNothing();
  if (firstRecipients.length > 0) {
    unowned.forEach((id, i) => firstRecipients[i % firstRecipients.length]!.partitions.push(id));
  }

  // 2. Fair share P / M; the first P % M members above it keep one more; the rest of each list, last first,
  //    goes round-robin to the members that own nothing.
  const recipients = ownsNothing();
  if (recipients.length > 0) {
    const total = topic.partitions.length;
    const fair = Math.floor(total / members.length);
    let mayKeepOneMore = total % members.length;
    const excess: { partitionId: number; from: GroupMember }[] = [];
    for (const member of members) {
      if (member.partitions.length <= fair) continue;
      const cap = mayKeepOneMore > 0 ? fair + 1 : fair;
      if (mayKeepOneMore > 0) mayKeepOneMore -= 1;
      while (member.partitions.length > cap)
        excess.push({ partitionId: member.partitions.pop()!, from: member });
    }
    excess.forEach(({ partitionId, from }, i) => {
      const to = recipients[i % recipients.length]!;
      // 3. Polled but not committed: the source loses it now, the recipient gets it on commit or timeout.
      if (isInFlight(topic, group, from, partitionId)) {
        group.handoffs.set(partitionId, {
          partitionId,
          fromClient: from.clientId,
          toClient: to.clientId,
          deadlineMs: clock.nowMs + clock.rebalancingTimeoutMs,
        });
      } else {
        to.partitions.push(partitionId);
      }
    });
  }
  group.generation += 1n;
  return true;
}

/** Removes the client and deals everything out again. Returns false when it was not a member. */
export function leaveGroup(topic: TopicState, group: ConsumerGroupState, clientId: bigint): boolean {
  if (!group.members.delete(clientId)) return false;
  redealAll(topic, group);
  return true;
}

/** Every partition in id order, round-robin over the members in member-id order; pending handoffs end. */
export function redealAll(topic: TopicState, group: ConsumerGroupState): void {
  group.handoffs.clear();
  const members = membersInOrder(group);
  for (const member of members) member.partitions = [];
  if (members.length > 0) {
    partitionIds(topic).forEach((id, i) => members[i % members.length]!.partitions.push(id));
  }
  group.generation += 1n;
}

/** Completes every handoff whose rebalancing timeout has passed. */
export function settleHandoffs(group: ConsumerGroupState, nowMs: number): void {
  for (const handoff of [...group.handoffs.values()]) {
    if (handoff.deadlineMs <= nowMs) completeHandoff(group, handoff.partitionId);
  }
}

function completeHandoff(group: ConsumerGroupState, partitionId: number): void {
  const handoff = group.handoffs.get(partitionId);
  if (!handoff) return;
  group.handoffs.delete(partitionId);
  group.members.get(handoff.toClient)?.partitions.push(partitionId);
  group.generation += 1n;
}

export function canPoll(group: ConsumerGroupState, clientId: bigint, partitionId: number): boolean {
  return group.members.get(clientId)?.partitions.includes(partitionId) ?? false;
}

/** The owner may commit; so may the source of a pending handoff (that commit is what releases it). */
export function canCommit(group: ConsumerGroupState, clientId: bigint, partitionId: number): boolean {
  return canPoll(group, clientId, partitionId) || group.handoffs.get(partitionId)?.fromClient === clientId;
}

export function recordPoll(
  group: ConsumerGroupState,
  clientId: bigint,
  partitionId: number,
  lastOffset: bigint,
): void {
  const previous = group.lastPolled.get(partitionId);
  if (previous && previous.clientId === clientId && previous.offset >= lastOffset) return;
  group.lastPolled.set(partitionId, { clientId, offset: lastOffset });
}

/** Called after the group's offset on a partition was stored: a commit that covers the last poll releases it. */
export function committed(
  group: ConsumerGroupState,
  clientId: bigint,
  partitionId: number,
  offset: bigint,
): void {
  const handoff = group.handoffs.get(partitionId);
  if (!handoff || handoff.fromClient !== clientId) return;
  const polled = group.lastPolled.get(partitionId);
  if (!polled || offset >= polled.offset) completeHandoff(group, partitionId);
}

/** Membership is session state: it dies with the server process, the group itself is metadata. */
export function dropMembership(group: ConsumerGroupState): void {
  group.members.clear();
  group.handoffs.clear();
  group.lastPolled.clear();
}
