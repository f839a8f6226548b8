import type { Element } from 'hast';
import { toString } from 'hast-util-to-string';
import type { ComponentProps, ReactElement, ReactNode } from 'react';
import { MarkdownAsync } from 'react-markdown';
import rehypeAutolinkHeadings, { type Options as AutolinkOptions } from 'rehype-autolink-headings';
import type { PluggableList } from 'unified';
import { findLab, type LabName } from '@/lib/labs/catalog';
import { highlightCodeBlocks } from './highlight-code';
import { rehypeImageDimensions } from './image-dimensions';
import { idRehypePlugins, remarkPlugins, remarkRehypeOptions } from './markdown-pipeline';
import { rehypeDocLinks, rehypeDropHtmlComments, rehypeDropLeadingTitle } from './rehype-doc-links';

/**
 * A visible "#" after each section heading, GitHub-style: a separate link (not wrapped around the heading text),
 * so the heading's accessible name stays its own text and the link has a name that says where it goes.
 */
const autolinkOptions: AutolinkOptions = {
  behavior: 'after',
  test: ['h2', 'h3', 'h4'],
  group: { type: 'element', tagName: 'div', properties: { className: ['doc-heading'] }, children: [] },
  properties: (heading: Readonly<Element>) => ({
    className: ['doc-heading-anchor'],
    ariaLabel: `Link to section: ${toString(heading).trim()}`,
  }),
  content: {
    type: 'element',
    tagName: 'span',
    properties: { ariaHidden: 'true' },
    children: [{ type: 'text', value: '#' }],
  },
};

/**
 * Order matters: ids first (identical to extraction in markdown-pipeline), then the title drop, link rewriting,
 * heading anchors, and finally code highlighting, which swaps whole `pre` elements.
 */
function rehypePlugins(publicDir: string | undefined): PluggableList {
  return [
    ...idRehypePlugins,
    rehypeDropLeadingTitle,
    rehypeDropHtmlComments,
    rehypeDocLinks,
    ...(publicDir === undefined ? [] : ([[rehypeImageDimensions, { publicDir }]] satisfies PluggableList)),
    [rehypeAutolinkHeadings, autolinkOptions],
    highlightCodeBlocks,
  ];
}

export interface RenderMarkdownOptions {
  /** Folder served at `/`; when given, images from it get their intrinsic width and height. */
  publicDir?: string;
  /**
   * Renders a `::lab{name="…"}` directive (the name is already checked against the registry). The docs
   * page passes the interactive lab; without it the directive becomes a link to the lab's own page.
   */
  renderLab?: (name: LabName, headingLevel: number) => ReactNode;
}

type TableProps = ComponentProps<'table'> & { node?: unknown };

/** Wide tables scroll sideways inside the column instead of stretching the page on a phone. */
function ScrollableTable({ node: _node, ...props }: TableProps) {
  return (
    <div className="doc-table-scroll">
      <table {...props} />
    </div>
  );
}

type DivProps = ComponentProps<'div'> & {
  node?: unknown;
  'data-lab'?: string;
  'data-heading-level'?: string;
};

function labDiv(renderLab: RenderMarkdownOptions['renderLab']) {
  return function DocDiv({ node: _node, ...props }: DivProps) {
    const lab = props['data-lab'] === undefined ? undefined : findLab(props['data-lab']);
    if (!lab) return <div {...props} />;
    return (
      <div className="doc-lab" data-lab={lab.name}>
        {renderLab ? (
          renderLab(lab.name, Number(props['data-heading-level'] ?? 2) || 2)
        ) : (
          <p>
            Live lab: <a href={`/labs/${lab.name}`}>{lab.title}</a> — {lab.summary}
          </p>
        )}
      </div>
    );
  };
}

/**
 * Renders a doc body to React on the server. Raw HTML in the markdown is shown as text, never executed:
 * react-markdown escapes it and we deliberately do not add rehype-raw. Unsafe URL schemes are removed twice,
 * by rehypeDocLinks and by react-markdown's default URL transform.
 */
export async function renderMarkdown(
  markdown: string,
  options: RenderMarkdownOptions = {},
): Promise<ReactElement> {
  return MarkdownAsync({
    children: markdown,
    remarkPlugins,
    remarkRehypeOptions,
    rehypePlugins: rehypePlugins(options.publicDir),
    components: { table: ScrollableTable, div: labDiv(options.renderLab) },
  });
}
