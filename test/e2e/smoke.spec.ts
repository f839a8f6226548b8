import { test as base } from '@playwright/test';
import { startTestServer } from '../support/index';
import { expect, expectConnected, screenshotPath, startApp, test } from './fixtures';

test('the home page renders the dashboard with a connected badge and a working docs link', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start producer' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Message timeline' })).toBeAttached();
  await expect(page.getByRole('region', { name: 'Partition offsets' })).toBeAttached();
  await expectConnected(page);
  await page.screenshot({ path: screenshotPath('smoke-home.png'), fullPage: true });

  await page.getByRole('navigation').getByRole('link', { name: 'Docs' }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await expect(page.getByRole('link', { name: /concepts/i }).first()).toBeVisible();
});

test('before the producer runs, /api/topology says the topic does not exist yet (a JSON 404, not a 500)', async ({
  app,
}) => {
  // The runtime is created by the instrumentation hook's bundle, the route maps its errors with its own: this
  // guards the error mapping across module copies in a real production build.
  const response = await fetch(`${app.url}/api/topology`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ error: { code: 'TOPIC_NOT_FOUND' } });
});

base('without a reachable Iggy server the app still serves and says how to start Iggy', async ({ page }) => {
  // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
  const app = await startApp('iggy://iggy:iggy@127.0.0.1:9');
  try {
    await page.goto(app.url);
    await expect(page.getByText('docker compose -f server/docker-compose.yml up -d').first()).toBeVisible({
      timeout: 20_000,
    });
    await expect(page.getByText(/not reachable|unreachable/i).first()).toBeVisible();
    await page.screenshot({ path: screenshotPath('smoke-unreachable.png'), fullPage: true });
  } finally {
    await app.stop();
  }
});

base(
  'on the stand-in, every page says so and the badge reads "Stand-in"; on Iggy, none does',
  async ({ page }) => {
    const standIn = await startTestServer({ serverVersion: '0.9.0+stand-in' });
    const app = await startApp(standIn.url);
    try {
      for (const path of ['/', '/docs', '/labs']) {
        await page.goto(`${app.url}${path}`);
        const notice = page.getByRole('complementary', { name: 'Stand-in server' });
        await expect(notice).toBeVisible({ timeout: 30_000 });
        await expect(notice).toContainText('a stand-in for trying the app, not Iggy');
        await expect(notice).toContainText('docker compose -f server/docker-compose.yml up -d');
        await expect(page.getByRole('status', { name: 'Iggy connection: Stand-in' })).toBeVisible();
      }
      await page.screenshot({ path: screenshotPath('smoke-stand-in.png') });
    } finally {
      await app.stop();
      await standIn.stop();
    }

    const iggy = await startTestServer({ serverVersion: '0.9.0' });
    const real = await startApp(iggy.url);
    try {
      await page.goto(real.url);
      await expect(page.getByRole('status', { name: 'Iggy connection: Connected' })).toBeVisible({
        timeout: 30_000,
      });
      await expect(page.getByRole('complementary', { name: 'Stand-in server' })).toHaveCount(0);
    } finally {
      await real.stop();
      await iggy.stop();
    }
  },
);
