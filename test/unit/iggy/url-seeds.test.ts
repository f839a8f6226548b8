import { describe, expect, it } from 'vitest';
import { MAX_SEEDS, parseIggyUrl } from '@/lib/iggy/url';
import { IggyError } from '@/lib/iggy/errors';

const SECRET = 'Sup3rS3cret';

function rejection(url: string): IggyError {
  try {
    parseIggyUrl(url);
  } catch (error) {
    expect(error).toBeInstanceOf(IggyError);
    return error as IggyError;
  }
  throw new Error(`expected ${url.replace(SECRET, '***')} to be rejected`);
}

describe('parseIggyUrl: seed lists', () => {
  it('keeps the single-host shape and adds one seed', () => {
    const parsed = parseIggyUrl('iggy://u:p@127.0.0.1:8090');
    expect(parsed).toMatchObject({ host: '127.0.0.1', port: 8090, address: '127.0.0.1:8090' });
    expect(parsed.seeds).toEqual([{ host: '127.0.0.1', port: 8090, address: '127.0.0.1:8090' }]);
  });

  it('reads several hosts in order; host, port and address are the first one', () => {
    const parsed = parseIggyUrl(`iggy://iggy:${SECRET}@127.0.0.1:8090,127.0.0.1:8091, [::1]:8092,node-3`);
    expect(parsed.seeds).toEqual([
      { host: '127.0.0.1', port: 8090, address: '127.0.0.1:8090' },
      { host: '127.0.0.1', port: 8091, address: '127.0.0.1:8091' },
      { host: '::1', port: 8092, address: '[::1]:8092' },
      { host: 'node-3', port: 8090, address: 'node-3:8090' },
    ]);
    expect(parsed).toMatchObject({ host: '127.0.0.1', port: 8090, address: '127.0.0.1:8090' });
    expect(parsed.password).toBe(SECRET);
    expect(String(parsed)).toBe('iggy://iggy@127.0.0.1:8090,127.0.0.1:8091,[::1]:8092,node-3:8090');
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
  });

  it(`accepts ${MAX_SEEDS} hosts and refuses ${MAX_SEEDS + 1}`, () => {
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `10.0.0.1:${9000 + i}`).join(',');
    expect(parseIggyUrl(`iggy://u:p@${hosts(MAX_SEEDS)}`).seeds).toHaveLength(MAX_SEEDS);
    const error = rejection(`iggy://u:${SECRET}@${hosts(MAX_SEEDS + 1)}`);
    expect(error.kind).toBe('invalid-argument');
    expect(error.message).toMatch(/at most 16 hosts/);
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    ['127.0.0.1:8090,127.0.0.1:8090', /host 2 \(127\.0\.0\.1:8090\) appears twice/],
    ['h:8090,H:8090', /host 2 \(H:8090\) appears twice/],
    // The default port makes these the same node.
    ['h,h:8090', /host 2 \(h:8090\) appears twice/],
    ['127.0.0.1:8090,,127.0.0.1:8092', /host 2 \(''\): the host is missing/],
    ['127.0.0.1:8090,127.0.0.1:99999', /host 2 \('127\.0\.0\.1:99999'\): the port must be a number/],
    ['127.0.0.1:8090,::1:8091', /host 2 \('::1:8091'\): IPv6 hosts must be written in brackets/],
    ['127.0.0.1:8090,[::1:8091', /host 2 \('\[::1:8091'\): the IPv6 address is missing its closing bracket/],
    ['a:1,b:2,bad host:3', /host 3 \('bad\?host:3'\): the host 'bad host' is not a valid host name/],
    ['127.0.0.1:8090,127.0.0.1:x', /host 2 \('127\.0\.0\.1:x'\): the port must be a number/],
    ['127.0.0.1:8090,', /host 2 \(''\): the host is missing/],
  ])('rejects %s naming the bad entry', (hosts, message) => {
    const error = rejection(`iggy://iggy:${SECRET}@${hosts}`);
    expect(error.kind).toBe('invalid-argument');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(SECRET);
  });

  it('never echoes the password, even when it looks like a host list', () => {
    const error = rejection(`iggy://iggy:${SECRET},x:1@h:1,h:1`);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toMatch(/appears twice/);
  });
});
