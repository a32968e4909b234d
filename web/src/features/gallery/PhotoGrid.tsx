import { useEffect, useMemo, useRef, type ReactNode } from 'react';

import type { Photo } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import type { Paged } from '../../lib/usePaged';
import { GridTile } from './GridTile';
import { justify, targetRowHeight } from './justify';
import { rememberPhotos } from './photoCache';
import { useElementWidth } from './useElementWidth';

/** Space between photos, as in Immich's timeline: thin lines, the photos do the talking. */
const GAP = 4;
/** Until the grid is measured (and in tests without layout): lay out for a common width. */
const UNMEASURED_WIDTH = 1024;

interface Props {
  list: Paged<Photo>;
  /** With a selection, tiles toggle instead of linking to the photo page. */
  selected?: Set<string>;
  onToggle?: (photo: Photo) => void;
  empty: string;
  /** Under the empty text: what the user can do about it (a hint, a link). */
  emptyAction?: ReactNode;
  label: string;
}

/**
 * Photos in justified rows (each keeps its aspect ratio, full rows fill the width), loading the
 * next page when the end scrolls into view.
 */
export function PhotoGrid({ list, selected, onToggle, empty, emptyAction, label }: Props) {
  const { t } = useI18n();
  const sentinel = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLUListElement>(null);
  const measured = useElementWidth(grid);
  const { loadMore, hasMore, loading } = list;
  const width = measured || UNMEASURED_WIDTH;
  const rows = useMemo(
    () =>
      justify(list.items, {
        containerWidth: width,
        targetHeight: targetRowHeight(width),
        gap: GAP,
      }),
    [list.items, width],
  );
  const ids = useMemo(() => list.items.map((p) => p.id), [list.items]);
  useEffect(() => rememberPhotos(list.items), [list.items]);

  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) loadMore();
      },
      { rootMargin: '600px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [loadMore, hasMore, loading]);

  return (
    <>
      {list.items.length === 0 && !list.loading && !list.error && (
        <div className="mh-grid-empty">
          <p className="text-body-secondary">{empty}</p>
          {emptyAction}
        </div>
      )}
      <ul ref={grid} className="mh-grid" aria-label={label} style={{ gap: GAP }}>
        {rows.flatMap((row) =>
          row.items.map((box) => {
            const photo = list.items[box.index]!;
            return (
              <GridTile
                key={photo.id}
                photo={photo}
                listIds={ids}
                style={tileStyle(row.height, box.width, row.complete)}
                selected={selected?.has(photo.id)}
                onToggle={selected && onToggle ? onToggle : undefined}
              />
            );
          }),
        )}
      </ul>
      {list.error && (
        <div className="alert alert-danger d-flex align-items-center gap-2" role="alert">
          <span className="flex-grow-1">{list.error}</span>
          <button type="button" className="btn btn-sm btn-outline-danger" onClick={list.reload}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {list.loading && (
        <div className="text-center my-3">
          <div className="spinner-border spinner-border-sm text-secondary" role="status">
            <span className="visually-hidden">{t('page.loading')}</span>
          </div>
        </div>
      )}
      {list.hasMore && !list.loading && !list.error && (
        <div ref={sentinel} className="text-center my-3">
          <button type="button" className="btn btn-outline-secondary btn-sm" onClick={loadMore}>
            {t('common.more')}
          </button>
        </div>
      )}
    </>
  );
}

/**
 * A tile's box. The basis is the computed width a hair smaller, and full rows grow back to the
 * exact width: sub-pixel rounding can then never push a tile onto the next line.
 */
function tileStyle(height: number, width: number, complete: boolean) {
  return { height, flex: `${complete ? width : 0} 1 ${Math.max(0, width - 0.5)}px` };
}
