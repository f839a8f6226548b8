import { randomBytes } from 'node:crypto';
import { type TestServer, type TestServerOptions, startTestServer } from './server/test-server';

/** Where an integration suite talks to Iggy: the in-memory test server, or a real server via IGGY_TEST_URL. */
export interface IggyTarget {
  /** iggy://user:pass@host:port */
  url: string;
  /** true when IGGY_TEST_URL points at a real server. */
  real: boolean;
  /** false against a real server: tests that kill/restart use it.skipIf(!target.canKill). */
  canKill: boolean;
  kill(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
  /** Only for the in-memory server. */
  server?: TestServer;
}

export async function acquireIggy(options?: TestServerOptions): Promise<IggyTarget> {
  const realUrl = process.env.IGGY_TEST_URL?.trim();
  if (realUrl) {
    const unsupported = async () => {
      throw new Error('kill/restart needs the in-memory test server (IGGY_TEST_URL is set)');
    };
    return {
      url: realUrl,
      real: true,
      canKill: false,
      kill: unsupported,
      restart: unsupported,
      close: async () => {},
    };
  }
  const server = await startTestServer(options);
  return {
    url: server.url,
    real: false,
    canKill: true,
    kill: () => server.kill(),
    restart: () => server.restart(),
    close: () => server.stop(),
    server,
  };
}

/** A name no other test (or earlier run against a shared real server) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
