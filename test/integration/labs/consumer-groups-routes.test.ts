import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as route from '@/app/api/labs/consumer-groups/route';
import { loadLabsConfig } from '@/lib/labs/config';
import { CONSUMER_GROUPS_MAX_CONNECTIONS, ConsumerGroupsLab } from '@/lib/labs/consumer-groups-lab';
import type { ConsumerGroupsLabState, MembershipOutcome } from '@/lib/labs/consumer-groups-lab-contract';
import type { LabActionResult } from '@/lib/labs/contract';
import { LabsRuntime } from '@/lib/labs/runtime';
import { acquireIggy, uniqueName, type IggyTarget } from '@/test/support/harness';

const BASE = 'http://localhost:3000';
const PATH = '/api/labs/consumer-groups';
let target: IggyTarget;
let runtime: LabsRuntime;

beforeAll(async () => {
  target = await acquireIggy();
  runtime = new LabsRuntime(loadLabsConfig({ IGGY_URL: target.url, IGGY_LABS_STREAM: uniqueName('labs') }));
  // Built here with quick syncs, so the route's lab settles fast.
  runtime.lab(
    'consumer-groups',
    (host) => new ConsumerGroupsLab(host, { syncIntervalMs: 100, pollIntervalMs: 20 }),
    { maxConnections: CONSUMER_GROUPS_MAX_CONNECTIONS },
  );
  globalThis.__iggyLabsRuntime = runtime;
});
afterAll(async () => {
  globalThis.__iggyLabsRuntime = undefined;
  await runtime?.close();
  await target?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request(`${BASE}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE, host: 'localhost:3000', ...headers },
    body,
  });

async function call<T>(
  handler: (r: Request) => Promise<Response>,
  request: Request,
): Promise<{ status: number; body: T; text: string }> {
  const response = await handler(request);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

const state = async () => (await call<ConsumerGroupsLabState>(route.GET, new Request(`${BASE}${PATH}`))).body;

/** What a refused request must leave as it was (counters move on their own while messages flow). */
const shape = (s: ConsumerGroupsLabState) => ({
  topic: s.topicInfo,
  members: s.members.map((m) => m.label),
  producer: { running: s.producer.running, rate: s.producer.rate, partitioning: s.producer.partitioning },
  serverMembers: s.serverGroup?.membersCount ?? null,
});

describe('the consumer-group lab route', () => {
  it('sets up, adds members, produces, and answers state with decimal-string offsets', async () => {
    const setup = await call<LabActionResult<unknown>>(route.POST, post('{"action":"setup","partitions":3}'));
    expect(setup.status).toBe(200);
    for (const member of ['A', 'B']) {
      const add = await call<LabActionResult<MembershipOutcome>>(route.POST, post('{"action":"addMember"}'));
      expect(add.status).toBe(200);
      expect(add.body.outcome.member).toBe(member);
    }
    const start = await call<LabActionResult<unknown>>(
      route.POST,
      post('{"action":"startProducer","rate":20,"partitioning":"key"}'),
    );
    expect(start.status).toBe(200);
    const s = await state();
    expect(s.topicInfo).toEqual({ partitionsCount: 3 });
    expect(s.members.map((m) => m.label)).toEqual(['A', 'B']);
    expect(s.producer).toMatchObject({ running: true, rate: 20, partitioning: 'key' });
    for (const p of s.partitions) {
      expect(p.lag).toMatch(/^\d+$/);
      if (p.currentOffset !== null) expect(p.currentOffset).toMatch(/^\d+$/);
    }
    // Summaries only: no frame bytes (a Register body would carry the password) leave the lab.
    expect(start.text).not.toMatch(/bytes"\s*:\s*\[/i);
  });

  const bad: [string, string, number, Record<string, string>?][] = [
    ['not JSON', '{"action":', 400],
    ['an empty body', '', 400],
    ['an array', '[]', 400],
    ['null', 'null', 400],
    ['no action', '{}', 400],
    ['an unknown action', '{"action":"explode"}', 400],
    ['action as a number', '{"action":1}', 400],
    ['0 partitions', '{"action":"setup","partitions":0}', 400],
    ['17 partitions', '{"action":"setup","partitions":17}', 400],
    ['fractional partitions', '{"action":"setup","partitions":2.5}', 400],
    ['partitions as a string', '{"action":"setup","partitions":"3"}', 400],
    ['setup without partitions', '{"action":"setup"}', 400],
    ['an extra field on addMember', '{"action":"addMember","count":3}', 400],
    ['removeMember without a member', '{"action":"removeMember"}', 400],
    ['a member label past H', '{"action":"removeMember","member":"I"}', 400],
    ['a lower-case member', '{"action":"removeMember","member":"a"}', 400],
    ['a member as a number', '{"action":"disconnectMember","member":0}', 400],
    ['removing a member that is not there', '{"action":"removeMember","member":"F"}', 400],
    ['disconnecting a member that is not there', '{"action":"disconnectMember","member":"G"}', 400],
    ['rate 0', '{"action":"startProducer","rate":0,"partitioning":"balanced"}', 400],
    ['rate 51', '{"action":"startProducer","rate":51,"partitioning":"balanced"}', 400],
    ['a negative rate', '{"action":"startProducer","rate":-5,"partitioning":"balanced"}', 400],
    ['a fractional rate', '{"action":"startProducer","rate":1.5,"partitioning":"balanced"}', 400],
    ['an unknown partitioning', '{"action":"startProducer","rate":5,"partitioning":"random"}', 400],
    ['a producer without partitioning', '{"action":"startProducer","rate":5}', 400],
    ['an extra field on stopProducer', '{"action":"stopProducer","now":true}', 400],
    ['an extra field on reset', '{"action":"reset","all":true}', 400],
    ['the wrong content type', '{"action":"addMember"}', 415, { 'content-type': 'text/plain' }],
    ['another origin', '{"action":"addMember"}', 403, { origin: 'https://evil.example' }],
    ['a body over 16 KiB', JSON.stringify({ action: 'addMember', pad: 'x'.repeat(17_000) }), 413],
  ];

  it.each(bad)('refuses %s with a JSON 4xx and changes nothing', async (_what, body, status, headers) => {
    const before = shape(await state());
    const response = await call<{ error: { code: string; message: string } }>(
      route.POST,
      post(body, headers),
    );
    expect(response.status).toBe(status);
    expect(response.body.error.code).toMatch(/^[A-Z_]+$/);
    expect(response.body.error.message.length).toBeGreaterThan(0);
    expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    expect(shape(await state())).toEqual(before);
  });

  it('names the bound in its refusal', async () => {
    const response = await call<{ error: { message: string } }>(
      route.POST,
      post('{"action":"setup","partitions":17}'),
    );
    expect(response.body.error.message).toContain('at most 16');
  });

  it('refuses query parameters and other methods in JSON', async () => {
    const query = await call<{ error: { code: string } }>(route.GET, new Request(`${BASE}${PATH}?x=1`));
    expect(query.status).toBe(400);
    const put = await call<{ error: { code: string } }>(
      route.PUT,
      new Request(`${BASE}${PATH}`, { method: 'PUT' }),
    );
    expect(put.status).toBe(405);
  });

  it('reset through the route stops everything and removes the topic', async () => {
    const reset = await call<LabActionResult<{ membersClosed: number }>>(
      route.POST,
      post('{"action":"reset"}'),
    );
    expect(reset.status).toBe(200);
    expect(reset.body.outcome.membersClosed).toBe(2);
    const s = await state();
    expect(s.topicInfo).toBeNull();
    expect(s.members).toEqual([]);
    expect(s.producer.running).toBe(false);
  });
});
