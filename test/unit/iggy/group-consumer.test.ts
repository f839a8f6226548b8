import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  IggyError,
  IggyErrorCode,
  IggyGroupConsumer,
  RESYNC_PARTITION_ID,
  type ConnectionState,
  type ConsumerGroupAssignment,
  type ConsumerGroupDetails,
  type GroupAssignmentEvent,
  type GroupBatch,
  type GroupConsumerClient,
  type GroupConsumerOptions,
  type PolledMessage,
  type PolledMessages,
  type PollMessagesInput,
} from '@/lib/iggy';
import { serverError, disconnectedError } from '@/lib/iggy/errors';

/**
 * A scripted stand-in for IggyClient with just enough of a server behind it: one topic, one group, members keyed
 * by client id (a reconnect is a new client id), partitions dealt round-robin in join order on every join and
 * leave, stored offsets per partition, and the real server's answers for non-members (empty sync, poll answered
 * with partition 0xFFFFFFFF, store refused with status 20). Every call is logged in wire order.
 */
class FakeGroupServer implements GroupConsumerClient {
  state: ConnectionState = 'idle';
  readonly log: string[] = [];
  readonly messages: bigint[][];
  readonly stored = new Map<number, bigint>();
  members = new Map<number, number[]>();
  generation = 0n;
  groupExists = true;
  clientId = 1;
  /** The next call of that name runs this instead of its normal behaviour. */
  readonly overrides = new Map<string, () => Promise<unknown>>();
  /** Every call of that name runs this instead. */
  readonly always = new Map<string, () => Promise<unknown>>();
  readonly #listeners = new Set<(state: ConnectionState) => void>();

  constructor(partitions: number, perPartition = 0) {
    this.messages = Array.from({ length: partitions }, () =>
      Array.from({ length: perPartition }, (_, i) => BigInt(i)),
    );
  }

  #override(name: string): (() => Promise<unknown>) | undefined {
    const fn = this.overrides.get(name);
    this.overrides.delete(name);
    return fn ?? this.always.get(name);
  }

  rebalance(): void {
    const ids = [...this.members.keys()].sort((a, b) => a - b);
    for (const id of ids) this.members.set(id, []);
    this.messages.forEach((_, p) => {
      if (ids.length > 0) this.members.get(ids[p % ids.length]!)!.push(p);
    });
    this.generation += 1n;
  }

  setState(state: ConnectionState): void {
    this.state = state;
    for (const l of [...this.#listeners]) l(state);
  }

  /** The socket drops and comes back: the server forgot the old client id's membership. */
  reconnect(): void {
    if (this.members.delete(this.clientId)) this.rebalance();
    this.setState('reconnecting');
    this.clientId += 1;
    this.setState('connected');
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async connect(): Promise<void> {
    this.log.push('connect');
    this.setState('connected');
  }

  async createConsumerGroup(): Promise<ConsumerGroupDetails> {
    this.log.push('create');
    const o = this.#override('create');
    if (o) return (await o()) as ConsumerGroupDetails;
    if (this.groupExists) throw serverError(IggyErrorCode.ConsumerGroupNameAlreadyExists);
    this.groupExists = true;
    return { id: 0, name: 'g', partitionsCount: this.messages.length, membersCount: 0, members: [] };
  }

  async joinConsumerGroup(): Promise<void> {
    this.log.push('join');
    const o = this.#override('join');
    if (o) return void (await o());
    if (!this.groupExists) throw serverError(IggyErrorCode.ConsumerGroupIdNotFound);
    if (!this.members.has(this.clientId)) {
      this.members.set(this.clientId, []);
      this.rebalance();
    }
  }

  async syncConsumerGroup(): Promise<ConsumerGroupAssignment | null> {
    this.log.push('sync');
    const o = this.#override('sync');
    if (o) return (await o()) as ConsumerGroupAssignment | null;
    const mine = this.members.get(this.clientId);
    return mine ? { generation: this.generation, partitions: [...mine] } : null;
  }

  async getConsumerGroup(): Promise<ConsumerGroupDetails | null> {
    this.log.push('get-group');
    const members = [...this.members].map(([id, partitions]) => ({ id: id + 100, partitions }));
    return { id: 0, name: 'g', partitionsCount: this.messages.length, membersCount: members.length, members };
  }

  async pollMessages(req: PollMessagesInput): Promise<PolledMessages> {
    const p = req.partitionId;
    const strategy = req.strategy.kind === 'offset' ? `offset ${req.strategy.value}` : req.strategy.kind;
    this.log.push(`poll ${p} ${strategy}${req.autoCommit ? ' auto' : ''}`);
    const o = this.#override('poll');
    if (o) return (await o()) as PolledMessages;
    if (p === undefined) return { partitionId: 0, currentOffset: 0n, messages: [] };
    if (!this.members.get(this.clientId)?.includes(p)) {
      return { partitionId: RESYNC_PARTITION_ID, currentOffset: 0n, messages: [] };
    }
    const all = this.messages[p]!;
    const from =
      req.strategy.kind === 'offset'
        ? req.strategy.value
        : req.strategy.kind === 'next'
          ? (this.stored.get(p) ?? -1n) + 1n
          : 0n;
    const offsets = all.filter((offset) => offset >= from).slice(0, req.count);
    if (req.autoCommit && offsets.length > 0) this.stored.set(p, offsets[offsets.length - 1]!);
    return {
      partitionId: p,
      currentOffset: BigInt(all.length - 1),
      messages: offsets.map((offset) => message(p, offset)),
    };
  }

  async storeConsumerOffset(req: { partitionId?: number; offset: bigint }): Promise<void> {
    this.log.push(`store ${req.partitionId} ${req.offset}`);
    const o = this.#override('store');
    if (o) return void (await o());
    if (req.partitionId === undefined || !this.members.get(this.clientId)?.includes(req.partitionId)) {
      throw serverError(IggyErrorCode.ResourceNotFound);
    }
    this.stored.set(req.partitionId, req.offset);
  }

  async leaveConsumerGroup(): Promise<void> {
    this.log.push('leave');
    const o = this.#override('leave');
    if (o) return void (await o());
    if (!this.members.delete(this.clientId)) throw serverError(IggyErrorCode.ConsumerGroupMemberNotFound);
    this.rebalance();
  }

  /** Another client joins (its id is far from ours) and the group deals the partitions out again. */
  otherJoins(id = 1000): void {
    this.members.set(id, []);
    this.rebalance();
  }

  otherLeaves(id = 1000): void {
    this.members.delete(id);
    this.rebalance();
  }
}

function message(partitionId: number, offset: bigint): PolledMessage {
  return {
    offset,
    id: BigInt(partitionId) * 1_000_000n + offset + 1n,
    checksum: 0n,
    partitionId,
    timestampMicros: 0n,
    originTimestampMicros: 0n,
    payload: Buffer.from(`${partitionId}:${offset}`),
    userHeaders: Buffer.alloc(0),
  };
}

const opened: IggyGroupConsumer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

function consumerOn(server: FakeGroupServer, options: Partial<GroupConsumerOptions> = {}): IggyGroupConsumer {
  const consumer = new IggyGroupConsumer(server, {
    streamId: 's',
    topicId: 't',
    group: 'g',
    resolveMemberId: false,
    syncIntervalMs: 3_600_000,
    pollIntervalMs: 1,
    batchSize: 10,
    ...options,
  });
  opened.push(consumer);
  return consumer;
}

function offsetsOf(batch: GroupBatch): string[] {
  return batch.messages.map((m) => `${m.partitionId}:${m.offset}`);
}

async function rejection(promise: Promise<unknown>): Promise<IggyError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(IggyError);
    return e as IggyError;
  }
  throw new Error('expected a rejection');
}

async function eventually(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`never happened: ${what}`);
}

describe('IggyGroupConsumer: the frame sequence of the official SDK', () => {
  it('joins, syncs, then polls its own partitions by explicit id, round-robin, auto-committing', async () => {
    const server = new FakeGroupServer(2, 3);
    const consumer = consumerOn(server, { batchSize: 2 });
    await consumer.start();
    expect(consumer.assignment).toEqual({ generation: 1n, partitions: [0, 1], memberId: undefined });
    const batches = [await consumer.poll(), await consumer.poll(), await consumer.poll()];
    expect(batches.map(offsetsOf)).toEqual([['0:0', '0:1'], ['1:0', '1:1'], ['0:2']]);
    expect(server.log).toEqual([
      'connect',
      'join',
      'sync',
      'poll 0 next auto',
      'poll 1 next auto',
      'poll 0 next auto',
    ]);
    expect(consumer.state).toMatchObject({
      status: 'running',
      member: true,
      received: 5,
      redelivered: 0,
      polls: 3,
    });
    expect(consumer.state.progress).toEqual([
      { partitionId: 0, lastOffset: 2n, committedOffset: 2n, received: 3, redelivered: 0 },
      { partitionId: 1, lastOffset: 1n, committedOffset: 1n, received: 2, redelivered: 0 },
    ]);
  });

  it('creates the group first when asked, and "already exists" is success', async () => {
    const server = new FakeGroupServer(1);
    await consumerOn(server, { createGroup: true }).start();
    expect(server.log).toEqual(['connect', 'create', 'join', 'sync']);

    const fresh = new FakeGroupServer(1);
    fresh.groupExists = false;
    await consumerOn(fresh, { createGroup: true }).start();
    expect(fresh.log).toEqual(['connect', 'create', 'join', 'sync']);
  });

  it('a missing group fails start() with its server code and leaves the consumer idle', async () => {
    const server = new FakeGroupServer(1);
    server.groupExists = false;
    const consumer = consumerOn(server);
    const error = await rejection(consumer.start());
    expect(error.code).toBe(IggyErrorCode.ConsumerGroupIdNotFound);
    expect(consumer.status).toBe('idle');
    expect(consumer.lastError).toBe(error);
    expect(await rejection(consumer.poll())).toMatchObject({ kind: 'invalid-argument' });
  });

  it('an empty assignment polls nothing and returns an empty batch', async () => {
    const server = new FakeGroupServer(1);
    server.otherJoins(); // a member that joined before us keeps the only partition
    const consumer = consumerOn(server);
    server.members.set(server.clientId, []);
    server.overrides.set('join', async () => undefined); // join without a rebalance
    await consumer.start();
    const batch = await consumer.poll();
    expect(batch).toMatchObject({ partitionId: undefined, messages: [], resynced: false });
    expect(server.log.filter((l) => l.startsWith('poll'))).toEqual([]);
  });
});

describe('IggyGroupConsumer: re-sync', () => {
  it('a poll answered with partition 0xFFFFFFFF re-syncs, and the next poll uses the new assignment', async () => {
    const server = new FakeGroupServer(2, 1);
    const consumer = consumerOn(server);
    const events: GroupAssignmentEvent[] = [];
    consumer.onAssignment((e) => events.push(e));
    await consumer.start();
    server.otherJoins(); // we now hold partition 0 only, but have not synced yet
    expect((await consumer.poll()).partitionId).toBe(0);
    const refused = await consumer.poll(); // partition 1 is no longer ours
    expect(refused).toMatchObject({ partitionId: 1, resynced: true, messages: [] });
    expect(consumer.assignment.partitions).toEqual([0]);
    expect(consumer.state).toMatchObject({ resyncs: 1, rebalances: 1, generation: 2n });
    expect(events.map((e) => [e.reason, e.generation, e.partitions])).toEqual([
      ['joined', 1n, [0, 1]],
      ['rebalanced', 2n, [0]],
    ]);
    await consumer.poll();
    // After a generation change: one more sync right away, then polls of what we own.
    expect(server.log.slice(3)).toEqual([
      'poll 0 next auto',
      'poll 1 next auto',
      'sync',
      'sync',
      'poll 0 next auto',
    ]);
  });

  it('an empty sync reply (not a member) makes it join again, then sync', async () => {
    const server = new FakeGroupServer(2);
    const consumer = consumerOn(server);
    await consumer.start();
    server.members.delete(server.clientId); // evicted without our noticing
    server.rebalance();
    server.log.length = 0;
    server.overrides.set('poll', async () => ({
      partitionId: RESYNC_PARTITION_ID,
      currentOffset: 0n,
      messages: [],
    }));
    await consumer.poll();
    expect(server.log).toEqual(['poll 0 next auto', 'sync', 'join', 'sync']);
    expect(consumer.state).toMatchObject({ member: true, joins: 2, partitions: [0, 1] });
  });

  it('an empty sync right after a join is a member without partitions: it polls nothing and does not rejoin', async () => {
    vi.useFakeTimers();
    const server = new FakeGroupServer(1, 1);
    server.always.set('join', async () => undefined); // "joined", yet not listed: the sync answers empty
    const consumer = consumerOn(server, { syncIntervalMs: 1_000 });
    const events: GroupAssignmentEvent[] = [];
    consumer.onAssignment((e) => events.push(e));
    await consumer.start();
    expect(consumer.state).toMatchObject({ status: 'running', member: true, partitions: [] });
    expect((await consumer.poll()).messages).toEqual([]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(server.log).toEqual(['connect', 'join', 'sync', 'sync', 'sync', 'sync']);
    expect(consumer.lastError).toBeUndefined();
    server.members.set(server.clientId, [0]); // a partition frees up for us
    await vi.advanceTimersByTimeAsync(1_000);
    expect(consumer.assignment.partitions).toEqual([0]);
    expect(events.map((e) => [e.reason, e.partitions])).toEqual([
      ['joined', []],
      ['rebalanced', [0]],
    ]);
  });

  it('re-syncs on the timer, and tells listeners only about changes', async () => {
    vi.useFakeTimers();
    const server = new FakeGroupServer(4);
    const consumer = consumerOn(server, { syncIntervalMs: 1_000 });
    const events: GroupAssignmentEvent[] = [];
    consumer.onAssignment((e) => events.push(e));
    await consumer.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.log.filter((l) => l === 'sync')).toHaveLength(2);
    expect(events).toHaveLength(1);
    server.otherJoins();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(consumer.assignment).toMatchObject({ generation: 2n, partitions: [0, 2] });
    expect(events.map((e) => e.reason)).toEqual(['joined', 'rebalanced']);
    await consumer.close();
    const syncs = server.log.filter((l) => l === 'sync').length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.log.filter((l) => l === 'sync')).toHaveLength(syncs);
  });

  it('a reconnect (new client id) drops the assignment, then joins again and syncs', async () => {
    const server = new FakeGroupServer(2, 2);
    const consumer = consumerOn(server);
    const events: GroupAssignmentEvent[] = [];
    consumer.onAssignment((e) => events.push(e));
    await consumer.start();
    server.otherJoins(); // the other member stays; we hold [0]
    await consumer.poll(); // learns it via the follow-up of a refused poll or the first poll of 0
    server.log.length = 0;
    server.reconnect();
    await eventually(() => consumer.state.joins === 2 && consumer.state.member, 'rejoin');
    expect(server.log.slice(0, 2)).toEqual(['join', 'sync']);
    expect(events.map((e) => e.reason)).toContain('lost');
    expect(events.at(-1)).toMatchObject({
      reason: 'joined',
      partitions: server.members.get(server.clientId),
    });
    const lost = events.find((e) => e.reason === 'lost')!;
    expect(lost.partitions).toEqual([]);
  });
});

describe('IggyGroupConsumer: manual commit (at-least-once)', () => {
  it('reads on from its own position, stores only when told, and a refused store means "moved"', async () => {
    const server = new FakeGroupServer(1, 5);
    const consumer = consumerOn(server, { autoCommit: false, batchSize: 2 });
    await consumer.start();
    expect(offsetsOf(await consumer.poll())).toEqual(['0:0', '0:1']);
    expect(offsetsOf(await consumer.poll())).toEqual(['0:2', '0:3']);
    expect(await consumer.commit(0, 3n)).toBe(true);
    expect(server.stored.get(0)).toBe(3n);
    expect(server.log.slice(3)).toEqual(['poll 0 next', 'poll 0 offset 2', 'store 0 3']);

    server.otherJoins(0); // a member with a lower id takes partition 0
    expect(await consumer.commit(0, 4n)).toBe(false);
    expect(consumer.state).toMatchObject({ commits: 1, rejectedCommits: 1 });
  });

  it('after a rebalance it resumes from the stored offset and counts what it sees again', async () => {
    const server = new FakeGroupServer(2, 3);
    const consumer = consumerOn(server, { autoCommit: false });
    await consumer.start();
    expect(offsetsOf(await consumer.poll())).toEqual(['0:0', '0:1', '0:2']); // never committed
    server.otherJoins(0); // takes partition 0
    expect(offsetsOf(await consumer.poll())).toEqual(['1:0', '1:1', '1:2']); // never committed
    expect(await consumer.poll()).toMatchObject({ partitionId: 0, resynced: true });
    server.otherLeaves(0); // both partitions come back to us
    const first = await consumer.poll();
    expect(offsetsOf(first)).toEqual(['1:0', '1:1', '1:2']);
    expect(first.redelivered).toBe(3);
    const second = await consumer.poll();
    expect(offsetsOf(second)).toEqual(['0:0', '0:1', '0:2']);
    expect(second.redelivered).toBe(3);
    expect(consumer.state.redelivered).toBe(6);
    expect(consumer.state.progress[0]).toMatchObject({ partitionId: 0, received: 6, redelivered: 3 });
    expect(server.log.filter((l) => l.startsWith('poll'))).toEqual([
      'poll 0 next',
      'poll 1 next',
      'poll 0 offset 3', // still its own position: it has not learnt of the rebalance yet
      'poll 1 next',
      'poll 0 next',
    ]);
  });

  it('consume() commits each batch after its handler; a failing handler stops it and rewinds', async () => {
    const server = new FakeGroupServer(2, 2);
    const consumer = consumerOn(server, { autoCommit: false });
    await consumer.start();
    const seen: string[] = [];
    const loop = consumer.consume(async (batch) => {
      seen.push(...offsetsOf(batch));
      if (seen.length === 4) throw new Error('handler broke');
    });
    await expect(loop).rejects.toThrow('handler broke');
    expect(seen).toEqual(['0:0', '0:1', '1:0', '1:1']);
    expect(server.stored.get(0)).toBe(1n);
    expect(server.stored.has(1)).toBe(false); // its batch was never committed
    // A new loop is delivered the failed batch again.
    const again: string[] = [];
    const second = consumer.consume((batch) => {
      again.push(...offsetsOf(batch));
    });
    await eventually(() => again.length === 2, 'redelivery');
    expect(again).toEqual(['1:0', '1:1']);
    await consumer.close();
    await second;
    expect(server.stored.get(1)).toBe(1n);
  });

  it('close() lets the batch in hand finish and commit before leaving', async () => {
    const server = new FakeGroupServer(1, 1);
    const consumer = consumerOn(server, { autoCommit: false });
    await consumer.start();
    let release!: () => void;
    const handling = new Promise<void>((r) => (release = r));
    let entered = false;
    const loop = consumer.consume(async () => {
      entered = true;
      await handling;
    });
    await eventually(() => entered, 'handler entered');
    const closing = consumer.close();
    release();
    await closing;
    await loop;
    expect(server.log.slice(-2)).toEqual(['store 0 0', 'leave']);
    expect(consumer.status).toBe('closed');
  });
});

describe('IggyGroupConsumer: failures and bounds', () => {
  it('a poll that never answers rejects with a timeout and the next poll re-syncs first', async () => {
    vi.useFakeTimers();
    const server = new FakeGroupServer(1, 1);
    const consumer = consumerOn(server, { requestTimeoutMs: 500 });
    await consumer.start();
    server.overrides.set('poll', () => new Promise(() => {}));
    const pending = rejection(consumer.poll());
    await vi.advanceTimersByTimeAsync(500);
    expect((await pending).kind).toBe('timeout');
    expect(consumer.lastError?.kind).toBe('timeout');
    server.log.length = 0;
    await consumer.poll();
    expect(server.log).toEqual(['sync', 'poll 0 next auto']);
  });

  it('close() is bounded even when leave never answers, and is idempotent', async () => {
    vi.useFakeTimers();
    const server = new FakeGroupServer(1);
    const consumer = consumerOn(server, { closeTimeoutMs: 300 });
    const events: GroupAssignmentEvent[] = [];
    consumer.onAssignment((e) => events.push(e));
    await consumer.start();
    server.overrides.set('leave', () => new Promise(() => {}));
    const closing = consumer.close();
    expect(consumer.close()).toBe(closing);
    await vi.advanceTimersByTimeAsync(300);
    await closing;
    expect(consumer.status).toBe('closed');
    expect(events.at(-1)).toMatchObject({ reason: 'left', partitions: [] });
    expect((await rejection(consumer.poll())).kind).toBe('closed');
    expect((await rejection(consumer.start())).kind).toBe('closed');
  });

  it('consume() rides out a transient failure and keeps the error for the UI', async () => {
    const server = new FakeGroupServer(1, 2);
    const consumer = consumerOn(server);
    await consumer.start();
    server.overrides.set('poll', async () => {
      throw disconnectedError('socket closed');
    });
    const seen: string[] = [];
    const loop = consumer.consume((batch) => {
      seen.push(...offsetsOf(batch));
    });
    await eventually(() => seen.length === 2, 'messages after the failure');
    expect(consumer.lastError?.kind).toBe('disconnected');
    await consumer.close();
    await loop;
    expect(server.log.filter((l) => l === 'leave')).toHaveLength(1);
  });

  it('consume() stops on an error no retry can fix', async () => {
    const server = new FakeGroupServer(1, 1);
    const consumer = consumerOn(server);
    await consumer.start();
    server.overrides.set('poll', async () => {
      throw new IggyError({ code: IggyErrorCode.Closed, kind: 'closed' });
    });
    expect((await rejection(consumer.consume(() => {}))).kind).toBe('closed');
  });

  it('rejects bad options and arguments with typed errors', async () => {
    const server = new FakeGroupServer(1);
    const make = (o: Partial<GroupConsumerOptions>) => () => consumerOn(server, o);
    expect(make({ createGroup: true, group: 3 })).toThrow(/by name/);
    expect(make({ batchSize: 0 })).toThrow(IggyError);
    expect(make({ batchSize: 1.5 })).toThrow(IggyError);
    expect(make({ group: '' })).toThrow(IggyError);
    expect(make({ syncIntervalMs: -1 })).toThrow(IggyError);
    const consumer = consumerOn(server);
    await consumer.start();
    expect((await rejection(consumer.commit(-1, 0n))).kind).toBe('invalid-argument');
    expect((await rejection(consumer.commit(0, -1n))).kind).toBe('invalid-argument');
    const first = consumer.consume(() => {});
    expect((await rejection(consumer.consume(() => {}))).kind).toBe('invalid-argument');
    await consumer.close();
    await first;
  });
});

describe('IggyGroupConsumer: member id', () => {
  it('names the one member listed with exactly our partitions', async () => {
    const server = new FakeGroupServer(4);
    server.otherJoins(0);
    const consumer = consumerOn(server, { resolveMemberId: true });
    await consumer.start();
    expect(consumer.assignment).toEqual({
      generation: 2n,
      partitions: [1, 3],
      memberId: server.clientId + 100,
    });
    expect(server.log).toEqual(['connect', 'join', 'sync', 'get-group']);
  });
});
