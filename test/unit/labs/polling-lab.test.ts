import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IggyClient } from '@/lib/iggy';
import type { LabsRuntime } from '@/lib/labs/runtime';
import { POLLING_TOPIC, PollingLab } from '@/lib/labs/polling/lab';
import type { PollOutcome } from '@/lib/labs/polling/contract';
import { startLabs } from './lab-fixture';

let labs: Awaited<ReturnType<typeof startLabs>>;
let runtime: LabsRuntime;
let lab: PollingLab;

beforeAll(async () => {
  labs = await startLabs();
  runtime = labs.runtime;
  lab = runtime.lab('polling', (host) => new PollingLab(host, { fillPauseMs: 3 }));
  await lab.fill();
});
afterAll(async () => {
  await labs?.close();
});

const poll = (strategy: PollOutcome['strategy'], count: number, consumer = 'reader', autoCommit = false) =>
  lab.poll({ action: 'poll', strategy, count, consumer, autoCommit });

describe('the polling lab against an Iggy server', () => {
  it('fills a fresh topic with 20 messages at offsets 0–19, each with its own rising server timestamp', async () => {
    const state = await lab.state();
    expect(state.partition).toEqual({ messagesCount: '20', currentOffset: '19' });
    expect(state.messages.map((m) => m.offset)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    const stamps = state.messages.map((m) => BigInt(m.timestampMicros));
    for (let i = 1; i < stamps.length; i += 1) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    expect(state.messages[7]?.text).toBe('message 7');
    expect(state.fill).toEqual({ running: false, sent: 20, total: 20 });
  });

  it('answers Last with the newest messages and says so', async () => {
    const result = await poll({ kind: 'last' }, 3);
    expect(result.outcome.offsets).toEqual(['17', '18', '19']);
    expect(result.explanation).toMatch(/^Last, count 3: the newest three, offsets 17–19\./);
    expect(result.cli?.command).toBe(`iggy message poll --last -m 3 -c reader ${labs.streamName} polling 0`);
  });

  it('shows the frames the poll caused: stored offset before, the poll, stored offset after', async () => {
    const result = await poll({ kind: 'first' }, 2);
    const requests = result.frames.filter((f) => f.kind === 'request').map((f) => f.command);
    expect(requests).toEqual(['GetTopic', 'GetConsumerOffset', 'PollMessages', 'GetConsumerOffset']);
    const pollReply = result.frames.find((f) => f.kind === 'reply' && f.command === 'PollMessages');
    expect(pollReply).toMatchObject({ status: 0, statusName: 'OK', direction: 'received' });
    expect(pollReply!.bodyBytes).toBeGreaterThan(16);
    expect(result.frames.every((f) => /^\d+$/.test(f.request) && f.sizeBytes >= 256)).toBe(true);
  });

  it('explains an offset past the end as an empty poll, not an error', async () => {
    const result = await poll({ kind: 'offset', value: '25' }, 3);
    expect(result.outcome.offsets).toEqual([]);
    expect(result.explanation).toContain('offset 25 is past the end (the newest message is offset 19)');
  });

  it('returns only what exists when count reaches past the end', async () => {
    const result = await poll({ kind: 'offset', value: '18' }, 5);
    expect(result.outcome.offsets).toEqual(['18', '19']);
    expect(result.explanation).toContain('only 2 exist from there');
  });

  it('starts Timestamp(t) at the first message stamped at or after t, and finds nothing after the newest', async () => {
    const state = await lab.state();
    const t = state.messages[8]!.timestampMicros;
    const hit = await poll({ kind: 'timestamp', value: t }, 3);
    expect(hit.outcome.offsets).toEqual(['8', '9', '10']);
    expect(hit.cli).toBeUndefined();
    const newest = BigInt(state.messages[19]!.timestampMicros);
    const miss = await poll({ kind: 'timestamp', value: String(newest + 1n) }, 3);
    expect(miss.outcome.offsets).toEqual([]);
    expect(miss.explanation).toContain('newer than every message');
  });

  it('moves Next along the stored offset with auto-commit, and starts over after Delete stored offset', async () => {
    const consumer = 'next-reader';
    const first = await poll({ kind: 'next' }, 3, consumer, true);
    expect(first.outcome).toMatchObject({ offsets: ['0', '1', '2'], storedBefore: null, storedAfter: '2' });
    expect(first.explanation).toContain('no stored offset, so Next starts at offset 0');
    const second = await poll({ kind: 'next' }, 3, consumer, true);
    expect(second.outcome).toMatchObject({ offsets: ['3', '4', '5'], storedBefore: '2', storedAfter: '5' });
    const noCommit = await poll({ kind: 'next' }, 3, consumer, false);
    expect(noCommit.outcome).toMatchObject({ offsets: ['6', '7', '8'], storedAfter: '5' });
    expect(noCommit.explanation).toContain('Auto-commit off: the stored offset stays 5');

    const deleted = await lab.deleteOffset(consumer);
    expect(deleted.outcome).toEqual({ consumer, storedBefore: '5', deleted: true });
    expect((await lab.state({ consumer })).storedOffset).toEqual({ consumer, offset: null });
    const again = await poll({ kind: 'next' }, 2, consumer, true);
    expect(again.outcome.offsets).toEqual(['0', '1']);

    const nothing = await lab.deleteOffset('never-polled');
    expect(nothing.outcome.deleted).toBe(false);
    expect(nothing.frames.some((f) => f.command === 'DeleteConsumerOffset')).toBe(false);
  });

  it('keeps consumers apart: one consumer committing does not move another', async () => {
    await poll({ kind: 'next' }, 4, 'alice', true);
    const bob = await poll({ kind: 'next' }, 1, 'bob', false);
    expect(bob.outcome.offsets).toEqual(['0']);
  });

  it('reset deletes only the lab topic, closes its connections, and a poll after it is refused clearly', async () => {
    const host = runtime.host('polling');
    expect(host.connectionCount).toBeGreaterThan(0);
    const reset = await lab.reset();
    expect(reset.outcome.topicDeleted).toBe(true);
    expect(host.connectionCount).toBe(0);
    const client = IggyClient.fromUrl(labs.target.url);
    await client.connect();
    try {
      expect(await client.getStream(labs.streamName)).not.toBeNull();
      expect(await client.getTopic(labs.streamName, POLLING_TOPIC)).toBeNull();
    } finally {
      await client.close();
    }
    await expect(poll({ kind: 'first' }, 1)).rejects.toThrow(/fill it first/);
    expect((await lab.state()).partition).toBeNull();
    await lab.fill();
  });
});
