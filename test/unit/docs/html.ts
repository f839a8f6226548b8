import { Window } from 'happy-dom';
import { renderToStaticMarkup } from 'react-dom/server';
import { type RenderMarkdownOptions, renderMarkdown } from '@/lib/docs/render-markdown';

/** Renders markdown exactly as a doc page does and returns the HTML string. */
export async function renderMarkdownToHtml(
  markdown: string,
  options: RenderMarkdownOptions = {},
): Promise<string> {
  return renderToStaticMarkup(await renderMarkdown(markdown, options));
}

/** Parses rendered HTML into a DOM so tests can query it like a browser would (no scripts are run). */
export function parseHtml(html: string): Document {
  const window = new Window();
  window.document.body.innerHTML = html;
  return window.document as unknown as Document;
}

export async function renderMarkdownToDom(
  markdown: string,
  options: RenderMarkdownOptions = {},
): Promise<Document> {
  return parseHtml(await renderMarkdownToHtml(markdown, options));
}
