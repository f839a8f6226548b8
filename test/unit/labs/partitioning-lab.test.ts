import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitioningLab } from '@/lib/labs/partitioning/lab';
import { startLabs } from './lab-fixture';

let labs: Awaited<ReturnType<typeof startLabs>>;
let lab: PartitioningLab;

beforeAll(async () => {
  labs = await startLabs();
  lab = labs.runtime.lab('partitioning', (host) => new PartitioningLab(host));
});
afterAll(async () => {
  await labs?.close();
});

const send = (
  partitioning: Parameters<PartitioningLab['send']>[0]['partitioning'],
  count: number,
  oneBatch?: boolean,
) => lab.send({ action: 'send', partitioning, count, ...(oneBatch === undefined ? {} : { oneBatch }) });

describe('the partitioning lab against an Iggy server', () => {
  it('creates the topic with 3 partitions on a first send, and Balanced deals sends round-robin', async () => {
    expect((await lab.state()).topicInfo).toBeNull();
    const result = await send({ kind: 'balanced' }, 6);
    expect(result.outcome.created).toBe(true);
    const [a, b, c] = result.outcome.partitions;
    // Round-robin: three different partitions, then the same cycle again.
    expect(new Set([a, b, c]).size).toBe(3);
    expect(result.outcome.partitions).toEqual([a, b, c, a, b, c]);
    expect(result.explanation).toMatch(/round-robin over 3/);
    expect(result.frames.filter((f) => f.kind === 'request' && f.command === 'SendMessages')).toHaveLength(6);
  });

  it('fills lanes from the send confirmations: per-partition offsets count up from 0', async () => {
    const state = await lab.state();
    expect(state.topicInfo?.partitionsCount).toBe(3);
    expect(state.lanes.map((lane) => lane.messages.map((m) => m.offset))).toEqual([
      ['0', '1'],
      ['0', '1'],
      ['0', '1'],
    ]);
    expect(state.topicInfo?.partitions.map((p) => p.messagesCount)).toEqual(['2', '2', '2']);
  });

  it('sends a batch to one partition with Balanced: a batch never splits', async () => {
    const result = await send({ kind: 'balanced' }, 4, true);
    expect(result.outcome.sends).toBe(1);
    expect(new Set(result.outcome.messages.map((m) => m.partitionId)).size).toBe(1);
    expect(result.explanation).toContain('a batch never splits');
    expect(result.cli?.command.split("'").length).toBeGreaterThan(4);
  });

  it('puts every message with the same key on the same partition, every time', async () => {
    const first = await send({ kind: 'messagesKey', key: 'user-1' }, 3);
    const second = await send({ kind: 'messagesKey', key: 'user-1' }, 2, true);
    const partitions = new Set([...first.outcome.partitions, ...second.outcome.partitions]);
    expect(partitions.size).toBe(1);
    expect(first.explanation).toContain('the same key always lands on the same one');
    expect((await lab.state()).keys).toEqual(['user-1']);
  });

  it('sends to the partition id asked for, and refuses one the topic does not have without sending', async () => {
    const ok = await send({ kind: 'partitionId', partitionId: 2 }, 2);
    expect(ok.outcome.partitions).toEqual([2, 2]);
    const before = await lab.state();
    await expect(send({ kind: 'partitionId', partitionId: 5 }, 1)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('partition 5 does not exist'),
    });
    expect(await lab.state()).toEqual(before);
  });

  it('recreates the topic with a new partition count and forgets the old lanes', async () => {
    const setup = await lab.setup(5);
    expect(setup.outcome).toEqual({ partitions: 5, recreated: true });
    const state = await lab.state();
    expect(state.topicInfo?.partitionsCount).toBe(5);
    expect(state.lanes).toHaveLength(5);
    expect(state.lanes.every((lane) => lane.messages.length === 0)).toBe(true);
    expect(state.keys).toEqual([]);
    const again = await send({ kind: 'balanced' }, 5);
    expect(new Set(again.outcome.partitions).size).toBe(5);
  });

  it('keeps each lane bounded, counting what it dropped', async () => {
    await lab.setup(1);
    for (let i = 0; i < 4; i += 1) await send({ kind: 'balanced' }, 20, true);
    const lane = (await lab.state()).lanes[0]!;
    expect(lane.messages).toHaveLength(60);
    expect(lane.dropped).toBe(20);
    expect(lane.messages[0]?.offset).toBe('20');
  });

  it('reset deletes the topic, clears the lanes and closes the connections', async () => {
    const reset = await lab.reset();
    expect(reset.outcome.topicDeleted).toBe(true);
    expect(labs.runtime.host('partitioning').connectionCount).toBe(0);
    const state = await lab.state();
    expect(state.topicInfo).toBeNull();
    expect(state.lanes).toEqual([]);
  });
});
