import { describe, expect, it } from 'vitest';
import { findDocLinkProblems, formatLinkProblem } from '@/lib/docs/check-links';
import { findRawHtml } from '@/lib/docs/check-raw-html';
import { defaultDocsLocation } from '@/lib/docs/docs-location';
import { loadAllDocs } from '@/lib/docs/load-docs';
import { renderMarkdownToDom } from './html';
import { brokenRenderedLinks } from './rendered-links';

/** The real docs/ folder of this repository, rendered exactly as the /docs pages render it. */
const location = defaultDocsLocation();
const docs = await loadAllDocs(location);
const rendered = await Promise.all(
  docs.map(async (doc) => ({
    doc,
    dom: await renderMarkdownToDom(doc.body, { publicDir: location.publicDir }),
  })),
);

describe('project docs', () => {
  it('include the pages the app links to', () => {
    expect(docs.map((doc) => doc.slug)).toEqual(expect.arrayContaining(['iggy-concepts', 'architecture']));
  });

  it('each have a title and a description for the docs index', () => {
    for (const doc of docs) {
      expect(doc.title, doc.slug).not.toBe('');
      expect(doc.description, `docs/${doc.slug}.md has no description in its front matter`).not.toBe('');
      expect(Number.isFinite(doc.order), `docs/${doc.slug}.md has no order in its front matter`).toBe(true);
    }
  });

  it.each(rendered.map(({ doc, dom }) => [doc.slug, doc, dom] as const))(
    '%s: the table of contents is its h2/h3 headings, in order, with the rendered ids',
    (_slug, doc, dom) => {
      const onPage = [...dom.querySelectorAll('h2, h3')].map((heading) => ({
        depth: Number(heading.tagName.slice(1)),
        id: heading.id,
        text: heading.textContent?.trim(),
      }));
      expect(doc.toc.length).toBeGreaterThan(0);
      expect(doc.toc).toEqual(onPage);
    },
  );

  it('link only to docs, headings, diagrams and repository files that exist (as written in the markdown)', async () => {
    expect((await findDocLinkProblems(location)).map(formatLinkProblem)).toEqual([]);
  });

  it('contain no raw HTML, which would show up as literal tags (it is never interpreted)', () => {
    const uses = findRawHtml(docs).map((use) => `${use.file}:${use.line ?? '?'} ${use.html}`);
    expect(uses).toEqual([]);
  });

  it('give every diagram its intrinsic size', () => {
    const unsized = rendered.flatMap(({ doc, dom }) =>
      [...dom.querySelectorAll('img')]
        .filter((image) => !image.getAttribute('width') || !image.getAttribute('height'))
        .map((image) => `${doc.slug}: ${image.getAttribute('src')}`),
    );
    expect(unsized).toEqual([]);
  });

  it('link only to docs, headings and public files that exist (as rendered)', () => {
    const pages = rendered.map(({ doc, dom }) => ({ slug: doc.slug, dom }));
    expect(brokenRenderedLinks(pages, location)).toEqual([]);
  });
});
