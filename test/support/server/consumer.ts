import { type Identifier, WireDecodeError, type WireReader } from '../wire/bytes';
import { hash32 } from '../wire/checksum';
import type { ConsumerGroupState, PartitionState, TopicState } from '../model/state';
import { settleHandoffs } from '../model/groups';
import type { ServerContext } from './context';

export type Consumer = { kind: 'consumer'; id: Identifier } | { kind: 'group'; id: Identifier };

/** `[kind u8][Identifier]` (docs/architecture.md#shared-encodings). */
export function readConsumer(reader: WireReader): Consumer {
  const kind = reader.u8();
  const id = reader.identifier();
  if (kind === 1) return { kind: 'consumer', id };
  if (kind === 2) return { kind: 'group', id };
  throw new WireDecodeError(`consumer kind ${kind}`);
}

/** OptPart `[flag u8][u32]`: only flag 1 means set; the value is ignored otherwise. */
export function readOptionalPartition(reader: WireReader): number | undefined {
  const flag = reader.u8();
  const value = reader.u32();
  return flag === 1 ? value : undefined;
}

/** Plain consumers are keyed by a u32: numeric ids directly, names hashed. */
export function plainConsumerKey(id: Identifier): number {
  return id.kind === 'numeric' ? id.id : hash32(Buffer.from(id.name, 'utf8'));
}

export function findPartition(topic: TopicState, partitionId: number): PartitionState | undefined {
  return topic.partitions.find((p) => p.id === partitionId);
}

/** A group as of now: handoffs whose rebalancing timeout passed have moved before anyone looks. */
export function settledGroup(group: ConsumerGroupState | undefined): ConsumerGroupState | undefined {
  if (group) settleHandoffs(group, Date.now());
  return group;
}

/** The groups context for the assignment rules. */
export function groupClock(ctx: ServerContext) {
  return { nowMs: Date.now(), rebalancingTimeoutMs: ctx.options.rebalancingTimeoutMs };
}

/** Where a consumer's stored offset lives in a partition. */
export function offsetSlot(
  partition: PartitionState,
  consumer: Consumer,
  group: ConsumerGroupState | undefined,
) {
  const owner = consumer.kind === 'group' ? group : undefined;
  const map = owner ? partition.groupOffsets : partition.consumerOffsets;
  const key = owner ? owner.id : plainConsumerKey(consumer.id);
  return {
    /** Which map and key hold the value (a cluster's follower view undoes changes by them). */
    map,
    key,
    get: () => map.get(key),
    set: (offset: bigint) => map.set(key, offset),
    remove: () => map.delete(key),
  };
}
