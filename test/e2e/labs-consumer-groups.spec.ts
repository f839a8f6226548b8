import type { Locator, Page } from '@playwright/test';
import { expect, screenshotPath, test } from './fixtures';

const groupLab = (page: Page) => page.getByRole('region', { name: 'Consumer groups', exact: true });
// The frame's result region is the lab's last live region (the lab's own notice comes first).
const result = (lab: Locator) => lab.getByRole('status').last();
// The cards only, not the lists of last messages inside them.
const members = (lab: Locator) =>
  lab.getByRole('list', { name: 'Members of the group' }).locator(':scope > li');
const strip = (lab: Locator) => lab.getByRole('list', { name: 'Partitions and the member that reads each' });
const member = (lab: Locator, label: string) =>
  lab.getByRole('list', { name: 'Members of the group' }).getByRole('listitem', { name: `Member ${label}` });

async function receivedBy(lab: Locator, label: string): Promise<number> {
  const text = await member(lab, label).locator('dt:text-is("Received") + dd').textContent();
  return Number(text);
}

async function addMember(lab: Locator, label: string) {
  await lab.getByRole('button', { name: 'Add member' }).click();
  await expect(result(lab)).toContainText(`Member ${label} joined group lab-group`, { timeout: 15_000 });
}

/** Every partition is read by one of `labels`, none by nobody. */
async function expectOwners(lab: Locator, labels: string[], partitions: number) {
  const cells = strip(lab).getByRole('listitem');
  await expect(cells).toHaveCount(partitions);
  for (let i = 0; i < partitions; i += 1) {
    await expect(cells.nth(i)).toContainText(new RegExp(`read by member (${labels.join('|')})`));
  }
}

test.describe('consumer-group lab', () => {
  test('three members share the partitions; removing one rebalances and messages keep flowing', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    await page.setViewportSize({ width: 1440, height: 1100 });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.goto('/labs/consumer-groups');
    const lab = groupLab(page);
    await expect(lab.getByText('No topic and no members yet')).toBeVisible();

    await lab.getByLabel('Partitions', { exact: true }).selectOption('4');
    await lab.getByRole('button', { name: 'Create topic' }).click();
    await expect(result(lab)).toContainText('Created topic consumer-groups with 4 partitions');
    await expect(strip(lab).getByRole('listitem')).toHaveCount(4);
    await expect(strip(lab)).toContainText('read by nobody');

    await lab.getByLabel('Messages per second').fill('20');
    await lab.getByRole('button', { name: 'Start producer' }).click();
    await expect(result(lab)).toContainText('Producing 20 messages/s');

    await addMember(lab, 'A');
    await expect(lab.getByRole('table')).toContainText('JoinConsumerGroup');
    await expect(lab.getByRole('table')).toContainText('SyncConsumerGroup');
    await expect(lab.getByRole('table')).toContainText(/PollMessages \(partition \d\)/);
    // Keyboard only for the second one: Tab order reaches the button, Enter presses it.
    await lab.getByRole('button', { name: 'Add member' }).focus();
    await page.keyboard.press('Enter');
    await expect(result(lab)).toContainText('Member B joined group lab-group', { timeout: 15_000 });
    await addMember(lab, 'C');
    await expect(result(lab)).toContainText('rebalances cooperatively');
    await expect(members(lab)).toHaveCount(3);
    await expectOwners(lab, ['A', 'B', 'C'], 4);
    await expect(lab.getByLabel('CLI command', { exact: true })).toHaveText(
      'iggy consumer-group get demo-labs consumer-groups lab-group',
    );
    for (const label of ['A', 'B', 'C']) await expect.poll(() => receivedBy(lab, label)).toBeGreaterThan(0);
    await expect(lab.getByTestId('delivery-verdict')).toContainText(
      'Every message was received once while membership did not change',
    );
    await page.screenshot({ path: screenshotPath('lab-consumer-groups-light.png'), fullPage: true });

    await lab.getByRole('button', { name: 'Remove member B' }).click();
    await expect(result(lab)).toContainText('Member B finished and committed the batch it held, then left');
    await expect(lab.getByRole('table')).toContainText('LeaveConsumerGroup');
    await expect(members(lab)).toHaveCount(2);
    await expectOwners(lab, ['A', 'C'], 4);
    const before = await receivedBy(lab, 'A');
    await expect.poll(() => receivedBy(lab, 'A'), { timeout: 15_000 }).toBeGreaterThan(before + 5);
    await expect(lab.getByTestId('delivery-verdict')).toContainText('received once');

    await lab.getByRole('button', { name: 'Disconnect member A' }).click();
    await expect(result(lab)).toContainText("Dropped member A's TCP connection without LeaveConsumerGroup", {
      timeout: 15_000,
    });
    await expect(members(lab)).toHaveCount(1);
    await expectOwners(lab, ['C'], 4);
    const text = (await result(lab).textContent()) ?? '';
    if (text.includes('at-least-once')) {
      await expect(lab.getByRole('list', { name: 'Redeliveries after membership changes' })).toContainText(
        'member A was disconnected',
        { timeout: 15_000 },
      );
    }

    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(members(groupLab(page))).toHaveCount(1);
    await page.screenshot({ path: screenshotPath('lab-consumer-groups-dark.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(members(groupLab(page))).toHaveCount(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('lab-consumer-groups-dark-mobile.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.reload();
    await expect(members(groupLab(page))).toHaveCount(1);
    await page.screenshot({ path: screenshotPath('lab-consumer-groups-mobile.png'), fullPage: true });

    await groupLab(page).getByRole('button', { name: 'Reset the consumer groups lab' }).click();
    await expect(result(groupLab(page))).toContainText('Deleted topic consumer-groups');
    await expect(groupLab(page).getByText('No topic and no members yet')).toBeVisible();
  });

  test('runs inline at the end of its docs section', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto('/docs/iggy-concepts');
    const lab = groupLab(page);
    await expect(lab.getByRole('heading', { name: 'Consumer groups', level: 4 })).toBeVisible();
    const order = await page.evaluate(() =>
      [...document.querySelectorAll('h2, h3, [data-lab-frame]')].map((el) =>
        el.tagName.startsWith('H') ? el.textContent : `lab:${el.getAttribute('data-lab-frame')}`,
      ),
    );
    const at = order.indexOf('lab:consumer-groups');
    expect(order[at - 1]).toMatch(/Consumer groups share partitions between members/);
    expect(order[at + 1]).toMatch(/Transports/);
    await addMember(lab, 'A');
    await expect(result(lab)).toContainText('Created topic consumer-groups with 4 partitions first');
    await addMember(lab, 'B');
    await expectOwners(lab, ['A', 'B'], 4);
    await lab.scrollIntoViewIfNeeded();
    await lab.screenshot({ path: screenshotPath('lab-consumer-groups-in-docs.png') });
  });

  test('when Iggy is down the lab says so, and it recovers by itself', async ({ page, iggy }) => {
    await page.goto('/labs/consumer-groups');
    const lab = groupLab(page);
    await addMember(lab, 'A');
    await iggy.shutdown();
    await expect(lab.getByRole('alert')).toContainText('Iggy is not reachable at', { timeout: 15_000 });
    await expect(lab.getByText('The group cannot be read while Iggy is unreachable')).toBeVisible();
    await page.screenshot({ path: screenshotPath('lab-consumer-groups-unreachable.png'), fullPage: true });
    await iggy.start();
    await expect(lab.getByRole('alert')).toHaveCount(0, { timeout: 20_000 });
    await expect(lab.getByText(/Iggy went away|connection to Iggy was lost/)).toBeVisible();
    await expect(members(lab)).toHaveCount(0);
    await addMember(lab, 'A');
    await expectOwners(lab, ['A'], 4);
  });
});
