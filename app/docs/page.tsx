import type { Metadata } from 'next';
import Link from 'next/link';
import { getAllDocs } from './docs-data';

export const metadata: Metadata = {
  title: 'Docs',
  description:
    'Concept docs for the Iggy demo: getting started, Iggy concepts, architecture and troubleshooting.',
};

export default async function DocsIndexPage() {
  const docs = await getAllDocs();
  return (
    <div className="docs-index">
      <header className="docs-index-header">
        <p className="docs-eyebrow">Docs</p>
        <h1>Learn Iggy by watching it work</h1>
        <p className="docs-lead">
          Short, concrete pages that explain what the dashboard shows: how messages are stored, addressed and
          read back, and how this app speaks Iggy&apos;s binary protocol. Read them in order or jump to what
          you need.
        </p>
      </header>
      {docs.length === 0 ? (
        <p className="docs-empty">No docs yet: add Markdown files to the docs/ folder.</p>
      ) : (
        <ol className="docs-cards" aria-label="All docs">
          {docs.map((doc, index) => (
            <li key={doc.slug}>
              <Link href={`/docs/${doc.slug}`} className="docs-card">
                <span className="docs-card-number" aria-hidden="true">
                  {String(index + 1).padStart(2, '0')}
                </span>
                <span className="docs-card-title">{doc.title}</span>
                {doc.description !== '' && <span className="docs-card-description">{doc.description}</span>}
              </Link>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
