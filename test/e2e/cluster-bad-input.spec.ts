import { test } from '@playwright/test';
import { startTestCluster } from '../support/index';
import { expect, startApp } from './fixtures';

/**
 * A seed list the app cannot use: the dashboard says what is wrong, in words, and the app keeps running —
 * a node listed twice (a configuration error), a list where nothing answers, and a cluster with no primary.
 */

test('a node listed twice: the dashboard shows the configuration error', async ({ page }) => {
  const app = await startApp('iggy://iggy:e2e-dup-pw@127.0.0.1:8090,127.0.0.1:8090', {}, '/');
  try {
    await page.goto(app.url);
    const alert = page.getByRole('alert').filter({ hasText: 'CONFIG_INVALID' });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText('127.0.0.1:8090) appears twice in the seed list');
    await expect(page.getByText('e2e-dup-pw')).toHaveCount(0);
    await expect(page.getByRole('status', { name: 'Iggy connection: App error' })).toBeVisible();
  } finally {
    await app.stop();
  }
});

test('nothing answers, then the nodes come up, then no primary: the dashboard names every node and why', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const cluster = await startTestCluster({ nodes: 3, heartbeatTimeoutMs: 1_000 });
  const ports = cluster.nodes.map((n) => n.port);
  await cluster.stop();
  const app = await startApp(`iggy://iggy:iggy@${ports.map((p) => `127.0.0.1:${p}`).join(',')}`);
  let restarted: Awaited<ReturnType<typeof startTestCluster>> | undefined;
  try {
    await page.goto(app.url);
    const badge = page.getByRole('status', { name: 'Iggy connection: Unreachable' });
    await expect(badge).toBeVisible({ timeout: 30_000 });
    // The reason on the page names every seed, without waiting for a failover deadline.
    for (const port of ports)
      await expect(
        page.getByText(new RegExp(`127\\.0\\.0\\.1:${port}: could not connect`)).first(),
      ).toBeVisible();

    restarted = await startTestCluster({ ports, heartbeatTimeoutMs: 1_000 });
    await expect(page.getByRole('status', { name: /^Iggy connection: (Connected|Stand-in)$/ })).toBeVisible({
      timeout: 30_000,
    });
    await restarted.kill(0);
    await restarted.kill(1);
    await expect(page.getByText(/no node of the Iggy cluster acted as primary/).first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByRole('button', { name: 'Start producer' })).toBeVisible();
  } finally {
    await app.stop();
    await restarted?.stop();
  }
});
