import { describe, expect, it } from 'vitest';
import { reportLabDirectives } from '@/lib/docs/lab-directive';
import { defaultDocsLocation } from '@/lib/docs/docs-location';
import { loadAllDocs } from '@/lib/docs/load-docs';
import { markdownToHast } from '@/lib/docs/markdown-pipeline';
import { renderMarkdown } from '@/lib/docs/render-markdown';
import { LABS } from '@/lib/labs/catalog';
import { parseHtml, renderMarkdownToDom, renderMarkdownToHtml } from './html';

describe('the ::lab directive', () => {
  it('renders a registered lab in place, as the docs page would', async () => {
    const html = await renderMarkdownToHtml('Before.\n\n::lab{name="polling"}\n\nAfter.\n', {});
    const dom = parseHtml(html);
    const lab = dom.querySelector('.doc-lab[data-lab="polling"]');
    expect(lab).not.toBeNull();
    expect(lab?.querySelector('a')?.getAttribute('href')).toBe('/labs/polling');
    expect(dom.body.textContent).toMatch(/Before\.[\s\S]*Polling strategies[\s\S]*After\./);
  });

  it('hands the lab to the page’s renderer when it passes one', async () => {
    const dom = parseHtml(
      await renderMarkdownToHtml('::lab{name="partitioning"}', {
        renderLab: (name) => <section aria-label={`live ${name}`}>interactive</section>,
      }),
    );
    expect(dom.querySelector('.doc-lab section')?.getAttribute('aria-label')).toBe('live partitioning');
  });

  it.each([
    [
      'an unknown lab name',
      '::lab{name="polling2"}',
      /names no registered lab; known labs: polling, partitioning/,
    ],
    ['a lab without a name', '::lab', /names no registered lab/],
    ['another leaf directive', '::video{src="x"}', /unknown directive ::video/],
    ['a container directive', ':::note\nhi\n:::', /unknown directive :::note/],
  ])('fails the build for %s, naming the line', async (_what, markdown, message) => {
    expect(() => markdownToHast(`# T\n\n${markdown}\n`)).toThrow(message);
    await expect(renderMarkdown(`text\n\n${markdown}\n`)).rejects.toThrow(/line 3/);
  });

  it('leaves colons in prose alone: text directives go back to exactly what was written', async () => {
    const markdown = 'Port localhost:8090, at 12:00, a:b[label]{x=1} and `code:here`.';
    const dom = await renderMarkdownToDom(markdown);
    expect(dom.querySelector('p')?.textContent).toBe(
      'Port localhost:8090, at 12:00, a:b[label]{x=1} and code:here.',
    );
  });

  it('keeps raw HTML inert next to a lab: a hand-written data-lab div is text, not a lab', async () => {
    const html = await renderMarkdownToHtml(
      '<div class="doc-lab" data-lab="polling"></div>\n\n::lab{name="polling"}\n',
    );
    const dom = parseHtml(html);
    expect(dom.querySelectorAll('[data-lab]')).toHaveLength(1);
    expect(html).toContain('&lt;div class=&quot;doc-lab&quot; data-lab=&quot;polling&quot;&gt;');
  });
});

describe('the project docs and the lab registry', async () => {
  const docs = await loadAllDocs(defaultDocsLocation());
  const reports = reportLabDirectives(docs);

  it('name only registered labs in their directives', () => {
    expect(
      reports.filter((report) => report.problem).map((report) => `${report.file}: ${report.problem}`),
    ).toEqual([]);
  });

  it('embed every lab at the end of the section the registry names', () => {
    for (const lab of LABS) {
      const doc = docs.find((candidate) => candidate.slug === lab.docs.slug);
      expect(doc, lab.docs.slug).toBeDefined();
      const lines = doc!.body.split('\n');
      const directive = lines.findIndex((line) => line.trim() === `::lab{name="${lab.name}"}`);
      expect(directive, `${lab.name} has no directive in ${lab.docs.slug}`).toBeGreaterThan(-1);
      const heading = lines
        .slice(0, directive)
        .filter((line) => /^#{2,6} /.test(line))
        .at(-1);
      expect(heading?.replace(/^#+ /, '')).toBe(lab.docs.section);
      const nextHeading = lines.slice(directive + 1).find((line) => line.trim() !== '');
      expect(nextHeading ?? '', 'the directive closes its section').toMatch(/^#{1,6} /);
      expect(doc!.toc.some((heading) => heading.id === lab.docs.anchor)).toBe(true);
    }
  });
});
