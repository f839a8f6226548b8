/** The consumer-group lab's words: one line per action, in Iggy's terms. */

import type { ProducerPartitioning } from './contract';
import { CONSUMER_GROUPS_TOPIC, LAB_GROUP, PRODUCER_KEYS } from './limits';
import type { Assignment } from './roster';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "A → 0, 3 · B → 1 · C → nothing" */
export function describeAssignment(assignment: Assignment): string {
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

/** "Created topic … first. " when the action had to create the lab topic, else nothing. */
export const createdFirst = (created: boolean, partitions: number) =>
  created ? `Created topic ${CONSUMER_GROUPS_TOPIC} with ${plural(partitions, 'partition')} first. ` : '';

/** What a membership action adds when the wait for a settled group ran out. */
const unsettled = (settled: boolean, settleTimeoutMs: number) =>
  settled ? '' : ` ${notSettledYet(settleTimeoutMs)}`;

export function explainSetup(existed: boolean, partitions: number, closed: number): string {
  return `${existed ? 'Deleted and recreated' : 'Created'} topic ${CONSUMER_GROUPS_TOPIC} with ${plural(partitions, 'partition')} (ids 0–${partitions - 1}), all empty${closed > 0 ? `; ${plural(closed, 'member')} left the group first` : ''}. Add members to group ${LAB_GROUP} and start the producer.`;
}

export function explainJoin(
  label: string,
  own: { partitions: readonly number[]; generation?: bigint | undefined },
  assignment: Assignment,
  settled: boolean,
  settleTimeoutMs: number,
): string {
  const others = assignment.filter((a) => a.member !== label);
  return (
    `Member ${label} joined group ${LAB_GROUP} on its own connection (JoinConsumerGroup), then synced (SyncConsumerGroup): ` +
    `${own.partitions.length === 0 ? 'no partitions for it' : `partitions ${own.partitions.join(', ')}`}` +
    `${own.generation !== undefined ? ` in generation ${own.generation}` : ''}. ` +
    (others.length === 0
      ? 'It is the only member, so it reads every partition.'
      : `A join rebalances cooperatively: the others give up only their excess. Now ${describeAssignment(assignment)}.`) +
    unsettled(settled, settleTimeoutMs)
  );
}

export function explainLeave(
  label: string,
  assignment: Assignment,
  settled: boolean,
  settleTimeoutMs: number,
): string {
  return (
    `Member ${label} finished and committed the batch it held, then left group ${LAB_GROUP} (LeaveConsumerGroup) and closed its connection. ` +
    (assignment.length === 0
      ? 'No members are left: the partitions wait, and the group keeps its stored offsets for the next member.'
      : `A leave deals every partition out again, round-robin over the remaining members: ${describeAssignment(assignment)}.`) +
    unsettled(settled, settleTimeoutMs)
  );
}

export function explainDrop(
  label: string,
  held: number,
  assignment: Assignment,
  settled: boolean,
  settleTimeoutMs: number,
): string {
  return (
    `Dropped member ${label}'s TCP connection without LeaveConsumerGroup, ${held > 0 ? `while it held ${plural(held, 'message')} it had received but not committed` : 'while it held no uncommitted batch'}. ` +
    `Iggy noticed the closed socket, removed the member and dealt every partition out again${assignment.length > 0 ? `: ${describeAssignment(assignment)}` : ''}. ` +
    (held > 0
      ? `The group's stored offset is still before those messages, so their new owner receives them again: at-least-once delivery.`
      : 'Nothing was left uncommitted, so nothing is delivered twice.') +
    unsettled(settled, settleTimeoutMs)
  );
}

export function explainProducerStart(rate: number, partitioning: ProducerPartitioning): string {
  const how =
    partitioning === 'balanced'
      ? 'Balanced: each send goes to the next partition in turn'
      : `by messages key, cycling ${PRODUCER_KEYS.join(', ')}: each key always lands on the same partition, so partitions no key hashes to stay empty and their owners idle`;
  return `Producing ${rate} message${rate === 1 ? '' : 's'}/s to ${CONSUMER_GROUPS_TOPIC}, ${how}. Each payload carries its number n, which the delivery check follows.`;
}

export function explainProducerStop(wasRunning: boolean, sent: number): string {
  return wasRunning
    ? `Stopped the producer after ${plural(sent, 'message')}. The members keep polling: the lag drains to 0 as they commit.`
    : 'The producer was not running.';
}

export function explainReset(existed: boolean, closed: number): string {
  return existed
    ? `Deleted topic ${CONSUMER_GROUPS_TOPIC} (its messages, group ${LAB_GROUP} and the group's stored offsets)${closed > 0 ? `, after ${plural(closed, 'member')} left the group` : ''}, and closed the lab's connections. The next action creates the topic again.`
    : `Topic ${CONSUMER_GROUPS_TOPIC} did not exist; closed the lab's connections.`;
}
