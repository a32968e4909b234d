import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router-dom';

import type { Photo } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import type { Paged } from '../../lib/usePaged';
import { Thumb } from './Thumb';

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

/** A grid of thumbnails that loads the next page when its end scrolls into view. */
export function PhotoGrid({ list, selected, onToggle, empty, emptyAction, label }: Props) {
  const { t } = useI18n();
  const sentinel = useRef<HTMLDivElement>(null);
  const { loadMore, hasMore, loading } = list;

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
      <ul className="mh-grid" aria-label={label}>
        {list.items.map((photo) => (
          <li key={photo.id}>
            {selected && onToggle ? (
              <button
                type="button"
                className="mh-tile"
                aria-pressed={selected.has(photo.id)}
                onClick={() => onToggle(photo)}
              >
                <Thumb photo={photo} />
                <span className="mh-check" aria-hidden="true">
                  {selected.has(photo.id) ? '✓' : ''}
                </span>
                <span className="visually-hidden">
                  {photo.description || photo.original_filename || photo.id}
                </span>
              </button>
            ) : (
              <Link to={`/photos/${photo.id}`} className="mh-tile">
                <Thumb photo={photo} />
              </Link>
            )}
          </li>
        ))}
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
