import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type DocsLocation, defaultDocsLocation } from './docs-location';
import { type DocReference, elementIdsOf, referencesOf } from './headings';
import { type Doc, loadAllDocs } from './load-docs';
import { markdownToHast } from './markdown-pipeline';
import { decodeAnchor, resolveDocHref } from './resolve-href';

export interface DocLinkProblem {
  /** `docs/<file>.md`, so the message points at the file to fix. */
  file: string;
  line: number | undefined;
  /** The reference exactly as written in the markdown. */
  written: string;
  label: string;
  reason: string;
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

/** Joins `relative` under `root`, refusing paths that climb out of it. */
function inside(root: string, relative: string): string | undefined {
  const joined = path.resolve(root, relative);
  const rel = path.relative(root, joined);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : joined;
}

async function problemWith(
  reference: DocReference,
  ownIds: ReadonlySet<string>,
  idsBySlug: ReadonlyMap<string, ReadonlySet<string>>,
  location: DocsLocation,
): Promise<string | undefined> {
  const target = resolveDocHref(reference.written);
  if (reference.element === 'img') {
    if (target.kind === 'external') return undefined;
    if (target.kind !== 'public-asset')
      return 'images must live under public/ (write ../public/<path>) so the app can serve them';
  }
  switch (target.kind) {
    case 'doc': {
      const ids = idsBySlug.get(target.slug);
      if (ids === undefined) return `no doc named "${target.slug}" (expected docs/${target.slug}.md)`;
      if (target.anchor !== undefined && !ids.has(decodeAnchor(target.anchor))) {
        return `docs/${target.slug}.md has no heading with id "${decodeAnchor(target.anchor)}"`;
      }
      return undefined;
    }
    case 'in-page': {
      const anchor = decodeAnchor(target.anchor);
      return anchor === '' || ownIds.has(anchor) ? undefined : `this doc has no heading with id "${anchor}"`;
    }
    case 'public-asset': {
      const file = inside(location.publicDir, decodeURI(target.publicPath));
      return file !== undefined && (await isFile(file))
        ? undefined
        : `public/${target.publicPath} does not exist`;
    }
    case 'repo-file': {
      const file = inside(location.repoRoot, target.repoPath);
      return file !== undefined && (await isFile(file))
        ? undefined
        : `${target.repoPath} does not exist in the repository`;
    }
    case 'unsafe':
      return 'unsafe URL scheme (the link is removed when rendered)';
    case 'outside-repo':
      return 'relative path leaves the repository';
    case 'site':
    case 'external':
      // App routes and other sites cannot be checked without running them.
      return undefined;
  }
}

/**
 * Every reference in the given docs that would not land on something real: a missing doc, a missing heading,
 * a missing diagram or repository file, or an unsafe scheme. Empty means every link works.
 */
export async function findLinkProblems(
  docs: readonly (Pick<Doc, 'slug' | 'body'> & Partial<Pick<Doc, 'bodyLineOffset'>>)[],
  location: DocsLocation,
): Promise<DocLinkProblem[]> {
  const trees = new Map(docs.map((doc) => [doc.slug, markdownToHast(doc.body)]));
  const idsBySlug = new Map([...trees].map(([slug, tree]) => [slug, elementIdsOf(tree)]));
  const problems: DocLinkProblem[] = [];
  for (const doc of docs) {
    const { slug } = doc;
    const tree = trees.get(slug);
    if (tree === undefined) continue;
    const ownIds = idsBySlug.get(slug) ?? new Set<string>();
    for (const reference of referencesOf(tree)) {
      const reason = await problemWith(reference, ownIds, idsBySlug, location);
      if (reason !== undefined) {
        const line = reference.line === undefined ? undefined : reference.line + (doc.bodyLineOffset ?? 0);
        problems.push({
          file: `docs/${slug}.md`,
          line,
          written: reference.written,
          label: reference.label,
          reason,
        });
      }
    }
  }
  return problems;
}

export async function findDocLinkProblems(
  location: DocsLocation = defaultDocsLocation(),
): Promise<DocLinkProblem[]> {
  return findLinkProblems(await loadAllDocs(location), location);
}

export function formatLinkProblem(problem: DocLinkProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const label = problem.label.replace(/\s+/g, ' ');
  const shortLabel = label.length > 60 ? `${label.slice(0, 57)}...` : label;
  return `${where} [${shortLabel}](${problem.written}): ${problem.reason}`;
}
