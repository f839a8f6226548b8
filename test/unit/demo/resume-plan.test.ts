import { describe, expect, it } from 'vitest';
import { IggyError, IggyErrorCode, type PolledMessage } from '@/lib/iggy';
import { applyResumePlan, planResume, type ResumeClient } from '@/lib/demo/resume-plan';
import { polledMessage as message } from './polled-message';

describe('planResume', () => {
  const base = { stored: null, currentOffset: 0n, messagesCount: 0n, lossDetected: false } as const;

  it('trusts the stored offset when nothing was lost', () => {
    expect(planResume({ ...base })).toEqual({ action: 'next' });
    expect(planResume({ ...base, stored: 5n, currentOffset: 9n, messagesCount: 10n })).toEqual({
      action: 'next',
    });
    expect(planResume({ ...base, stored: 9n, currentOffset: 9n, messagesCount: 10n })).toEqual({
      action: 'next',
    });
  });

  it('deletes a stored offset on an empty partition, with or without a known loss', () => {
    for (const lossDetected of [false, true]) {
      expect(planResume({ ...base, stored: 0n, lossDetected })).toMatchObject({ action: 'delete-stored' });
      expect(planResume({ ...base, stored: 49n, lossDetected })).toMatchObject({ action: 'delete-stored' });
    }
    expect(planResume({ ...base, lossDetected: true })).toEqual({ action: 'next' });
  });

  it('replays from the stored offset itself after a loss, judging by the last shown stamp', () => {
    // Clamped to 0 on the empty partition, then 3 sends landed before the consumer looked.
    expect(
      planResume({
        stored: 0n,
        currentOffset: 2n,
        messagesCount: 3n,
        lossDetected: true,
        lastShownTimestampMicros: 77n,
      }),
    ).toMatchObject({ action: 'replay', fromOffset: 0n, newerThanMicros: 77n });
    expect(planResume({ stored: null, currentOffset: 2n, messagesCount: 3n, lossDetected: true })).toEqual(
      expect.objectContaining({ action: 'replay', fromOffset: 0n }),
    );
    const plan = planResume({
      stored: 1023n,
      currentOffset: 1030n,
      messagesCount: 1031n,
      lossDetected: true,
    });
    expect(plan).toMatchObject({ action: 'replay', fromOffset: 1023n });
    expect(plan).not.toHaveProperty('newerThanMicros');
  });

  it('a stored offset above the data replays everything from the first offset', () => {
    expect(
      planResume({ stored: 49n, currentOffset: 2n, messagesCount: 3n, lossDetected: false }),
    ).toMatchObject({
      action: 'replay',
      fromOffset: 0n,
    });
  });
});

/** A partition's messages on a fake server: polls by offset, records stores and deletes. */
function fakeClient(messages: PolledMessage[], deleteError?: unknown) {
  const calls: string[] = [];
  const client: ResumeClient = {
    async pollMessages(req) {
      if (req.strategy.kind !== 'offset') throw new Error('expected a poll by offset');
      const from = req.strategy.value;
      calls.push(`poll ${from}+${req.count} commit=${req.autoCommit}`);
      const found = messages.filter((m) => m.offset >= from).slice(0, req.count);
      return { partitionId: 0, currentOffset: messages.at(-1)?.offset ?? 0n, messages: found };
    },
    async storeConsumerOffset(req) {
      calls.push(`store ${req.offset}`);
    },
    async deleteConsumerOffset() {
      calls.push('delete');
      if (deleteError) throw deleteError;
    },
  };
  return { client, calls };
}

const target = { streamName: 's', topicName: 't', consumerName: 'c', partitionId: 0 };

describe('applyResumePlan', () => {
  it('replays by offset, hands on only newer stamps, stores as it goes', async () => {
    // Offset 0 survived (stamp 10, shown before); 1..4 are new (stamps after 50).
    const stored = [message(0n, 10n), message(1n, 60n), message(2n, 61n), message(3n, 62n), message(4n, 63n)];
    const { client, calls } = fakeClient(stored);
    const delivered: bigint[] = [];
    const outcome = await applyResumePlan(
      client,
      target,
      { action: 'replay', fromOffset: 0n, newerThanMicros: 50n, reason: 'test' },
      { batchSize: 2, deliver: (ms) => delivered.push(...ms.map((m) => m.offset)) },
    );
    expect(delivered).toEqual([1n, 2n, 3n, 4n]);
    expect(outcome).toEqual({ delivered: 4, firstNewOffset: 1n, lastOffset: 4n, lastTimestampMicros: 63n });
    expect(calls).toEqual([
      'poll 0+2 commit=false',
      'store 1',
      'poll 2+2 commit=false',
      'store 3',
      'poll 4+2 commit=false',
      'store 4',
    ]);
  });

  it('without a cutoff hands on every message; an empty partition reads nothing', async () => {
    const { client } = fakeClient([message(0n, 1n), message(1n, 2n), message(2n, 3n)]);
    const delivered: bigint[] = [];
    await applyResumePlan(
      client,
      target,
      { action: 'replay', fromOffset: 0n, reason: 'test' },
      {
        deliver: (ms) => delivered.push(...ms.map((m) => m.offset)),
      },
    );
    expect(delivered).toEqual([0n, 1n, 2n]);
    const empty = fakeClient([]);
    expect(
      await applyResumePlan(
        empty.client,
        target,
        { action: 'replay', fromOffset: 0n, reason: 'test' },
        { deliver: () => {} },
      ),
    ).toEqual({ delivered: 0 });
    expect(empty.calls).toEqual(['poll 0+100 commit=false']);
  });

  it('stops between polls when told to', async () => {
    const { client, calls } = fakeClient([message(0n, 1n), message(1n, 2n), message(2n, 3n)]);
    let polls = 0;
    await applyResumePlan(
      client,
      target,
      { action: 'replay', fromOffset: 0n, reason: 'test' },
      {
        batchSize: 1,
        deliver: () => {
          polls += 1;
        },
        shouldContinue: () => polls < 1,
      },
    );
    expect(calls).toEqual(['poll 0+1 commit=false', 'store 0']);
  });

  it('deletes the stored offset, and an offset already gone counts as done', async () => {
    const ok = fakeClient([]);
    await applyResumePlan(
      ok.client,
      target,
      { action: 'delete-stored', reason: 'test' },
      { deliver: () => {} },
    );
    expect(ok.calls).toEqual(['delete']);
    const gone = fakeClient(
      [],
      new IggyError({ kind: 'server', code: IggyErrorCode.ConsumerOffsetNotFound }),
    );
    await expect(
      applyResumePlan(
        gone.client,
        target,
        { action: 'delete-stored', reason: 'test' },
        { deliver: () => {} },
      ),
    ).resolves.toEqual({ delivered: 0 });
    const broken = fakeClient([], new IggyError({ kind: 'timeout', code: IggyErrorCode.Timeout }));
    await expect(
      applyResumePlan(
        broken.client,
        target,
        { action: 'delete-stored', reason: 'test' },
        { deliver: () => {} },
      ),
    ).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('"next" makes no call at all', async () => {
    const { client, calls } = fakeClient([message(0n, 1n)]);
    await applyResumePlan(client, target, { action: 'next' }, { deliver: () => {} });
    expect(calls).toEqual([]);
  });
});
