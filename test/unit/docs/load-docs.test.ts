import { afterEach, describe, expect, it } from 'vitest';
import { DocFrontMatterError } from '@/lib/docs/front-matter';
import { listDocs, loadDoc } from '@/lib/docs/load-docs';
import { fixtureLocation, tempDocsLocation } from './fixture-location';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('listDocs', () => {
  it('lists every valid docs/*.md in front-matter order, then by title, untitled and unordered docs last', async () => {
    const docs = await listDocs(fixtureLocation);
    expect(docs.map((doc) => doc.slug)).toEqual(['alpha', 'delta', 'beta', 'gamma']);
  });

  it('takes the title from front matter, else the first h1, else the slug', async () => {
    const titles = Object.fromEntries((await listDocs(fixtureLocation)).map((doc) => [doc.slug, doc.title]));
    expect(titles).toEqual({
      alpha: 'Alpha guide',
      beta: 'Beta from heading',
      delta: 'Aardvark',
      gamma: 'gamma',
    });
  });

  it('gives docs without a description an empty one instead of undefined', async () => {
    const gamma = (await listDocs(fixtureLocation)).find((doc) => doc.slug === 'gamma');
    expect(gamma?.description).toBe('');
  });

  it('returns no docs when the folder does not exist', async () => {
    const { location, cleanup } = await tempDocsLocation({});
    cleanups.push(cleanup);
    expect(await listDocs({ ...location, docsDir: `${location.docsDir}-missing` })).toEqual([]);
  });

  it('names the file when front matter is not valid YAML', async () => {
    const { location, cleanup } = await tempDocsLocation({
      'broken.md': '---\ntitle: [unclosed\n---\n\nBody\n',
    });
    cleanups.push(cleanup);
    const failure = listDocs(location);
    await expect(failure).rejects.toBeInstanceOf(DocFrontMatterError);
    await expect(failure).rejects.toThrow(/docs\/broken\.md: front matter is not valid YAML/);
  });

  it.each([
    ['order: two', /"order" must be a finite number/],
    ['title: 42', /"title" must be a string/],
    ['description: [a, b]', /"description" must be a string/],
  ])('rejects the wrongly typed field in "%s"', async (line, message) => {
    const { location, cleanup } = await tempDocsLocation({ 'typed.md': `---\n${line}\n---\n\nBody\n` });
    cleanups.push(cleanup);
    await expect(listDocs(location)).rejects.toThrow(message);
  });
});

describe('loadDoc', () => {
  it('returns the doc with its reading-order neighbours', async () => {
    const result = await loadDoc('delta', fixtureLocation);
    expect(result?.doc.title).toBe('Aardvark');
    expect(result?.previous?.slug).toBe('alpha');
    expect(result?.next?.slug).toBe('beta');
  });

  it('has no previous doc for the first and no next doc for the last', async () => {
    expect((await loadDoc('alpha', fixtureLocation))?.previous).toBeUndefined();
    expect((await loadDoc('gamma', fixtureLocation))?.next).toBeUndefined();
  });

  it('strips front matter from the body', async () => {
    const result = await loadDoc('alpha', fixtureLocation);
    expect(result?.doc.body.trimStart()).toMatch(/^# Alpha guide\n/);
    expect(result?.doc.body).not.toContain('order: 1');
  });

  it.each(['missing', '../fixtures/site/docs/alpha', 'alpha.md', '_draft', '', 'notes'])(
    'finds nothing for the slug %j',
    async (slug) => {
      expect(await loadDoc(slug, fixtureLocation)).toBeUndefined();
    },
  );
});

describe('headings and table of contents', () => {
  it('lists h2 and h3 headings in order with the ids rehype-slug gives them (GitHub slug rules)', async () => {
    const result = await loadDoc('alpha', fixtureLocation);
    expect(result?.doc.toc).toEqual([
      { depth: 2, id: 'setup', text: 'Setup' },
      { depth: 3, id: 'offsets--pollingstrategynext', text: 'Offsets & PollingStrategy.next()' },
      { depth: 2, id: 'setup-1', text: 'Setup' },
      { depth: 2, id: 'über-café', text: 'Über café' },
    ]);
  });

  it('keeps h1 and h4 out of the table of contents but knows their ids', async () => {
    const result = await loadDoc('beta', fixtureLocation);
    expect(result?.doc.toc.map((heading) => heading.id)).toEqual(['beta-details', 'deeper']);
    expect(result?.doc.headings.map((heading) => heading.id)).toEqual([
      'beta-from-heading',
      'beta-details',
      'deeper',
      'too-deep-for-the-table-of-contents',
    ]);
  });
});
