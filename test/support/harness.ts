import { randomBytes } from 'node:crypto';
import { type TestServer, type TestServerOptions, startTestServer } from './server/test-server';

/** Where an integration suite talks to Iggy: the in-memory test server, or a real server via IGGY_TEST_URL. */
export interface IggyTarget {
  /** iggy://user:pass@host:port */
  url: string;
  /** true when IGGY_TEST_URL points at a real server. */
  real: boolean;
  /** false against a real server: tests that take the server down use it.skipIf(!target.canKill). */
  canKill: boolean;
  /** Graceful stop (SIGTERM): every acknowledged message is written first, then the server goes away. */
  shutdown(): Promise<void>;
  /** SIGKILL: the server goes away and loses what its partition journals had not written yet. */
  crash(): Promise<void>;
  /** Brings the server back on the same address after shutdown() or crash(). */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Only for the in-memory server. */
  server?: TestServer;
}

export async function acquireIggy(options?: TestServerOptions): Promise<IggyTarget> {
  const realUrl = process.env.IGGY_TEST_URL?.trim();
  if (realUrl) {
    const unsupported = async () => {
      throw new Error('shutdown/crash/start need the in-memory test server (IGGY_TEST_URL is set)');
    };
    return {
      url: realUrl,
      real: true,
      canKill: false,
      shutdown: unsupported,
      crash: unsupported,
      start: unsupported,
      close: async () => {},
    };
  }
  const server = await startTestServer(options);
  return {
    url: server.url,
    real: false,
    canKill: true,
    shutdown: () => server.shutdown(),
    crash: () => server.crash(),
    start: () => server.start(),
    close: () => server.stop(),
    server,
  };
}

/** A name no other test (or earlier run against a shared real server) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
