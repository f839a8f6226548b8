import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { E2E_DIST_DIR, E2E_IGGY_PASSWORD, expect, test } from './fixtures';

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

/**
 * Reads a never-ending response (Server-Sent Events) until `enough` says what arrived will do, and returns it;
 * gives up after `timeoutMs` (generous: on a busy machine the first event can take seconds).
 */
async function readStreamUntil(
  url: string,
  enough: (text: string) => boolean,
  timeoutMs = 30_000,
): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    while (!enough(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // aborted after `timeoutMs`: the caller's assertions say what was missing
  } finally {
    clearTimeout(timer);
    controller.abort(); // the stream never ends by itself
  }
  return text;
}

test('the Iggy password in IGGY_URL reaches no browser asset of the build', async () => {
  // scripts/test-e2e.mjs builds with IGGY_URL carrying E2E_IGGY_PASSWORD, so a leak would be baked in here.
  const staticDir = path.resolve(E2E_DIST_DIR, 'static');
  let scanned = 0;
  const leaks: string[] = [];
  for await (const file of filesUnder(staticDir)) {
    scanned += 1;
    if ((await readFile(file)).includes(E2E_IGGY_PASSWORD)) leaks.push(path.relative(staticDir, file));
  }
  expect(scanned).toBeGreaterThan(10);
  expect(leaks).toEqual([]);
});

test('no API response or page contains the Iggy password', async ({ app, page }) => {
  const started = await fetch(`${app.url}/api/producer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'start' }),
  });
  expect(started.status).toBe(200);
  await expect
    .poll(async () => (await (await fetch(`${app.url}/api/messages`)).json()).messages.length, {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);

  const responses: [string, string][] = [];
  for (const route of [
    '/api/status',
    '/api/messages',
    '/api/topology',
    '/api/frames',
    '/api/does-not-exist',
  ]) {
    responses.push([route, await (await fetch(`${app.url}${route}`)).text()]);
  }
  // Two whole events (a status and the messages so far), whenever they come.
  const events = await readStreamUntil(`${app.url}/api/events`, (text) => text.split('\n\n').length > 2);
  expect(events).toContain('event:');
  responses.push(['/api/events', events]);
  const bad = await fetch(`${app.url}/api/producer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"action":',
  });
  responses.push(['POST /api/producer (malformed)', await bad.text()]);
  await page.goto('/');
  responses.push(['/ (rendered page)', await page.content()]);

  for (const [route, body] of responses) {
    expect(body, `${route} leaked the password`).not.toContain(E2E_IGGY_PASSWORD);
  }
  const status = JSON.parse(responses[0]![1]) as { iggy: { address: string } };
  expect(status.iggy.address).toMatch(/^127\.0\.0\.1:\d+$/);
});
