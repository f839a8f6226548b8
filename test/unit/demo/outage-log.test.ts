import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IggyError, IggyErrorCode } from '@/lib/iggy';
import { ConsumerLoop, type ConsumerClient } from '@/lib/demo/consumer-loop';
import { OutageLog, formatDuration } from '@/lib/demo/outage-log';
import { ProducerLoop, type ProducerClient } from '@/lib/demo/producer-loop';

interface Line {
  level: number;
  msg: string;
}

/** A pino logger at `level` that keeps what it writes, parsed. */
function capturingLogger(level = 'info') {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

// pino writes asynchronously to a Writable: let it drain before reading the lines.
const flushed = () => new Promise((resolve) => setImmediate(resolve));

const refused = () =>
  new IggyError({
    code: IggyErrorCode.ConnectFailed,
    kind: 'connect',
    message: 'could not connect to the Iggy server at 127.0.0.1:8090: connect ECONNREFUSED',
  });
const timedOut = () => new IggyError({ code: IggyErrorCode.Timeout, kind: 'timeout' });

/** A client the loops never reach: `ready()` fails first. */
const unreachableClient = new Proxy(
  {},
  {
    get(_target, property) {
      if (property === 'then') return undefined;
      throw new Error(`the loop used client.${String(property)} although the connection never came up`);
    },
  },
);

const WARN = 40;
const INFO = 30;

afterEach(() => {
  vi.useRealTimers();
});

describe('OutageLog', () => {
  it('says a minute of failures in two lines and each retry only at debug level', async () => {
    let now = 1_000_000;
    const { logger, lines } = capturingLogger('debug');
    const outage = new OutageLog({ logger, name: 'producer', now: () => now });
    // Retries every 5 s for one minute and one second, alternating the ways an absent server fails.
    for (let t = 0; t <= 61_000; t += 5_000) {
      now = 1_000_000 + t;
      outage.failed(t % 10_000 === 0 ? refused() : timedOut(), 5_000);
    }
    await flushed();
    const loud = lines.filter((line) => line.level >= INFO);
    expect(loud.map((line) => line.msg)).toEqual([
      expect.stringMatching(/^producer: Iggy is unreachable: could not connect .*ECONNREFUSED.*retrying/),
      expect.stringMatching(/^producer: still failing after 1 min \(13 attempts\)/),
    ]);
    expect(lines.filter((line) => line.level < INFO)).toHaveLength(11);
    expect(outage.failing).toBe(true);
  });

  it('says once when it is back, with how long it was gone, and starts afresh after', async () => {
    let now = 0;
    const { logger, lines } = capturingLogger();
    const outage = new OutageLog({ logger, name: 'consumer', now: () => now });
    outage.recovered(); // nothing failed: nothing to say
    outage.failed(refused(), 250);
    now = 65_000;
    outage.failed(refused(), 5_000); // the reminder
    now = 83_000;
    outage.recovered();
    outage.recovered();
    now = 90_000;
    outage.failed(refused(), 250);
    await flushed();
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [WARN, expect.stringContaining('consumer: Iggy is unreachable')],
      [WARN, expect.stringContaining('still failing after 1 min 5 s (2 attempts)')],
      [INFO, 'consumer: Iggy is back after 1 min 23 s away; carrying on'],
      [WARN, expect.stringContaining('consumer: Iggy is unreachable')],
    ]);
    expect(outage.failing).toBe(true);
  });

  it('says a new kind of failure at once, but only once', async () => {
    let now = 0;
    const { logger, lines } = capturingLogger();
    const outage = new OutageLog({ logger, name: 'producer', now: () => now });
    const refusedLogin = () =>
      new IggyError({ code: IggyErrorCode.InvalidCredentials, kind: 'server', message: 'login refused' });
    outage.failed(refused(), 250);
    for (let i = 1; i <= 4; i += 1) {
      now = i * 1_000;
      outage.failed(refusedLogin(), 1_000);
    }
    await flushed();
    expect(lines.map((line) => line.msg)).toEqual([
      expect.stringContaining('Iggy is unreachable'),
      expect.stringMatching(/^producer: now login refused \(INVALID_CREDENTIALS\); retrying$/),
    ]);
  });

  it('formats durations for a person', () => {
    expect(formatDuration(4_400)).toBe('4 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe('2 h 3 min');
  });
});

describe('the loops while Iggy is absent', () => {
  // The loops back off to one retry every 5 s; with the old per-retry warning a minute printed about 15 lines.
  it.each(['producer', 'consumer'] as const)(
    'the %s prints at most two lines in a minute at the default level',
    async (which) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const { logger, lines } = capturingLogger('info');
      const attempts: number[] = [];
      const ready = async () => {
        attempts.push(Date.now());
        throw refused();
      };
      const common = { logger, ready, now: () => Date.now(), streamName: 's', topicName: 't' };
      const loop =
        which === 'producer'
          ? new ProducerLoop({
              ...common,
              client: unreachableClient as ProducerClient,
              partitionsCount: 1,
              ratePerSec: 1,
            })
          : new ConsumerLoop({
              ...common,
              client: unreachableClient as ConsumerClient,
              consumerName: 'c',
              onMessages: () => {},
            });
      void loop.start();
      const startedAt = Date.now();
      await vi.advanceTimersByTimeAsync(60_000);
      await loop.stop();
      await vi.runOnlyPendingTimersAsync();
      await loop.whenIdle();
      vi.useRealTimers();
      await flushed();

      // It did keep retrying the whole minute…
      expect(attempts.length).toBeGreaterThanOrEqual(12);
      expect(attempts.at(-1)! - startedAt).toBeGreaterThanOrEqual(55_000);
      // …and said so in at most two lines (besides its own started/stopped lines).
      const aboutTheOutage = lines.filter((line) => !/ (started|stopped)$/.test(line.msg));
      expect(aboutTheOutage.length).toBeGreaterThanOrEqual(1);
      expect(aboutTheOutage.length).toBeLessThanOrEqual(2);
      expect(aboutTheOutage[0]!.msg).toContain(`${which}: Iggy is unreachable`);
    },
  );
});
