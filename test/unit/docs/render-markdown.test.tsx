import { describe, expect, it } from 'vitest';
import { loadAllDocs } from '@/lib/docs/load-docs';
import { fixtureLocation } from './fixture-location';
import { parseHtml, renderMarkdownToDom, renderMarkdownToHtml } from './html';
import { brokenRenderedLinks } from './rendered-links';

async function renderFixture(slug: string): Promise<Document> {
  const doc = (await loadAllDocs(fixtureLocation)).find((candidate) => candidate.slug === slug);
  if (doc === undefined) throw new Error(`fixture ${slug} missing`);
  return renderMarkdownToDom(doc.body, { publicDir: fixtureLocation.publicDir });
}

describe('renderMarkdown links', () => {
  it('rewrites doc links to /docs/<slug> and keeps anchors', async () => {
    const dom = await renderFixture('alpha');
    const hrefs = [...dom.querySelectorAll('p a')].map((link) => link.getAttribute('href'));
    expect(hrefs).toEqual(
      expect.arrayContaining(['/docs/beta', '/docs/beta#beta-details', '#setup-1', '#setup', '/']),
    );
  });

  it('serves diagrams from public/ at the site root, lazily', async () => {
    const image = (await renderFixture('alpha')).querySelector('img');
    expect(image?.getAttribute('src')).toBe('/docs/diagram.svg');
    expect(image?.getAttribute('alt')).toBe('A fixture diagram');
    expect(image?.getAttribute('loading')).toBe('lazy');
  });

  it('sizes diagrams from their files, so the page does not jump while they load', async () => {
    const image = (await renderFixture('alpha')).querySelector('img');
    expect([image?.getAttribute('width'), image?.getAttribute('height')]).toEqual(['10', '10']);
  });

  it('opens external links normally, without giving the other site a handle on this page', async () => {
    const link = (await renderFixture('alpha')).querySelector('a[href^="https:"]');
    expect(link?.getAttribute('href')).toBe('https://iggy.apache.org/docs/');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link?.hasAttribute('target')).toBe(false);
  });

  it('turns links to repository files into plain text that names the file, never a dead link', async () => {
    const dom = await renderFixture('alpha');
    expect(dom.querySelector('a[href*="compose"]')).toBeNull();
    const references = [...dom.querySelectorAll('.doc-repo-file')].map((element) => element.textContent);
    expect(references).toEqual(['the compose file (server/compose.yml)', 'compose.yml']);
  });
});

describe('renderMarkdown structure', () => {
  it('drops the leading title h1 (the page header shows it) but keeps every section id', async () => {
    const dom = await renderFixture('alpha');
    expect(dom.querySelector('h1')).toBeNull();
    expect([...dom.querySelectorAll('h2, h3')].map((heading) => heading.id)).toEqual([
      'setup',
      'offsets--pollingstrategynext',
      'setup-1',
      'über-café',
    ]);
  });

  it('puts a named anchor link beside each section heading, outside the heading text', async () => {
    const dom = await renderFixture('alpha');
    const heading = dom.querySelector('h2#setup');
    expect(heading?.textContent).toBe('Setup');
    const anchor = heading?.parentElement?.querySelector('a.doc-heading-anchor');
    expect(anchor?.getAttribute('href')).toBe('#setup');
    expect(anchor?.getAttribute('aria-label')).toBe('Link to section: Setup');
    expect(anchor?.querySelector('[aria-hidden="true"]')?.textContent).toBe('#');
  });

  it('renders GFM tables inside a horizontal scroll container, and task lists', async () => {
    const dom = await renderFixture('alpha');
    expect(dom.querySelector('.doc-table-scroll > table th')?.textContent).toBe('Column A');
    const boxes = [...dom.querySelectorAll('input[type="checkbox"]')];
    expect(boxes.map((box) => box.hasAttribute('checked'))).toEqual([true, false]);
    expect(boxes.every((box) => box.hasAttribute('disabled'))).toBe(true);
  });
});

describe('renderMarkdown code blocks', () => {
  it('highlights known languages on the server with light and dark colours as CSS variables', async () => {
    const html = await renderMarkdownToHtml('```ts\nconst offset: bigint = 42n;\n```\n');
    const pre = parseHtml(html).querySelector('pre');
    expect(pre?.classList.contains('shiki')).toBe(true);
    expect(pre?.getAttribute('data-language')).toBe('ts');
    expect(pre?.textContent).toBe('const offset: bigint = 42n;');
    const keyword = [...(pre?.querySelectorAll('span[style]') ?? [])].find(
      (span) => span.textContent === 'const',
    );
    expect(keyword?.getAttribute('style')).toMatch(/--shiki-light:#[0-9a-f]{6};--shiki-dark:#[0-9a-f]{6}/i);
  });

  it('loads a language on first use', async () => {
    const pre = parseHtml(await renderMarkdownToHtml('```python\nprint("hi")\n```\n')).querySelector('pre');
    expect(pre?.querySelectorAll('span[style*="--shiki-light"]').length).toBeGreaterThan(1);
  });

  it('renders unknown or missing languages as plain escaped text', async () => {
    const dom = await renderFixture('alpha');
    const blocks = [...dom.querySelectorAll('pre')];
    expect(blocks.map((block) => block.textContent)).toEqual([
      'const offset: bigint = 42n;',
      'plain <b>text</b>',
      'no language at all',
    ]);
    expect(blocks[1]?.querySelector('b')).toBeNull();
  });
});

describe('rendered fixture docs', () => {
  it('have no broken internal links or images', async () => {
    const docs = await loadAllDocs(fixtureLocation);
    const rendered = await Promise.all(
      docs.map(async (doc) => ({ slug: doc.slug, dom: await renderMarkdownToDom(doc.body) })),
    );
    expect(brokenRenderedLinks(rendered, fixtureLocation)).toEqual([]);
  });

  it('the rendered-link check does fail on broken links, missing ids and missing images', async () => {
    const rendered = [
      {
        slug: 'one',
        dom: await renderMarkdownToDom(
          '## Here\n\n[a](two.md#gone) [b](#nowhere) [c](missing.md) [d](#here) ![e](../public/docs/missing.svg)\n',
        ),
      },
      { slug: 'two', dom: await renderMarkdownToDom('## There\n') },
    ];
    expect(brokenRenderedLinks(rendered, fixtureLocation)).toEqual([
      'one: /docs/two#gone (no such id there)',
      'one: #nowhere (no such id on the page)',
      'one: /docs/missing (no such doc)',
      'one: image /docs/missing.svg (not a file under public/)',
    ]);
  });
});
