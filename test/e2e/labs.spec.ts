import type { Locator, Page } from '@playwright/test';
import { expect, screenshotPath, test } from './fixtures';
import { LABS } from '../../lib/labs/catalog';

const pollingLab = (page: Page) => page.getByRole('region', { name: 'Polling strategies' });
const partitioningLab = (page: Page) => page.getByRole('region', { name: 'Partitioning' });
const result = (lab: Locator) => lab.getByRole('status').first();

async function fill(lab: Locator) {
  await lab.getByRole('button', { name: /Fill with 20 messages|Refill with 20 messages/ }).click();
  await expect(result(lab)).toContainText('sent 20 messages', { timeout: 20_000 });
}

async function poll(lab: Locator, strategy: string, count: string, options: { autoCommit?: boolean } = {}) {
  await lab.getByRole('radio', { name: strategy, exact: true }).check();
  await lab.getByLabel('Count').fill(count);
  const box = lab.getByRole('checkbox', { name: 'Auto-commit' });
  if (options.autoCommit !== undefined) await box.setChecked(options.autoCommit);
  await lab.getByRole('button', { name: 'Poll', exact: true }).click();
}

test.describe('labs', () => {
  test('the Labs index lists every lab, linked from the header', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Labs' }).click();
    await expect(page).toHaveURL(/\/labs$/);
    await expect(page.getByRole('link', { name: 'Labs' })).toHaveAttribute('aria-current', 'page');
    const list = page.getByRole('list', { name: 'All labs' });
    // Every registered lab, in the order of the concepts page, each linked to its own page.
    await expect(list.getByRole('listitem')).toHaveCount(LABS.length);
    for (const lab of LABS) {
      await expect(list.getByRole('link', { name: lab.title, exact: true })).toHaveAttribute(
        'href',
        `/labs/${lab.name}`,
      );
    }
    expect((await page.request.get('/labs/nope')).status()).toBe(404);
  });

  test('polling lab: strategies, edge cases, stored offsets and the CLI line, by keyboard', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('/labs/polling');
    const lab = pollingLab(page);
    await expect(lab.getByText('The partition is empty')).toBeVisible();
    await fill(lab);
    await expect(
      lab.getByRole('list', { name: 'Partition 0: 20 messages' }).getByRole('listitem'),
    ).toHaveCount(20);

    await poll(lab, 'Last', '3');
    await expect(result(lab)).toContainText('Last, count 3: the newest three, offsets 17–19');
    await expect(lab.getByRole('table')).toContainText('PollMessages');
    await expect(lab.getByRole('table')).toContainText('GetConsumerOffset');
    await expect(lab.getByLabel('CLI command', { exact: true })).toHaveText(
      /^iggy message poll --last -m 3 -c lab-reader demo-labs polling 0$/,
    );
    await expect(lab.getByText('Offset 17: returned by the last poll')).toBeAttached();
    await page.screenshot({ path: screenshotPath('lab-polling-light.png'), fullPage: true });

    // Keyboard only: pick Offset(n) with the arrow keys, type past the end, submit with Enter.
    await lab.getByRole('radio', { name: 'Last', exact: true }).focus();
    await page.keyboard.press('ArrowLeft'); // → First
    await page.keyboard.press('ArrowLeft'); // → Offset(n)
    await expect(lab.getByRole('radio', { name: 'Offset(n)' })).toBeChecked();
    await lab.getByLabel('Start offset n').fill('25');
    await lab.getByLabel('Start offset n').press('Enter');
    await expect(result(lab)).toContainText('offset 25 is past the end');

    await poll(lab, 'Offset(n)', '0');
    await expect(result(lab)).toContainText('count 0 is refused');
    await expect(result(lab)).toContainText('Nothing was sent to Iggy');

    await lab.getByRole('radio', { name: 'Timestamp(t)' }).check();
    const slider = lab.getByRole('slider', { name: /Timestamp t/ });
    await slider.focus();
    await page.keyboard.press('End');
    await expect(slider).toHaveAttribute('aria-valuetext', /newer than every message/);
    await lab.getByLabel('Count').fill('3');
    await lab.getByRole('button', { name: 'Poll', exact: true }).click();
    await expect(result(lab)).toContainText('newer than every message');
    await slider.focus();
    await page.keyboard.press('Home');
    await expect(slider).toHaveAttribute('aria-valuetext', /offset 0/);

    await poll(lab, 'Next', '4', { autoCommit: true });
    await expect(result(lab)).toContainText('no stored offset, so Next starts at offset 0: offsets 0–3');
    await expect(lab.getByText(/^Stored offset of/)).toContainText('3');
    await poll(lab, 'Next', '4', { autoCommit: true });
    await expect(result(lab)).toContainText('stored offset 3, so Next starts at 4: offsets 4–7');
    await lab.getByRole('button', { name: 'Delete stored offset' }).click();
    await expect(result(lab)).toContainText('Deleted the stored offset 7');
    await poll(lab, 'Next', '2', { autoCommit: false });
    await expect(result(lab)).toContainText('starts at offset 0: offsets 0–1');

    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(pollingLab(page).getByRole('list', { name: /Partition 0/ })).toBeVisible();
    await poll(pollingLab(page), 'First', '5');
    await expect(result(pollingLab(page))).toContainText('offsets 0–4');
    await page.screenshot({ path: screenshotPath('lab-polling-dark.png'), fullPage: true });

    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await poll(pollingLab(page), 'Last', '3');
    await expect(result(pollingLab(page))).toContainText('offsets 17–19');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('lab-polling-mobile.png'), fullPage: true });

    await pollingLab(page).getByRole('button', { name: 'Reset the polling strategies lab' }).click();
    await expect(result(pollingLab(page))).toContainText('Deleted topic polling');
    await expect(pollingLab(page).getByText('The partition is empty')).toBeVisible();
  });

  test('partitioning lab: a key sticks to one partition, Balanced goes round-robin', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('/labs/partitioning');
    const lab = partitioningLab(page);
    await expect(lab.getByText('No partitions to draw yet')).toBeVisible();
    await lab.getByLabel('Partitions', { exact: true }).selectOption('4');
    await lab.getByRole('button', { name: 'Create topic' }).click();
    await expect(result(lab)).toContainText('Created topic partitioning with 4 partitions');
    await expect(
      lab.getByRole('group', { name: 'Partitions of the lab topic' }).getByText(/^Partition \d/),
    ).toHaveCount(4);

    await lab.getByRole('textbox', { name: 'Messages key' }).fill('user-1');
    await lab.getByLabel('Messages', { exact: true }).fill('3');
    await lab.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(lab)).toContainText(
      'Messages key "user-1", 3 sends of one message: all on partition',
    );
    await lab.getByRole('textbox', { name: 'Messages key' }).fill('user-3');
    await lab.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(lab)).toContainText('"user-3"');
    await lab.getByRole('textbox', { name: 'Messages key' }).fill('user-1');
    await lab.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(lab)).toContainText('"user-1"');
    const text = await result(lab).textContent();
    const first = /all on partition (\d)/.exec(text ?? '')?.[1];
    expect(first).toBeDefined();
    // Every user-1 message sits in that one lane.
    const lane = lab.getByRole('list', { name: `Partition ${first}: messages in offset order` });
    await expect(lane.getByText(/key user-1/)).toHaveCount(6);

    await lab.getByRole('radio', { name: 'Balanced' }).check();
    await lab.getByLabel('Messages', { exact: true }).fill('8');
    await lab.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(lab)).toContainText('round-robin over 4');
    await expect(lab.getByLabel('CLI command', { exact: true })).toHaveText(
      /^iggy message send demo-labs partitioning /,
    );

    await lab.getByRole('radio', { name: 'Partition id' }).check();
    await lab.getByRole('combobox', { name: 'Partition id' }).selectOption('6');
    await lab.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(lab)).toContainText('partition 6 does not exist');
    await expect(lab.getByText('What is ordered and what is not')).toBeVisible();
    await page.screenshot({ path: screenshotPath('lab-partitioning-light.png'), fullPage: true });

    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.reload();
    await expect(
      partitioningLab(page)
        .getByText(/key user-1/)
        .first(),
    ).toBeAttached();
    await page.screenshot({ path: screenshotPath('lab-partitioning-dark.png'), fullPage: true });

    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(
      partitioningLab(page)
        .getByText(/key user-1/)
        .first(),
    ).toBeAttached();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('lab-partitioning-mobile.png'), fullPage: true });
  });

  test('both labs run inline in the concepts doc, under their sections', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto('/docs/iggy-concepts');
    const polling = pollingLab(page);
    await expect(polling).toBeVisible();
    await expect(polling.getByRole('heading', { name: 'Polling strategies', level: 3 })).toBeVisible();
    await expect(
      partitioningLab(page).getByRole('heading', { name: 'Partitioning', level: 4 }),
    ).toBeVisible();
    // The polling lab comes after its section heading and before the next one.
    const order = await page.evaluate(() => {
      const all = [...document.querySelectorAll('h2, [data-lab-frame]')];
      return all.map((el) =>
        el.tagName === 'H2' ? el.textContent : `lab:${el.getAttribute('data-lab-frame')}`,
      );
    });
    const at = order.indexOf('lab:polling');
    expect(order[at - 1]).toMatch(/Offsets and polling strategies/);
    expect(order[at + 1]).toMatch(/Consumer offsets and consumer groups/);

    await fill(polling);
    await poll(polling, 'Last', '3');
    await expect(result(polling)).toContainText('offsets 17–19');
    await polling.scrollIntoViewIfNeeded();
    await polling.screenshot({ path: screenshotPath('lab-polling-in-docs.png') });
    const partitioning = partitioningLab(page);
    await partitioning.getByRole('radio', { name: 'Balanced' }).check();
    await partitioning.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(partitioning)).toContainText('created topic partitioning with 3 partitions first');
    await partitioning.screenshot({ path: screenshotPath('lab-partitioning-in-docs.png') });
  });

  test('when Iggy is down the lab says so, and it recovers by itself', async ({ page, iggy }) => {
    await page.goto('/labs/polling');
    const lab = pollingLab(page);
    await fill(lab);
    await iggy.shutdown(); // graceful: the data survives, as after docker stop
    await expect(lab.getByRole('alert')).toContainText('Iggy is not reachable at', { timeout: 15_000 });
    await expect(lab.getByText('docker compose -f server/docker-compose.yml up -d')).toBeVisible();
    await page.screenshot({ path: screenshotPath('lab-polling-unreachable.png'), fullPage: true });
    await poll(lab, 'First', '2');
    await expect(result(lab)).toContainText('IGGY_UNAVAILABLE');
    await iggy.start();
    await expect(lab.getByRole('alert')).toHaveCount(0, { timeout: 20_000 });
    // The server kept its data (a restart, not a wipe): the lab reads it again and polls as before.
    await expect(lab.getByRole('list', { name: 'Partition 0: 20 messages' })).toBeVisible();
    await poll(lab, 'First', '2');
    await expect(result(lab)).toContainText('offsets 0–1');
  });
});
