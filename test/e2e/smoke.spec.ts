import { test as base } from '@playwright/test';
import { expect, screenshotPath, startApp, test } from './fixtures';

test('the home page renders the dashboard with a connected badge and a working docs link', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start producer' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Message timeline' })).toBeAttached();
  await expect(page.getByRole('region', { name: 'Partition offsets' })).toBeAttached();
  await expect(page.getByText(/connected/i).first()).toBeVisible();
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
