import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { type BundledLanguage, type Highlighter, bundledLanguages, createHighlighter } from 'shiki';
import { visit } from 'unist-util-visit';

/** Both themes are emitted as CSS variables (`--shiki-light`, `--shiki-dark`); docs.css picks one per theme. */
export const CODE_THEMES = { light: 'github-light', dark: 'github-dark' } as const;

/** Loaded up front because the docs use them; anything else shiki knows is loaded on first use. */
const PRELOADED_LANGUAGES: BundledLanguage[] = ['bash', 'json', 'typescript', 'yaml', 'rust', 'toml'];
const PLAIN = 'text';

const store = globalThis as typeof globalThis & { __iggyDocsHighlighter?: Promise<Highlighter> };

/** One highlighter per process: creating one loads grammars and a regex engine, far too slow per request. */
function highlighter(): Promise<Highlighter> {
  store.__iggyDocsHighlighter ??= createHighlighter({
    themes: [CODE_THEMES.light, CODE_THEMES.dark],
    langs: PRELOADED_LANGUAGES,
  }).catch((error: unknown) => {
    store.__iggyDocsHighlighter = undefined;
    throw error;
  });
  return store.__iggyDocsHighlighter;
}

function languageOf(code: Element): string {
  const classes = code.properties.className;
  const list = Array.isArray(classes) ? classes : [];
  const languageClass = list.find((name) => typeof name === 'string' && name.startsWith('language-'));
  return typeof languageClass === 'string' ? languageClass.slice('language-'.length).toLowerCase() : PLAIN;
}

function isKnownLanguage(language: string): language is BundledLanguage {
  return Object.hasOwn(bundledLanguages, language);
}

interface CodeBlock {
  parent: Root | Element;
  index: number;
  language: string;
  code: string;
}

/**
 * Replaces every fenced code block with shiki's highlighted tree. This happens on the server (at build time for
 * static pages); the browser only receives coloured spans, never a highlighter.
 */
export function highlightCodeBlocks() {
  return async (tree: Root) => {
    const blocks: CodeBlock[] = [];
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'pre' || parent === undefined || index === undefined) return;
      const code = node.children.find((child): child is Element => child.type === 'element');
      if (code?.tagName !== 'code') return;
      // Markdown keeps the fence's final newline; shiki would render it as an empty last line.
      blocks.push({ parent, index, language: languageOf(code), code: toString(code).replace(/\n$/, '') });
    });
    if (blocks.length === 0) return;

    const shiki = await highlighter();
    const loaded = new Set(shiki.getLoadedLanguages());
    const missing = [...new Set(blocks.map((block) => block.language))].filter(
      (language) => !loaded.has(language) && isKnownLanguage(language),
    );
    await Promise.all(missing.map((language) => shiki.loadLanguage(language as BundledLanguage)));

    for (const block of blocks) {
      const language = isKnownLanguage(block.language) ? block.language : PLAIN;
      const highlighted = shiki.codeToHast(block.code, {
        lang: language,
        themes: CODE_THEMES,
        defaultColor: false,
      });
      const pre = highlighted.children.find((child): child is Element => child.type === 'element');
      if (pre === undefined) continue;
      pre.properties.dataLanguage = block.language;
      // A scrollable region must be reachable by keyboard to be scrolled without a mouse.
      pre.properties.tabIndex = 0;
      block.parent.children[block.index] = pre;
    }
  };
}
