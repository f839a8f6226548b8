import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IggyError, IggyErrorCode } from '@/lib/iggy';
import { readJsonBody, MAX_BODY_BYTES } from '@/lib/api/body';
import { ApiError, ERROR_STATUS, mapError } from '@/lib/api/errors';
import { json, stringifyJson } from '@/lib/api/json';
import { assertSameOrigin } from '@/lib/api/origin';
import { DemoConfigError, loadDemoConfig } from '@/lib/demo/config';

describe('json()', () => {
  it('writes bigint as decimal strings and marks the response uncacheable', async () => {
    expect(stringifyJson({ offset: 2n ** 64n - 1n, nested: [1n] })).toBe(
      '{"offset":"18446744073709551615","nested":["1"]}',
    );
    const response = json({ a: 1n }, 201);
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ a: '1' });
  });
});

describe('mapError', () => {
  it('gives every ApiError code its status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      const mapped = mapError(new ApiError(code as keyof typeof ERROR_STATUS, 'm'));
      expect(mapped.status).toBe(status);
      expect(mapped.body.error.code).toBe(code);
    }
  });

  it('reports a config error as 500 CONFIG_INVALID without the password', () => {
    let error: unknown;
    try {
      loadDemoConfig({ IGGY_URL: 'iggy://iggy:pa55-word-canary@:0', PRODUCER_RATE: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DemoConfigError);
    const mapped = mapError(error);
    expect(mapped.status).toBe(500);
    expect(mapped.body.error.code).toBe('CONFIG_INVALID');
    expect(JSON.stringify(mapped.body)).not.toContain('pa55-word-canary');
  });

  it('separates an unreachable server (503) from a refused request (502) and hides unknown errors', () => {
    expect(mapError(new IggyError({ code: IggyErrorCode.ConnectFailed, kind: 'connect' })).status).toBe(503);
    const refused = mapError(new IggyError({ code: IggyErrorCode.Unauthorized, kind: 'server' }));
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toContain('UNAUTHORIZED');
    const unknown = mapError(new TypeError('x is undefined at foo.ts:12'));
    expect(unknown).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Internal server error' } },
      unexpected: true,
    });
  });
});

describe('assertSameOrigin', () => {
  const req = (headers: Record<string, string>) =>
    new Request('http://localhost:3000/api/producer', { method: 'POST', headers });
  it('allows no Origin and the same host', () => {
    expect(() => assertSameOrigin(req({}))).not.toThrow();
    expect(() =>
      assertSameOrigin(req({ origin: 'http://localhost:3000', host: 'localhost:3000' })),
    ).not.toThrow();
    expect(() =>
      assertSameOrigin(req({ origin: 'http://LOCALHOST:3000', host: 'localhost:3000' })),
    ).not.toThrow();
  });
  it.each(['https://evil.example', 'http://localhost:3001', 'null', 'not a url'])(
    'refuses Origin %j',
    (origin) => {
      expect(() => assertSameOrigin(req({ origin, host: 'localhost:3000' }))).toThrow(ApiError);
    },
  );
  it('ignores X-Forwarded-Host (a caller could set it)', () => {
    expect(() =>
      assertSameOrigin(
        req({ origin: 'https://evil.example', host: 'localhost:3000', 'x-forwarded-host': 'evil.example' }),
      ),
    ).toThrow(ApiError);
  });
});

describe('readJsonBody', () => {
  const schema = z.object({ n: z.number() }).strict();
  const req = (body: string) =>
    new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  it('accepts a body of exactly the limit', async () => {
    const body = `{"n":1}`.padEnd(MAX_BODY_BYTES, ' ');
    await expect(readJsonBody(req(body), schema)).resolves.toEqual({ n: 1 });
  });
  it('refuses one byte more', async () => {
    const body = `{"n":1}`.padEnd(MAX_BODY_BYTES + 1, ' ');
    await expect(readJsonBody(req(body), schema)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
    });
  });
});
