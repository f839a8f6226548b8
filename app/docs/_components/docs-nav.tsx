import Link from 'next/link';
import type { DocSummary } from '@/lib/docs';

/** Every doc in reading order; the one being read is marked for sighted and screen-reader users alike. */
export function DocsNav({ docs, currentSlug }: { docs: readonly DocSummary[]; currentSlug: string }) {
  return (
    <nav aria-label="Docs" className="docs-nav">
      <p className="docs-nav-title">
        <Link href="/docs">Docs</Link>
      </p>
      <ol>
        {docs.map((doc) => (
          <li key={doc.slug}>
            <Link href={`/docs/${doc.slug}`} aria-current={doc.slug === currentSlug ? 'page' : undefined}>
              {doc.title}
            </Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}
