import type { APIRequestContext, Page } from '@playwright/test';
import { IggyClient } from '../../lib/iggy';
import {
  E2E_IGGY_PASSWORD,
  E2E_IGGY_USERNAME,
  expect,
  expectConnected,
  screenshotPath,
  test,
  timelineRows,
} from './fixtures';

// Each test gets a fresh in-memory Iggy server, so the demo topic starts empty and offsets start at 0.

interface Status {
  iggy: { connected: boolean; state?: string };
  producer: { running: boolean; sent: number; ratePerSec: number };
  consumer: { running: boolean; received: number; storedOffset?: string };
}

async function status(request: APIRequestContext): Promise<Status> {
  const response = await request.get('/api/status');
  expect(response.ok()).toBe(true);
  return (await response.json()) as Status;
}

const timeline = (page: Page) => page.getByRole('list', { name: 'Message timeline' });
const offsetsRegion = (page: Page) => page.getByRole('region', { name: 'Partition offsets' });

/** Offsets of the rows currently rendered, top (newest) first. */
async function renderedOffsets(page: Page): Promise<number[]> {
  const values = await timeline(page)
    .getByTestId('message-offset')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-offset')));
  return values.map(Number);
}

async function newestOffset(page: Page): Promise<number | null> {
  return (await renderedOffsets(page))[0] ?? null;
}

/** How many entries the timeline holds (the list is virtualized, so count via aria-setsize, not the DOM). */
async function timelineSize(page: Page): Promise<number> {
  const first = timeline(page).getByRole('listitem').first();
  if ((await first.count()) === 0) return 0;
  return Number(await first.getAttribute('aria-setsize'));
}

function expectConsecutiveFromZero(offsetsNewestFirst: number[], count: number) {
  const ascending = [...offsetsNewestFirst].reverse();
  expect(ascending).toEqual(Array.from({ length: count }, (_, i) => i));
}

/** Every offset the timeline holds (one per row, so a repeat shows), newest first. */
async function timelineOffsets(page: Page): Promise<number[]> {
  return (await timelineRows(page)).map((row) => row.offset).sort((a, b) => b - a);
}

async function lag(page: Page): Promise<number> {
  return Number((await offsetsRegion(page).getByTestId('lag-0').textContent())?.replace(/,/g, ''));
}

async function openDashboard(page: Page) {
  await page.goto('/');
  await expectConnected(page);
  // The buttons work only once React has hydrated; the feed reports "Live" from the same client code.
  await expect(page.getByText(/^Live/)).toBeVisible();
}

async function startProducer(page: Page, rateLabel?: string) {
  if (rateLabel)
    await page
      .getByRole('radiogroup', { name: 'Producer rate' })
      .getByRole('radio', { name: rateLabel })
      .check();
  await page.getByRole('button', { name: 'Start producer' }).click();
  await expect(page.getByRole('button', { name: 'Stop producer' })).toBeEnabled();
}

async function stopProducerAndDrain(page: Page, request: APIRequestContext): Promise<number> {
  await page.getByRole('button', { name: 'Stop producer' }).click();
  await expect(page.getByRole('button', { name: 'Start producer' })).toBeEnabled();
  const { sent } = (await status(request)).producer;
  await expect.poll(() => newestOffset(page), { timeout: 15_000 }).toBe(sent - 1);
  return sent;
}

test.describe('dashboard', () => {
  test('messages appear in order after Start producer and stop after Stop producer', async ({
    page,
    request,
  }) => {
    await openDashboard(page);
    await expect(page.getByText('No messages yet — click Start producer')).toBeVisible();
    await startProducer(page);

    await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const firstRows = await renderedOffsets(page);
    // Newest on top: offsets decrease down the list, one apart, starting from 0 at the bottom.
    expectConsecutiveFromZero(firstRows, firstRows.length);
    // Each row shows the JSON id (the producer counts from 1 in a fresh topic), the text and the ts.
    const rows = await timeline(page)
      .getByRole('listitem')
      .evaluateAll((items) =>
        items.map((item) => ({
          offset: Number(item.querySelector('[data-testid="message-offset"]')?.getAttribute('data-offset')),
          id: item.querySelector('[data-testid="message-id"]')?.textContent,
          text: item.querySelector('[data-testid="message-text"]')?.textContent,
          all: item.textContent ?? '',
        })),
      );
    for (const row of rows) {
      expect(row.id).toBe(String(row.offset + 1));
      expect(row.text).toBe('hello from producer');
      expect(row.all).toMatch(/\d\d:\d\d:\d\d\.\d{3}/);
    }

    const sent = await stopProducerAndDrain(page, request);
    const sizeAfterStop = await timelineSize(page);
    expect(sizeAfterStop).toBe(sent);
    await page.waitForTimeout(2_000);
    expect(await newestOffset(page)).toBe(sent - 1);
    expect(await timelineSize(page)).toBe(sizeAfterStop);
    expect((await status(request)).producer.sent).toBe(sent);
  });

  test('100 msgs/s makes the timeline grow much faster than 1 msg/s', async ({ page, request }) => {
    // Measured on the producer's own `ts` of the messages the timeline received, not on the test's clock: a busy
    // machine delays when rows appear on screen, not the spacing the producer gave them.
    await openDashboard(page);
    await startProducer(page, '1 per second');
    await expect.poll(() => timelineSize(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(4);

    await page
      .getByRole('radiogroup', { name: 'Producer rate' })
      .getByRole('radio', { name: '100 per second' })
      .check();
    await expect(page.getByText('Sending 100/s')).toBeVisible();
    const fastStart = await timelineSize(page);
    await expect.poll(() => timelineSize(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(fastStart + 60);

    const response = await request.get('/api/messages?limit=1000');
    expect(response.ok()).toBe(true);
    const { messages } = (await response.json()) as { messages: { payload: { id: number; ts: string } }[] };
    const sentAt = messages
      .map((m) => ({ id: m.payload.id, at: Date.parse(m.payload.ts) }))
      .sort((a, b) => a.id - b.id);
    // The first four were paced at 1/s (at most one more made up after a stall): at least ~2 s between 1 and 4.
    const slow = sentAt.slice(0, 4);
    expect(slow.at(-1)!.at - slow[0]!.at).toBeGreaterThanOrEqual(1_500);
    // The last 50 were paced at 100/s: half a second nominally, far below the 49 s they take at 1/s.
    const fast = sentAt.slice(-50);
    expect(fast.at(-1)!.at - fast[0]!.at).toBeLessThan(10_000);
    // The chart reports the higher rate too.
    await expect(page.getByRole('img', { name: /Messages per second/ })).toHaveAttribute(
      'aria-label',
      /now \d{2,}/,
    );
  });

  test('stopping the consumer builds lag; starting it again drains it without skipping or repeating an offset', async ({
    page,
    request,
  }) => {
    await openDashboard(page);
    await startProducer(page, '10 per second');
    await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);

    await page.getByRole('button', { name: 'Stop consumer' }).click();
    await expect(page.getByRole('button', { name: 'Start consumer' })).toBeEnabled();
    await expect.poll(() => lag(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(15);
    const received = (await status(request)).consumer.received;
    expect(await timelineSize(page)).toBeLessThanOrEqual(received);

    await page.getByRole('button', { name: 'Start consumer' }).click();
    await expect(page.getByRole('button', { name: 'Stop consumer' })).toBeEnabled();
    const sent = await stopProducerAndDrain(page, request);
    await expect.poll(() => lag(page), { timeout: 15_000 }).toBe(0);
    await expect(page.getByTestId('consumer-lag')).toHaveText('0');

    expect(await timelineSize(page)).toBe(sent);
    expectConsecutiveFromZero(await timelineOffsets(page), sent);
    const final = await status(request);
    expect(final.consumer.received).toBe(sent);
    expect(final.consumer.storedOffset).toBe(String(sent - 1));
  });

  test('when Iggy goes away the badge says so, and the flow resumes by itself when it is back', async ({
    page,
    request,
    iggy,
  }) => {
    await openDashboard(page);
    await startProducer(page, '10 per second');
    await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);

    await iggy.shutdown();
    await expect(
      page.getByRole('status', { name: /Iggy connection: (Reconnecting|Unreachable)/ }),
    ).toBeVisible({ timeout: 20_000 });
    const unreachable = page.getByRole('region', { name: /Iggy is not reachable at/ });
    await expect(unreachable).toBeVisible();
    // Scoped: on the stand-in, the notice under the header shows the same command.
    await expect(unreachable.getByText('docker compose -f server/docker-compose.yml up -d')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Copy the command that starts Iggy' })).toBeVisible();
    await page.screenshot({ path: screenshotPath('dashboard-unreachable.png') });
    const beforeRestart = (await newestOffset(page)) ?? -1;

    await iggy.start();
    await expectConnected(page);
    await expect(page.getByText(/Iggy is not reachable at/)).toHaveCount(0);
    await expect.poll(() => newestOffset(page), { timeout: 30_000 }).toBeGreaterThan(beforeRestart + 5);

    const sent = await stopProducerAndDrain(page, request);
    expectConsecutiveFromZero(await timelineOffsets(page), sent);
  });

  test('payloads with HTML or script are shown as text', async ({ page, iggy }) => {
    await openDashboard(page);
    await startProducer(page);
    await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await page.getByRole('button', { name: 'Stop producer' }).click();
    await expect(page.getByRole('button', { name: 'Start producer' })).toBeEnabled();

    const rawText = '<img src=x onerror="window.__xss=1">';
    const jsonText = '<script>window.__xss=2</script><b onmouseover="window.__xss=3">bold?</b>';
    const client = new IggyClient({
      host: iggy.host,
      port: iggy.port,
      username: E2E_IGGY_USERNAME,
      password: E2E_IGGY_PASSWORD,
    });
    await client.connect();
    try {
      await client.sendMessages({
        streamId: 'demo-stream',
        topicId: 'demo-topic',
        messages: [
          { payload: rawText },
          { payload: JSON.stringify({ id: 9_999, text: jsonText, ts: new Date().toISOString() }) },
        ],
      });
    } finally {
      await client.close();
    }

    const rows = timeline(page).getByRole('listitem');
    await expect(rows.first().getByTestId('message-text')).toHaveText(jsonText, { timeout: 15_000 });
    await expect(rows.nth(1).getByTestId('message-text')).toHaveText(rawText);
    await rows
      .first()
      .getByRole('button', { name: /Show JSON/ })
      .click();
    await expect(rows.first().locator('pre')).toContainText('"text": "<script>window.__xss=2</script>');
    await expect(timeline(page).locator('img, script, b')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  test('screenshots: light, dark and phone', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await openDashboard(page);
    await startProducer(page, '10 per second');
    await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(25);
    // Some lag makes the partition lane tell its story: consumer marker, striped gap, head marker.
    await page.getByRole('button', { name: 'Stop consumer' }).click();
    await expect.poll(() => lag(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: screenshotPath('dashboard-light.png') });

    // The head script picks the theme before first paint, so a reload in a dark system shows dark at once.
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(25);
    await expect.poll(() => lag(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: screenshotPath('dashboard-dark.png') });

    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.locator('html')).not.toHaveClass(/dark/);
    await expect.poll(() => timelineSize(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(25);
    // Nothing may force sideways scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('dashboard-mobile.png') });
    await page.screenshot({ path: screenshotPath('dashboard-mobile-full.png'), fullPage: true });
  });

  test('the theme toggle cycles system → light → dark and survives a reload without flashing', async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openDashboard(page);
    const toggle = page.getByRole('button', { name: /^System theme/ });
    await toggle.click();
    await expect(page.getByRole('button', { name: /^Light theme/ })).toBeVisible();
    await page.getByRole('button', { name: /^Light theme/ }).click();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await page.reload();
    // The head script applies the stored choice before React runs.
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(page.getByRole('button', { name: /^Dark theme/ })).toBeVisible();
    await page.getByRole('button', { name: /^Dark theme/ }).click();
    await expect(page.locator('html')).not.toHaveClass(/dark/);
  });
});
