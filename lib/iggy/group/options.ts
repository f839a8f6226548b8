/** Options of IggyGroupConsumer, their defaults and their validation (bad input is a typed error up front). */

import { invalidArgument } from '../errors';
import type { Identifier } from '../wire/primitives';

export interface GroupConsumerOptions {
  streamId: Identifier;
  topicId: Identifier;
  /** The group's name, or its numeric id. */
  group: Identifier;
  /** Create the group (needs a name) before the first join; "already exists" counts as success. Default false. */
  createGroup?: boolean;
  /**
   * true (default): every poll asks the server to store the offset it returns (one round trip, but a reply lost
   * in transit loses that batch). false: nothing is stored until `commit()` (or, in `consume()`, until the
   * handler has finished), so a crash or a rebalance redelivers instead of losing: at-least-once.
   */
  autoCommit?: boolean;
  /** Messages asked for per poll. Default 100. */
  batchSize?: number;
  /** Pause of the `consume()` loop after a full round of empty polls. Default 200 ms. */
  pollIntervalMs?: number;
  /** Re-sync the assignment this often even when nothing hints at a rebalance. Default 1000 ms. */
  syncIntervalMs?: number;
  /** Upper bound on every single step (create, join, sync, poll, store). Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Upper bound on each phase of `close()` (finish the batch in hand, leave). Default 2000 ms. */
  closeTimeoutMs?: number;
  /**
   * After each assignment change, read the group once and report the member whose partitions equal ours as
   * `memberId` (the sync reply itself names no member). Default true.
   */
  resolveMemberId?: boolean;
}

export type ResolvedGroupConsumerOptions = Required<GroupConsumerOptions>;

function identifier(value: unknown, what: string): Identifier {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff)
    return value;
  if (typeof value === 'string' && value !== '') return value;
  throw invalidArgument(`${what} must be a non-negative integer id or a non-empty name`);
}

function positive(value: unknown, fallback: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw invalidArgument(`${what} must be a positive number up to ${max}`);
  }
  return value;
}

function flag(value: unknown, fallback: boolean, what: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidArgument(`${what} must be true or false`);
  return value;
}

export function resolveGroupConsumerOptions(options: GroupConsumerOptions): ResolvedGroupConsumerOptions {
  if (!options || typeof options !== 'object') throw invalidArgument('IggyGroupConsumer needs options');
  const group = identifier(options.group, 'group');
  const createGroup = flag(options.createGroup, false, 'createGroup');
  if (createGroup && typeof group !== 'string') {
    throw invalidArgument('createGroup needs the group given by name (a group is created by name)');
  }
  const batchSize = positive(options.batchSize, 100, 'batchSize', 0xffff_ffff);
  if (!Number.isInteger(batchSize)) throw invalidArgument('batchSize must be an integer');
  return {
    streamId: identifier(options.streamId, 'streamId'),
    topicId: identifier(options.topicId, 'topicId'),
    group,
    createGroup,
    autoCommit: flag(options.autoCommit, true, 'autoCommit'),
    batchSize,
    pollIntervalMs: positive(options.pollIntervalMs, 200, 'pollIntervalMs'),
    syncIntervalMs: positive(options.syncIntervalMs, 1_000, 'syncIntervalMs'),
    requestTimeoutMs: positive(options.requestTimeoutMs, 10_000, 'requestTimeoutMs'),
    closeTimeoutMs: positive(options.closeTimeoutMs, 2_000, 'closeTimeoutMs'),
    resolveMemberId: flag(options.resolveMemberId, true, 'resolveMemberId'),
  };
}
