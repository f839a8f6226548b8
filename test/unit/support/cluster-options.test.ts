import { describe, expect, it } from 'vitest';
import { parseClusterFlag } from '../../support/cli-args';
import { parseSeedList } from '../../support/harness';
import { decodeClusterMetadata } from '../../support/probe/cluster-metadata-probe';
import { clusterPorts } from '../../support/server/test-cluster';
import { encodeClusterMetadata } from '../../support/wire/responses';

describe('npm run test-server -- --cluster N', () => {
  it('reads 1..16 in both spellings and nothing without the flag', () => {
    expect(parseClusterFlag([])).toEqual({});
    expect(parseClusterFlag(['--cluster', '3'])).toEqual({ nodes: 3 });
    expect(parseClusterFlag(['--cluster=16'])).toEqual({ nodes: 16 });
    expect(parseClusterFlag(['--cluster', '1'])).toEqual({ nodes: 1 });
  });

  it.each([['0'], ['17'], ['-1'], ['2.5'], ['three'], ['3x'], [' 3']])(
    'refuses %j with a clear message',
    (value) => {
      const parsed = parseClusterFlag(['--cluster', value]);
      expect(parsed.nodes).toBeUndefined();
      expect(parsed.error).toContain('--cluster takes a node count from 1 to 16');
    },
  );

  it('refuses a flag without a value', () => {
    expect(parseClusterFlag(['--cluster']).error).toContain('got ""');
  });
});

describe('cluster ports', () => {
  it('3 free ports by default, consecutive from basePort, or the explicit list', () => {
    expect(clusterPorts({})).toEqual([0, 0, 0]);
    expect(clusterPorts({ nodes: 2, basePort: 8090 })).toEqual([8090, 8091]);
    expect(clusterPorts({ ports: [9000, 9005, 9003] })).toEqual([9000, 9005, 9003]);
  });

  it('refuses bad counts, mismatched lists, bad and repeated ports', () => {
    expect(() => clusterPorts({ nodes: 0 })).toThrow(RangeError);
    expect(() => clusterPorts({ nodes: 17 })).toThrow(RangeError);
    expect(() => clusterPorts({ nodes: 2, ports: [1, 2, 3] })).toThrow(RangeError);
    expect(() => clusterPorts({ nodes: 2, basePort: 65_535 })).toThrow(RangeError);
    expect(() => clusterPorts({ ports: [9000, 9000] })).toThrow(RangeError);
  });
});

describe('seed list URL (IGGY_TEST_URL for a cluster)', () => {
  it('reads credentials and every host:port in order', () => {
    expect(parseSeedList('iggy://iggy:p%40ss@127.0.0.1:8090,127.0.0.1:8091,[::1]:8092')).toEqual({
      username: 'iggy',
      password: 'p@ss',
      hosts: [
        { host: '127.0.0.1', port: 8090 },
        { host: '127.0.0.1', port: 8091 },
        { host: '::1', port: 8092 },
      ],
    });
    expect(parseSeedList('iggy://u:p@h:1').hosts).toEqual([{ host: 'h', port: 1 }]);
  });

  it.each([
    ['http://u:p@h:1'],
    ['iggy://h:1'],
    ['iggy://u:p@h'],
    ['iggy://u:p@h:1,h2'],
    ['iggy://u:p@h:70000'],
  ])('refuses %s without echoing a password', (url) => {
    expect(() => parseSeedList(url)).toThrow(/IGGY_TEST_URL/);
  });
});

describe('cluster metadata codec (test/support side)', () => {
  it('decodes what the server encodes, and refuses trailing or missing bytes', () => {
    const body = encodeClusterMetadata('demo-cluster', [
      {
        name: 'node-0',
        ip: '127.0.0.1',
        tcpPort: 8090,
        quicPort: 0,
        httpPort: 0,
        websocketPort: 0,
        role: 0,
        status: 0,
      },
      {
        name: 'node-1',
        ip: '127.0.0.1',
        tcpPort: 8091,
        quicPort: 1,
        httpPort: 2,
        websocketPort: 3,
        role: 1,
        status: 3,
      },
    ]);
    // 4+12 name, 4 count, then per node 4+6 + 4+9 + 10.
    expect(body.length).toBe(16 + 4 + 2 * 33);
    expect(decodeClusterMetadata(body)).toEqual({
      clusterName: 'demo-cluster',
      nodes: [
        {
          name: 'node-0',
          ip: '127.0.0.1',
          tcpPort: 8090,
          quicPort: 0,
          httpPort: 0,
          websocketPort: 0,
          role: 0,
          status: 0,
        },
        {
          name: 'node-1',
          ip: '127.0.0.1',
          tcpPort: 8091,
          quicPort: 1,
          httpPort: 2,
          websocketPort: 3,
          role: 1,
          status: 3,
        },
      ],
    });
    expect(() => decodeClusterMetadata(Buffer.concat([body, Buffer.from([0])]))).toThrow();
    expect(() => decodeClusterMetadata(body.subarray(0, body.length - 1))).toThrow();
  });
});
