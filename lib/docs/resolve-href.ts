import path from 'node:path';

/**
 * Where a link or image reference written in a `docs/*.md` file points once the doc is shown in the app.
 * Markdown authors write repository-relative paths (so the files also read well on a code host);
 * the app serves docs at `/docs/<slug>` and `public/` at `/`, so every reference is classified here once
 * and both the renderer and the link checker use the same answer.
 */
export type DocLinkTarget =
  /** Another doc page, e.g. `architecture.md#consumer-loop` → `/docs/architecture#consumer-loop`. */
  | { kind: 'doc'; slug: string; anchor: string | undefined; href: string }
  /** A heading (or other element id) in the same doc. */
  | { kind: 'in-page'; anchor: string; href: string }
  /** A file under `public/`, served from the site root. `publicPath` is relative to `public/`. */
  | { kind: 'public-asset'; publicPath: string; href: string }
  /** Any other repository file (`server/docker-compose.yml`, `README.md`): not served by the app. */
  | { kind: 'repo-file'; repoPath: string }
  /** An app route we cannot check statically (`/`, `/api/status`). */
  | { kind: 'site'; href: string }
  /** http(s), mailto or protocol-relative link to another site. */
  | { kind: 'external'; href: string; opensInBrowser: boolean }
  /** A scheme that could run code or smuggle content (`javascript:`, `data:`, `vbscript:` …). */
  | { kind: 'unsafe' }
  /** A relative path that climbs out of the repository: there is nothing sensible to point at. */
  | { kind: 'outside-repo'; written: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const SAFE_EXTERNAL_SCHEMES = new Set(['http', 'https', 'mailto']);
/** Folder (relative to the repository root) that holds the markdown files; relative links resolve against it. */
const DOCS_FOLDER = 'docs';
const PUBLIC_FOLDER = 'public';

/** Splits `a/b.md?x=1#frag` into the path and the suffix that starts at `?` or `#`. */
function splitSuffix(reference: string): { pathPart: string; query: string; anchor: string | undefined } {
  const hashAt = reference.indexOf('#');
  const beforeHash = hashAt === -1 ? reference : reference.slice(0, hashAt);
  const anchor = hashAt === -1 ? undefined : reference.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  return {
    pathPart: queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt),
    query: queryAt === -1 ? '' : beforeHash.slice(queryAt),
    anchor: anchor === '' ? undefined : anchor,
  };
}

function withAnchor(base: string, anchor: string | undefined): string {
  return anchor === undefined ? base : `${base}#${anchor}`;
}

/** `/docs/<slug>` for a repository path like `docs/architecture.md` (top-level docs only), else undefined. */
function docSlugOf(repoPath: string): string | undefined {
  const match = /^docs\/([^/]+?)(?:\.md)?$/i.exec(repoPath);
  return match?.[1];
}

function classifySitePath(pathPart: string, query: string, anchor: string | undefined): DocLinkTarget {
  const docMatch = /^\/docs\/([^/]+)\/?$/.exec(pathPart);
  if (docMatch?.[1] !== undefined && !docMatch[1].includes('.')) {
    return { kind: 'doc', slug: docMatch[1], anchor, href: withAnchor(pathPart + query, anchor) };
  }
  // A path with a file extension outside the framework's own folders is a static file from public/.
  if (/\.[a-z0-9]+$/i.test(pathPart) && !pathPart.startsWith('/_next/') && !pathPart.startsWith('/api/')) {
    return {
      kind: 'public-asset',
      publicPath: pathPart.slice(1),
      href: withAnchor(pathPart + query, anchor),
    };
  }
  return { kind: 'site', href: withAnchor(pathPart + query, anchor) };
}

/**
 * Classifies a link or image reference written inside `docs/<file>.md`.
 * Pure: it knows the repository layout (`docs/`, `public/`) but never touches the filesystem.
 */
export function resolveDocHref(written: string): DocLinkTarget {
  const reference = written.trim();
  if (reference.startsWith('#')) {
    return { kind: 'in-page', anchor: reference.slice(1), href: reference };
  }
  if (reference.startsWith('//')) {
    return { kind: 'external', href: reference, opensInBrowser: true };
  }
  const scheme = SCHEME.exec(reference)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!SAFE_EXTERNAL_SCHEMES.has(scheme)) return { kind: 'unsafe' };
    return { kind: 'external', href: reference, opensInBrowser: scheme !== 'mailto' };
  }

  const { pathPart, query, anchor } = splitSuffix(reference);
  if (pathPart === '') {
    // `?x` or an empty href: stays on this page.
    return { kind: 'in-page', anchor: anchor ?? '', href: reference };
  }
  let decodedPath: string;
  try {
    decodedPath = decodeURI(pathPart);
  } catch {
    decodedPath = pathPart;
  }
  if (decodedPath.startsWith('/')) {
    return classifySitePath(pathPart, query, anchor);
  }

  const repoPath = path.posix.normalize(path.posix.join(DOCS_FOLDER, decodedPath));
  if (repoPath === '..' || repoPath.startsWith('../')) {
    return { kind: 'outside-repo', written: reference };
  }
  if (repoPath.startsWith(`${PUBLIC_FOLDER}/`)) {
    const publicPath = repoPath.slice(PUBLIC_FOLDER.length + 1);
    return {
      kind: 'public-asset',
      publicPath,
      href: withAnchor(`/${encodeURI(publicPath)}${query}`, anchor),
    };
  }
  const slug = docSlugOf(repoPath);
  if (slug !== undefined && (repoPath.toLowerCase().endsWith('.md') || !slug.includes('.'))) {
    return { kind: 'doc', slug, anchor, href: withAnchor(`/docs/${encodeURIComponent(slug)}`, anchor) };
  }
  if (repoPath === DOCS_FOLDER || repoPath === `${DOCS_FOLDER}/`) {
    return { kind: 'site', href: withAnchor('/docs', anchor) };
  }
  return { kind: 'repo-file', repoPath };
}

/** Anchors in hrefs may be percent-encoded; element ids are compared in their decoded form. */
export function decodeAnchor(anchor: string): string {
  try {
    return decodeURIComponent(anchor);
  } catch {
    return anchor;
  }
}
