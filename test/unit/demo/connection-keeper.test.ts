import { describe, expect, it } from 'vitest';
import { IggyError, IggyErrorCode, type ConnectionState } from '@/lib/iggy';
import { ConnectionKeeper } from '@/lib/demo/connection-keeper';

/** Just enough of IggyClient to drive the keeper: a state, listeners, and a scripted connect(). */
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

const keeperFor = (client: ScriptedClient) => new ConnectionKeeper(client as never);

describe('ConnectionKeeper', () => {
  it('connects once for concurrent callers and retries on the next call after a failure', async () => {
    const client = new ScriptedClient();
    client.failNextConnects = 1;
    const keeper = keeperFor(client);
    expect(keeper.status()).toBe('connecting');
    const results = await Promise.allSettled([keeper.ready(), keeper.ready()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(client.connects).toBe(1);
    expect(keeper.status()).toBe('unreachable');
    expect(keeper.error).toMatchObject({ code: 'CONNECT_FAILED', message: 'could not connect' });
    await keeper.ready();
    expect(client.connects).toBe(2);
    expect(keeper.status()).toBe('connected');
    expect(keeper.error).toBeUndefined();
  });

  it('reports a fresh drop as reconnecting and a long one as unreachable', async () => {
    const client = new ScriptedClient();
    const keeper = keeperFor(client);
    await keeper.ready();
    const dropped = new IggyError({
      code: IggyErrorCode.Disconnected,
      kind: 'disconnected',
      message: 'socket closed',
    });
    client.set('reconnecting', dropped);
    expect(keeper.status()).toBe('reconnecting');
    expect(keeper.status(Date.now() + 10_000)).toBe('unreachable');
    expect(keeper.error?.code).toBe('DISCONNECTED');
    // While the client reconnects by itself, ready() does not start a second connect.
    await keeper.ready();
    expect(client.connects).toBe(1);
  });

  it('keeps the first-seen time of an error across status reads', async () => {
    const client = new ScriptedClient();
    client.failNextConnects = 1;
    const keeper = keeperFor(client);
    await keeper.ready().catch(() => undefined);
    const first = keeper.error?.at;
    await new Promise((r) => setTimeout(r, 5));
    expect(keeper.error?.at).toBe(first);
  });

  it('treats only unfixable evictions as terminal', () => {
    expect(
      ConnectionKeeper.isTerminal(new IggyError({ code: 42, kind: 'eviction', evictionReason: 9 })),
    ).toBe(true);
    expect(
      ConnectionKeeper.isTerminal(new IggyError({ code: IggyErrorCode.ConnectFailed, kind: 'connect' })),
    ).toBe(false);
    expect(ConnectionKeeper.isTerminal(new Error('x'))).toBe(false);
  });

  it('refuses ready() after close()', async () => {
    const client = new ScriptedClient();
    const keeper = keeperFor(client);
    await keeper.close();
    await expect(keeper.ready()).rejects.toThrow(/closed/);
  });
});
