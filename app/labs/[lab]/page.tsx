import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LabView } from '@/app/_components/labs/lab-view';
import { LAB_NAMES, findLab } from '@/lib/labs/catalog';

interface LabPageProps {
  params: Promise<{ lab: string }>;
}

/** One page per registered lab, generated at build time; any other name is a 404. */
export const dynamicParams = false;

export function generateStaticParams(): { lab: string }[] {
  return LAB_NAMES.map((lab) => ({ lab }));
}

export async function generateMetadata({ params }: LabPageProps): Promise<Metadata> {
  const lab = findLab((await params).lab);
  return lab ? { title: `${lab.title} lab`, description: lab.summary } : {};
}

export default async function LabPage({ params }: LabPageProps) {
  const lab = findLab((await params).lab);
  if (!lab) notFound();
  return (
    <div className="mx-auto w-full max-w-5xl px-3 py-6 sm:px-6 sm:py-10">
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-muted">
        <Link href="/labs" className="hover:text-fg hover:underline underline-offset-4">
          Labs
        </Link>{' '}
        <span aria-hidden="true">/</span> {lab.title}
      </nav>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight sm:text-3xl">{lab.title}</h1>
      <LabView name={lab.name} headingLevel={2} context="page" />
    </div>
  );
}
