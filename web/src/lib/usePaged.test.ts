import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { usePaged, type Page } from './usePaged';

type Item = { id: string };

/** A keyset-paginated list of `total` items served `size` at a time, cursor = last id. */
function server(total: number, size: number) {
  const items = Array.from({ length: total }, (_, i) => ({ id: `p${i}` }));
  const calls: (string | null)[] = [];
  const fetchPage = async (cursor: string | null): Promise<Page<Item>> => {
    calls.push(cursor);
    const from = cursor === null ? 0 : items.findIndex((i) => i.id === cursor) + 1;
    const page = items.slice(from, from + size);
    const last = page.at(-1);
    return { items: page, next_cursor: from + size < total && last ? last.id : null };
  };
  return { fetchPage, calls };
}

describe('usePaged', () => {
  it('follows next_cursor page by page and stops at the end', async () => {
    const { fetchPage, calls } = server(5, 2);
    const { result } = renderHook(() => usePaged(fetchPage, 'k'));
    await waitFor(() => expect(result.current.items).toHaveLength(2));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toHaveLength(4));
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toHaveLength(5));
    expect(result.current.hasMore).toBe(false);
    act(() => result.current.loadMore()); // nothing more to ask for
    expect(calls).toEqual([null, 'p1', 'p3']);
    expect(result.current.items.map((i) => i.id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
  });

  it('drops an answer that arrives after a reload started', async () => {
    let release: (page: Page<Item>) => void = () => {};
    let call = 0;
    const fetchPage = (cursor: string | null) => {
      call += 1;
      if (call === 2) return new Promise<Page<Item>>((resolve) => (release = resolve));
      return Promise.resolve({
        items: [{ id: `fresh-${call}` }],
        next_cursor: cursor === null ? 'c' : null,
      });
    };
    const { result } = renderHook(() => usePaged(fetchPage, 'k'));
    await waitFor(() => expect(result.current.items).toHaveLength(1));
    act(() => result.current.loadMore()); // call 2: hangs
    act(() => result.current.reload()); // call 3: replaces the list
    await waitFor(() => expect(result.current.items.map((i) => i.id)).toEqual(['fresh-3']));
    await act(async () => release({ items: [{ id: 'stale' }], next_cursor: null }));
    expect(result.current.items.map((i) => i.id)).toEqual(['fresh-3']);
  });

  it('reports errors and recovers on reload', async () => {
    let fail = true;
    const fetchPage = async () => {
      if (fail) throw new ApiError(503, 'a backing service is temporarily unavailable');
      return { items: [{ id: 'a' }], next_cursor: null };
    };
    const { result } = renderHook(() => usePaged<Item>(fetchPage, 'k'));
    await waitFor(() =>
      expect(result.current.error).toBe('Something went wrong on the server. Please try again.'),
    );
    fail = false;
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.items).toHaveLength(1));
    expect(result.current.error).toBeNull();
  });
});
