import Link from 'next/link';
import { ArrowUpRightIcon } from './icons';

export type ConceptSection =
  | 'streams'
  | 'topics'
  | 'partitions'
  | 'offsets-and-polling-strategies'
  | 'consumer-offsets-and-consumer-groups'
  | 'what-a-crash-loses'
  | 'replication-and-clusters';

/** A small "Learn ↗" link into the docs; `label` is its accessible name. */
export function LearnMoreLink({ href, label }: { href: string; label: string }) {
  return (
    <Link
      href={href}
      className="inline-flex shrink-0 items-center gap-1 rounded text-xs font-medium text-accent hover:text-accent-strong hover:underline underline-offset-4"
      aria-label={label}
    >
      Learn
      <ArrowUpRightIcon />
    </Link>
  );
}

export function LearnLink({ section, topic }: { section: ConceptSection; topic: string }) {
  return <LearnMoreLink href={`/docs/iggy-concepts#${section}`} label={`Learn about ${topic}`} />;
}
