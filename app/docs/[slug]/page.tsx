import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { defaultDocsLocation, findDocWithNeighbours, isValidDocSlug, renderMarkdown } from '@/lib/docs';
import { LabView } from '@/app/_components/labs/lab-view';
import { DocPager } from '../_components/doc-pager';
import { DocsNav } from '../_components/docs-nav';
import { TableOfContents } from '../_components/table-of-contents';
import { getAllDocs } from '../docs-data';

interface DocPageProps {
  params: Promise<{ slug: string }>;
}

/** Every doc is rendered at build time; a slug without a file is a 404, never a render attempt. */
export const dynamicParams = false;

export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return (await getAllDocs()).map((doc) => ({ slug: doc.slug }));
}

async function docFor(slug: string) {
  return isValidDocSlug(slug) ? findDocWithNeighbours(await getAllDocs(), slug) : undefined;
}

export async function generateMetadata({ params }: DocPageProps): Promise<Metadata> {
  const found = await docFor((await params).slug);
  if (found === undefined) return {};
  return {
    title: found.doc.title,
    description: found.doc.description || undefined,
  };
}

export default async function DocPage({ params }: DocPageProps) {
  const { slug } = await params;
  const found = await docFor(slug);
  if (found === undefined) notFound();
  const { doc, previous, next } = found;
  const [docs, content] = await Promise.all([
    getAllDocs(),
    renderMarkdown(doc.body, {
      publicDir: defaultDocsLocation().publicDir,
      // `::lab{name="…"}` becomes the live lab, inline under its section.
      renderLab: (name, headingLevel) => <LabView name={name} headingLevel={headingLevel} context="docs" />,
    }),
  ]);

  return (
    <div className="docs-layout">
      <DocsNav docs={docs} currentSlug={doc.slug} />
      <TableOfContents headings={doc.toc.map(({ id, text, depth }) => ({ id, text, depth }))} />
      <article className="docs-article" aria-labelledby="doc-page-title">
        <header className="docs-article-header">
          <h1 id="doc-page-title">{doc.title}</h1>
          {doc.description !== '' && <p className="docs-lead">{doc.description}</p>}
        </header>
        <div className="doc-prose">{content}</div>
        <DocPager previous={previous} next={next} />
      </article>
    </div>
  );
}
