/**
 * The consumer-group lab's delivery check: which member received each message, and whether a copy arrived
 * while membership stayed the same (a bug) or after a membership change (a redelivery: at-least-once).
 *
 * Membership changes are numbered epochs. The lab opens a new epoch only once the change has happened on the
 * server (after the join, after the leave, right after the dropped socket), so a message received in epoch E
 * and again in a later epoch crossed a change; the copy is put down to the latest change before it. Memory is
 * bounded: the last `capacity` message numbers are remembered, in arrival order.
 */

import type { DeliveryReport, MembershipEvent, MembershipEventKind } from './contract';
import { CONSUMER_GROUPS_LIMITS, type MemberLabel } from './limits';

interface FirstReceipt {
  member: MemberLabel;
  epoch: number;
}

export interface ReceivedMessage {
  /** The producer's number; undefined when the payload is not the lab's (then partition and offset identify it). */
  n: number | undefined;
  partitionId: number;
  offset: bigint;
}

export type Receipt = 'first' | 'redelivered' | 'duplicate';

export class DeliveryTracker {
  readonly #capacity: number;
  readonly #eventsKept: number;
  #seen = new Map<string, FirstReceipt>();
  #events: MembershipEvent[] = [];
  #epoch = 0;
  #received = 0;
  #distinct = 0;
  #redelivered = 0;
  #duplicates = 0;

  constructor(
    options: { capacity?: number; eventsKept?: number } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.#capacity = options.capacity ?? CONSUMER_GROUPS_LIMITS.trackedMessages;
    this.#eventsKept = options.eventsKept ?? CONSUMER_GROUPS_LIMITS.eventsKept;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** Opens a new epoch: membership has just changed on the server. */
  membershipChanged(kind: MembershipEventKind, member: MemberLabel | null): MembershipEvent {
    this.#epoch += 1;
    const event: MembershipEvent = {
      seq: this.#epoch,
      kind,
      member,
      atMs: this.now(),
      redelivered: 0,
      samples: [],
    };
    this.#events.unshift(event);
    if (this.#events.length > this.#eventsKept) this.#events.pop();
    return event;
  }

  record(member: MemberLabel, message: ReceivedMessage): Receipt {
    this.#received += 1;
    const key = message.n !== undefined ? `n${message.n}` : `p${message.partitionId}@${message.offset}`;
    const first = this.#seen.get(key);
    if (!first) {
      this.#distinct += 1;
      this.#seen.set(key, { member, epoch: this.#epoch });
      if (this.#seen.size > this.#capacity) this.#seen.delete(this.#seen.keys().next().value!);
      return 'first';
    }
    if (first.epoch < this.#epoch) {
      this.#redelivered += 1;
      const event = this.#events.find((e) => e.seq === this.#epoch);
      if (event) {
        event.redelivered += 1;
        if (message.n !== undefined && event.samples.length < CONSUMER_GROUPS_LIMITS.redeliverySamples)
          event.samples.push(message.n);
      }
      // Another copy after a later change counts against that change, not this one.
      first.epoch = this.#epoch;
      return 'redelivered';
    }
    this.#duplicates += 1;
    return 'duplicate';
  }

  report(): DeliveryReport {
    return {
      received: this.#received,
      distinct: this.#distinct,
      redeliveredAfterRebalance: this.#redelivered,
      duplicatesWithoutRebalance: this.#duplicates,
      tracked: this.#seen.size,
      capacity: this.#capacity,
    };
  }

  events(): MembershipEvent[] {
    return this.#events.map((event) => ({ ...event, samples: [...event.samples] }));
  }

  /** A new topic: nothing received, no history. */
  clear(): void {
    this.#seen = new Map();
    this.#events = [];
    this.#epoch = 0;
    this.#received = 0;
    this.#distinct = 0;
    this.#redelivered = 0;
    this.#duplicates = 0;
  }
}
