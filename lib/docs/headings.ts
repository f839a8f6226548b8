import type { Element, Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';

export type HeadingDepth = 1 | 2 | 3 | 4 | 5 | 6;

export interface DocHeading {
  depth: HeadingDepth;
  /** The `id` rehype-slug gave the heading: the fragment of `/docs/<slug>#<id>`. */
  id: string;
  /** Plain text of the heading (inline code and emphasis flattened). */
  text: string;
}

/** Depths shown in the table of contents. */
export const TOC_DEPTHS: ReadonlySet<HeadingDepth> = new Set<HeadingDepth>([2, 3]);

export function headingsOf(tree: Root): DocHeading[] {
  const headings: DocHeading[] = [];
  visit(tree, 'element', (node: Element) => {
    const depth = headingRank(node);
    const id = node.properties.id;
    if (depth === undefined || typeof id !== 'string' || id === '') return;
    headings.push({ depth: depth as HeadingDepth, id, text: toString(node).trim() });
  });
  return headings;
}

/** Every element id in the tree: headings, footnotes and anything else an in-page `#anchor` may target. */
export function elementIdsOf(tree: Root): Set<string> {
  const ids = new Set<string>();
  visit(tree, 'element', (node: Element) => {
    const id = node.properties.id;
    if (typeof id === 'string' && id !== '') ids.add(id);
  });
  return ids;
}

export function tableOfContents(headings: readonly DocHeading[]): DocHeading[] {
  return headings.filter((heading) => TOC_DEPTHS.has(heading.depth));
}

/** Links and image sources as written in the markdown, in document order. */
export interface DocReference {
  element: 'a' | 'img';
  written: string;
  /** Link text or image alt, for error messages a human can find in the file. */
  label: string;
  line: number | undefined;
}

export function referencesOf(tree: Root): DocReference[] {
  const references: DocReference[] = [];
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      references.push({
        element: 'a',
        written: node.properties.href,
        label: toString(node).trim(),
        line: node.position?.start.line,
      });
    } else if (node.tagName === 'img' && typeof node.properties.src === 'string') {
      const alt = node.properties.alt;
      references.push({
        element: 'img',
        written: node.properties.src,
        label: typeof alt === 'string' ? alt : '',
        line: node.position?.start.line,
      });
    }
  });
  return references;
}
