import { describe, expect, it } from 'vitest';
import * as route from '@/app/api/labs/[lab]/route';
import { CONSUMER_GROUPS_MAX_CONNECTIONS, ConsumerGroupsLab } from '@/lib/labs/consumer-groups/lab';
import type { ConsumerGroupsLabState, MembershipOutcome } from '@/lib/labs/consumer-groups/contract';
import {
  expectRefusesQueryAndPut,
  itRefusesBadInput,
  labRoute,
  refusedEnvelopes,
  startLabsRuntime,
  type BadInput,
} from './lab-route-harness';

startLabsRuntime({
  // Built here with quick syncs, so the route's lab settles fast.
  prepare: (runtime) =>
    runtime.lab(
      'consumer-groups',
      (host) => new ConsumerGroupsLab(host, { syncIntervalMs: 100, pollIntervalMs: 20 }),
      { maxConnections: CONSUMER_GROUPS_MAX_CONNECTIONS },
    ),
});
const lab = labRoute<ConsumerGroupsLabState>(route, '/api/labs/consumer-groups');
const state = lab.state;

/** What a refused request must leave as it was (counters move on their own while messages flow). */
const shape = (s: ConsumerGroupsLabState) => ({
  topic: s.topicInfo,
  members: s.members.map((m) => m.label),
  producer: { running: s.producer.running, rate: s.producer.rate, partitioning: s.producer.partitioning },
  serverMembers: s.serverGroup?.membersCount ?? null,
});

describe('the consumer-group lab route', () => {
  it('sets up, adds members, produces, and answers state with decimal-string offsets', async () => {
    const setup = await lab.act<unknown>({ action: 'setup', partitions: 3 });
    expect(setup.status).toBe(200);
    for (const member of ['A', 'B']) {
      const add = await lab.act<MembershipOutcome>({ action: 'addMember' });
      expect(add.status).toBe(200);
      expect(add.body.outcome.member).toBe(member);
    }
    const start = await lab.act<unknown>({ action: 'startProducer', rate: 20, partitioning: 'key' });
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

  const bad: BadInput[] = [
    ...refusedEnvelopes('addMember'),
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
  ];

  itRefusesBadInput(bad, { lab, snapshot: async () => shape(await state()) });

  it('names the bound in its refusal', async () => {
    const response = await lab.send<{ error: { message: string } }>('{"action":"setup","partitions":17}');
    expect(response.body.error.message).toContain('at most 16');
  });

  it('refuses query parameters and other methods in JSON', async () => {
    await expectRefusesQueryAndPut(lab, '?x=1');
  });

  it('reset through the route stops everything and removes the topic', async () => {
    const reset = await lab.act<{ membersClosed: number }>({ action: 'reset' });
    expect(reset.status).toBe(200);
    expect(reset.body.outcome.membersClosed).toBe(2);
    const s = await state();
    expect(s.topicInfo).toBeNull();
    expect(s.members).toEqual([]);
    expect(s.producer.running).toBe(false);
  });
});
