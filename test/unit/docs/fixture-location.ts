import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DocsLocation, docsLocationAt } from '@/lib/docs/docs-location';

/** A small repository-shaped tree (docs/, public/, server/) the docs lib is pointed at instead of the real one. */
export const fixtureLocation: DocsLocation = docsLocationAt(
  fileURLToPath(new URL('./fixtures/site', import.meta.url)),
);

/** A throwaway repository root with the given `docs/<name>` files, removed by the returned cleanup. */
export async function tempDocsLocation(
  files: Record<string, string>,
): Promise<{ location: DocsLocation; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'docs-fixture-'));
  await mkdir(path.join(root, 'docs'));
  await Promise.all(
    Object.entries(files).map(([name, text]) => writeFile(path.join(root, 'docs', name), text)),
  );
  return { location: docsLocationAt(root), cleanup: () => rm(root, { recursive: true, force: true }) };
}
