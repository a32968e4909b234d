import { useEffect, useRef } from 'react';

import { apiUrl, type Photo } from '../../api/client';
import { ChevronLeftIcon, ChevronRightIcon, CloseIcon } from '../../components/icons';
import { useI18n } from '../../i18n/I18nProvider';
import { haptic } from '../../lib/max';
import { useFocusTrap } from '../../lib/useFocusTrap';
import { DownloadOriginal } from './DownloadOriginal';
import { useZoomPan } from './useZoomPan';

/** Types every browser shows in an <img>: the original is worth loading when zoomed in. */
const SHOWABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

interface Props {
  photo: Photo;
  /** Place in the list the page was opened from (1-based), if any. */
  position: { n: number; total: number } | null;
  onPrev?: () => void;
  onNext?: () => void;
  onClose: () => void;
}

/**
 * The full-screen viewer: the photo on black, wheel or pinch to zoom, drag to pan, swipe or
 * arrow keys for the previous / next photo, swipe down or Esc to close.
 */
export function PhotoViewer({ photo, position, onPrev, onNext, onClose }: Props) {
  const { t } = useI18n();
  const stage = useRef<HTMLDivElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useFocusTrap(dialog);
  const closeButton = useRef<HTMLButtonElement>(null);
  const go = (to?: () => void) => {
    if (!to) return;
    haptic('light');
    to();
  };
  const zoom = useZoomPan(stage, (swipe) => {
    if (swipe === 'next') go(onNext);
    if (swipe === 'prev') go(onPrev);
    if (swipe === 'close') onClose();
  });
  const { reset } = zoom;
  useEffect(() => reset(), [photo.id, reset]);
  useEffect(() => {
    closeButton.current?.focus();
    // The page under the viewer must not scroll while fingers pan the photo.
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
    };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
      else if (event.key === 'ArrowRight') onNext?.();
      else if (event.key === 'ArrowLeft') onPrev?.();
      else if (event.key === '+' || event.key === '=') zoom.zoomIn();
      else if (event.key === '-') zoom.zoomOut();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, onNext, onPrev, zoom]);

  const rendition = photo.urls.preview ?? photo.urls.thumb;
  const original = SHOWABLE.has(photo.mime) ? photo.urls.original : null;
  const src = (zoom.view.scale > 1.5 && original) || rendition || original;
  const { view, drag } = zoom;
  const transform =
    view.scale > 1
      ? `translate(${view.x}px, ${view.y}px) scale(${view.scale})`
      : `translate(${drag.x}px, ${drag.y}px)`;
  const alt = photo.description || photo.tags.join(', ') || photo.original_filename || '';

  return (
    <div
      ref={dialog}
      className="mh-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={t('viewer.label')}
    >
      <div className="mh-viewer-bar">
        <button
          ref={closeButton}
          type="button"
          className="mh-viewer-btn"
          aria-label={t('common.close')}
          onClick={onClose}
        >
          <CloseIcon />
        </button>
        <span className="mh-viewer-count">
          {position && t('viewer.position', { n: position.n, total: position.total })}
        </span>
        <button
          type="button"
          className="mh-viewer-btn"
          aria-label={t('viewer.zoomOut')}
          onClick={zoom.zoomOut}
        >
          −
        </button>
        <button
          type="button"
          className="mh-viewer-btn"
          aria-label={t('viewer.zoomIn')}
          onClick={zoom.zoomIn}
        >
          +
        </button>
        <DownloadOriginal photo={photo} className="mh-viewer-btn mh-viewer-download" />
      </div>
      <div ref={stage} className="mh-viewer-stage" {...zoom.handlers}>
        {src && (
          <img
            key={photo.id}
            src={apiUrl(src)}
            alt={alt}
            draggable={false}
            style={{ transform, transition: drag.x || drag.y ? 'none' : undefined }}
          />
        )}
      </div>
      {onPrev && (
        <button
          type="button"
          className="mh-viewer-nav mh-viewer-prev"
          aria-label={t('viewer.prev')}
          onClick={() => go(onPrev)}
        >
          <ChevronLeftIcon />
        </button>
      )}
      {onNext && (
        <button
          type="button"
          className="mh-viewer-nav mh-viewer-next"
          aria-label={t('viewer.next')}
          onClick={() => go(onNext)}
        >
          <ChevronRightIcon />
        </button>
      )}
    </div>
  );
}
