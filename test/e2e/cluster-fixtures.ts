/**
 * End-to-end harness for a cluster: every test gets its own three-node test-server cluster and its own
 * `next start` pointed at the cluster's seed list. Kept apart from fixtures.ts, whose `iggy` fixture is one node.
 */
import { test as base } from '@playwright/test';
import { startTestCluster, type TestCluster } from '../support/index';
import { startApp, type RunningApp } from './fixtures';

export type { TestCluster };
export { expect, expectConnected, screenshotPath, timelineRows, type TimelineRow } from './fixtures';

/**
 * A short heartbeat timeout keeps the test's failover to about two seconds; a real 0.9 cluster's default is 5 s,
 * and the page's words do not depend on it.
 */
export const CLUSTER_HEARTBEAT_TIMEOUT_MS = 2_000;

interface ClusterFixtures {
  cluster: TestCluster;
  app: RunningApp;
}

export const test = base.extend<ClusterFixtures>({
  cluster: async ({}, provide) => {
    const cluster = await startTestCluster({
      nodes: 3,
      heartbeatTimeoutMs: CLUSTER_HEARTBEAT_TIMEOUT_MS,
    });
    await provide(cluster);
    await cluster.stop();
  },
  app: async ({ cluster }, provide, testInfo) => {
    const app = await startApp(cluster.url);
    await provide(app);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('app-output', { body: app.output(), contentType: 'text/plain' });
    }
    await app.stop();
  },
  baseURL: async ({ app }, provide) => {
    await provide(app.url);
  },
});
