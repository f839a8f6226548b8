import type { Locator, Page } from '@playwright/test';
import { expect, screenshotPath, test } from './fixtures';

/** The doc titles in reading order, as the docs sidebar lists them. */
async function docTitlesInOrder(page: Page): Promise<string[]> {
  return page
    .getByRole('navigation', { name: 'Docs', exact: true })
    .getByRole('list')
    .getByRole('link')
    .allTextContents();
}

function onThisPage(page: Page): Locator {
  return page.getByRole('navigation', { name: 'On this page' });
}

/** The heading's top edge sits in the upper part of the viewport, below the sticky site header. */
async function expectScrolledToTop(page: Page, heading: Locator): Promise<void> {
  await expect(heading).toBeInViewport();
  await expect
    .poll(async () => (await heading.boundingBox())?.y ?? Number.NaN, { message: 'heading near the top' })
    .toBeLessThan(200);
  await expect.poll(async () => (await heading.boundingBox())?.y ?? Number.NaN).toBeGreaterThanOrEqual(48);
}

test.describe('docs', () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  test('/docs lists every doc in order and each card opens its page', async ({ page }) => {
    await page.goto('/docs');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const cards = page.getByRole('list', { name: 'All docs' }).getByRole('link');
    const titles = await cards.locator('.docs-card-title').allTextContents();
    expect(titles).toEqual(expect.arrayContaining(['Iggy concepts', 'Architecture']));
    expect(titles.length).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('docs-index.png'), fullPage: true });

    await cards.filter({ hasText: 'Iggy concepts' }).click();
    await expect(page).toHaveURL(/\/docs\/iggy-concepts$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Iggy concepts' })).toBeVisible();
    // The sidebar shows the same docs in the same order as the index.
    expect(await docTitlesInOrder(page)).toEqual(titles);
  });

  test('iggy-concepts has a table of contents that jumps to sections and follows scrolling', async ({
    page,
  }) => {
    await page.goto('/docs/iggy-concepts');
    await expect(page).toHaveTitle(/Iggy concepts/);
    const toc = onThisPage(page);
    await expect(toc.getByRole('link').first()).toBeVisible();

    // The TOC lists exactly the page's h2/h3 headings, in order.
    const headingTexts = await page.locator('.doc-prose').locator('h2, h3').allTextContents();
    expect(headingTexts.length).toBeGreaterThan(3);
    expect((await toc.getByRole('link').allTextContents()).map((text) => text.trim())).toEqual(
      headingTexts.map((text) => text.trim()),
    );

    const entry = toc.getByRole('link', { name: 'Partitions', exact: true });
    await entry.click();
    await expect(page).toHaveURL(/#partitions$/);
    await expectScrolledToTop(page, page.locator('h2#partitions'));
    await expect(entry).toHaveAttribute('aria-current', 'location');
    await page.screenshot({ path: screenshotPath('docs-iggy-concepts-toc.png') });

    // Scrolling by hand moves the highlight to the section being read.
    await page.mouse.move(700, 500);
    await page.locator('h2#transports').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await page.mouse.wheel(0, 40);
    await expect(toc.getByRole('link', { name: 'Transports', exact: true })).toHaveAttribute(
      'aria-current',
      'location',
    );
    await expect(toc.locator('[aria-current="location"]')).toHaveCount(1);
  });

  test('architecture renders with a table of contents, heading anchors and working prev/next links', async ({
    page,
  }) => {
    await page.goto('/docs/architecture');
    await expect(page.getByRole('heading', { level: 1, name: 'Architecture' })).toBeVisible();
    const toc = onThisPage(page);
    await expect(toc.getByRole('link').first()).toBeVisible();

    const first = toc.getByRole('link').first();
    const firstTarget = (await first.getAttribute('href')) ?? '';
    await first.click();
    await expectScrolledToTop(page, page.locator(`[id="${decodeURIComponent(firstTarget.slice(1))}"]`));

    // Each section heading has its own named "#" link.
    await expect(page.getByRole('link', { name: /^Link to section: / }).first()).toHaveAttribute(
      'href',
      /^#/,
    );
    // Diagrams load from public/.
    const diagram = page.locator('.doc-prose img').first();
    await diagram.scrollIntoViewIfNeeded();
    await expect
      .poll(() => diagram.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBeGreaterThan(0);

    const titles = await docTitlesInOrder(page);
    const index = titles.indexOf('Architecture');
    const pager = page.getByRole('navigation', { name: 'Previous and next doc' });
    const previousTitle = titles[index - 1];
    const nextTitle = titles[index + 1];

    if (nextTitle !== undefined) {
      await pager.getByRole('link', { name: `Next ${nextTitle}` }).click();
      await expect(page.getByRole('heading', { level: 1, name: nextTitle })).toBeVisible();
      await page
        .getByRole('navigation', { name: 'Previous and next doc' })
        .getByRole('link', { name: 'Previous Architecture' })
        .click();
      await expect(page.getByRole('heading', { level: 1, name: 'Architecture' })).toBeVisible();
    }
    if (previousTitle !== undefined) {
      await page
        .getByRole('navigation', { name: 'Previous and next doc' })
        .getByRole('link', { name: `Previous ${previousTitle}` })
        .click();
      await expect(page.getByRole('heading', { level: 1, name: previousTitle })).toBeVisible();
    }
    expect(previousTitle ?? nextTitle, 'architecture has at least one neighbour').toBeDefined();
  });

  test('an unknown doc is a 404 page', async ({ page }) => {
    const response = await page.goto('/docs/no-such-doc');
    expect(response?.status()).toBe(404);
  });
});

test.describe('docs on a phone', () => {
  test.use({ viewport: { width: 390, height: 800 } });

  test('the table of contents starts collapsed and opens to jump to a section', async ({ page }) => {
    await page.goto('/docs/iggy-concepts');
    const toc = onThisPage(page);
    await expect(toc.getByRole('button', { name: 'On this page' })).toHaveAttribute('aria-expanded', 'false');
    const entry = toc.getByRole('link', { name: 'Persistence', exact: true });
    await expect(entry).toBeHidden();
    await toc.getByRole('button', { name: 'On this page' }).click();
    await expect(entry).toBeVisible();
    await entry.click();
    await expectScrolledToTop(page, page.locator('h2#persistence'));
    await expect(entry).toHaveAttribute('aria-current', 'location');
    // Nothing on the page is wider than the screen: tables and code scroll inside their own boxes.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('docs-phone.png') });
  });
});
