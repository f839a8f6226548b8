'use client';

import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';

export interface TocEntry {
  id: string;
  text: string;
  depth: number;
}

/** A section counts as "being read" once its heading has scrolled above this fraction of the viewport. */
const READING_LINE = 0.3;

const noSubscription = () => () => {};

/** False in the server HTML and until hydration: the toggle cannot work before React is running. */
function useIsHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** The element id a URL fragment points at; a malformed escape is taken literally, as the browser does. */
const SETTLE_MS = 2_000;

/**
 * After a jump, the live labs above the target may still be loading their state and change height, which would
 * push the heading out of place. For a short while, every change of the page's height puts the heading back at
 * the top, until the reader scrolls by hand (`stillJumped` turns false).
 */
function keepInPlace(target: HTMLElement, stillJumped: () => boolean): void {
  if (typeof ResizeObserver === 'undefined') return;
  const observer = new ResizeObserver(() => {
    if (stillJumped()) target.scrollIntoView({ block: 'start' });
    else observer.disconnect();
  });
  observer.observe(document.body);
  setTimeout(() => observer.disconnect(), SETTLE_MS);
}

function decodedHash(hash: string): string {
  try {
    return decodeURIComponent(hash.slice(1));
  } catch {
    return hash.slice(1);
  }
}

function inViewport(element: Element): boolean {
  const { top, bottom } = element.getBoundingClientRect();
  return bottom > 0 && top < window.innerHeight;
}

/**
 * The heading id of the section being read: the last heading above the reading line. A heading the reader just
 * jumped to wins while it is on screen, because the last sections of a page can never scroll up to the line.
 */
function sectionInView(
  headings: readonly HTMLElement[],
  jumpedTo: HTMLElement | undefined,
): string | undefined {
  if (jumpedTo !== undefined && inViewport(jumpedTo)) return jumpedTo.id;
  const line = window.innerHeight * READING_LINE;
  let current: string | undefined;
  for (const heading of headings) {
    if (heading.getBoundingClientRect().top > line) break;
    current = heading.id;
  }
  return current;
}

/** "On this page": the doc's h2/h3 headings, highlighting the section in view as the reader scrolls. */
export function TableOfContents({ headings }: { headings: readonly TocEntry[] }) {
  const [activeId, setActiveId] = useState<string | undefined>(undefined);
  // Only matters on narrow screens: wide screens always show the list (CSS), so it is there before hydration.
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const hydrated = useIsHydrated();
  const jumpedTo = useRef<HTMLElement | undefined>(undefined);

  useEffect(() => {
    const elements = headings
      .map((heading) => document.getElementById(heading.id))
      .filter((element): element is HTMLElement => element !== null);
    if (elements.length === 0) return;

    const update = () => setActiveId(sectionInView(elements, jumpedTo.current));
    // Observing only the band above the reading line means a callback fires exactly when a heading crosses it.
    const observer = new IntersectionObserver(update, {
      rootMargin: `0px 0px -${(1 - READING_LINE) * 100}% 0px`,
      threshold: [0, 1],
    });
    elements.forEach((element) => observer.observe(element));

    // Scrolling by hand ends a jump: from then on the reading line alone decides.
    const forgetJump = () => {
      jumpedTo.current = undefined;
    };
    const onHashChange = () => {
      const target = document.getElementById(decodedHash(window.location.hash));
      if (target !== null && elements.includes(target)) {
        jumpedTo.current = target;
        keepInPlace(target, () => jumpedTo.current === target);
      }
      update();
    };
    window.addEventListener('wheel', forgetJump, { passive: true });
    window.addEventListener('touchmove', forgetJump, { passive: true });
    window.addEventListener('keydown', forgetJump);
    window.addEventListener('hashchange', onHashChange);
    onHashChange();

    return () => {
      observer.disconnect();
      window.removeEventListener('wheel', forgetJump);
      window.removeEventListener('touchmove', forgetJump);
      window.removeEventListener('keydown', forgetJump);
      window.removeEventListener('hashchange', onHashChange);
    };
  }, [headings]);

  const onJump = useCallback((id: string) => {
    const target = document.getElementById(id);
    if (target !== null) {
      jumpedTo.current = target;
      keepInPlace(target, () => jumpedTo.current === target);
    }
    setActiveId(id);
  }, []);

  if (headings.length === 0) return null;

  return (
    <nav aria-label="On this page" className="docs-toc" data-expanded={expanded}>
      <p className="docs-toc-heading">On this page</p>
      <button
        type="button"
        className="docs-toc-toggle"
        aria-expanded={expanded}
        aria-controls={listId}
        disabled={!hydrated}
        onClick={() => setExpanded((value) => !value)}
      >
        On this page
      </button>
      <ol id={listId}>
        {headings.map((heading) => (
          <li key={heading.id} className={heading.depth > 2 ? 'docs-toc-sub' : undefined}>
            <a
              href={`#${heading.id}`}
              aria-current={heading.id === activeId ? 'location' : undefined}
              onClick={() => onJump(heading.id)}
            >
              {heading.text}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
