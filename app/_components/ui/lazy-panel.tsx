'use client';

import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';

/**
 * A component that loads in a chunk of its own, so it stays out of the first-load JavaScript of the pages that
 * include it; the server still renders it in full. React.lazy rather than next/dynamic: it is already in React,
 * so a boundary costs no bytes. The fallback should take the space of what replaces it, so nothing jumps.
 */
export function lazyPanel<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: ReactNode,
): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component })));
  return function LazyPanel(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
