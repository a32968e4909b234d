import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { api, errorMessage, type HistoryItem, type Photo, unwrap } from '../../api/client';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { UserName } from '../../components/UserName';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../lib/format';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';
import { PhotoEditForm } from './PhotoEditForm';
import { PhotoHistory } from './PhotoHistory';
import { Thumb } from './Thumb';

/** One photo: preview, owner, description, tags, history; the owner may edit or delete it. */
export default function PhotoPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const [photo, setPhoto] = useState<Photo | null>(null);
  const [history, setHistory] = useState<HistoryItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  // 0: closed; each Edit opens a fresh form (a new key) with the photo's current values.
  const [editing, setEditing] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState(false);
  usePageTitle(photo?.description || t('photo.title'));

  useEffect(() => {
    let live = true;
    const path = { params: { path: { photo_id: id } } };
    Promise.all([
      api.GET('/api/photos/{photo_id}', path),
      api.GET('/api/photos/{photo_id}/history', path),
    ])
      .then(([p, h]) => {
        if (!live) return;
        setPhoto(unwrap(p));
        setHistory(unwrap(h).items);
      })
      .catch((e: unknown) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [id, user?.id]);

  // Processing finished while the page was open: show the preview without a reload.
  useLiveEvents(userChannel(user), (event) => {
    if (event.id === id && (event.type === 'photo.ready' || event.type === 'photo.failed')) {
      void api
        .GET('/api/photos/{photo_id}', { params: { path: { photo_id: id } } })
        .then((r) => r.data && setPhoto(r.data));
    }
  });

  if (error) {
    return (
      <div className="alert alert-warning" role="alert">
        {error}
      </div>
    );
  }
  if (!photo) {
    return (
      <div className="spinner-border text-secondary" role="status">
        <span className="visually-hidden">{t('page.loading')}</span>
      </div>
    );
  }
  const mine = user?.id === photo.owner_id;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  const path = { params: { path: { photo_id: photo.id } } };
  const toggleFavorite = () =>
    run(async () => {
      unwrap(
        photo.is_favorite
          ? await api.DELETE('/api/photos/{photo_id}/favorite', path)
          : await api.PUT('/api/photos/{photo_id}/favorite', path),
      );
      setPhoto({ ...photo, is_favorite: !photo.is_favorite });
    });
  const update = (body: { description?: string; tags?: string[]; is_public?: boolean }) =>
    run(async () => {
      setPhoto(unwrap(await api.PATCH('/api/photos/{photo_id}', { ...path, body })));
      setEditing(0);
    });
  const remove = () =>
    run(async () => {
      unwrap(await api.DELETE('/api/photos/{photo_id}', path));
      navigate('/collection');
    });

  return (
    <article className="mh-photo" aria-labelledby="page-title">
      <div className="mh-photo-media">
        <Thumb photo={photo} size="preview" />
        {photo.status === 'processing' && (
          <p className="text-body-secondary mt-2">{t('photo.processing')}</p>
        )}
        {photo.status === 'failed' && <p className="text-danger mt-2">{t('upload.failed')}</p>}
      </div>
      <div className="mh-photo-info">
        <h1 id="page-title" className="h4">
          {photo.description || t('photo.untitled')}
        </h1>
        <p className="mb-2">
          {t('photo.owner')}: <UserName id={photo.owner_id} />
        </p>
        {photo.tags.length > 0 && (
          <ul className="list-inline" aria-label={t('photo.tags')}>
            {photo.tags.map((tag) => (
              <li key={tag} className="list-inline-item">
                <Link
                  className="badge text-bg-secondary"
                  to={`/search?q=${encodeURIComponent(tag)}`}
                >
                  #{tag}
                </Link>
              </li>
            ))}
          </ul>
        )}
        <p className="small text-body-secondary">
          {[
            photo.width && `${photo.width}×${photo.height}`,
            photo.camera,
            formatBytes(photo.size, language),
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
        <div className="d-flex flex-wrap gap-2 mb-3">
          {user && (
            <button
              type="button"
              className={`btn btn-sm ${photo.is_favorite ? 'btn-warning' : 'btn-outline-secondary'}`}
              aria-pressed={photo.is_favorite}
              disabled={busy}
              onClick={toggleFavorite}
            >
              {photo.is_favorite ? `★ ${t('photo.unfavorite')}` : `☆ ${t('photo.favorite')}`}
            </button>
          )}
          {user && !mine && photo.status === 'ready' && (
            <button
              type="button"
              className="btn btn-sm btn-outline-secondary"
              disabled={busy || imported}
              onClick={() =>
                void run(async () => {
                  unwrap(await api.POST('/api/photos/{photo_id}/import', path));
                  setImported(true);
                })
              }
            >
              {imported ? t('photo.imported') : t('photo.import')}
            </button>
          )}
          {mine && (
            <>
              <div className="form-check form-switch align-self-center m-0">
                <input
                  id="photo-public"
                  className="form-check-input"
                  type="checkbox"
                  role="switch"
                  checked={photo.is_public}
                  disabled={busy}
                  onChange={(e) => void update({ is_public: e.target.checked })}
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
                  onClick={() =>
                    void run(async () => {
                      const trade = unwrap(
                        await api.POST('/api/trades', { body: { art_object_ids: [photo.id] } }),
                      );
                      navigate(`/exchange/trades/${trade.id}`, { state: { trade } });
                    })
                  }
                >
                  {t('trade.create')}
                </button>
              )}
              <button
                type="button"
                className="btn btn-sm btn-outline-secondary"
                onClick={() => setEditing((n) => n + 1)}
              >
                {t('common.edit')}
              </button>
              <button
                type="button"
                className="btn btn-sm btn-outline-danger"
                onClick={() => setConfirmDelete(true)}
              >
                {t('common.delete')}
              </button>
            </>
          )}
        </div>
        {confirmDelete && (
          <ConfirmDelete
            id="del-q"
            question={t('photo.deleteConfirm')}
            busy={busy}
            onConfirm={remove}
            onCancel={() => setConfirmDelete(false)}
          />
        )}
        {editing > 0 && (
          <PhotoEditForm
            key={editing}
            photo={photo}
            busy={busy}
            onSave={(body) => void update(body)}
            onCancel={() => setEditing(0)}
          />
        )}
        <PhotoHistory history={history} />
      </div>
    </article>
  );
}
