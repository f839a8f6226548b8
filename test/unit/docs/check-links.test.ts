import { describe, expect, it } from 'vitest';
import { findDocLinkProblems, findLinkProblems, formatLinkProblem } from '@/lib/docs/check-links';
import { findRawHtml } from '@/lib/docs/check-raw-html';
import { fixtureLocation } from './fixture-location';

/** Checks in-memory docs against the fixture repository (its public/ and server/ files). */
async function problemsIn(docs: Record<string, string>) {
  const list = Object.entries(docs).map(([slug, body]) => ({ slug, body }));
  return findLinkProblems(list, fixtureLocation);
}

describe('findLinkProblems', () => {
  it('finds nothing wrong in the fixture docs, whose links all land somewhere real', async () => {
    expect((await findDocLinkProblems(fixtureLocation)).map(formatLinkProblem)).toEqual([]);
  });

  it('accepts links to existing docs, headings, diagrams and repository files', async () => {
    const problems = await problemsIn({
      one: '# One\n\n## Here\n\n[a](two.md) [b](./two.md#there) [c](#here) [d](../server/compose.yml) ![e](../public/docs/diagram.svg) [f](https://example.org)',
      two: '## There\n',
    });
    expect(problems).toEqual([]);
  });

  it.each([
    ['a doc that does not exist', '[x](missing.md)', 'no doc named "missing"'],
    [
      'a heading missing in another doc',
      '[x](two.md#nowhere)',
      'docs/two.md has no heading with id "nowhere"',
    ],
    ['a heading missing in the same doc', '[x](#nowhere)', 'this doc has no heading with id "nowhere"'],
    ['an app path to a missing doc', '[x](/docs/missing)', 'no doc named "missing"'],
    [
      'a diagram that is not in public/',
      '![x](../public/docs/missing.svg)',
      'public/docs/missing.svg does not exist',
    ],
    ['an image outside public/', '![x](../server/compose.yml)', 'images must live under public/'],
    [
      'a repository file that does not exist',
      '[x](../server/missing.yml)',
      'server/missing.yml does not exist',
    ],
    ['a javascript: link', '[x](javascript:alert(1))', 'unsafe URL scheme'],
    ['a path out of the repository', '[x](../../outside.md)', 'relative path leaves the repository'],
  ])('reports %s', async (_case, markdown, reason) => {
    const problems = await problemsIn({ one: `# One\n\n${markdown}\n`, two: '## There\n' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.reason).toContain(reason);
    expect(problems[0]?.file).toBe('docs/one.md');
  });

  it('reports the line in the file, counting the front matter', async () => {
    const problems = await findLinkProblems(
      [{ slug: 'one', body: '\nText.\n\n[x](#nowhere)\n', bodyLineOffset: 4 }],
      fixtureLocation,
    );
    expect(problems[0]?.line).toBe(8);
    expect(formatLinkProblem(problems[0]!)).toBe(
      'docs/one.md:8 [x](#nowhere): this doc has no heading with id "nowhere"',
    );
  });

  it('matches percent-encoded anchors against the decoded heading id', async () => {
    expect(await problemsIn({ one: '## Über café\n\n[x](#%C3%BCber-caf%C3%A9) [y](#über-café)' })).toEqual(
      [],
    );
  });
});

describe('findRawHtml', () => {
  it('lists raw HTML, which the renderer shows as literal text, with its line in the file (comments excepted)', () => {
    const uses = findRawHtml([
      { slug: 'one', body: '\nPress <kbd>Ctrl</kbd>.\n\n<!-- note -->\n', bodyLineOffset: 3 },
      { slug: 'two', body: 'Only `<code>` in backticks and\n\n```html\n<b>fenced</b>\n```\n' },
    ]);
    expect(uses).toEqual([
      { file: 'docs/one.md', line: 5, html: '<kbd>' },
      { file: 'docs/one.md', line: 5, html: '</kbd>' },
    ]);
  });
});
