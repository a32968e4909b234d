import { useCallback, useEffect, useRef, useState } from 'react';

import { errorMessage } from '../api/client';

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Paged<T> {
  items: T[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore(): void;
  /** Reloads from the first page (e.g. after a live event said something changed). */
  reload(): void;
  setItems(update: (items: T[]) => T[]): void;
}

/**
 * Keyset pagination: `fetchPage(cursor)` returns `{items, next_cursor}`; loadMore asks for the
 * next page with the last cursor. Overlapping calls are ignored, and answers that arrive after a
 * reload (or a new `key`) are dropped, so a slow old page never mixes into a new list.
 */
export function usePaged<T extends { id: string }>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  key: string,
): Paged<T> {
  const [items, setItemsState] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const generation = useRef(0);
  const busy = useRef(false);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback((from: string | null, replace: boolean) => {
    if (busy.current && !replace) return;
    busy.current = true;
    const gen = replace ? ++generation.current : generation.current;
    setLoading(true);
    fetchRef
      .current(from)
      .then((page) => {
        if (gen !== generation.current) return;
        setItemsState((old) => {
          if (replace) return page.items;
          const seen = new Set(old.map((i) => i.id));
          return [...old, ...page.items.filter((i) => !seen.has(i.id))];
        });
        setCursor(page.next_cursor);
        setDone(page.next_cursor === null);
        setError(null);
      })
      .catch((e: unknown) => {
        if (gen === generation.current) setError(errorMessage(e));
      })
      .finally(() => {
        if (gen === generation.current) {
          busy.current = false;
          setLoading(false);
        }
      });
  }, []);

  useEffect(() => {
    setItemsState([]);
    setCursor(null);
    setDone(false);
    load(null, true);
  }, [key, load]);

  const loadMore = useCallback(() => {
    if (!done && cursor !== null) load(cursor, false);
  }, [done, cursor, load]);
  const reload = useCallback(() => load(null, true), [load]);
  const setItems = useCallback((update: (items: T[]) => T[]) => setItemsState(update), []);

  return { items, loading, error, hasMore: !done, loadMore, reload, setItems };
}
