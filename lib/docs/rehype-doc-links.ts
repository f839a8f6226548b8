import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import { isHtmlComment } from './check-raw-html';
import { resolveDocHref } from './resolve-href';

/** Shown on links to other sites; `noopener` keeps the opened page from reaching back into ours. */
export const EXTERNAL_LINK_REL = 'noopener noreferrer';

function inertSpan(children: ElementContent[], className: string, title?: string): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: title === undefined ? { className: [className] } : { className: [className], title },
    children,
  };
}

/**
 * A link to a repository file the app does not serve (`../server/docker-compose.yml`) becomes plain text
 * naming the file: a reader learns which file is meant and never meets a dead link.
 */
function repoFileReference(link: Element, repoPath: string): Element {
  const text = toString(link).trim();
  const mentionsPath = text === repoPath || text === repoPath.split('/').pop();
  const children: ElementContent[] = [...link.children];
  if (!mentionsPath) {
    children.push(
      { type: 'text', value: ' (' },
      { type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: repoPath }] },
      { type: 'text', value: ')' },
    );
  }
  return inertSpan(children, 'doc-repo-file', `File in the project repository: ${repoPath}`);
}

/**
 * Rewrites repository-relative references in a doc to the URLs the app serves:
 * `x.md#a` → `/docs/x#a`, `../public/docs/d.svg` → `/docs/d.svg`; see resolveDocHref for the full table.
 */
export function rehypeDocLinks() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName === 'a' && typeof node.properties.href === 'string') {
        const target = resolveDocHref(node.properties.href);
        switch (target.kind) {
          case 'doc':
          case 'in-page':
          case 'public-asset':
          case 'site':
            node.properties.href = target.href;
            return;
          case 'external':
            node.properties.href = target.href;
            if (target.opensInBrowser) node.properties.rel = EXTERNAL_LINK_REL.split(' ');
            return;
          case 'repo-file':
            if (parent && index !== undefined)
              parent.children[index] = repoFileReference(node, target.repoPath);
            return SKIP;
          case 'unsafe':
          case 'outside-repo':
            if (parent && index !== undefined)
              parent.children[index] = inertSpan(node.children, 'doc-dead-link');
            return SKIP;
        }
      }
      if (node.tagName === 'img' && typeof node.properties.src === 'string') {
        const target = resolveDocHref(node.properties.src);
        if (target.kind === 'public-asset') node.properties.src = target.href;
        if (target.kind === 'unsafe') delete node.properties.src;
        node.properties.loading = 'lazy';
        node.properties.decoding = 'async';
      }
      return undefined;
    });
  };
}

/**
 * Docs open with `# Title`; the page header already shows the title, so the first h1 is dropped.
 * Runs after rehype-slug so the ids (and slug de-duplication counters) match extraction exactly.
 */
export function rehypeDropLeadingTitle() {
  return (tree: Root) => {
    const firstElementIndex = tree.children.findIndex((child) => child.type === 'element');
    const first = tree.children[firstElementIndex];
    if (first?.type === 'element' && first.tagName === 'h1') tree.children.splice(firstElementIndex, 1);
  };
}

/**
 * Removes HTML comments (`<!-- bench:client:start -->` markers that scripts rewrite between). All other raw HTML is
 * left for react-markdown, which shows it as escaped text.
 */
export function rehypeDropHtmlComments() {
  return (tree: Root) => {
    visit(tree, 'raw', (node, index, parent) => {
      if (parent === undefined || index === undefined || !isHtmlComment(node.value)) return undefined;
      parent.children.splice(index, 1);
      return index;
    });
  };
}
