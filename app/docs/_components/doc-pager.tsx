import Link from 'next/link';
import type { DocSummary } from '@/lib/docs';

/** Previous and next doc in reading order, so the docs can be read front to back like a short book. */
export function DocPager({
  previous,
  next,
}: {
  previous: DocSummary | undefined;
  next: DocSummary | undefined;
}) {
  if (previous === undefined && next === undefined) return null;
  return (
    <nav aria-label="Previous and next doc" className="doc-pager">
      {previous !== undefined ? (
        <Link href={`/docs/${previous.slug}`} rel="prev" className="doc-pager-link doc-pager-previous">
          <span className="doc-pager-direction">Previous</span>{' '}
          <span className="doc-pager-title">{previous.title}</span>
        </Link>
      ) : (
        <span />
      )}
      {next !== undefined && (
        <Link href={`/docs/${next.slug}`} rel="next" className="doc-pager-link doc-pager-next">
          <span className="doc-pager-direction">Next</span>{' '}
          <span className="doc-pager-title">{next.title}</span>
        </Link>
      )}
    </nav>
  );
}
