import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type DocsLocation, defaultDocsLocation } from './docs-location';
import { parseDocSource } from './front-matter';
import { type DocHeading, headingsOf, tableOfContents } from './headings';
import { markdownToHast } from './markdown-pipeline';

export interface DocSummary {
  /** File name without `.md`; the page lives at `/docs/<slug>`. */
  slug: string;
  title: string;
  description: string;
  /** From front matter; docs without one sort after all ordered docs. */
  order: number;
}

export interface Doc extends DocSummary {
  /** Markdown without the front matter. */
  body: string;
  /** Lines of front matter above `body` in the file. */
  bodyLineOffset: number;
  /** Every heading with an id, in document order (all depths). */
  headings: DocHeading[];
  /** The h2/h3 headings shown in "On this page". */
  toc: DocHeading[];
}

export interface DocWithNeighbours {
  doc: Doc;
  previous: DocSummary | undefined;
  next: DocSummary | undefined;
}

/** Slugs come from file names and from URLs; anything else (slashes, dots at the start, `..`) is never a doc. */
const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export function isValidDocSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug);
}

async function docFileNames(docsDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(docsDir, { withFileTypes: true });
  } catch (error) {
    // No docs folder means no docs, not a crash of the docs index.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => entry.name)
    .filter((name) => isValidDocSlug(name.slice(0, -'.md'.length)));
}

function compareDocs(a: DocSummary, b: DocSummary): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  const byTitle = a.title.localeCompare(b.title, 'en');
  return byTitle !== 0 ? byTitle : a.slug.localeCompare(b.slug, 'en');
}

async function readDoc(docsDir: string, fileName: string): Promise<Doc> {
  const slug = fileName.slice(0, -'.md'.length);
  const source = await readFile(path.join(docsDir, fileName), 'utf8');
  const { frontMatter, body, bodyLineOffset } = parseDocSource(source, `docs/${fileName}`);
  const headings = headingsOf(markdownToHast(body));
  const firstH1 = headings.find((heading) => heading.depth === 1)?.text;
  return {
    slug,
    title: frontMatter.title ?? (firstH1 || slug),
    description: frontMatter.description ?? '',
    order: frontMatter.order ?? Number.POSITIVE_INFINITY,
    body,
    bodyLineOffset,
    headings,
    toc: tableOfContents(headings),
  };
}

export function summaryOf(doc: Doc): DocSummary {
  return { slug: doc.slug, title: doc.title, description: doc.description, order: doc.order };
}

/** Every doc, fully parsed, in reading order (front matter `order`, then title). */
export async function loadAllDocs(location: DocsLocation = defaultDocsLocation()): Promise<Doc[]> {
  const names = await docFileNames(location.docsDir);
  const docs = await Promise.all(names.map((name) => readDoc(location.docsDir, name)));
  return docs.sort(compareDocs);
}

/** Title, description and order of every doc, in reading order. */
export async function listDocs(location: DocsLocation = defaultDocsLocation()): Promise<DocSummary[]> {
  return (await loadAllDocs(location)).map(summaryOf);
}

/** The doc with this slug and its reading-order neighbours within `docs` (already sorted), or undefined. */
export function findDocWithNeighbours(docs: readonly Doc[], slug: string): DocWithNeighbours | undefined {
  const index = docs.findIndex((doc) => doc.slug === slug);
  const doc = docs[index];
  if (doc === undefined) return undefined;
  const previous = docs[index - 1];
  const next = docs[index + 1];
  return {
    doc,
    previous: previous && summaryOf(previous),
    next: next && summaryOf(next),
  };
}

/** One doc with its reading-order neighbours, or undefined when no such doc exists. */
export async function loadDoc(
  slug: string,
  location: DocsLocation = defaultDocsLocation(),
): Promise<DocWithNeighbours | undefined> {
  if (!isValidDocSlug(slug)) return undefined;
  return findDocWithNeighbours(await loadAllDocs(location), slug);
}
