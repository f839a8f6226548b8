import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, screenshotPath, test } from './cluster-fixtures';
import { test as singleNodeTest } from './fixtures';

const clusterLab = (page: Page) => page.getByRole('region', { name: 'Cluster and failover', exact: true });
const result = (lab: Locator) => lab.getByRole('status').first();
const roster = (lab: Locator) => lab.getByTestId('cluster-roster');

/** The a11y spec audits /labs/cluster on one node; here the lab shows a cluster's roster and results. */
async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .include('[data-lab-frame="cluster"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
  );
}

test.describe('cluster lab', () => {
  test('roster, a follower’s refusal then the primary’s offset, and every acknowledged message after a failover', async ({
    page,
    cluster,
  }) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('/labs/cluster');
    const lab = clusterLab(page);
    const first = cluster.primaryIndex();

    // The live roster: three nodes, the metadata's leader, each reached from the app.
    await expect(roster(lab).locator('tbody tr')).toHaveCount(3, { timeout: 20_000 });
    await expect(roster(lab).locator(`tr[data-node="node-${first}"]`)).toHaveAttribute('data-role', 'leader');
    for (const node of cluster.nodes)
      await expect(roster(lab).locator(`tr[data-node="${node.name}"]`)).toContainText(node.address);
    await expect(lab.getByTestId('cluster-single-node')).toHaveCount(0);

    // Write to a follower: refused with 58, then accepted on the primary.
    await lab.getByRole('button', { name: 'Write to a follower' }).click();
    const write = lab.getByTestId('follower-write');
    await expect(write.locator('[data-side="follower"]')).toContainText('refused, status 58', {
      timeout: 15_000,
    });
    await expect(write.locator('[data-side="primary"]')).toContainText(
      `node-${first} (primary): accepted, offset 0`,
    );
    await expect(result(lab)).toContainText('TransientNotAccepted');
    await expect(lab.getByLabel('CLI command', { exact: true })).toContainText('--tcp-server-address');

    // A few more acknowledged sends, then the primary dies.
    await lab.getByLabel('Messages', { exact: true }).fill('4');
    await lab.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(lab)).toContainText('acknowledged 4 sends (offsets 1–4)', { timeout: 15_000 });
    await expect(lab.getByTestId('cluster-ledger')).toContainText('5 acknowledged offsets (0–4)');
    await expect(lab.getByLabel(`Kill the primary, node-${first}`, { exact: true })).toHaveText(
      `docker kill iggy-demo-node-${first}`,
    );

    await cluster.kill(first);
    await expect(roster(lab).locator(`tr[data-node="node-${first}"] td`).nth(3)).toHaveText('no', {
      timeout: 20_000,
    });
    await lab.getByRole('button', { name: 'Check the ledger' }).click();
    await expect(lab.getByTestId('ledger-check')).toContainText('All 5 acknowledged messages survived', {
      timeout: 30_000,
    });
    await expect(lab.getByTestId('ledger-check')).not.toContainText(`node-${first})`);
    await page.screenshot({ path: screenshotPath('lab-cluster-light.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(clusterLab(page).getByTestId('ledger-check')).toContainText(
      'All 5 acknowledged messages survived',
      {
        timeout: 20_000,
      },
    );
    await page.screenshot({ path: screenshotPath('lab-cluster-dark.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(roster(clusterLab(page)).locator('tbody tr')).toHaveCount(3, { timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('lab-cluster-dark-mobile.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.reload();
    await expect(roster(clusterLab(page)).locator('tbody tr')).toHaveCount(3, { timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('lab-cluster-mobile.png'), fullPage: true });

    await clusterLab(page).getByRole('button', { name: 'Reset the cluster and failover lab' }).click();
    await expect(result(clusterLab(page))).toContainText('Deleted topic cluster', { timeout: 20_000 });
  });
});

singleNodeTest(
  'cluster lab on a single node: says so, offers nothing that needs a follower',
  async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('/labs/cluster');
    const lab = clusterLab(page);
    await expect(lab.getByTestId('cluster-single-node')).toContainText('npm run demo -- --cluster', {
      timeout: 20_000,
    });
    await expect(roster(lab).locator('tbody tr')).toHaveCount(1);
    await expect(lab.getByRole('button', { name: 'Write to a follower' })).toHaveCount(0);
    await expect(lab.getByRole('button', { name: 'Send one, then read both' })).toHaveCount(0);
    await expect(lab.getByText('Kill the primary yourself')).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);

    // In the docs: at the end of "Replication and clusters", after its last subsection.
    await page.goto('/docs/iggy-concepts#replication-and-clusters');
    await expect(clusterLab(page)).toBeVisible();
    const order = await page.evaluate(() =>
      [...document.querySelectorAll('h2, h3, [data-lab-frame]')].map((el) =>
        el.tagName.startsWith('H') ? el.textContent : `lab:${el.getAttribute('data-lab-frame')}`,
      ),
    );
    const at = order.indexOf('lab:cluster');
    expect(order[at - 1]).toMatch(/Try it: a follower, the primary and a failover/);
    expect(order[at + 1]).toMatch(/Key differences from Kafka/);
  },
);
