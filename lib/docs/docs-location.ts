import path from 'node:path';

/**
 * Where docs and their static assets live. Every loader takes one, so tests can point at fixture folders;
 * the app uses the repository's own `docs/` and `public/`.
 */
export interface DocsLocation {
  /** Folder holding `<slug>.md` files. */
  docsDir: string;
  /** Folder served at `/` (`public/`), where diagrams referenced by the docs must exist. */
  publicDir: string;
  /** Repository root that repository-relative links such as `../server/docker-compose.yml` resolve against. */
  repoRoot: string;
}

export function defaultDocsLocation(cwd: string = process.cwd()): DocsLocation {
  return { docsDir: path.join(cwd, 'docs'), publicDir: path.join(cwd, 'public'), repoRoot: cwd };
}

/** A location rooted at `root` with the repository's layout (`root/docs`, `root/public`). */
export function docsLocationAt(root: string): DocsLocation {
  return defaultDocsLocation(root);
}
