import type { APIRequestContext, Page } from '@playwright/test';
import {
  E2E_IGGY_PASSWORD,
  E2E_IGGY_USERNAME,
  expect,
  expectConnected,
  startApp,
  test as base,
  timelineRows,
  type RunningApp,
} from './fixtures';

// The app runs with IGGY_PARTITIONS=3: the producer spreads messages round-robin, so offsets repeat across
// partitions and only the server's seq can say which messages a reconnecting page still lacks.
const test = base.extend<{ app: RunningApp }>({
  app: async ({ iggy }, provide, testInfo) => {
    const app = await startApp(`iggy://${E2E_IGGY_USERNAME}:${E2E_IGGY_PASSWORD}@${iggy.host}:${iggy.port}`, {
      IGGY_PARTITIONS: '3',
    });
    await provide(app);
    if (testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach('app-output', { body: app.output(), contentType: 'text/plain' });
    await app.stop();
  },
});

const timeline = (page: Page) => page.getByRole('list', { name: 'Message timeline' });

async function timelineSize(page: Page): Promise<number> {
  const first = timeline(page).getByRole('listitem').first();
  if ((await first.count()) === 0) return 0;
  return Number(await first.getAttribute('aria-setsize'));
}

/** What the browser tells the page when the tab is hidden or shown again (the feed closes and reopens its stream). */
async function setTabHidden(page: Page, hidden: boolean) {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

async function sentCount(request: APIRequestContext): Promise<number> {
  const response = await request.get('/api/status');
  return ((await response.json()) as { producer: { sent: number } }).producer.sent;
}

test('with 3 partitions a reconnecting page misses nothing and shows nothing twice', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await expectConnected(page);
  await expect(page.getByText(/^Live/)).toBeVisible();
  await page
    .getByRole('radiogroup', { name: 'Producer rate' })
    .getByRole('radio', { name: '10 per second' })
    .check();
  await page.getByRole('button', { name: 'Start producer' }).click();
  await expect(page.getByRole('button', { name: 'Stop producer' })).toBeEnabled();
  await expect.poll(() => timelineSize(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(9);

  // 1. The tab is hidden: the stream closes; messages keep arriving on the server.
  let feedRequestsInFlight = 0;
  const isFeedRequest = (url: string) => new URL(url).pathname === '/api/messages';
  page.on('request', (r) => {
    if (isFeedRequest(r.url())) feedRequestsInFlight += 1;
  });
  const settled = (r: { url(): string }) => {
    if (isFeedRequest(r.url())) feedRequestsInFlight -= 1;
  };
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  await setTabHidden(page, true);
  await expect(page.getByText('Paused while hidden')).toBeVisible();
  // Counted once the page is paused and a catch-up read it started before (slow on a busy machine) has landed.
  await expect.poll(() => feedRequestsInFlight, { timeout: 15_000 }).toBe(0);
  const before = await timelineSize(page);
  const sentWhileHidden = await sentCount(request);
  await expect
    .poll(() => sentCount(request), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(sentWhileHidden + 15);
  expect(await timelineSize(page)).toBe(before);
  // Shown again: the stream resumes after the page's seq and replays what it missed.
  await setTabHidden(page, false);
  await expect(page.getByText(/^Live/)).toBeVisible();
  await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 15);

  // 2. The stream cannot be opened at all for a while: the page falls back to polling /api/messages?after=.
  await page.route('**/api/events**', (route) => route.abort());
  await setTabHidden(page, true);
  await setTabHidden(page, false);
  await expect(page.getByText('Live · polling')).toBeVisible({ timeout: 20_000 });
  const polledFrom = await timelineSize(page);
  await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(polledFrom + 10);
  await page.unroute('**/api/events**');

  await page.getByRole('button', { name: 'Stop producer' }).click();
  await expect(page.getByRole('button', { name: 'Start producer' })).toBeEnabled();
  const sent = await sentCount(request);
  await expect.poll(() => timelineSize(page), { timeout: 20_000 }).toBe(sent);

  const rows = await timelineRows(page);
  expect(rows).toHaveLength(sent);
  // Nothing twice: each (partition, offset) once. Nothing skipped: per partition, offsets 0..n-1.
  expect(new Set(rows.map((r) => `${r.partition}:${r.offset}`)).size).toBe(sent);
  for (const partition of [0, 1, 2]) {
    const offsets = rows
      .filter((r) => r.partition === partition)
      .map((r) => r.offset)
      .sort((a, b) => a - b);
    expect(offsets.length).toBeGreaterThan(0);
    expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => i));
  }
  // The seq the consumer loop assigned is the page's cursor: 1..sent, no gap.
  expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));

  // Lag comes from the server, per partition and in total; drained, it is 0 everywhere.
  const offsets = page.getByRole('region', { name: 'Partition offsets' });
  for (const partition of [0, 1, 2])
    await expect(offsets.getByTestId(`lag-${partition}`)).toHaveText('0', { timeout: 15_000 });
  await expect(page.getByTestId('consumer-lag')).toHaveText('0');
});
