import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import DocPage, { dynamicParams, generateMetadata, generateStaticParams } from '@/app/docs/[slug]/page';
import DocsIndexPage from '@/app/docs/page';
import { listDocs } from '@/lib/docs/load-docs';
import { parseHtml } from './html';

const params = (slug: string) => ({ params: Promise.resolve({ slug }) });

describe('/docs/[slug]', () => {
  it('is generated at build time for exactly the docs in docs/, and nothing else', async () => {
    const slugs = (await listDocs()).map((doc) => doc.slug);
    expect(await generateStaticParams()).toEqual(slugs.map((slug) => ({ slug })));
    expect(dynamicParams).toBe(false);
  });

  it('takes its title and description from the front matter', async () => {
    const concepts = (await listDocs()).find((doc) => doc.slug === 'iggy-concepts');
    expect(await generateMetadata(params('iggy-concepts'))).toEqual({
      title: concepts?.title,
      description: concepts?.description,
    });
  });

  it.each(['no-such-doc', '../package', 'iggy-concepts.md'])('is a 404 for %j', async (slug) => {
    expect(await generateMetadata(params(slug))).toEqual({});
    await expect(DocPage(params(slug))).rejects.toMatchObject({ digest: expect.stringContaining('404') });
  });

  it('shows the doc with its title, sections, "On this page", the docs list and prev/next', async () => {
    const docs = await listDocs();
    const index = docs.findIndex((doc) => doc.slug === 'architecture');
    const dom = parseHtml(renderToStaticMarkup(await DocPage(params('architecture'))));

    expect(dom.querySelector('article h1')?.textContent).toBe('Architecture');
    const tocLinks = [...dom.querySelectorAll('nav[aria-label="On this page"] a')].map((a) =>
      a.getAttribute('href'),
    );
    const sectionIds = [...dom.querySelectorAll('.doc-prose :is(h2, h3)')].map((heading) => `#${heading.id}`);
    expect(tocLinks).toEqual(sectionIds);

    const listed = [...dom.querySelectorAll('nav[aria-label="Docs"] ol a')];
    expect(listed.map((link) => link.textContent)).toEqual(docs.map((doc) => doc.title));
    expect(dom.querySelector('nav[aria-label="Docs"] [aria-current="page"]')?.textContent).toBe(
      'Architecture',
    );

    const pager = dom.querySelector('nav[aria-label="Previous and next doc"]');
    expect(pager?.querySelector('a[rel="prev"]')?.getAttribute('href') ?? null).toBe(
      index > 0 ? `/docs/${docs[index - 1]?.slug}` : null,
    );
    expect(pager?.querySelector('a[rel="next"]')?.getAttribute('href') ?? null).toBe(
      index < docs.length - 1 ? `/docs/${docs[index + 1]?.slug}` : null,
    );
  });
});

describe('/docs', () => {
  it('lists every doc as a card with its title and description, in reading order', async () => {
    const docs = await listDocs();
    const dom = parseHtml(renderToStaticMarkup(await DocsIndexPage()));
    const cards = [...dom.querySelectorAll('ol[aria-label="All docs"] a')];
    expect(
      cards.map((card) => ({
        href: card.getAttribute('href'),
        title: card.querySelector('.docs-card-title')?.textContent,
        description: card.querySelector('.docs-card-description')?.textContent,
      })),
    ).toEqual(
      docs.map((doc) => ({ href: `/docs/${doc.slug}`, title: doc.title, description: doc.description })),
    );
  });
});
