import type { Root } from 'hast';
import rehypeSlug from 'rehype-slug';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype, { type Options as RemarkRehypeOptions } from 'remark-rehype';
import { unified, type PluggableList } from 'unified';
import { remarkLabDirectives } from './lab-directive';

/**
 * The markdown → HTML-tree stages shared by the renderer (react-markdown) and by heading/link extraction.
 * Heading ids must be byte-identical in the table of contents, in cross-doc links and on the page, so both
 * sides run rehype-slug itself over the same tree instead of re-implementing its slug rules.
 */
export const remarkPlugins: PluggableList = [remarkGfm, remarkDirective, remarkLabDirectives];

/** react-markdown always forces this option on; extraction must match it so raw HTML is tokenised alike. */
export const remarkRehypeOptions: RemarkRehypeOptions = { allowDangerousHtml: true };

/** Rehype stages that decide element ids; they run first in the renderer too. */
export const idRehypePlugins: PluggableList = [rehypeSlug];

const processor = unified()
  .use(remarkParse)
  .use(remarkPlugins)
  .use(remarkRehype, remarkRehypeOptions)
  .use(idRehypePlugins)
  .freeze();

/** The HTML tree (with heading ids) that the renderer starts from. Raw HTML stays as inert `raw` nodes. */
export function markdownToHast(markdown: string): Root {
  // The source goes in as the file too: remarkLabDirectives restores text directives from it.
  return processor.runSync(processor.parse(markdown), markdown);
}
