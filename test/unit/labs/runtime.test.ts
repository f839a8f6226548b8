import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '@/test/support/index';
import { loadLabsConfig } from '@/lib/labs/config';
import { LabError } from '@/lib/labs/errors';
import { PollingLab } from '@/lib/labs/polling/lab';
import { LabsRuntime } from '@/lib/labs/runtime';
import { DemoConfigError } from '@/lib/demo/config';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(now: () => number = Date.now) {
  const server = await startTestServer();
  const runtime = new LabsRuntime(loadLabsConfig({ IGGY_URL: server.url }), {
    now,
    clientOptions: { connectTimeoutMs: 1000, requestTimeoutMs: 1500 },
  });
  cleanups.push(
    () => server.stop(),
    () => runtime.close(),
  );
  return { server, runtime };
}

describe('labs config', () => {
  it('defaults to the demo-labs stream and refuses the dashboard stream', () => {
    expect(loadLabsConfig({}).streamName).toBe('demo-labs');
    expect(() => loadLabsConfig({ IGGY_STREAM: 'same', IGGY_LABS_STREAM: 'same' })).toThrow(
      /never write to the dashboard's stream/,
    );
    expect(() => loadLabsConfig({ IGGY_LABS_STREAM: 'a\u0001b' })).toThrow(DemoConfigError);
  });
});

describe('the labs runtime', () => {
  it("closes an idle lab's connections after the idle period, and not before", async () => {
    let clock = 1_000_000;
    const { runtime } = await setup(() => clock);
    const lab = runtime.lab('polling', (host) => new PollingLab(host, { fillPauseMs: 0 }));
    await lab.state();
    const host = runtime.host('polling');
    expect(host.connectionCount).toBe(1);
    clock += 9 * 60_000;
    expect(await runtime.sweepIdle()).toEqual([]);
    await lab.state(); // a page poll keeps it alive
    clock += 9 * 60_000;
    expect(await runtime.sweepIdle()).toEqual([]);
    clock += 60_000;
    expect(await runtime.sweepIdle()).toEqual(['polling']);
    expect(host.connectionCount).toBe(0);
    // …and the next request connects again by itself.
    expect((await lab.state()).iggy.reachable).toBe(true);
  });

  it('says the server is unreachable, then recovers by itself when it is back', async () => {
    const { server, runtime } = await setup();
    const lab = runtime.lab('polling', (host) => new PollingLab(host, { fillPauseMs: 0 }));
    await lab.fill();
    await server.shutdown(); // graceful: the data survives
    const down = await lab.state();
    expect(down.iggy).toMatchObject({ reachable: false, message: expect.stringContaining('not reachable') });
    await expect(
      lab.poll({ action: 'poll', strategy: { kind: 'first' }, count: 1, consumer: 'c', autoCommit: false }),
    ).rejects.toMatchObject({ code: 'IGGY_UNAVAILABLE' });
    await server.start();
    const up = await lab.state();
    expect(up.iggy.reachable).toBe(true);
    expect(up.partition).not.toBeNull();
  });

  it('refuses work once closed, and close releases every connection', async () => {
    const { runtime } = await setup();
    const lab = runtime.lab('polling', (host) => new PollingLab(host));
    await lab.state();
    await runtime.close();
    expect(runtime.host('polling').connectionCount).toBe(0);
    expect(() => runtime.lab('polling', (host) => new PollingLab(host))).toThrow(LabError);
  });

  it('runs one action at a time per lab and refuses a pile-up instead of queueing without bound', async () => {
    const { runtime } = await setup();
    const host = runtime.host('partitioning');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: number[] = [];
    const first = host.act(async () => {
      await gate;
      order.push(1);
    });
    const queued = [2, 3, 4].map((n) => host.act(async () => void order.push(n)));
    await expect(host.act(async () => undefined)).rejects.toThrow(/busy/);
    release();
    await Promise.all([first, ...queued]);
    expect(order).toEqual([1, 2, 3, 4]);
  });
});
