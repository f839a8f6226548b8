import AxeBuilder from '@axe-core/playwright';
import { test as base, type Page } from '@playwright/test';
import { LABS } from '../../lib/labs/catalog';
import { startTestServer } from '../support/index';
import { expect, startApp, test } from './fixtures';

// An automated accessibility audit (axe-core, WCAG 2.x A and AA rules) of every kind of page, in both themes,
// after the page has drawn its live data. It does not replace trying a page with a keyboard and a screen reader
// (the other specs do the keyboard part); it catches what a rule can: names, roles, contrast, landmarks.

const PAGES = [
  { path: '/', ready: (page: Page) => page.getByRole('button', { name: 'Start producer' }) },
  {
    path: '/docs/iggy-concepts',
    ready: (page: Page) => page.getByRole('heading', { name: 'Iggy concepts' }),
  },
  { path: '/labs', ready: (page: Page) => page.getByRole('list', { name: 'All labs' }) },
  ...LABS.map((lab) => ({
    path: `/labs/${lab.name}`,
    ready: (page: Page) => page.getByRole('region', { name: lab.title }),
  })),
  { path: '/explore', ready: (page: Page) => page.getByRole('heading', { name: 'Streams and topics' }) },
  {
    // The partition page draws its designed "not found" state when the test server has no such topic.
    path: '/explore/demo-stream/demo-topic/0',
    ready: (page: Page) => page.getByRole('region', { name: 'Send a message' }),
  },
];

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG A/AA violation on any page (${scheme})`, async ({ page }) => {
    // One visit and one audit per page: the budget grows with the pages (a loaded machine takes ~15 s a page).
    test.setTimeout(60_000 + PAGES.length * 30_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const found: string[] = [];
    for (const { path, ready } of PAGES) {
      await page.goto(path);
      await expect(ready(page).first()).toBeVisible();
      // Let the first polls answer, so the audit sees the page with its data rather than its loading state. The
      // pages poll every second, so the network may never stay idle for long: bounded, and not an error.
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
      const result = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      for (const violation of result.violations) {
        const targets = violation.nodes.map((node) => node.target.join(' ')).slice(0, 3);
        found.push(
          `${path}: ${violation.id} (${violation.impact}) — ${violation.help} — ${targets.join(' | ')}`,
        );
      }
    }
    expect(found, found.join('\n')).toEqual([]);
  });
}

// The stand-in notice sits on every page (and the badge changes) while the app talks to the in-memory server.
base(
  'axe finds no WCAG A/AA violation in the stand-in notice and badge (light and dark)',
  async ({ page }) => {
    const standIn = await startTestServer({ serverVersion: '0.9.0+stand-in' });
    const app = await startApp(standIn.url);
    try {
      const found: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.goto(app.url);
        await expect(page.getByRole('complementary', { name: 'Stand-in server' })).toBeVisible({
          timeout: 30_000,
        });
        await expect(page.getByRole('status', { name: 'Iggy connection: Stand-in' })).toBeVisible();
        const result = await new AxeBuilder({ page })
          .include('[data-testid="stand-in-notice"]')
          .include('header')
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
          .analyze();
        for (const violation of result.violations) {
          const targets = violation.nodes.map((node) => node.target.join(' ')).slice(0, 3);
          found.push(
            `${scheme}: ${violation.id} (${violation.impact}) — ${violation.help} — ${targets.join(' | ')}`,
          );
        }
      }
      expect(found, found.join('\n')).toEqual([]);
    } finally {
      await app.stop();
      await standIn.stop();
    }
  },
);
