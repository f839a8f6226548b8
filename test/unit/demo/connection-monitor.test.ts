import { describe, expect, it } from 'vitest';
import { IggyError, IggyErrorCode, type ConnectionState } from '@/lib/iggy';
import { ConnectionMonitor } from '@/lib/demo/connection-monitor';

/** Just enough of IggyClient to drive the monitor: a state, listeners, and a scripted connect(). */
class ScriptedClient {
  state: ConnectionState = 'idle';
  lastError: IggyError | undefined;
  serverVersion: string | undefined;
  lastRoundTripMs: number | undefined;
  address = '127.0.0.1:8090';
  connects = 0;
  failNextConnects = 0;
  private listeners = new Set<(state: ConnectionState, error?: IggyError) => void>();

  onStateChange(listener: (state: ConnectionState, error?: IggyError) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(state: ConnectionState, error?: IggyError) {
    this.state = state;
    if (error) this.lastError = error;
    for (const l of this.listeners) l(state, error);
  }
  async connect() {
    this.connects += 1;
    this.set('connecting');
    await Promise.resolve();
    if (this.failNextConnects > 0) {
      this.failNextConnects -= 1;
      const error = new IggyError({
        code: IggyErrorCode.ConnectFailed,
        kind: 'connect',
        message: 'could not connect',
      });
      this.set('idle', error);
      throw error;
    }
    this.lastError = undefined;
    this.set('connected');
  }
  async close() {
    this.set('closed');
  }
}

const monitorFor = (client: ScriptedClient) => new ConnectionMonitor(client as never);

describe('ConnectionMonitor', () => {
  it('connects once for concurrent callers and retries on the next call after a failure', async () => {
    const client = new ScriptedClient();
    client.failNextConnects = 1;
    const monitor = monitorFor(client);
    expect(monitor.reportedState()).toBe('connecting');
    const results = await Promise.allSettled([monitor.ready(), monitor.ready()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(client.connects).toBe(1);
    expect(monitor.reportedState()).toBe('unreachable');
    expect(monitor.error).toMatchObject({ code: 'CONNECT_FAILED', message: 'could not connect' });
    await monitor.ready();
    expect(client.connects).toBe(2);
    expect(monitor.reportedState()).toBe('connected');
    expect(monitor.error).toBeUndefined();
  });

  it('reports a fresh drop as reconnecting and a long one as unreachable', async () => {
    const client = new ScriptedClient();
    const monitor = monitorFor(client);
    await monitor.ready();
    const dropped = new IggyError({
      code: IggyErrorCode.Disconnected,
      kind: 'disconnected',
      message: 'socket closed',
    });
    client.set('reconnecting', dropped);
    expect(monitor.reportedState()).toBe('reconnecting');
    expect(monitor.reportedState(Date.now() + 10_000)).toBe('unreachable');
    expect(monitor.error?.code).toBe('DISCONNECTED');
    // While the client reconnects by itself, ready() does not start a second connect.
    await monitor.ready();
    expect(client.connects).toBe(1);
  });

  it('keeps the first-seen time of an error across status reads', async () => {
    const client = new ScriptedClient();
    client.failNextConnects = 1;
    const monitor = monitorFor(client);
    await monitor.ready().catch(() => undefined);
    const first = monitor.error?.at;
    await new Promise((r) => setTimeout(r, 5));
    expect(monitor.error?.at).toBe(first);
  });

  it('treats only unfixable evictions as terminal', () => {
    expect(
      ConnectionMonitor.isTerminal(new IggyError({ code: 42, kind: 'eviction', evictionReason: 9 })),
    ).toBe(true);
    expect(
      ConnectionMonitor.isTerminal(new IggyError({ code: IggyErrorCode.ConnectFailed, kind: 'connect' })),
    ).toBe(false);
    expect(ConnectionMonitor.isTerminal(new Error('x'))).toBe(false);
  });

  it('refuses ready() after close()', async () => {
    const client = new ScriptedClient();
    const monitor = monitorFor(client);
    await monitor.close();
    await expect(monitor.ready()).rejects.toThrow(/closed/);
  });
});
