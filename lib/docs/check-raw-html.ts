import type { Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { Doc } from './load-docs';
import { markdownToHast } from './markdown-pipeline';

export interface RawHtmlUse {
  file: string;
  line: number | undefined;
  html: string;
}

/** An HTML comment on its own (`<!-- marker -->`): invisible on a code host and dropped by the renderer too. */
export function isHtmlComment(html: string): boolean {
  return /^<!--[\s\S]*-->$/.test(html.trim());
}

function rawHtmlIn(tree: Root): { html: string; line: number | undefined }[] {
  const found: { html: string; line: number | undefined }[] = [];
  visit(tree, 'raw', (node) => {
    if (!isHtmlComment(node.value)) found.push({ html: node.value, line: node.position?.start.line });
  });
  return found;
}

/**
 * Raw HTML in a doc (`<kbd>`, `<br>`, `<details>`) is never executed or interpreted: the renderer shows it as
 * literal text for safety. This lists every use so authors can replace it with Markdown. Comments are allowed
 * (scripts use them as markers); the renderer drops them.
 */
export function findRawHtml(
  docs: readonly (Pick<Doc, 'slug' | 'body'> & Partial<Pick<Doc, 'bodyLineOffset'>>)[],
): RawHtmlUse[] {
  return docs.flatMap((doc) =>
    rawHtmlIn(markdownToHast(doc.body)).map(({ html, line }) => ({
      file: `docs/${doc.slug}.md`,
      line: line === undefined ? undefined : line + (doc.bodyLineOffset ?? 0),
      html,
    })),
  );
}
