/**
 * Every offset the lab's sends were acknowledged with, bounded: the newest CLUSTER_LIMITS.ledgerMax are kept,
 * older ones are dropped and counted. An acknowledged send was held by a quorum, so after a failover each of
 * them must still be there; the check compares what the primary returns with this list.
 */

import type { LedgerView } from './contract';
import { CLUSTER_LIMITS } from './limits';

export class Ledger {
  readonly #capacity: number;
  #offsets: bigint[] = [];
  #dropped = 0;
  #outcomeUnknown = 0;

  constructor(capacity: number = CLUSTER_LIMITS.ledgerMax) {
    this.#capacity = capacity;
  }

  get offsets(): readonly bigint[] {
    return this.#offsets;
  }

  record(offset: bigint): void {
    this.#offsets.push(offset);
    if (this.#offsets.length > this.#capacity) {
      const excess = this.#offsets.length - this.#capacity;
      this.#offsets = this.#offsets.slice(excess);
      this.#dropped += excess;
    }
  }

  noteOutcomeUnknown(): void {
    this.#outcomeUnknown += 1;
  }

  /** Forgets everything; answers how many offsets it held. */
  clear(): number {
    const held = this.#offsets.length;
    this.#offsets = [];
    this.#dropped = 0;
    this.#outcomeUnknown = 0;
    return held;
  }

  /** The acknowledged offsets that `present` lacks, in order. */
  missingFrom(present: ReadonlySet<bigint>): bigint[] {
    return this.#offsets.filter((offset) => !present.has(offset));
  }

  view(): LedgerView {
    return {
      count: this.#offsets.length,
      dropped: this.#dropped,
      firstOffset: this.#offsets[0]?.toString() ?? null,
      lastOffset: this.#offsets.at(-1)?.toString() ?? null,
      outcomeUnknown: this.#outcomeUnknown,
    };
  }
}
