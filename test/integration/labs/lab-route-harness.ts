import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadLabsConfig } from '@/lib/labs/config';
import type { LabActionResult } from '@/lib/labs/contract';
import type { LabRouteContext } from '@/lib/labs/route-handlers';
import { LabsRuntime, type LabsRuntimeOptions } from '@/lib/labs/runtime';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';

/*
 * What the lab route tests share: an Iggy (the test server, or IGGY_TEST_URL's) with a labs runtime of
 * its own stream installed where the routes find it, requests as the browser would send them, and the
 * table of bad input every route must refuse with a JSON 4xx while changing nothing.
 */

export const BASE = 'http://localhost:3000';

type Handler = (request: Request) => Promise<Response>;
type LabHandler = (request: Request, context: LabRouteContext) => Promise<Response>;
/** The lab route module (app/api/labs/[lab]/route.ts), or handlers built the same way. */
export interface LabRoute {
  GET: LabHandler;
  POST: LabHandler;
  PUT: LabHandler;
}

export interface Called<T> {
  status: number;
  body: T;
  text: string;
}

export async function call<T>(handler: Handler, request: Request): Promise<Called<T>> {
  const response = await handler(request);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

/** A same-origin JSON POST, as the lab's page sends it; `headers` override (content type, origin). */
export const postRequest = (path: string, body: string, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE, host: 'localhost:3000', ...headers },
    body,
  });

export interface LabsEnv {
  readonly target: IggyTarget;
  readonly runtime: LabsRuntime;
}

/**
 * Starts Iggy and a labs runtime on a unique stream before the file's tests and closes both after.
 * `prepare` builds a lab with test pacing before any route asks for it.
 */
export function startLabsRuntime(
  options: { runtime?: LabsRuntimeOptions; prepare?: (runtime: LabsRuntime) => void } = {},
): LabsEnv {
  let target: IggyTarget | undefined;
  let runtime: LabsRuntime | undefined;
  beforeAll(async () => {
    target = await acquireIggy();
    runtime = new LabsRuntime(
      loadLabsConfig({ IGGY_URL: target.url, IGGY_LABS_STREAM: uniqueName('labs') }),
      options.runtime,
    );
    options.prepare?.(runtime);
    globalThis.__iggyLabsRuntime = runtime;
  });
  afterAll(async () => {
    globalThis.__iggyLabsRuntime = undefined;
    await runtime?.close();
    await target?.close();
  });
  return {
    get target() {
      if (!target) throw new Error('the labs runtime is not started yet (use it inside a test)');
      return target;
    },
    get runtime() {
      if (!runtime) throw new Error('the labs runtime is not started yet (use it inside a test)');
      return runtime;
    },
  };
}

/** The route's handlers for the lab at `path` (/api/labs/<name>), with the params Next would pass. */
export function boundLabRoute(route: LabRoute, path: string): Record<keyof LabRoute, Handler> {
  const lab = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  const context = (): LabRouteContext => ({ params: Promise.resolve({ lab }) });
  return {
    GET: (request) => route.GET(request, context()),
    POST: (request) => route.POST(request, context()),
    PUT: (request) => route.PUT(request, context()),
  };
}

/** One lab's route, as its tests call it. */
export function labRoute<State>(labsRoute: LabRoute, path: string) {
  const route = boundLabRoute(labsRoute, path);
  const post = (body: string, headers?: Record<string, string>) => postRequest(path, body, headers);
  return {
    route,
    path,
    post,
    /** POSTs `body` as the raw text given. */
    send: <T>(body: string, headers?: Record<string, string>) => call<T>(route.POST, post(body, headers)),
    act: <T>(body: object) => call<LabActionResult<T>>(route.POST, post(JSON.stringify(body))),
    get: <T = State>(query = '') => call<T>(route.GET, new Request(`${BASE}${path}${query}`)),
    state: async (query = '') => (await call<State>(route.GET, new Request(`${BASE}${path}${query}`))).body,
  };
}

/** A refused request: what it is, its body, the status it must get, and headers to override. */
export type BadInput = [what: string, body: string, status: number, headers?: Record<string, string>];

/**
 * What every lab route refuses before it reads the action: a body that is not one JSON object, the wrong
 * content type, another origin, too many bytes. `action` is one the route takes with no other field, so
 * a refusal that let it through would show as a change.
 */
export function refusedEnvelopes(action: string): BadInput[] {
  const valid = JSON.stringify({ action });
  return [
    ['not JSON', '{"action":', 400],
    ['an empty body', '', 400],
    ['an array', '[]', 400],
    ['null', 'null', 400],
    ['a wrong content type', valid, 415, { 'content-type': 'text/plain' }],
    ['another origin', valid, 403, { origin: 'https://evil.example' }],
    ['a body over 16 KiB', JSON.stringify({ action, pad: 'x'.repeat(17_000) }), 413],
  ];
}

/**
 * One test per row: the route answers the row's status with a JSON error (a code, a message, no stack
 * trace) and `snapshot` (what the refusal must leave as it was) reads the same after as before.
 * `code` pins the error code where every row has the same one.
 */
export function itRefusesBadInput(
  rows: BadInput[],
  {
    lab,
    snapshot,
    title = 'refuses %s with a JSON 4xx and changes nothing',
    code,
  }: {
    lab: { send: <T>(body: string, headers?: Record<string, string>) => Promise<Called<T>> };
    snapshot: () => Promise<unknown>;
    title?: string;
    code?: string;
  },
) {
  it.each(rows)(title, async (_what, body, status, headers) => {
    const before = await snapshot();
    const response = await lab.send<{ error: { code: string; message: string } }>(body, headers);
    expect(response.status).toBe(status);
    if (code === undefined) expect(response.body.error.code).toMatch(/^[A-Z_]+$/);
    else expect(response.body.error.code).toBe(code);
    expect(response.body.error.message.length).toBeGreaterThan(0);
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await snapshot()).toEqual(before);
  });
}

/** Query parameters the route does not take, and a method it does not serve, are refused in JSON. */
export async function expectRefusesQueryAndPut(lab: ReturnType<typeof labRoute>, query: string) {
  expect((await lab.get<{ error: { code: string } }>(query)).status).toBe(400);
  const put = await call<{ error: { code: string } }>(
    lab.route.PUT,
    new Request(`${BASE}${lab.path}`, { method: 'PUT' }),
  );
  expect(put.status).toBe(405);
}
