import { useCallback } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';

import type { FromList } from './GridTile';

interface ViewerState extends Partial<FromList> {
  /** The photo the viewer was opened on (its entry was pushed onto the history). */
  openedOn?: string;
}

/**
 * The viewer's place in the URL (`?view=1`, so the browser's and MAX's back button close it)
 * and in the list the photo page was opened from (the grid passes its ids as router state).
 */
export function useViewerNav(id: string) {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const state = (location.state ?? {}) as ViewerState;
  const ids = Array.isArray(state.ids) ? state.ids : [];
  const index = ids.indexOf(id);
  const isOpen = params.get('view') === '1';

  const open = useCallback(
    () => navigate({ search: '?view=1' }, { state: { ids, openedOn: id } }),
    [navigate, ids, id],
  );
  const close = useCallback(() => {
    // Back to the entry the viewer was opened from; after swiping to another photo, that
    // photo's page takes the viewer's place instead.
    if (state.openedOn === id) navigate(-1);
    else navigate(`/photos/${id}`, { replace: true, state: { ids } });
  }, [navigate, state.openedOn, id, ids]);
  const goTo = useCallback(
    (other: string | undefined) =>
      other &&
      navigate(`/photos/${other}${isOpen ? '?view=1' : ''}`, {
        replace: true,
        state: { ids, openedOn: state.openedOn },
      }),
    [navigate, isOpen, ids, state.openedOn],
  );
  const prevId = index > 0 ? ids[index - 1] : undefined;
  const nextId = index >= 0 && index < ids.length - 1 ? ids[index + 1] : undefined;
  return {
    isOpen,
    open,
    close,
    prev: prevId ? () => goTo(prevId) : undefined,
    next: nextId ? () => goTo(nextId) : undefined,
    position: index >= 0 ? { n: index + 1, total: ids.length } : null,
  };
}
