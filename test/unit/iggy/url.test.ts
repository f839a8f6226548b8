import { describe, expect, it } from 'vitest';
import { parseIggyUrl } from '@/lib/iggy/url';
import { IggyError } from '@/lib/iggy/errors';

describe('parseIggyUrl: accepted', () => {
  it.each([
    ['iggy://iggy:iggy@localhost:8090', 'localhost', 8090, 'iggy', 'iggy', 'localhost:8090'],
    ['iggy+tcp://iggy:iggy@127.0.0.1:9000', '127.0.0.1', 9000, 'iggy', 'iggy', '127.0.0.1:9000'],
    ['iggy://iggy:iggy@localhost', 'localhost', 8090, 'iggy', 'iggy', 'localhost:8090'],
    ['iggy://iggy:iggy@localhost/', 'localhost', 8090, 'iggy', 'iggy', 'localhost:8090'],
    ['IGGY://u:p@host.example.com:1', 'host.example.com', 1, 'u', 'p', 'host.example.com:1'],
    ['iggy://u:p@[::1]:8091', '::1', 8091, 'u', 'p', '[::1]:8091'],
    ['iggy://u:p@[fe80::1]', 'fe80::1', 8090, 'u', 'p', '[fe80::1]:8090'],
    ['iggy://us%40er:p%3Ass%2Fw%25rd@h:65535', 'h', 65535, 'us@er', 'p:ss/w%rd', 'h:65535'],
    ['iggy://u:p@ss@h:2', 'h', 2, 'u', 'p@ss', 'h:2'],
    ['  iggy://u:p:q@iggy-server:8090  ', 'iggy-server', 8090, 'u', 'p:q', 'iggy-server:8090'],
  ])('%s', (url, host, port, username, password, address) => {
    const parsed = parseIggyUrl(url);
    expect(parsed).toMatchObject({ host, port, username, address });
    expect(parsed.password).toBe(password);
  });

  it('hides the password from toString, JSON and inspection', () => {
    const parsed = parseIggyUrl('iggy://admin:s3cr3t-pw@db:8090');
    expect(parsed.toString()).toBe('iggy://admin@db:8090');
    expect(String(parsed)).toBe('iggy://admin@db:8090');
    expect(JSON.stringify(parsed)).not.toContain('s3cr3t');
    expect(Object.keys(parsed)).not.toContain('password');
  });
});

describe('parseIggyUrl: rejected with a clear message that never contains the password', () => {
  const SECRET = 'Sup3rS3cret';
  it.each([
    ['', /empty/],
    ['localhost:8090', /iggy:\/\//],
    [`http://u:${SECRET}@h:1`, /'http:\/\/' is not supported/],
    [`iggy://${SECRET}@h`, /password is required/],
    ['iggy://h:8090', /username and password are required/],
    [`iggy://:${SECRET}@h`, /username is empty/],
    ['iggy://u:@h', /password is empty/],
    [`iggy://u:${SECRET}%zz@h`, /password is not valid percent-encoding/],
    [`iggy://u%zz:${SECRET}@h`, /username is not valid percent-encoding/],
    [`iggy://u:${SECRET}@`, /host is missing/],
    [`iggy://u:${SECRET}@:8090`, /host is missing/],
    [`iggy://u:${SECRET}@h:0`, /port must be/],
    [`iggy://u:${SECRET}@h:65536`, /port must be/],
    [`iggy://u:${SECRET}@h:-1`, /port must be/],
    [`iggy://u:${SECRET}@h:80a`, /port must be/],
    [`iggy://u:${SECRET}@h:`, /port must be/],
    [`iggy://u:${SECRET}@h:8090/stream`, /paths, query/],
    [`iggy://u:${SECRET}@h?x=1`, /paths, query/],
    [`iggy://u:${SECRET}@[::1`, /closing bracket/],
    [`iggy://u:${SECRET}@[not-ip]:1`, /not a valid IPv6/],
    [`iggy://u:${SECRET}@[::1]x`, /unexpected characters/],
    [`iggy://u:${SECRET}@::1:8090`, /in brackets/],
    [`iggy://u:${SECRET}@bad_host!:8090`, /not a valid host name/],
  ])('%s', (url, message) => {
    let error: unknown;
    try {
      parseIggyUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IggyError);
    expect((error as IggyError).kind).toBe('invalid-argument');
    expect((error as IggyError).message).toMatch(message);
    expect((error as IggyError).message).not.toContain(SECRET);
  });

  it('rejects non-strings', () => {
    expect(() => parseIggyUrl(undefined as unknown as string)).toThrow(IggyError);
  });
});
