/**
 * `::lab{name="polling"}` on a line of its own embeds a live lab in a doc. remark-directive parses every
 * `:name`, `::name` and `:::name` it sees; this plugin keeps only the lab leaf directive:
 * - `::lab{name="…"}` naming a registered lab becomes `<div class="doc-lab" data-lab="…">`, which the
 *   renderer swaps for the lab component;
 * - `::lab` without a registered name, and any other `::`/`:::` directive, throws: docs pages are built
 *   statically, so a typo fails the build instead of leaving a blank box;
 * - text directives (`localhost:8090`, `12:00`) go back to the exact text that was written: prose keeps
 *   its colons.
 */

import type { Root, Text } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { LAB_NAMES, isLabName } from '@/lib/labs/catalog';

export const LAB_DIRECTIVE = 'lab';

export class LabDirectiveError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'LabDirectiveError';
  }
}

export interface LabDirectiveUse {
  name: string;
  line: number | undefined;
}

const where = (line: number | undefined) => (line === undefined ? '' : ` (line ${line})`);

/** The lab names a markdown tree embeds, in order; throws LabDirectiveError for anything unknown. */
export function checkLabDirectives(tree: Root): LabDirectiveUse[] {
  const uses: LabDirectiveUse[] = [];
  visit(tree, (node) => {
    if (
      node.type === 'containerDirective' ||
      (node.type === 'leafDirective' && node.name !== LAB_DIRECTIVE)
    ) {
      const colons = node.type === 'containerDirective' ? ':::' : '::';
      throw new LabDirectiveError(
        `unknown directive ${colons}${node.name}${where(node.position?.start.line)}: only ::${LAB_DIRECTIVE}{name="…"} is supported`,
        node.position?.start.line,
      );
    }
    if (node.type !== 'leafDirective') return;
    const line = node.position?.start.line;
    const name = node.attributes?.name ?? '';
    if (!isLabName(name)) {
      throw new LabDirectiveError(
        `::${LAB_DIRECTIVE}{name=${JSON.stringify(name)}}${where(line)} names no registered lab; known labs: ${LAB_NAMES.join(', ')} (lib/labs/catalog.ts)`,
        line,
      );
    }
    uses.push({ name, line });
  });
  return uses;
}

/** The remark plugin: see the module comment. */
export function remarkLabDirectives() {
  return (tree: Root, file: VFile) => {
    const source = typeof file.value === 'string' ? file.value : String(file.value ?? '');
    visit(tree, 'textDirective', (node, index, parent) => {
      if (!parent || index === undefined) return;
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      const value =
        source !== '' && start !== undefined && end !== undefined
          ? source.slice(start, end)
          : `:${node.name}${node.children.map((child) => ('value' in child ? child.value : '')).join('')}`;
      const text: Text = { type: 'text', value };
      parent.children.splice(index, 1, text);
      return [SKIP, index + 1];
    });
    checkLabDirectives(tree);
    // The lab's title ranks one below the section it closes, for screen readers' heading lists.
    let sectionDepth = 1;
    visit(tree, (node) => {
      if (node.type === 'heading') sectionDepth = node.depth;
      if (node.type !== 'leafDirective') return;
      node.data = {
        hName: 'div',
        hProperties: {
          className: ['doc-lab'],
          dataLab: node.attributes?.name ?? '',
          dataHeadingLevel: String(Math.min(sectionDepth + 1, 6)),
        },
      };
      // The label (`::lab[…]{…}`) is not shown: the lab renders its own title.
      node.children = [];
    });
  };
}

export interface LabDirectiveReport {
  file: string;
  uses: LabDirectiveUse[];
  problem?: string;
}

/**
 * The docs checker's view: per doc, the labs it embeds, or the first directive problem (which would
 * also fail the build). Parses without the throwing plugin so every doc gets a report.
 */
export function reportLabDirectives(
  docs: readonly { slug: string; body: string; bodyLineOffset?: number }[],
): LabDirectiveReport[] {
  const parser = unified().use(remarkParse).use(remarkGfm).use(remarkDirective);
  return docs.map((doc) => {
    const file = `docs/${doc.slug}.md`;
    const shift = (line: number | undefined) =>
      line === undefined ? undefined : line + (doc.bodyLineOffset ?? 0);
    try {
      const uses = checkLabDirectives(parser.parse(doc.body)).map((use) => ({
        ...use,
        line: shift(use.line),
      }));
      return { file, uses };
    } catch (error) {
      if (!(error instanceof LabDirectiveError)) throw error;
      return { file, uses: [], problem: error.message };
    }
  });
}
