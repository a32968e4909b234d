import { useState } from 'react';
import { useNavigate } from 'react-router-dom';

import { api, type Photo, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { haptic } from '../../lib/max';
import { DownloadOriginal } from './DownloadOriginal';

interface Props {
  photo: Photo;
  mine: boolean;
  signedIn: boolean;
  busy: boolean;
  /** Runs an action with the page's busy flag and error display. */
  run(action: () => Promise<void>): Promise<void>;
  setPhoto(photo: Photo): void;
  update(body: { is_public: boolean }): void;
  onEdit(): void;
  onDelete(): void;
}

/** The buttons under a photo: favorite, import, download; the owner's publish, trade, edit, delete. */
export function PhotoActions({
  photo,
  mine,
  signedIn,
  busy,
  run,
  setPhoto,
  update,
  onEdit,
  onDelete,
}: Props) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [imported, setImported] = useState(false);
  const path = { params: { path: { photo_id: photo.id } } };
  const toggleFavorite = () =>
    run(async () => {
      unwrap(
        photo.is_favorite
          ? await api.DELETE('/api/photos/{photo_id}/favorite', path)
          : await api.PUT('/api/photos/{photo_id}/favorite', path),
      );
      haptic('medium');
      setPhoto({ ...photo, is_favorite: !photo.is_favorite });
    });
  const importIt = () =>
    run(async () => {
      unwrap(await api.POST('/api/photos/{photo_id}/import', path));
      haptic('success');
      setImported(true);
    });
  const trade = () =>
    run(async () => {
      const created = unwrap(
        await api.POST('/api/trades', { body: { art_object_ids: [photo.id] } }),
      );
      navigate(`/exchange/trades/${created.id}`, { state: { trade: created } });
    });

  return (
    <div className="d-flex flex-wrap align-items-center gap-2 mb-3">
      {signedIn && (
        <button
          type="button"
          className={`btn btn-sm ${photo.is_favorite ? 'btn-warning' : 'btn-outline-secondary'}`}
          aria-pressed={photo.is_favorite}
          disabled={busy}
          onClick={() => void toggleFavorite()}
        >
          {photo.is_favorite ? `★ ${t('photo.unfavorite')}` : `☆ ${t('photo.favorite')}`}
        </button>
      )}
      <DownloadOriginal photo={photo} className="btn btn-sm btn-outline-secondary mh-btn-icon" />
      {signedIn && !mine && photo.status === 'ready' && (
        <button
          type="button"
          className="btn btn-sm btn-outline-secondary"
          disabled={busy || imported}
          onClick={() => void importIt()}
        >
          {imported ? t('photo.imported') : t('photo.import')}
        </button>
      )}
      {mine && (
        <>
          <div className="form-check form-switch m-0">
            <input
              id="photo-public"
              className="form-check-input"
              type="checkbox"
              role="switch"
              checked={photo.is_public}
              disabled={busy}
              onChange={(e) => update({ is_public: e.target.checked })}
            />
            <label className="form-check-label" htmlFor="photo-public">
              {t('photo.public')}
            </label>
          </div>
          {photo.status === 'ready' && (
            <button
              type="button"
              className="btn btn-sm btn-outline-primary"
              disabled={busy}
              onClick={() => void trade()}
            >
              {t('trade.create')}
            </button>
          )}
          <button type="button" className="btn btn-sm btn-outline-secondary" onClick={onEdit}>
            {t('common.edit')}
          </button>
          <button type="button" className="btn btn-sm btn-outline-danger" onClick={onDelete}>
            {t('common.delete')}
          </button>
        </>
      )}
    </div>
  );
}
