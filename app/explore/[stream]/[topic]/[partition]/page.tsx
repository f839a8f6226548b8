import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PartitionExplorer } from '@/app/_components/explore/partition-explorer';
import type { Seek } from '@/app/_components/explore/message-browser';

interface PartitionPageProps {
  params: Promise<{ stream: string; topic: string; partition: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** ?offset=N or ?timestamp=µs pick where the browser starts; anything else starts at the first message. */
function initialSeek(search: Record<string, string | string[] | undefined>): Seek {
  const offset = search.offset;
  const timestamp = search.timestamp;
  if (typeof offset === 'string' && /^\d{1,20}$/.test(offset)) return { seek: 'offset', value: offset };
  if (typeof timestamp === 'string' && /^\d{1,20}$/.test(timestamp))
    return { seek: 'timestamp', value: timestamp };
  return { seek: 'first' };
}

export async function generateMetadata({ params }: PartitionPageProps): Promise<Metadata> {
  const { stream, topic, partition } = await params;
  return {
    title: `${decode(topic) ?? topic} / partition ${partition} · Explore`,
    description: `Messages of ${decode(stream)}`,
  };
}

export default async function PartitionPage({ params, searchParams }: PartitionPageProps) {
  const raw = await params;
  const stream = decode(raw.stream);
  const topic = decode(raw.topic);
  if (!stream || !topic || !/^\d{1,10}$/.test(raw.partition) || Number(raw.partition) > 0xffffffff)
    notFound();
  const partition = Number(raw.partition);
  const initial = initialSeek(await searchParams);
  return (
    <div className="mx-auto w-full max-w-5xl px-3 py-6 sm:px-6 sm:py-10">
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-muted">
        <Link href="/explore" className="hover:text-fg hover:underline underline-offset-4">
          Explore
        </Link>{' '}
        <span aria-hidden="true">/</span> <span className="font-mono">{stream}</span>{' '}
        <span aria-hidden="true">/</span> <span className="font-mono">{topic}</span>{' '}
        <span aria-hidden="true">/</span> partition {partition}
      </nav>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight break-all sm:text-3xl">
        <span className="font-mono">{topic}</span>, partition {partition}
      </h1>
      {/* Keyed: a link to another partition or position starts a fresh browser rather than keeping the old one. */}
      <PartitionExplorer
        key={`${stream}/${topic}/${partition}/${JSON.stringify(initial)}`}
        target={{ stream, topic, partition }}
        initial={initial}
      />
    </div>
  );
}
