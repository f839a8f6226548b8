import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrameEvent } from '@/lib/iggy';
import { encodeRequestFrame, summarizeFrame } from '@/lib/iggy/wire/header';
import { encodeLoginBody } from '@/lib/iggy/wire/commands/login';
import { COMMANDS } from '@/lib/iggy/wire/commands';
import {
  BODY_PREVIEW_BYTES,
  REDACTED_NOTE,
  WireLog,
  wireLogOf,
  type FrameSource,
  type WireFrameSummary,
} from '@/lib/demo/wire-log';

const CLIENT_ID = 0x1234_5678_9abc_def0_1122_3344_5566_7788n;
const PASSWORD = 'Zebra-Quartz-7781!';

/** A frame tap like IggyClient.onFrame: emit() reaches only the listeners subscribed right now. */
class TapSource implements FrameSource {
  readonly listeners = new Set<(frame: FrameEvent) => void>();
  subscribeCalls = 0;
  onFrame(listener: (frame: FrameEvent) => void): () => void {
    this.subscribeCalls += 1;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(direction: 'sent' | 'received', bytes: Buffer, atMs = Date.UTC(2026, 0, 2, 3, 4, 5)): void {
    const event: FrameEvent = { ...summarizeFrame(bytes), direction, bytes, atMs };
    for (const l of this.listeners) l(event);
  }
}

function request(
  operation: number,
  requestNumber: bigint,
  body: Uint8Array = Buffer.alloc(0),
  commandCode?: number,
): Buffer {
  return encodeRequestFrame({
    clientId: CLIENT_ID,
    operation,
    request: requestNumber,
    session: operation === 1 ? 0n : 7n,
    body,
    stampChecksum: true,
    ...(commandCode === undefined ? {} : { commandCode }),
  });
}

function reply(operation: number, requestNumber: bigint, status = 0, body = Buffer.alloc(0)): Buffer {
  const frame = Buffer.alloc(256 + body.length);
  frame.writeUInt32LE(frame.length, 48);
  frame.writeUInt8(8, 60);
  frame.writeBigUInt64LE(requestNumber, 200);
  frame.writeUInt8(operation, 208);
  frame.writeUInt32LE(status, 216);
  body.copy(frame, 256);
  return frame;
}

function eviction(reason: number): Buffer {
  const frame = Buffer.alloc(256);
  frame.writeUInt32LE(256, 48);
  frame.writeUInt8(13, 60);
  frame.writeUInt8(reason, 255);
  return frame;
}

function loginFrame(): Buffer {
  const body = encodeLoginBody({
    username: 'iggy',
    password: PASSWORD,
    sdkName: 'iggy-demo-producer',
    sdkVersion: '0.1.0',
  });
  return request(1, 0n, body);
}

function setup(options: { capacity?: number; viewerLeaseMs?: number } = {}) {
  const producer = new TapSource();
  const consumer = new TapSource();
  const log = new WireLog({ producer, consumer }, options);
  return { producer, consumer, log };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WireLog naming', () => {
  it('names requests by operation byte and reads by command code, and replies after their request', () => {
    const { producer, consumer, log } = setup();
    log.touch();
    producer.emit('sent', request(2, 0n, Buffer.alloc(0), 1));
    producer.emit('received', reply(2, 0n));
    producer.emit('sent', request(128, 1n, Buffer.from('0b64656d6f2d73747265616d', 'hex')));
    producer.emit('received', reply(128, 1n));
    producer.emit('sent', request(132, 2n));
    producer.emit('received', reply(64, 2n));
    producer.emit('sent', request(136, 3n));
    producer.emit('received', reply(65, 3n));
    producer.emit('sent', request(160, 4n, Buffer.alloc(300, 0xab)));
    producer.emit('received', reply(160, 4n));
    consumer.emit('sent', request(2, 5n, Buffer.alloc(10), 300));
    consumer.emit('sent', request(2, 5n, Buffer.alloc(10), 120));
    consumer.emit('received', reply(2, 5n));
    consumer.emit('sent', request(2, 5n, Buffer.alloc(10), 100));
    consumer.emit('received', reply(2, 5n, 1009));
    consumer.emit('sent', request(161, 6n));
    consumer.emit('received', reply(161, 6n));
    consumer.emit('sent', request(3, 7n));
    consumer.emit('received', eviction(1));

    const rows = log.frames().map((f) => [f.connection, f.kind, f.commandName, f.request, f.status]);
    expect(rows).toEqual([
      ['producer', 'request', 'Ping', '0', undefined],
      ['producer', 'reply', 'Ping', '0', 0],
      ['producer', 'request', 'CreateStream', '1', undefined],
      ['producer', 'reply', 'CreateStream', '1', 0],
      ['producer', 'request', 'CreateTopic', '2', undefined],
      ['producer', 'reply', 'CreateTopic', '2', 0],
      ['producer', 'request', 'CreatePartitions', '3', undefined],
      ['producer', 'reply', 'CreatePartitions', '3', 0],
      ['producer', 'request', 'SendMessages', '4', undefined],
      ['producer', 'reply', 'SendMessages', '4', 0],
      ['consumer', 'request', 'GetTopic', '5', undefined],
      ['consumer', 'request', 'GetConsumerOffset', '5', undefined],
      ['consumer', 'reply', 'GetConsumerOffset', '5', 0],
      ['consumer', 'request', 'PollMessages', '5', undefined],
      ['consumer', 'reply', 'PollMessages', '5', 1009],
      ['consumer', 'request', 'StoreConsumerOffset', '6', undefined],
      ['consumer', 'reply', 'StoreConsumerOffset', '6', 0],
      ['consumer', 'request', 'Logout', '7', undefined],
      ['consumer', 'eviction', 'Eviction (NoSession)', '0', undefined],
    ]);
    const frames = log.frames();
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    expect(frames[10]).toMatchObject({ operation: 2, commandCode: 300, direction: 'sent' });
    expect(frames[18]).toMatchObject({ evictionReason: 1, direction: 'received' });
  });

  it('does not borrow the name of a request from the other connection', () => {
    const { producer, consumer, log } = setup();
    log.touch();
    producer.emit('sent', request(2, 3n, Buffer.alloc(0), 1));
    consumer.emit('received', reply(2, 3n));
    expect(log.frames()[1]?.commandName).toBe('Read');
  });

  it('names login frames and unknown operations', () => {
    const { producer, log } = setup();
    log.touch();
    producer.emit('sent', loginFrame());
    producer.emit('received', reply(1, 0n, 0, Buffer.alloc(16)));
    producer.emit('sent', request(141, 9n));
    producer.emit('sent', request(2, 9n, Buffer.alloc(0), 9999));
    producer.emit('received', eviction(200));
    expect(log.frames().map((f) => f.commandName)).toEqual([
      'Register (login)',
      'Register (login)',
      'Operation 141',
      'Read (code 9999)',
      'Eviction (reason 200)',
    ]);
  });
});

describe('WireLog names come from the client command table', () => {
  it('names every command the client can send, including ones added after the inspector', () => {
    const { producer, log } = setup();
    log.touch();
    COMMANDS.forEach(({ kind }, i) => {
      const n = BigInt(i + 1);
      if (kind.plane === 'read') producer.emit('sent', request(2, n, Buffer.alloc(1), kind.code));
      else producer.emit('sent', request(kind.operation, n));
    });
    expect(log.frames().map((f) => f.commandName)).toEqual(COMMANDS.map((c) => c.name));
    expect(COMMANDS.map((c) => c.name)).toContain('DescribeOptions');
  });
});

describe('WireLog bytes', () => {
  it('keeps header bytes 128..256 and at most 64 body bytes, with sizes and an ISO time', () => {
    const { producer, log } = setup();
    log.touch();
    const body = Buffer.alloc(300);
    for (let i = 0; i < body.length; i += 1) body[i] = i & 0xff;
    const frame = request(160, 4n, body);
    producer.emit('sent', frame, Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const summary = log.frames()[0] as WireFrameSummary;
    expect(summary.sizeBytes).toBe(556);
    expect(summary.bodyBytes).toBe(300);
    expect(summary.atIso).toBe('2026-01-02T03:04:05.678Z');
    expect(summary.headerHex).toBe(frame.subarray(128, 256).toString('hex'));
    expect(summary.headerHex.slice(0, 32)).toBe(frame.subarray(128, 144).toString('hex')); // the client id
    expect(summary.bodyPreviewHex).toBe(body.subarray(0, BODY_PREVIEW_BYTES).toString('hex'));
    expect(summary.note).toBeUndefined();
  });

  it('keeps a short body whole', () => {
    const { consumer, log } = setup();
    log.touch();
    consumer.emit('received', reply(2, 1n, 0, Buffer.from([1, 2, 3])));
    expect(log.frames()[0]).toMatchObject({ bodyPreviewHex: '010203', bodyBytes: 3, sizeBytes: 259 });
  });
});

describe('WireLog redaction', () => {
  it('stores no byte of a Register request body, nor its body checksum', () => {
    const { producer, log } = setup();
    log.touch();
    const frame = loginFrame();
    producer.emit('sent', frame);
    producer.emit('received', reply(1, 0n, 0, Buffer.alloc(16)));

    const login = log.frames()[0] as WireFrameSummary;
    expect(login.bodyPreviewHex).toBe('');
    expect(login.note).toContain(REDACTED_NOTE);
    expect(login.bodyBytes).toBe(frame.length - 256);

    const checksum = frame.subarray(144, 160).toString('hex');
    expect(checksum).not.toBe('0'.repeat(32)); // the client stamped it, so hiding it is meaningful
    expect(login.headerHex).not.toContain(checksum.slice(0, 16));
    expect(login.headerHex.slice(32, 64)).toBe('x'.repeat(32));
    expect(login.headerHex.slice(0, 32)).toBe(frame.subarray(128, 144).toString('hex'));

    const everything = JSON.stringify(log.frames());
    const secretUtf8 = Buffer.from(PASSWORD, 'utf8');
    for (const needle of [
      PASSWORD,
      secretUtf8.toString('hex'),
      secretUtf8.toString('base64'),
      secretUtf8.subarray(0, 6).toString('hex'), // even a fragment
    ]) {
      expect(everything.toLowerCase()).not.toContain(needle.toLowerCase());
    }
  });
});

describe('WireLog bounding', () => {
  it('keeps only the newest `capacity` frames and filters by sequence number', () => {
    const { producer, log } = setup({ capacity: 200 });
    log.touch();
    for (let i = 1; i <= 250; i += 1) producer.emit('sent', request(160, BigInt(i)));
    const frames = log.frames();
    expect(frames).toHaveLength(200);
    expect(frames[0]?.seq).toBe(51);
    expect(frames.at(-1)?.seq).toBe(250);
    expect(frames.at(-1)?.request).toBe('250');
    expect(log.frames(245).map((f) => f.seq)).toEqual([246, 247, 248, 249, 250]);
    expect(log.frames(250)).toEqual([]);
    expect(log.frames(0)).toHaveLength(200);
  });

  it('refuses a nonsensical capacity', () => {
    expect(() => setup({ capacity: 0 })).toThrow(RangeError);
  });
});

describe('WireLog lazy subscription', () => {
  it('does not listen until a viewer touches it, and stops when the lease runs out', () => {
    vi.useFakeTimers();
    const { producer, consumer, log } = setup({ viewerLeaseMs: 10_000 });
    expect(log.listening).toBe(false);
    expect(producer.listeners.size + consumer.listeners.size).toBe(0);
    producer.emit('sent', request(160, 1n));
    expect(log.frames()).toEqual([]);

    log.touch();
    expect(log.listening).toBe(true);
    expect(producer.listeners.size).toBe(1);
    expect(consumer.listeners.size).toBe(1);
    producer.emit('sent', request(160, 2n));
    expect(log.frames()).toHaveLength(1);

    // Polls keep renewing the lease: a viewer polling every second stays subscribed.
    for (let i = 0; i < 15; i += 1) {
      vi.advanceTimersByTime(1_000);
      log.touch();
    }
    expect(log.listening).toBe(true);
    expect(producer.subscribeCalls).toBe(1); // renewing does not subscribe twice

    vi.advanceTimersByTime(9_999);
    expect(log.listening).toBe(true);
    vi.advanceTimersByTime(2);
    expect(log.listening).toBe(false);
    expect(producer.listeners.size + consumer.listeners.size).toBe(0);

    producer.emit('sent', request(160, 3n));
    expect(log.frames().map((f) => f.request)).toEqual(['2']);

    // Another viewer later: listening again, sequence numbers keep increasing.
    log.touch();
    producer.emit('sent', request(160, 4n));
    expect(log.frames().map((f) => f.seq)).toEqual([1, 2]);
    expect(producer.subscribeCalls).toBe(2);
  });

  it('close() detaches for good', () => {
    const { producer, log } = setup();
    log.touch();
    log.close();
    expect(producer.listeners.size).toBe(0);
    log.touch();
    expect(log.listening).toBe(false);
  });

  it('wireLogOf finds a runtime’s log and tolerates runtimes without one', () => {
    const { log } = setup();
    expect(wireLogOf({ wireLog: log })).toBe(log);
    expect(wireLogOf({})).toBeUndefined();
    expect(wireLogOf({ wireLog: 42 })).toBeUndefined();
  });
});
