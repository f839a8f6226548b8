import { describe, expect, it } from 'vitest';
import {
  clusterNodeSettings,
  cpuAllocationName,
  launcherServerSettings,
  parseServerVersion,
  serverEnvironment,
} from '../../../scripts/lib/server-env.mjs';

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

describe('setting names by server version', () => {
  it('reads the version from iggy-server --version', () => {
    expect(parseServerVersion('server 0.9.0-edge.5\n')).toBe('0.9.0-edge.5');
    expect(parseServerVersion('iggy-server 0.9.0')).toBe('0.9.0');
    expect(parseServerVersion('')).toBeUndefined();
    expect(parseServerVersion(undefined)).toBeUndefined();
  });

  it('names the CPU allocation the way that build reads it (a debug edge build stops on the other name)', () => {
    expect(cpuAllocationName('0.9.0-edge.5')).toBe('IGGY_SYSTEM_SHARDING_CPU_ALLOCATION');
    expect(cpuAllocationName('0.8.3')).toBe('IGGY_SYSTEM_SHARDING_CPU_ALLOCATION');
    expect(cpuAllocationName('0.9.0')).toBe('IGGY_SHARDING_CPU_ALLOCATION');
    expect(cpuAllocationName('0.10.1-rc.1')).toBe('IGGY_SHARDING_CPU_ALLOCATION');
    expect(cpuAllocationName(undefined)).toBe('IGGY_SHARDING_CPU_ALLOCATION');
  });

  it('gives a pre-release server one name only, never both', () => {
    const nodes = [
      { host: '127.0.0.1', port: 8090 },
      { host: '127.0.0.1', port: 8091 },
    ];
    for (const settings of [
      launcherServerSettings(target, '0.9.0-edge.5'),
      clusterNodeSettings(nodes, 0, target, '0.9.0-edge.5'),
    ]) {
      expect(settings.IGGY_SYSTEM_SHARDING_CPU_ALLOCATION).toBe('all');
      expect(settings).not.toHaveProperty('IGGY_SHARDING_CPU_ALLOCATION');
    }
    expect(clusterNodeSettings(nodes, 0, target, '0.9.0')).not.toHaveProperty(
      'IGGY_SYSTEM_SHARDING_CPU_ALLOCATION',
    );
  });
});
