import type { Locator, Page } from '@playwright/test';
import { startTestServer } from '../support/index';
import { E2E_IGGY_PASSWORD, E2E_IGGY_USERNAME, expect, screenshotPath, startApp, test } from './fixtures';

const durabilityLab = (page: Page) => page.getByRole('region', { name: 'Durability', exact: true });
const result = (lab: Locator) => lab.getByRole('status').first();
const lastRestart = (lab: Locator) => lab.getByTestId('last-restart');
const topicCard = (lab: Locator, name: string) =>
  lab.getByRole('region', { name: `demo-labs/${name}`, exact: true });

async function send(lab: Locator, count: string, topic: 'durability (default)' | 'durability-persisted') {
  await lab.getByRole('radio', { name: topic }).check();
  await lab.getByLabel('Messages', { exact: true }).fill(count);
  await lab.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(result(lab)).toContainText(new RegExp(`sent ${count} messages? to`, 'i'), { timeout: 15_000 });
}

test.describe('durability lab', () => {
  test('on /labs: catalog, computed journal, persisted topic, then a crash and a graceful restart', async ({
    page,
    iggy,
  }) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('/labs/durability');
    const lab = durabilityLab(page);
    await expect(lab.getByRole('heading', { name: 'Durability' })).toBeVisible();
    // The live catalog from DescribeOptions: the release flavor lists durability.
    const catalog = lab.getByRole('table');
    await expect(catalog).toContainText('size_of_messages_required_to_save');
    await expect(catalog).toContainText('durability');
    await expect(lab.getByText('it lists durability — the released 0.9.0 line')).toBeVisible();
    await expect(lastRestart(lab)).toContainText('None yet');

    // Keyboard only: the count field, then Enter submits the send form.
    await lab.getByLabel('Messages', { exact: true }).focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await expect(result(lab)).toContainText('5 acknowledged messages are still only in memory (offsets 0–4)');
    const plain = topicCard(lab, 'durability');
    await expect(plain).toContainText('5 acknowledged messages only in memory');
    await expect(plain).toContainText('computed');
    await expect(plain).toContainText('Flush settings as Iggy reports them');
    await expect(plain).toContainText('set at creation');
    await expect(plain).toContainText('server default');
    await expect(lab.getByLabel('CLI command', { exact: true })).toHaveText(
      /^iggy message send demo-labs durability /,
    );

    await lab.getByRole('button', { name: 'Create persisted topic' }).click();
    await expect(result(lab)).toContainText('Created durability-persisted with durability=persisted');
    await send(lab, '3', 'durability-persisted');
    await expect(result(lab)).toContainText('on stable storage before Iggy answered');
    await expect(topicCard(lab, 'durability-persisted')).toContainText(
      '0 acknowledged messages only in memory',
    );

    // The reader runs `docker kill --signal=KILL …` and `docker start …`: the test server does the same.
    await expect(lab.getByLabel('kill the container without warning (SIGKILL)', { exact: true })).toHaveText(
      'docker kill --signal=KILL iggy-demo-server',
    );
    await iggy.crash();
    await expect(lab.getByRole('alert')).toContainText('Iggy is not reachable at', { timeout: 15_000 });
    await expect(lastRestart(lab)).toContainText('The lab lost its connection to Iggy');
    await iggy.start();
    await expect(lastRestart(lab)).toContainText('Reset: durability lost offsets 0–4', { timeout: 20_000 });
    await expect(lastRestart(lab)).toContainText(
      'durability-persisted (durability=persisted) came back with every message',
    );
    await expect(plain).toContainText('0 acknowledged messages only in memory');
    await page.screenshot({ path: screenshotPath('lab-durability-crash-light.png'), fullPage: true });

    // Graceful: the journal is written first, so nothing is lost.
    await send(lab, '2', 'durability (default)');
    await expect(result(lab)).toContainText('offsets 0–1');
    await iggy.shutdown();
    await expect(lastRestart(lab)).toContainText('The lab lost its connection to Iggy', { timeout: 15_000 });
    await iggy.start();
    await expect(lastRestart(lab)).toContainText('No loss: every acknowledged message came back', {
      timeout: 20_000,
    });
    await expect(lastRestart(lab)).toContainText(
      'The lab had computed 2 acknowledged messages only in memory',
    );
    await expect(lab.getByRole('alert')).toHaveCount(0);

    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.screenshot({ path: screenshotPath('lab-durability-dark.png'), fullPage: true });

    await lab.getByRole('button', { name: 'Reset the durability lab' }).click();
    await expect(result(lab)).toContainText('Deleted durability and durability-persisted');
    await expect(lastRestart(lab)).toContainText('None yet');
    await expect(plain).toContainText('Not created yet: the first Send creates it.');
  });

  test('inline in the concepts doc at 390 px: under its section, both setups’ commands, by keyboard', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.goto('/docs/iggy-concepts#what-a-crash-loses');
    const lab = durabilityLab(page);
    await expect(lab).toBeVisible();
    const order = await page.evaluate(() =>
      [...document.querySelectorAll('h3, [data-lab-frame]')].map((el) =>
        el.tagName === 'H3' ? el.textContent : `lab:${el.getAttribute('data-lab-frame')}`,
      ),
    );
    const at = order.indexOf('lab:durability');
    expect(order[at - 1]).toMatch(/What a crash loses/);
    expect(order[at + 1]).toMatch(/Segments and files/);
    await expect(lab.getByRole('table')).toContainText('messages_required_to_save');

    const setups = lab.getByRole('group', { name: 'Crash or restart Iggy yourself: your setup' });
    await setups.getByRole('radio', { name: 'Docker' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(setups.getByRole('radio', { name: 'IGGY_SERVER_BIN' })).toBeChecked();
    await expect(lab.getByLabel('kill it without warning (SIGKILL)', { exact: true })).toHaveText(
      'kill -KILL <pid>',
    );
    await expect(lab.getByLabel('stop it gracefully (SIGTERM)', { exact: true })).toHaveText(
      'kill -TERM <pid>',
    );
    await expect(
      lab.getByRole('button', { name: 'Copy: find the server’s process id' }).first(),
    ).toBeVisible();

    await send(lab, '3', 'durability (default)');
    await expect(result(lab)).toContainText('3 acknowledged messages are still only in memory');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await lab.scrollIntoViewIfNeeded();
    await lab.screenshot({ path: screenshotPath('lab-durability-in-docs-mobile-dark.png') });
  });
});

test('durability lab on an edge build: enforce_fsync in the catalog, no persisted topic, said plainly', async ({
  page,
}) => {
  const edge = await startTestServer({
    rootUsername: E2E_IGGY_USERNAME,
    rootPassword: E2E_IGGY_PASSWORD,
    topicOptionsFlavor: 'edge',
  });
  const app = await startApp(`iggy://${E2E_IGGY_USERNAME}:${E2E_IGGY_PASSWORD}@${edge.host}:${edge.port}`);
  try {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${app.url}/labs/durability`);
    const lab = durabilityLab(page);
    await expect(lab.getByText('it lists enforce_fsync, no durability — an edge build')).toBeVisible();
    await expect(lab.getByTestId('no-durability')).toContainText('No persisted topic on this server');
    await expect(lab.getByRole('button', { name: 'Create persisted topic' })).toHaveCount(0);
    await expect(lab.getByRole('radio', { name: 'durability-persisted' })).toBeDisabled();
    await send(lab, '4', 'durability (default)');
    await expect(topicCard(lab, 'durability')).toContainText('enforce_fsync');
    await expect(topicCard(lab, 'durability')).not.toContainText('replicated');
    await lab.getByRole('button', { name: 'Ask Iggy again' }).click();
    await expect(result(lab)).toContainText('no option here makes a send wait for the disk');
    await page.screenshot({ path: screenshotPath('lab-durability-edge.png'), fullPage: true });
  } finally {
    await app.stop();
    await edge.stop();
  }
});
