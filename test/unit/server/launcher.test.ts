import { describe, expect, it } from 'vitest';
import { IggyUrlError, formatIggyUrl, parseIggyUrl } from '../../../scripts/lib/iggy-url.mjs';
import { UsageError, chooseServer, parseDemoOptions } from '../../../scripts/lib/launch-plan.mjs';
import { clusterNodeSettings, serverEnvironment } from '../../../scripts/lib/server-env.mjs';

describe('IGGY_URL as npm run demo reads it', () => {
  it('takes one address or a seed list, with the credentials decoded', () => {
    expect(parseIggyUrl('iggy://iggy:iggy@127.0.0.1:8090')).toEqual({
      username: 'iggy',
      password: 'iggy',
      nodes: [{ host: '127.0.0.1', port: 8090 }],
    });
    expect(parseIggyUrl('iggy://u:p%40ss@127.0.0.1:8090,127.0.0.1:8091,[::1]:8092').nodes).toEqual([
      { host: '127.0.0.1', port: 8090 },
      { host: '127.0.0.1', port: 8091 },
      { host: '::1', port: 8092 },
    ]);
    expect(parseIggyUrl('iggy://u:p%40ss@h').password).toBe('p@ss');
    expect(parseIggyUrl('iggy://u:p@h').nodes).toEqual([{ host: 'h', port: 8090 }]);
  });

  it('refuses what it cannot use, without repeating the password', () => {
    for (const bad of [
      'http://u:secret@h:8090',
      'iggy://u:secret@h:99999',
      'iggy://u:secret@h:8090,h:8090',
      'iggy://u:secret@h:8090,',
      'not a url secret',
    ]) {
      expect(() => parseIggyUrl(bad)).toThrow(IggyUrlError);
      try {
        parseIggyUrl(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain('secret');
      }
    }
  });

  it('writes the seed list the app gets, round-tripping odd credentials', () => {
    const nodes = [8090, 8091, 8092].map((port) => ({ host: '127.0.0.1', port }));
    const url = formatIggyUrl({ username: 'iggy', password: 'p@ss:w/rd' }, nodes);
    expect(url).toBe('iggy://iggy:p%40ss%3Aw%2Frd@127.0.0.1:8090,127.0.0.1:8091,127.0.0.1:8092');
    expect(parseIggyUrl(url)).toEqual({ username: 'iggy', password: 'p@ss:w/rd', nodes });
  });
});

describe('npm run demo options', () => {
  it('reads --cluster, --no-stand-in and IGGY_STAND_IN', () => {
    expect(parseDemoOptions([], {})).toEqual({ cluster: false, standIn: true });
    expect(parseDemoOptions(['--cluster'], {})).toEqual({ cluster: true, standIn: true });
    expect(parseDemoOptions(['--no-stand-in'], {})).toEqual({ cluster: false, standIn: false });
    for (const off of ['0', 'false', 'NO', ' off '])
      expect(parseDemoOptions([], { IGGY_STAND_IN: off }).standIn).toBe(false);
    expect(parseDemoOptions([], { IGGY_STAND_IN: '1' }).standIn).toBe(true);
    expect(() => parseDemoOptions(['--clustr'], {})).toThrow(UsageError);
  });
});

describe('which server npm run demo uses', () => {
  const facts = {
    answers: false,
    local: true,
    dockerWorks: () => false,
    serverBin: undefined,
    standIn: true,
  };

  it('uses a server that answers, and asks Docker nothing then', () => {
    const dockerWorks = () => {
      throw new Error('asked Docker although a server answers');
    };
    expect(chooseServer({ ...facts, answers: true, dockerWorks })).toBe('use-running');
  });

  it('prefers the real server: Docker, then IGGY_SERVER_BIN, and only then the stand-in', () => {
    expect(chooseServer({ ...facts, dockerWorks: () => true, serverBin: '/x' })).toBe('docker');
    expect(chooseServer({ ...facts, serverBin: '/x' })).toBe('binary');
    expect(chooseServer(facts)).toBe('stand-in');
  });

  it('never starts the stand-in when told not to, nor anything in place of a remote server', () => {
    expect(chooseServer({ ...facts, standIn: false })).toBe('none');
    expect(chooseServer({ ...facts, local: false, dockerWorks: () => true, serverBin: '/x' })).toBe('none');
  });
});

describe('a cluster from IGGY_SERVER_BIN', () => {
  const nodes = [8090, 8091, 8092].map((port) => ({ host: '127.0.0.1', port }));
  const credentials = { username: 'iggy', password: 'secret' };

  it('gives each node its own client port and the same membership', () => {
    const all = nodes.map((_, i) => clusterNodeSettings(nodes, i, credentials));
    const membership = (settings: Record<string, string>) =>
      Object.fromEntries(Object.entries(settings).filter(([key]) => key.startsWith('IGGY_CLUSTER_')));
    expect(all.map((s) => s.IGGY_TCP_ADDRESS)).toEqual([
      '127.0.0.1:8090',
      '127.0.0.1:8091',
      '127.0.0.1:8092',
    ]);
    for (const settings of all) expect(membership(settings)).toEqual(membership(all[0]!));
    expect(all[0]).toMatchObject({
      IGGY_CLUSTER_ENABLED: 'true',
      IGGY_CLUSTER_NODES_2_NAME: 'node-2',
      IGGY_CLUSTER_NODES_2_IP: '127.0.0.1',
      IGGY_CLUSTER_NODES_2_REPLICA_ID: '2',
      IGGY_CLUSTER_NODES_2_PORTS_TCP: '8092',
      IGGY_CLUSTER_NODES_2_PORTS_TCP_REPLICA: '18092',
      IGGY_ROOT_USERNAME: 'iggy',
      IGGY_ROOT_PASSWORD: 'secret',
    });
    // Replica ports must not collide with any node's client port.
    const clientPorts = new Set(nodes.map((n) => String(n.port)));
    for (let i = 0; i < 3; i += 1)
      expect(clientPorts.has(all[0]![`IGGY_CLUSTER_NODES_${i}_PORTS_TCP_REPLICA`]!)).toBe(false);
  });

  it('turns off the listeners that would collide on one machine, and passes on none of the app’s settings', () => {
    const env = serverEnvironment(
      { PATH: '/bin', IGGY_URL: 'iggy://iggy:secret@127.0.0.1:8090', IGGY_STAND_IN: '0' },
      clusterNodeSettings(nodes, 1, credentials),
    );
    expect(env).toMatchObject({
      IGGY_HTTP_ENABLED: 'false',
      IGGY_QUIC_ENABLED: 'false',
      IGGY_WEBSOCKET_ENABLED: 'false',
    });
    expect(env).not.toHaveProperty('IGGY_URL');
    expect(env).not.toHaveProperty('IGGY_STAND_IN');
    expect(env.PATH).toBe('/bin');
  });
});
