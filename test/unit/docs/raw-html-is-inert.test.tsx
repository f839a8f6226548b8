import { describe, expect, it } from 'vitest';
import { parseHtml, renderMarkdownToHtml } from './html';

const hostile = [
  '# Title',
  '',
  '<script>alert(1)</script>',
  '',
  'Inline <img src=x onerror=alert(1)> image and <a href="javascript:alert(2)" onclick="alert(3)">raw link</a>.',
  '',
  '[markdown link](javascript:alert(4)) [spaced](  javascript:alert(5)) [upper](JAVASCRIPT:alert(6))',
  '',
  '![markdown image](javascript:alert(7)) <javascript:alert(8)> [data](data:text/html,<script>alert(9)</script>)',
  '',
  '<iframe src="https://example.org"></iframe><style>body{display:none}</style>',
  '',
  '## Heading <img src=x onerror=alert(10)>',
].join('\n');

function everyAttribute(dom: Document): { name: string; value: string }[] {
  return [...dom.querySelectorAll('*')].flatMap((element) =>
    [...element.attributes].map((attribute) => ({ name: attribute.name, value: attribute.value })),
  );
}

describe('markdown raw HTML and unsafe URLs', () => {
  it('never produce script, iframe, style or img elements from raw HTML', async () => {
    const dom = parseHtml(await renderMarkdownToHtml(hostile));
    expect(dom.querySelectorAll('script, iframe, style, object, embed').length).toBe(0);
    // The only image is the markdown one, and its javascript: source is gone.
    const images = [...dom.querySelectorAll('img')];
    expect(images.map((image) => image.getAttribute('alt'))).toEqual(['markdown image']);
    expect(images[0]?.getAttribute('src') ?? '').not.toMatch(/javascript/i);
  });

  it('emit no event handler attributes and no javascript:/data: URLs anywhere', async () => {
    const attributes = everyAttribute(parseHtml(await renderMarkdownToHtml(hostile)));
    expect(attributes.filter(({ name }) => name.toLowerCase().startsWith('on'))).toEqual([]);
    expect(attributes.filter(({ value }) => /^\s*(javascript|data|vbscript):/i.test(value))).toEqual([]);
  });

  it('show the raw HTML as visible text, so the reader sees what was written', async () => {
    const html = await renderMarkdownToHtml(hostile);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('drop HTML comments entirely, as a code host would, but keep comment-like text in code', async () => {
    const html = await renderMarkdownToHtml('Before\n\n<!-- bench:start -->\n\nAfter `<!-- shown -->`\n');
    expect(html).not.toContain('bench:start');
    expect(html).toContain('&lt;!-- shown --&gt;');
    expect(html).toContain('After');
  });

  it('keep the text of links whose URL was removed', async () => {
    const dom = parseHtml(await renderMarkdownToHtml(hostile));
    expect(dom.body.textContent).toContain('markdown link');
    expect([...dom.querySelectorAll('a')].map((link) => link.textContent)).not.toContain('markdown link');
  });
});
