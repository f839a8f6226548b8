import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, expectConnected, screenshotPath, test, timelineRows } from './cluster-fixtures';

/**
 * Issue 16 against the test server's cluster mode: three nodes, node-0 the primary. Killing the primary must
 * show on the page as it happens — the cluster card moves the leader role to the node that took over and
 * marks the dead one unreachable, the timeline gets a failover divider that says "electing…" and then how long
 * there was no primary and who took over — while messages keep flowing without a duplicated offset. The
 * restarted node comes back as a follower. Then the same page in both themes and at 390 px.
 */

interface StatusBody {
  producer: { sent: number; running: boolean };
  consumer: { received: number };
}

async function status(request: APIRequestContext): Promise<StatusBody> {
  return (await (await request.get('/api/status')).json()) as StatusBody;
}

const card = (page: Page) => page.getByRole('region', { name: 'Cluster' });
const nodeItem = (page: Page, name: string): Locator => card(page).locator(`li[data-node="${name}"]`);

async function openDashboard(page: Page) {
  await page.goto('/');
  // The test cluster reports itself as the stand-in: the badge reads "Stand-in" there, "Connected" on Iggy.
  await expectConnected(page);
  await expect(page.getByText(/^Live/)).toBeVisible();
}

/** No partition shows an offset twice, and no seq is drawn twice. */
async function expectNoDuplicates(page: Page) {
  const rows = await timelineRows(page);
  const keys = rows.map((r) => `${r.partition}:${r.offset}`);
  expect(keys.length).toBeGreaterThan(0);
  expect(new Set(keys).size, `duplicated offsets in ${keys.join(' ')}`).toBe(keys.length);
  expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
}

test('a killed primary: the card and a timeline divider follow the failover, messages go on', async ({
  page,
  request,
  cluster,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  const [first, second] = cluster.nodes;
  if (!first || !second) throw new Error('the cluster has fewer than two nodes');
  expect(cluster.primaryIndex()).toBe(0);

  await openDashboard(page);
  // One message a second keeps the divider within the rows the virtualized timeline draws.
  await page
    .getByRole('radiogroup', { name: 'Producer rate' })
    .getByRole('radio', { name: '1 per second' })
    .check();
  await page.getByRole('button', { name: 'Start producer' }).click();
  await expect(page.getByRole('button', { name: 'Stop producer' })).toBeEnabled();

  // The card: three nodes, node-0 the leader, reachable, used by the producer.
  await expect(card(page)).toBeVisible({ timeout: 20_000 });
  await expect(card(page).locator('li[data-node]')).toHaveCount(cluster.nodes.length);
  await expect(nodeItem(page, first.name)).toHaveAttribute('data-role', 'leader');
  await expect(nodeItem(page, first.name)).toContainText(first.address);
  await expect(nodeItem(page, first.name)).toContainText(/used by producer/, { timeout: 20_000 });
  await expect(nodeItem(page, first.name)).toHaveAttribute('data-reachable', 'true');
  for (const other of cluster.nodes.slice(1))
    await expect(nodeItem(page, other.name)).toHaveAttribute('data-role', 'follower');
  await expect
    .poll(async () => (await status(request)).consumer.received, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('failover-divider')).toHaveCount(0);

  await cluster.kill(0);

  // While no node has taken over: the live state on the card (it may be brief) or already the new leader.
  const divider = page.getByTestId('failover-divider');
  await expect(divider).toHaveCount(1, { timeout: 20_000 });
  await expect(divider).toHaveAttribute('data-state', 'recovered', { timeout: 30_000 });
  await expect(divider).toContainText(`Primary ${first.name} lost`);
  await expect(divider).toContainText(new RegExp(`no primary for \\d+\\.\\d s · ${second.name} took over`));
  await expect(divider).toContainText(/unknown outcome|No send was left with an unknown outcome/);
  await expect(divider).toHaveAttribute(
    'aria-label',
    new RegExp(`^Primary ${first.name} lost at \\d\\d:\\d\\d:\\d\\d; ${second.name} took over after`),
  );
  expect(cluster.primaryIndex()).toBe(1);
  await expect(nodeItem(page, second.name)).toHaveAttribute('data-role', 'leader', { timeout: 20_000 });
  await expect(nodeItem(page, first.name)).toHaveAttribute('data-reachable', 'false', { timeout: 20_000 });
  await expect(nodeItem(page, first.name)).toContainText('unreachable');
  await expect(card(page).getByTestId('failover-list')).toContainText(
    new RegExp(
      `${first.name} lost \\d\\d:\\d\\d:\\d\\d, no primary for \\d+\\.\\d s, ${second.name} took over`,
    ),
  );
  await expect(card(page).getByTestId('no-primary')).toHaveCount(0);

  // Messages go on through node-1, and the divider sits right above the first message after the loss.
  const afterSeq = Number(await divider.getAttribute('data-after-seq'));
  const received = (await status(request)).consumer.received;
  await expect
    .poll(async () => (await status(request)).consumer.received, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(received + 3);
  await expect(
    page
      .getByRole('list', { name: 'Message timeline' })
      .locator(`[data-testid="message-offset"][data-seq="${afterSeq + 1}"]`),
  ).toHaveCount(1, { timeout: 20_000 });
  const order = await page
    .getByRole('list', { name: 'Message timeline' })
    .evaluate((list) =>
      [...list.querySelectorAll('[data-testid="message-offset"], [data-testid="failover-divider"]')].map(
        (el) =>
          el.getAttribute('data-testid') === 'failover-divider'
            ? 'divider'
            : Number(el.getAttribute('data-seq')),
      ),
    );
  const at = order.indexOf('divider');
  expect(at).toBeGreaterThan(0);
  expect(order.slice(0, at).every((seq) => typeof seq === 'number' && seq > afterSeq)).toBe(true);
  expect(order.slice(at + 1).every((seq) => typeof seq === 'number' && seq <= afterSeq)).toBe(true);

  // Stopped before the restart, so the divider stays among the newest rows the timeline draws.
  await page.getByRole('button', { name: 'Stop producer' }).click();
  await expect.poll(async () => (await status(request)).producer.running).toBe(false);
  const { sent } = (await status(request)).producer;
  await expect
    .poll(async () => (await status(request)).consumer.received, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(sent);
  await expectNoDuplicates(page);

  // node-0 comes back as a follower of node-1.
  await cluster.restart(0);
  await expect(nodeItem(page, first.name)).toHaveAttribute('data-role', 'follower', { timeout: 30_000 });
  await expect(nodeItem(page, first.name)).toHaveAttribute('data-reachable', 'true', { timeout: 30_000 });
  await expect(nodeItem(page, second.name)).toHaveAttribute('data-role', 'leader');
  await expect(divider).toHaveCount(1);

  // Both themes, desktop and phone: the card and the divider (rebuilt from the status after each reload) fit.
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.reload();
      if (scheme === 'dark') await expect(page.locator('html')).toHaveClass(/dark/);
      else await expect(page.locator('html')).not.toHaveClass(/dark/);
      await expect(card(page)).toBeVisible({ timeout: 20_000 });
      await expect(nodeItem(page, second.name)).toHaveAttribute('data-role', 'leader');
      await expect(card(page).getByTestId('failover-list')).toContainText(`${second.name} took over`);
      await expect(divider).toHaveCount(1, { timeout: 20_000 });
      await expect(divider).toContainText(`${second.name} took over`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const box = await card(page).boundingBox();
      expect(box?.width ?? Infinity).toBeLessThanOrEqual(width);
      await card(page).screenshot({ path: screenshotPath(`cluster-card-${scheme}-${width}.png`) });
    }
  }
});
