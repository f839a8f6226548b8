import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as labsRoute from '@/app/api/labs/[lab]/route';
import type {
  ClusterLabState,
  ClusterSendOutcome,
  LedgerCheckOutcome,
  WriteFollowerOutcome,
} from '@/lib/labs/cluster/contract';
import { loadLabsConfig } from '@/lib/labs/config';
import { LabsRuntime } from '@/lib/labs/runtime';
import { startTestCluster, type TestCluster } from '@/test/support';
import { uniqueName } from '@/test/support/harness';
import {
  expectRefusesQueryAndPut,
  itRefusesBadInput,
  labRoute,
  refusedEnvelopes,
  type BadInput,
} from './lab-route-harness';

/*
 * The lab route on a three-node test cluster: the shared harness starts one node, so the runtime here is
 * built on the cluster's seed list and installed where the route finds it, as startLabsRuntime does.
 */
let cluster: TestCluster;
let runtime: LabsRuntime;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 3, heartbeatTimeoutMs: 1_500 });
  runtime = new LabsRuntime(loadLabsConfig({ IGGY_URL: cluster.url, IGGY_LABS_STREAM: uniqueName('labs') }), {
    clientOptions: { connectTimeoutMs: 2_000, requestTimeoutMs: 3_000 },
  });
  globalThis.__iggyLabsRuntime = runtime;
});
afterAll(async () => {
  globalThis.__iggyLabsRuntime = undefined;
  await runtime?.close();
  await cluster?.stop();
});

const lab = labRoute<ClusterLabState>(labsRoute, '/api/labs/cluster');

describe('the cluster lab route', () => {
  it('answers the roster as JSON, with no credentials in it', async () => {
    const response = await lab.get();
    expect(response.status).toBe(200);
    expect(response.body.roster?.nodes.map((n) => [n.name, n.role])).toEqual([
      ['node-0', cluster.primaryIndex() === 0 ? 'leader' : 'follower'],
      ['node-1', cluster.primaryIndex() === 1 ? 'leader' : 'follower'],
      ['node-2', cluster.primaryIndex() === 2 ? 'leader' : 'follower'],
    ]);
    expect(response.body.seeds).toEqual(cluster.nodes.map((n) => n.address));
    expect(response.text).not.toContain('iggy:iggy');
  });

  it('refuses on a follower, accepts on the primary, and checks the ledger, offsets as strings', async () => {
    const write = await lab.act<WriteFollowerOutcome>({ action: 'writeFollower' });
    expect(write.status).toBe(200);
    expect(write.body.outcome.follower).toMatchObject({ status: 58, offset: null });
    expect(write.body.outcome.primary?.offset).toBe('0');
    const sent = await lab.act<ClusterSendOutcome>({ action: 'send', count: 3 });
    expect(sent.body.outcome.offsets).toEqual(['1', '2', '3']);
    const check = await lab.act<LedgerCheckOutcome>({ action: 'checkLedger' });
    expect(check.body.outcome).toMatchObject({ checked: 4, missing: [] });
    expect((await lab.state()).ledger).toMatchObject({ count: 4, firstOffset: '0', lastOffset: '3' });
  });

  it('names a follower that is not one as a 400, and the lab keeps working', async () => {
    const leader = `node-${cluster.primaryIndex()}`;
    const refused = await lab.act<never>({ action: 'writeFollower', node: leader });
    expect(refused.status).toBe(400);
    expect((await lab.state()).ledger.count).toBe(4);
  });

  const bad: BadInput[] = [
    ...refusedEnvelopes('checkLedger'),
    ['an unknown action', '{"action":"kill"}', 400],
    ['a send of 0 messages', '{"action":"send","count":0}', 400],
    ['a send of too many', '{"action":"send","count":21}', 400],
    ['a count as a string', '{"action":"send","count":"3"}', 400],
    ['an extra field', '{"action":"checkLedger","all":true}', 400],
    ['a node name with a path', '{"action":"writeFollower","node":"../etc"}', 400],
    ['sendFirst not a boolean', '{"action":"compareRead","count":3,"sendFirst":"yes"}', 400],
  ];
  itRefusesBadInput(bad, {
    lab,
    snapshot: async () => {
      const state = await lab.state();
      return { ledger: state.ledger, partition: state.partition };
    },
  });

  it('refuses query parameters and PUT', async () => {
    await expectRefusesQueryAndPut(lab, '?node=node-1');
  });
});
