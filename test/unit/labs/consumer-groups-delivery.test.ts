import { describe, expect, it } from 'vitest';
import { DeliveryTracker } from '@/lib/labs/consumer-groups/delivery';
import { GroupActionRecorder, partitionOfRequest } from '@/lib/labs/consumer-groups/frames';
import { describeAssignment } from '@/lib/labs/consumer-groups/explanations';
import { consumerGroupCli } from '@/lib/labs/cli-equivalent';
import { Consumer, PollingStrategy, type FrameEvent } from '@/lib/iggy';
import { encodePollMessagesBody } from '@/lib/iggy/wire/messages';

const msg = (n: number, partitionId = 0) => ({ n, partitionId, offset: BigInt(n) });

describe('the delivery check', () => {
  it('counts a copy within one membership as a duplicate, and one across a change as a redelivery', () => {
    const tracker = new DeliveryTracker({}, () => 42);
    expect(tracker.record('A', msg(1))).toBe('first');
    expect(tracker.record('B', msg(1))).toBe('duplicate');
    const event = tracker.membershipChanged('disconnected', 'A');
    expect(event).toMatchObject({ seq: 1, kind: 'disconnected', member: 'A', atMs: 42 });
    expect(tracker.record('B', msg(2))).toBe('first');
    expect(tracker.record('B', msg(1))).toBe('redelivered');
    // A third copy in the same epoch as the redelivery is a duplicate again.
    expect(tracker.record('C', msg(1))).toBe('duplicate');
    expect(tracker.report()).toEqual({
      received: 5,
      distinct: 2,
      redeliveredAfterRebalance: 1,
      duplicatesWithoutRebalance: 2,
      tracked: 2,
      capacity: 4096,
    });
    expect(tracker.events()).toEqual([{ ...event, redelivered: 1, samples: [1] }]);
  });

  it('puts each redelivery down to the latest change before it', () => {
    const tracker = new DeliveryTracker();
    tracker.record('A', msg(7));
    tracker.membershipChanged('added', 'B');
    tracker.membershipChanged('removed', 'A');
    tracker.record('B', msg(7));
    const [latest, earlier] = tracker.events();
    expect(latest).toMatchObject({ kind: 'removed', redelivered: 1, samples: [7] });
    expect(earlier).toMatchObject({ kind: 'added', redelivered: 0 });
  });

  it('identifies messages without a number by partition and offset', () => {
    const tracker = new DeliveryTracker();
    const foreign = { n: undefined, partitionId: 3, offset: 9n };
    expect(tracker.record('A', foreign)).toBe('first');
    expect(tracker.record('A', { ...foreign, partitionId: 2 })).toBe('first');
    expect(tracker.record('B', foreign)).toBe('duplicate');
  });

  it('stays bounded: the oldest numbers are forgotten, and clear() starts over', () => {
    const tracker = new DeliveryTracker({ capacity: 3, eventsKept: 2 });
    for (let n = 1; n <= 5; n += 1) tracker.record('A', msg(n));
    expect(tracker.report().tracked).toBe(3);
    expect(tracker.record('A', msg(1))).toBe('first'); // forgotten, so not recognised
    expect(tracker.record('A', msg(5))).toBe('duplicate');
    for (let i = 0; i < 4; i += 1) tracker.membershipChanged('added', 'A');
    expect(tracker.events().map((e) => e.seq)).toEqual([4, 3]);
    tracker.clear();
    expect(tracker.report()).toMatchObject({ received: 0, distinct: 0, tracked: 0 });
    expect(tracker.events()).toEqual([]);
    expect(tracker.epoch).toBe(0);
  });
});

function pollFrame(partitionId: number | undefined, request: bigint): FrameEvent {
  const body = encodePollMessagesBody({
    consumer: Consumer.group('lab-group'),
    streamId: 'demo-labs',
    topicId: 7,
    ...(partitionId === undefined ? {} : { partitionId }),
    strategy: PollingStrategy.next(),
    count: 5,
    autoCommit: false,
  });
  const bytes = Buffer.concat([Buffer.alloc(256), body]);
  return {
    direction: 'sent',
    command: 5,
    operation: 2,
    commandCode: 100,
    request,
    size: bytes.length,
    bodyLength: body.length,
    bytes,
    atMs: 0,
  };
}

describe('the group action recorder', () => {
  it('reads the partition of a poll body, and nothing from an unset or truncated one', () => {
    expect(partitionOfRequest(pollFrame(11, 1n).bytes)).toBe(11);
    expect(partitionOfRequest(pollFrame(undefined, 1n).bytes)).toBeUndefined();
    expect(partitionOfRequest(pollFrame(2, 1n).bytes.subarray(0, 262))).toBeUndefined();
  });

  it('names polls by partition and lists only the first per connection and partition', () => {
    const listeners: Array<(f: FrameEvent) => void> = [];
    const tap = { onFrame: (l: (f: FrameEvent) => void) => (listeners.push(l), () => undefined) };
    const recorder = new GroupActionRecorder();
    recorder.attach('member-A', tap);
    recorder.attach('member-A', tap); // once only
    const reply = (request: bigint): FrameEvent => ({
      direction: 'received',
      command: 8,
      operation: 2,
      request,
      status: 0,
      size: 256,
      bodyLength: 0,
      bytes: Buffer.alloc(256),
      atMs: 0,
    });
    // A reply to a poll sent before the recording began is not shown.
    for (const listener of listeners) listener(reply(99n));
    for (const [partition, request] of [
      [2, 1n],
      [2, 2n],
      [3, 3n],
    ] as const) {
      for (const listener of listeners) listener(pollFrame(partition, request));
      for (const listener of listeners) listener(reply(request));
    }
    const { frames, framesDropped } = recorder.stop();
    expect(frames.map((f) => `${f.direction} ${f.command}`)).toEqual([
      'sent PollMessages (partition 2)',
      'received PollMessages (partition 2)',
      'sent PollMessages (partition 3)',
      'received PollMessages (partition 3)',
    ]);
    expect(framesDropped).toBe(3);
  });
});

describe('consumer-group words', () => {
  it('describes an assignment and the CLI line', () => {
    expect(
      describeAssignment([
        { member: 'A', partitions: [3, 0], generation: '4' },
        { member: 'B', partitions: [], generation: null },
      ]),
    ).toBe('A → 0, 3 · B → nothing');
    expect(consumerGroupCli({ stream: 'demo-labs', topic: 'consumer-groups', group: 'lab-group' })).toEqual({
      command: 'iggy consumer-group get demo-labs consumer-groups lab-group',
    });
    expect(consumerGroupCli({ stream: 'my stream', topic: 't' }).command).toBe(
      "iggy consumer-group list 'my stream' t",
    );
  });
});
