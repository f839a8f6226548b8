// docs/performance.md is shared by the bench scripts: each owns the text between its own markers and rewrites
// only that, formatted the way `npm run format` would, so a re-run leaves no style diff for format:check.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const PERFORMANCE_DOC = path.join(repoRoot, 'docs', 'performance.md');

const NEW_DOC = [
  '---',
  'title: Performance',
  'description: Measured throughput of the TypeScript Iggy client and end-to-end latency of the demo.',
  'order: 5',
  '---',
  '',
  '# Performance',
  '',
  'Numbers measured on one machine with the scripts in `scripts/`. They describe this demo client,',
  'not Iggy itself: re-run the scripts on your own hardware and against a real server to compare.',
  '',
].join('\n');

/** Replaces the `<!-- bench:<key>:start -->` … `end` section (appending it when missing) with `markdown`. */
export async function writePerformanceSection(key: string, markdown: string): Promise<void> {
  const startMarker = `<!-- bench:${key}:start -->`;
  const endMarker = `<!-- bench:${key}:end -->`;
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(PERFORMANCE_DOC)) ?? {};
  const formatted = (await prettier.format(markdown, { ...options, parser: 'markdown' })).trimEnd();
  const block = `${startMarker}\n\n${formatted}\n\n${endMarker}`;
  let doc: string;
  try {
    doc = await readFile(PERFORMANCE_DOC, 'utf8');
  } catch {
    doc = NEW_DOC;
  }
  const start = doc.indexOf(startMarker);
  const end = doc.indexOf(endMarker);
  const next =
    start >= 0 && end > start
      ? doc.slice(0, start) + block + doc.slice(end + endMarker.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  await writeFile(PERFORMANCE_DOC, next);
}
