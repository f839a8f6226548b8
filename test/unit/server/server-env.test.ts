import { describe, expect, it } from 'vitest';
import { launcherServerSettings, serverEnvironment } from '../../../scripts/lib/server-env.mjs';

const target = { host: 'localhost', port: 8090, username: 'alice', password: 's3cret' };

// What `npm run demo` typically has in its environment when it starts IGGY_SERVER_BIN.
const launcherEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/alice',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  RUST_LOG: 'debug',
  IGGY_URL: 'iggy://alice:s3cret@localhost:8090',
  IGGY_SERVER_BIN: '/opt/iggy/iggy-server',
  IGGY_STREAM: 'demo-stream',
  IGGY_TOPIC_DURABILITY: 'persisted',
  IGGY_PATH: '/somewhere/else',
  IGGY_TCP_ADDRESS: '0.0.0.0:9999',
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: '3000',
  AWS_SECRET_ACCESS_KEY: 'not-for-the-server',
  UNSET: undefined,
};

describe('the environment of a server started from IGGY_SERVER_BIN', () => {
  const env = serverEnvironment(launcherEnv, launcherServerSettings(target));

  it('does not pass on the app’s own IGGY_* settings, which the server would read as configuration', () => {
    for (const name of ['IGGY_URL', 'IGGY_SERVER_BIN', 'IGGY_STREAM', 'IGGY_TOPIC_DURABILITY']) {
      expect(env).not.toHaveProperty(name);
    }
  });

  it('sets no data path: the working directory .data/iggy places the data', () => {
    expect(env).not.toHaveProperty('IGGY_PATH');
  });

  it('keeps what a process needs and the server’s log level, and drops everything else', () => {
    expect(env.PATH).toBe('/usr/bin:/bin');
    expect(env.HOME).toBe('/home/alice');
    expect(env.LC_ALL).toBe('C.UTF-8');
    expect(env.RUST_LOG).toBe('debug');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(env).not.toHaveProperty('PORT');
    expect(env).not.toHaveProperty('UNSET');
  });

  it('gives the launcher’s settings, which win over an inherited value', () => {
    expect(env).toMatchObject({
      IGGY_ROOT_USERNAME: 'alice',
      IGGY_ROOT_PASSWORD: 's3cret',
      IGGY_TCP_ADDRESS: '127.0.0.1:8090',
      IGGY_HTTP_ADDRESS: '127.0.0.1:8080',
      IGGY_QUIC_ENABLED: 'false',
      IGGY_SHARDING_CPU_ALLOCATION: 'all',
    });
    const iggyNames = Object.keys(env).filter((name) => name.startsWith('IGGY_'));
    expect(iggyNames.sort()).toEqual(Object.keys(launcherServerSettings(target)).sort());
  });

  it('binds TCP to the host named in IGGY_URL', () => {
    const remote = launcherServerSettings({ ...target, host: '127.0.0.2', port: 18090 });
    expect(remote.IGGY_TCP_ADDRESS).toBe('127.0.0.2:18090');
  });
});
