import type { Locator, Page } from '@playwright/test';
import { E2E_IGGY_PASSWORD, expect, expectConnected, test } from './fixtures';

// The wire inspector shows the frames the app's two TCP connections exchange with a real (test) Iggy server.

const inspector = (page: Page) => page.getByRole('region', { name: 'Wire inspector' });
const frameRows = (page: Page) => inspector(page).getByTestId('wire-frame');

function rowsOf(page: Page, command: string, kind: 'request' | 'reply', connection?: string): Locator {
  const byConnection = connection ? `[data-connection="${connection}"]` : '';
  return inspector(page).locator(
    `[data-testid="wire-frame"][data-command="${command}"][data-kind="${kind}"]${byConnection}`,
  );
}

async function openDashboard(page: Page) {
  await page.goto('/');
  await expectConnected(page);
  await expect(page.getByText(/^Live/)).toBeVisible();
}

test.describe('wire inspector', () => {
  test('is closed by default and polls nothing until opened', async ({ page }) => {
    const framePolls: string[] = [];
    let framePollsInFlight = 0;
    const isFramePoll = (url: string) => new URL(url).pathname === '/api/frames';
    page.on('request', (r) => {
      if (!isFramePoll(r.url())) return;
      framePolls.push(r.url());
      framePollsInFlight += 1;
    });
    const settled = (r: { url(): string }) => {
      if (isFramePoll(r.url())) framePollsInFlight -= 1;
    };
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    await openDashboard(page);
    const toggle = inspector(page).getByRole('button', { name: 'Show frames' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(frameRows(page)).toHaveCount(0);
    // An observation window: nothing may poll while closed (a busy machine can only make fewer requests).
    await page.waitForTimeout(2_500);
    expect(framePolls).toEqual([]);

    // Keyboard: focus the toggle and press Enter.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(inspector(page).getByRole('button', { name: 'Hide frames' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    await expect.poll(() => framePolls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect(inspector(page).getByRole('link', { name: /Learn how this app connects/ })).toHaveAttribute(
      'href',
      '/docs/architecture#how-this-app-connects',
    );

    await inspector(page).getByRole('button', { name: 'Hide frames' }).click();
    // Closed once React committed it, and a poll sent just before may still be on its way: wait for both states.
    await expect(inspector(page).getByRole('button', { name: 'Show frames' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    await expect.poll(() => framePollsInFlight, { timeout: 15_000 }).toBe(0);
    const pollsWhenClosed = framePolls.length;
    await page.waitForTimeout(2_500);
    expect(framePolls.length).toBe(pollsWhenClosed);
  });

  test('shows SendMessages and PollMessages exchanges, and a Register row without body bytes', async ({
    page,
    request,
  }) => {
    await openDashboard(page);
    await inspector(page).getByRole('button', { name: 'Show frames' }).click();
    // Before a topic exists the consumer only asks for it (GetTopic) every half second.
    await expect(rowsOf(page, 'GetTopic', 'request', 'consumer').first()).toBeVisible({ timeout: 15_000 });
    await expect(rowsOf(page, 'GetTopic', 'reply', 'consumer').first()).toBeVisible();

    // The producer connection is opened by Start producer, so its login happens while the inspector watches.
    await page.getByRole('button', { name: 'Start producer' }).click();
    await expect(page.getByRole('button', { name: 'Stop producer' })).toBeEnabled();
    await expect(rowsOf(page, 'SendMessages', 'request', 'producer').first()).toBeVisible({
      timeout: 15_000,
    });
    const sendReply = rowsOf(page, 'SendMessages', 'reply', 'producer').first();
    await expect(sendReply).toBeVisible();
    await expect(sendReply).toContainText('OK');
    await expect(sendReply).toContainText('←');
    // Once the topic exists the consumer polls it and stores its offset.
    await expect(rowsOf(page, 'PollMessages', 'request', 'consumer').first()).toBeVisible({
      timeout: 15_000,
    });
    await expect(rowsOf(page, 'PollMessages', 'reply', 'consumer').first()).toContainText('OK');

    const sendRequest = rowsOf(page, 'SendMessages', 'request', 'producer').first();
    await expect(sendRequest).toContainText('→');
    await sendRequest.getByRole('button', { name: /Show bytes of SendMessages request/ }).click();
    await expect(sendRequest.getByTestId('wire-header-hex')).toBeVisible();
    await expect(sendRequest.getByTestId('wire-body-hex')).toBeVisible();
    await expect(sendRequest).toContainText('size (u32) at offset 48');

    const register = rowsOf(page, 'Register (login)', 'request', 'producer').first();
    await expect(register).toBeAttached();
    await register.getByRole('button', { name: /Show bytes of Register \(login\) request/ }).click();
    await expect(register.getByTestId('wire-redacted')).toHaveText(/redacted: contains credentials/);
    await expect(register.getByTestId('wire-header-hex')).toBeVisible();
    await expect(register.getByTestId('wire-body-hex')).toHaveCount(0);
    await expect(register.getByTestId('wire-header-hex')).toContainText('xx xx');

    // Nothing the inspector was given holds the password, in text or in hex.
    const answer = await request.get('/api/frames');
    expect(answer.ok()).toBe(true);
    const body = await answer.text();
    const passwordHex = Buffer.from(E2E_IGGY_PASSWORD, 'utf8').toString('hex');
    for (const text of [body, await inspector(page).innerText()]) {
      expect(text).not.toContain(E2E_IGGY_PASSWORD);
      expect(text.replace(/\s/g, '')).not.toContain(passwordHex);
    }
    const frames = (
      JSON.parse(body) as { frames: { commandName: string; kind: string; bodyPreviewHex: string }[] }
    ).frames;
    for (const f of frames.filter((x) => x.commandName === 'Register (login)' && x.kind === 'request'))
      expect(f.bodyPreviewHex).toBe('');

    await expect(inspector(page).getByRole('link', { name: /Learn how this app connects/ })).toBeVisible();
    await page.getByRole('button', { name: 'Stop producer' }).click();
  });

  test('answers 400 for a bad after parameter', async ({ request }) => {
    const answer = await request.get('/api/frames?after=nope');
    expect(answer.status()).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });
});
