import { describe, expect, it } from 'vitest';
import { FollowerLag } from '../../support/model/follower-lag';
import { IggyState, type StreamState, type TopicState, newPartition } from '../../support/model/state';
import { newGroup } from '../../support/model/groups';
import { DEFAULT_TOPIC_SETTINGS } from '../../support/wire/topic-options';
import { ManualClock } from './manual-clock';

/** docs/iggy-concepts.md#replication-and-clusters: a follower applies each plane's newest commit one step late. */

function setup(intervalMs = 500) {
  const clock = new ManualClock();
  const lag = new FollowerLag(intervalMs, () => clock.now());
  const state = new IggyState();
  const stream: StreamState = { id: 0, name: 's', createdAtMicros: 0n, topics: new Map() };
  const topic: TopicState = {
    id: 0,
    name: 't',
    createdAtMicros: 0n,
    createdAtMs: 0,
    settings: DEFAULT_TOPIC_SETTINGS,
    explicitOptions: [],
    derivedOptions: [],
    partitions: [newPartition(0, 0n), newPartition(1, 0n)],
    balancedCursor: 0,
    groups: new Map(),
    nextGroupId: 0,
  };
  stream.topics.set(0, topic);
  state.streams.set(0, stream);
  const partition = topic.partitions[0]!;
  /** What a send does to the partition, with the hook the primary calls first. */
  const send = (count = 1) => {
    lag.beforeAppend({ stream, topic, partition });
    partition.nextOffset += BigInt(count);
    partition.messagesCount += BigInt(count);
    partition.sizeBytes += BigInt(100 * count);
  };
  const followerPartition = (index = 0) =>
    lag.followerView(state).findStream({ kind: 'numeric', id: 0 })!.topics.get(0)!.partitions[index]!;
  return { clock, lag, state, stream, topic, partition, send, followerPartition };
}

describe('follower lag', () => {
  it('a follower misses only the newest send: 50 acknowledged, it reads 49', () => {
    const { send, followerPartition, partition } = setup();
    for (let i = 0; i < 50; i += 1) send();
    expect(partition.nextOffset).toBe(50n);
    const seen = followerPartition();
    expect(seen.nextOffset).toBe(49n);
    expect(seen.messagesCount).toBe(49n);
    expect(seen.sizeBytes).toBe(4900n);
    // The primary's partition is untouched by building the view.
    expect(partition.nextOffset).toBe(50n);
  });

  it('the next commit of the same plane, or the commit broadcast interval, brings the follower up to date', () => {
    const { clock, send, followerPartition } = setup(500);
    send(3);
    expect(followerPartition().nextOffset).toBe(0n);
    send(2);
    expect(followerPartition().nextOffset).toBe(3n);
    clock.advance(499);
    expect(followerPartition().nextOffset).toBe(3n);
    clock.advance(1);
    expect(followerPartition().nextOffset).toBe(5n);
  });

  it('partitions are planes of their own: a send elsewhere does not apply this one', () => {
    const { lag, stream, topic, send, followerPartition } = setup();
    send();
    const other = topic.partitions[1]!;
    lag.beforeAppend({ stream, topic, partition: other });
    other.nextOffset += 1n;
    expect(followerPartition(0).nextOffset).toBe(0n);
    expect(followerPartition(1).nextOffset).toBe(0n);
  });

  it('a stored offset reaches followers one commit late, and an offset commit applies the send before it', () => {
    const { lag, stream, topic, partition, send, followerPartition } = setup();
    send(5);
    lag.beforeOffsetChange({ stream, topic, partition }, partition.consumerOffsets, 7);
    partition.consumerOffsets.set(7, 4n);
    const seen = followerPartition();
    expect(seen.nextOffset).toBe(5n);
    expect(seen.consumerOffsets.has(7)).toBe(false);
    expect(partition.consumerOffsets.get(7)).toBe(4n);
    lag.beforeOffsetChange({ stream, topic, partition }, partition.consumerOffsets, 7);
    partition.consumerOffsets.set(7, 5n);
    expect(followerPartition().consumerOffsets.get(7)).toBe(4n);
  });

  it('a stream, topic or group just created is unknown to a follower until the next metadata commit', () => {
    const { clock, lag, state, stream, topic } = setup();
    const fresh: StreamState = { id: 1, name: 'fresh', createdAtMicros: 0n, topics: new Map() };
    state.streams.set(1, fresh);
    lag.metadataCommitted({ kind: 'create-stream', stream: fresh });
    expect(lag.followerView(state).findStream({ kind: 'name', name: 'fresh' })).toBeUndefined();
    expect(
      lag
        .followerView(state)
        .sortedStreams()
        .map((s) => s.name),
    ).toEqual(['s']);
    expect(state.streams.has(1)).toBe(true);

    const group = newGroup(0, 'g');
    topic.groups.set(0, group);
    lag.metadataCommitted({ kind: 'create-group', stream, topic, group });
    const view = lag.followerView(state);
    expect(view.findStream({ kind: 'name', name: 'fresh' })).toBeDefined();
    expect(
      view.findGroup(view.findTopic(view.streams.get(0)!, { kind: 'numeric', id: 0 })!, {
        kind: 'name',
        name: 'g',
      }),
    ).toBeUndefined();

    lag.metadataCommitted({ kind: 'other' });
    const after = lag.followerView(state);
    expect(after.findGroup(after.streams.get(0)!.topics.get(0)!, { kind: 'name', name: 'g' })).toBe(group);
    clock.advance(1);
    expect(lag.followerView(state)).toBe(state);
  });

  it('nothing pending: the follower reads the shared state itself', () => {
    const { clock, lag, state, send } = setup();
    expect(lag.followerView(state)).toBe(state);
    send();
    expect(lag.pendingCount()).toBe(1);
    clock.advance(500);
    expect(lag.pendingCount()).toBe(0);
    expect(lag.followerView(state)).toBe(state);
  });

  it("a follower's own auto-commit is seen by that follower only, until the primary commits that offset", () => {
    const { clock, lag, state, stream, topic, partition, send } = setup();
    send(5);
    clock.advance(500);
    const offsetOn = (node: number) =>
      lag.followerView(state, node).streams.get(0)!.topics.get(0)!.partitions[0]!.consumerOffsets.get(3);
    // The follower stores through its own view's copy; the shared partition is never touched.
    const view = lag.followerView(state, 1);
    const seen = view.streams.get(0)!.topics.get(0)!;
    lag.storeOnFollower(
      1,
      { stream: view.streams.get(0)!, topic: seen, partition: seen.partitions[0]! },
      'consumer',
      3,
      4n,
    );
    expect(offsetOn(1)).toBe(4n);
    expect(offsetOn(2)).toBeUndefined();
    expect(partition.consumerOffsets.has(3)).toBe(false);
    lag.forgetNode(2);
    expect(offsetOn(1)).toBe(4n);
    lag.beforeOffsetChange({ stream, topic, partition }, partition.consumerOffsets, 3);
    partition.consumerOffsets.set(3, 1n);
    clock.advance(500);
    expect(offsetOn(1)).toBe(1n);
    lag.storeOnFollower(1, { stream, topic, partition }, 'consumer', 3, 2n);
    lag.forgetNode(1);
    expect(offsetOn(1)).toBe(1n);
  });

  it('a deleted stream with a pending send is not brought back', () => {
    const { lag, state, send } = setup();
    send();
    state.streams.delete(0);
    expect(lag.followerView(state).streams.size).toBe(0);
  });
});
