import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DocsLocation } from '@/lib/docs/docs-location';

/** What a rendered doc page offers: the ids a fragment can land on, and every href and img src it emits. */
export interface RenderedDoc {
  slug: string;
  dom: Document;
}

function decoded(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

function idsOf(dom: Document): Set<string> {
  return new Set([...dom.querySelectorAll('[id]')].map((element) => element.id));
}

/**
 * Follows every internal link the way a browser would, on the rendered HTML (after link rewriting):
 * `/docs/<slug>#id` must reach a rendered doc with that id, `#id` an id on the same page, and every
 * `/…` image or file a file under public/. Returns one line per link that would dead-end.
 */
export function brokenRenderedLinks(docs: readonly RenderedDoc[], location: DocsLocation): string[] {
  const idsBySlug = new Map(docs.map((doc) => [doc.slug, idsOf(doc.dom)]));
  const broken: string[] = [];
  for (const { slug, dom } of docs) {
    const ownIds = idsBySlug.get(slug) ?? new Set<string>();
    for (const link of dom.querySelectorAll('a[href]')) {
      const href = link.getAttribute('href') ?? '';
      const where = `${slug}: ${href}`;
      if (href.startsWith('#')) {
        if (href !== '#' && !ownIds.has(decoded(href.slice(1))))
          broken.push(`${where} (no such id on the page)`);
        continue;
      }
      const docLink = /^\/docs\/([^/#?]+)(?:#(.*))?$/.exec(href);
      if (docLink?.[1] !== undefined && !docLink[1].includes('.')) {
        const targetIds = idsBySlug.get(docLink[1]);
        if (targetIds === undefined) broken.push(`${where} (no such doc)`);
        else if (docLink[2] !== undefined && !targetIds.has(decoded(docLink[2])))
          broken.push(`${where} (no such id there)`);
        continue;
      }
      if (/^\/[^/].*\.[a-z0-9]+$/i.test(href) && !isPublicFile(href, location))
        broken.push(`${where} (no such file in public/)`);
      if (!/^(https?:|mailto:|\/)/.test(href)) broken.push(`${where} (not a URL the app serves)`);
    }
    for (const image of dom.querySelectorAll('img')) {
      const src = image.getAttribute('src') ?? '';
      if (!src.startsWith('/') || !isPublicFile(src, location))
        broken.push(`${slug}: image ${src} (not a file under public/)`);
    }
  }
  return broken;
}

function isPublicFile(urlPath: string, location: DocsLocation): boolean {
  const relative = decodeURI(urlPath.split(/[?#]/)[0] ?? '').replace(/^\/+/, '');
  const file = path.resolve(location.publicDir, relative);
  if (!file.startsWith(path.resolve(location.publicDir) + path.sep)) return false;
  return existsSync(file) && statSync(file).isFile();
}
