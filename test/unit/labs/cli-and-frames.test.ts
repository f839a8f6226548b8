import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '@/lib/iggy';
import { pollCli, sendCli, shellQuote } from '@/lib/labs/cli-equivalent';
import { explainPoll } from '@/lib/labs/polling/explanations';
import { FrameRecorder, summarizeLabFrame } from '@/lib/labs/frame-recorder';

const target = { stream: 'demo-labs', topic: 'polling', partitionId: 0 };

describe('CLI equivalents (docs/iggy-concepts.md shapes)', () => {
  it('spell each strategy with its flag, the count, the consumer and -a for auto-commit', () => {
    const base = { count: 3, consumer: 'reader', autoCommit: false };
    expect(pollCli(target, { ...base, strategy: { kind: 'first' } })?.command).toBe(
      'iggy message poll --first -m 3 -c reader demo-labs polling 0',
    );
    expect(
      pollCli(target, { ...base, autoCommit: true, strategy: { kind: 'offset', value: '7' } })?.command,
    ).toBe('iggy message poll --offset 7 -m 3 -c reader -a demo-labs polling 0');
    expect(pollCli(target, { ...base, strategy: { kind: 'next' } })?.command).toContain('--next');
  });

  it('offer no CLI line for Timestamp polling rather than guess a flag', () => {
    expect(
      pollCli(target, {
        count: 1,
        consumer: 'c',
        autoCommit: false,
        strategy: { kind: 'timestamp', value: '1' },
      }),
    ).toBeUndefined();
  });

  it('quote payloads so a shell passes them through unchanged', () => {
    expect(shellQuote('plain-name_1.2')).toBe('plain-name_1.2');
    expect(shellQuote(`it's {"a":1}`)).toBe(`'it'\\''s {"a":1}'`);
    expect(sendCli({ stream: 'demo-labs', topic: 't' }, ['a b']).command).toBe(
      "iggy message send demo-labs t 'a b'",
    );
  });
});

function frame(overrides: Partial<FrameEvent>): FrameEvent {
  return {
    direction: 'sent',
    command: 5,
    operation: 2,
    request: 9n,
    size: 300,
    bodyLength: 44,
    bytes: new Uint8Array(300),
    atMs: 0,
    ...overrides,
  };
}

describe('the lab frame recorder', () => {
  it('names reads by their command code and their replies after the request', () => {
    const request = summarizeLabFrame('lab', frame({ commandCode: 100 }), 1);
    expect(request).toMatchObject({ kind: 'request', command: 'PollMessages', request: '9', sizeBytes: 300 });
    const reply = summarizeLabFrame('lab', frame({ direction: 'received', command: 8, status: 0 }), 2, {
      request: 9n,
      name: 'PollMessages',
    });
    expect(reply).toMatchObject({ kind: 'reply', command: 'PollMessages', status: 0, statusName: 'OK' });
    const refused = summarizeLabFrame(
      'lab',
      frame({ direction: 'received', command: 8, operation: 160, status: 20 }),
      3,
    );
    expect(refused).toMatchObject({ command: 'SendMessages', status: 20 });
    expect(refused.statusName).not.toBe('OK');
  });

  it('keeps no frame bytes (a Register body carries the password) and bounds what it keeps', () => {
    const listeners: Array<(f: FrameEvent) => void> = [];
    const tap = {
      onFrame: (l: (f: FrameEvent) => void) => (
        listeners.push(l),
        () => listeners.splice(listeners.indexOf(l), 1)
      ),
    };
    const recorder = new FrameRecorder(3);
    recorder.attach('lab', tap);
    const secret = new TextEncoder().encode('x'.repeat(256) + 'hunter2');
    for (let i = 0; i < 5; i += 1)
      listeners.forEach((l) => l(frame({ operation: 1, bytes: secret, request: BigInt(i) })));
    const { frames, framesDropped } = recorder.stop();
    expect(listeners).toHaveLength(0);
    expect(frames).toHaveLength(3);
    expect(framesDropped).toBe(2);
    expect(frames[0]?.command).toBe('Register (login)');
    expect(JSON.stringify(frames)).not.toContain('hunter2');
  });
});

describe('explainPoll', () => {
  const outcome = {
    count: 3,
    consumer: 'c',
    autoCommit: false,
    currentOffset: '19',
    storedBefore: null,
    storedAfter: null,
  };
  it('says an empty partition is empty', () => {
    expect(explainPoll({ ...outcome, strategy: { kind: 'first' }, offsets: [] }, 0n)).toContain(
      'the partition is empty',
    );
  });
  it('says Last returned fewer when the partition is short', () => {
    expect(
      explainPoll({ ...outcome, currentOffset: '1', strategy: { kind: 'last' }, offsets: ['0', '1'] }, 2n),
    ).toContain('the partition holds only 2');
  });
  it('reports what auto-commit stored', () => {
    const text = explainPoll(
      {
        ...outcome,
        autoCommit: true,
        storedAfter: '4',
        strategy: { kind: 'offset', value: '2' },
        offsets: ['2', '3', '4'],
      },
      20n,
    );
    expect(text).toContain('Auto-commit on: Iggy stored offset 4 (was none)');
  });
});
