import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, screenshotPath, test } from './fixtures';

/**
 * The cluster card and the failover divider as the page draws them, runnable on one node: the browser's
 * /api/status answers are the real ones with a three-node `cluster` added (what the runtime reports in
 * cluster mode), and the SSE stream is refused so the page keeps to that status and polls for messages. It
 * checks layout, both themes, 390 px and axe's rules; cluster.spec.ts runs the real failover end to end.
 */

type Phase = 'single' | 'electing' | 'recovered';

interface StatusBody {
  producer: { sent: number; running: boolean };
  consumer: { received: number };
}

async function status(request: APIRequestContext): Promise<StatusBody> {
  return (await (await request.get('/api/status')).json()) as StatusBody;
}

const lostAt = new Date(Date.now() - 60_000);

function clusterFor(phase: Exclude<Phase, 'single'>, afterSeq: number) {
  const node = (i: number, role: 'leader' | 'follower', reachable: boolean, usedBy: string[]) => ({
    name: `node-${i}`,
    address: `127.0.0.1:${18090 + i}`,
    role,
    reportedStatus: 'healthy',
    reachable,
    usedBy,
  });
  const lost = {
    id: 1,
    lostPrimary: { name: 'node-0', address: '127.0.0.1:18090' },
    lostAt: lostAt.toISOString(),
  };
  return phase === 'electing'
    ? {
        name: 'demo-cluster',
        nodes: [node(0, 'leader', false, []), node(1, 'follower', true, []), node(2, 'follower', true, [])],
        failovers: [{ ...lost, unknownOutcomeSends: 2, afterSeq }],
      }
    : {
        name: 'demo-cluster',
        nodes: [
          node(0, 'follower', false, []),
          node(1, 'leader', true, ['producer', 'consumer']),
          node(2, 'follower', true, []),
        ],
        primary: 'node-1',
        failovers: [
          {
            ...lost,
            newPrimary: { name: 'node-1', address: '127.0.0.1:18091' },
            recoveredAt: new Date(lostAt.getTime() + 5_250).toISOString(),
            noPrimaryMs: 5_250,
            unknownOutcomeSends: 2,
            afterSeq,
          },
        ],
      };
}

/**
 * Adds the cluster to every status the page reads once a phase is set (a single node until then); returns the
 * switch between the phases. `afterSeq` places the divider.
 */
async function withCluster(page: Page): Promise<{ set(phase: Phase, afterSeq: number): void }> {
  let phase: Phase = 'single';
  let afterSeq = 0;
  await page.route('**/api/events**', (route) => route.abort());
  await page.route('**/api/status', async (route) => {
    try {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      const cluster = phase === 'single' ? {} : { cluster: clusterFor(phase, afterSeq) };
      await route.fulfill({ response, json: { ...body, ...cluster } });
    } catch {
      // The page reloaded or closed while this answer was on its way: nobody is waiting for it.
    }
  });
  return {
    set: (next, seq) => {
      phase = next;
      afterSeq = seq;
    },
  };
}

const card = (page: Page) => page.getByRole('region', { name: 'Cluster' });

test('the cluster card and the failover divider: electing, then the new primary, in both themes and at 390 px', async ({
  page,
  request,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  const cluster = await withCluster(page);

  // Messages first (the single node is real), so the divider has rows on both sides.
  await page.goto('/');
  await page
    .getByRole('radiogroup', { name: 'Producer rate' })
    .getByRole('radio', { name: '10 per second' })
    .check();
  await page.getByRole('button', { name: 'Start producer' }).click();
  await expect
    .poll(async () => (await status(request)).consumer.received, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(6);
  await page.getByRole('button', { name: 'Stop producer' }).click();
  await expect.poll(async () => (await status(request)).producer.running).toBe(false);
  const { sent } = (await status(request)).producer;
  await expect.poll(async () => (await status(request)).consumer.received, { timeout: 20_000 }).toBe(sent);
  await expect(card(page)).toHaveCount(0);
  // Near the newest messages, so the divider is among the rows the virtualized timeline draws.
  const AFTER_SEQ = sent - 3;
  cluster.set('electing', AFTER_SEQ);

  // Electing: the live "no primary" state, the old leader unreachable, the divider saying so.
  await expect(card(page)).toBeVisible({ timeout: 20_000 });
  await expect(card(page).locator('li[data-node]')).toHaveCount(3);
  await expect(card(page).locator('li[data-node="node-0"]')).toHaveAttribute('data-role', 'leader');
  await expect(card(page).locator('li[data-node="node-0"]')).toContainText('unreachable');
  const noPrimary = card(page).getByRole('status');
  await expect(noPrimary).toContainText(/No primary since \d\d:\d\d:\d\d · \d+ min \d+ s/);
  const divider = page.getByTestId('failover-divider');
  await expect(divider).toHaveAttribute('data-state', 'electing', { timeout: 20_000 });
  await expect(divider).toContainText('electing…');
  await card(page).screenshot({ path: screenshotPath('cluster-card-mocked-electing.png') });
  await expect(
    page
      .getByRole('list', { name: 'Message timeline' })
      .locator(`[data-testid="message-offset"][data-seq="${AFTER_SEQ + 1}"]`),
  ).toHaveCount(1, { timeout: 20_000 });
  const order = await page
    .getByRole('list', { name: 'Message timeline' })
    .evaluate((list) =>
      [...list.querySelectorAll('[data-testid="message-offset"], [data-testid="failover-divider"]')].map(
        (el) => el.getAttribute('data-seq') ?? 'divider',
      ),
    );
  const at = order.indexOf('divider');
  expect(order[at - 1]).toBe(String(AFTER_SEQ + 1));
  expect(order[at + 1]).toBe(String(AFTER_SEQ));

  // The new primary found: the same divider updated in place, the card's leader moved.
  cluster.set('recovered', AFTER_SEQ);
  await expect(card(page).locator('li[data-node="node-1"]')).toHaveAttribute('data-role', 'leader', {
    timeout: 10_000,
  });
  await expect(card(page).getByRole('status')).toHaveCount(0);
  await expect(card(page).locator('li[data-node="node-1"]')).toContainText('used by producer and consumer');
  await expect(card(page).getByTestId('failover-list')).toContainText(
    /node-0 lost \d\d:\d\d:\d\d, no primary for 5\.3 s, node-1 took over, 2 sends with unknown outcome/,
  );
  await expect(divider).toHaveCount(1);
  await expect(divider).toHaveAttribute('data-state', 'recovered');
  await expect(divider).toContainText('no primary for 5.3 s · node-1 took over');
  await expect(divider).toContainText('may or may not be stored; not resent');

  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.reload();
      if (scheme === 'dark') await expect(page.locator('html')).toHaveClass(/dark/);
      else await expect(page.locator('html')).not.toHaveClass(/dark/);
      await expect(card(page).locator('li[data-node="node-1"]')).toHaveAttribute('data-role', 'leader', {
        timeout: 20_000,
      });
      await expect(divider).toHaveAttribute('data-state', 'recovered', { timeout: 20_000 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const result = await new AxeBuilder({ page })
        .include('[data-testid="cluster-card"]')
        .include('[data-testid="failover-divider"]')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      const found = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes[0]?.target.join(' ')}`);
      expect(found, found.join('\n')).toEqual([]);
      await card(page).screenshot({ path: screenshotPath(`cluster-card-mocked-${scheme}-${width}.png`) });
      if (width === 1440)
        await page.screenshot({ path: screenshotPath(`dashboard-cluster-mocked-${scheme}.png`) });
      await divider.screenshot({ path: screenshotPath(`failover-divider-mocked-${scheme}-${width}.png`) });
    }
  }
});
