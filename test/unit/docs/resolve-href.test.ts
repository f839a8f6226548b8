import { describe, expect, it } from 'vitest';
import { resolveDocHref } from '@/lib/docs/resolve-href';

describe('resolveDocHref', () => {
  it.each([
    ['architecture.md', { kind: 'doc', slug: 'architecture', anchor: undefined, href: '/docs/architecture' }],
    [
      './architecture.md',
      { kind: 'doc', slug: 'architecture', anchor: undefined, href: '/docs/architecture' },
    ],
    [
      'architecture.md#how-this-app-connects',
      {
        kind: 'doc',
        slug: 'architecture',
        anchor: 'how-this-app-connects',
        href: '/docs/architecture#how-this-app-connects',
      },
    ],
    [
      '../docs/troubleshooting.md#x',
      { kind: 'doc', slug: 'troubleshooting', anchor: 'x', href: '/docs/troubleshooting#x' },
    ],
    [
      '/docs/getting-started#step-1',
      { kind: 'doc', slug: 'getting-started', anchor: 'step-1', href: '/docs/getting-started#step-1' },
    ],
  ])('maps the doc link %s to its page', (written, expected) => {
    expect(resolveDocHref(written)).toEqual(expected);
  });

  it('keeps in-page anchors', () => {
    expect(resolveDocHref('#partitions')).toEqual({
      kind: 'in-page',
      anchor: 'partitions',
      href: '#partitions',
    });
  });

  it.each([
    ['../public/docs/data-flow.svg', 'docs/data-flow.svg', '/docs/data-flow.svg'],
    ['../public/logo.png', 'logo.png', '/logo.png'],
    ['/docs/frame-layout.svg', 'docs/frame-layout.svg', '/docs/frame-layout.svg'],
  ])('serves %s from public/ at the site root', (written, publicPath, href) => {
    expect(resolveDocHref(written)).toEqual({ kind: 'public-asset', publicPath, href });
  });

  it.each([
    ['../server/docker-compose.yml', 'server/docker-compose.yml'],
    ['../README.md', 'README.md'],
    ['../lib/iggy/index.ts', 'lib/iggy/index.ts'],
    ['images/local.png', 'docs/images/local.png'],
  ])('treats %s as a repository file the app does not serve', (written, repoPath) => {
    expect(resolveDocHref(written)).toEqual({ kind: 'repo-file', repoPath });
  });

  it('recognises links to other sites, and only http(s) ones open as pages', () => {
    expect(resolveDocHref('https://iggy.apache.org')).toEqual({
      kind: 'external',
      href: 'https://iggy.apache.org',
      opensInBrowser: true,
    });
    expect(resolveDocHref('mailto:dev@example.org')).toMatchObject({
      kind: 'external',
      opensInBrowser: false,
    });
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<b>x</b>',
    'vbscript:x',
  ])('marks %s unsafe', (written) => {
    expect(resolveDocHref(written)).toEqual({ kind: 'unsafe' });
  });

  it('refuses relative paths that leave the repository', () => {
    expect(resolveDocHref('../../etc/passwd')).toEqual({ kind: 'outside-repo', written: '../../etc/passwd' });
  });

  it('leaves app routes alone', () => {
    expect(resolveDocHref('/')).toEqual({ kind: 'site', href: '/' });
    expect(resolveDocHref('/api/status')).toEqual({ kind: 'site', href: '/api/status' });
    expect(resolveDocHref('./')).toEqual({ kind: 'site', href: '/docs' });
  });
});
