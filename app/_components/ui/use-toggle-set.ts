'use client';

import { useCallback, useState } from 'react';

/** A set of keys that a click adds or removes (which rows are expanded), with a stable toggle function. */
export function useToggleSet<K>(): { set: ReadonlySet<K>; toggle: (key: K) => void } {
  const [set, setSet] = useState<ReadonlySet<K>>(() => new Set<K>());
  const toggle = useCallback((key: K) => {
    setSet((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  return { set, toggle };
}
