import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { api, errorMessage, type HistoryItem, type Photo, unwrap } from '../../api/client';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { ExpandIcon, LockIcon } from '../../components/icons';
import { UserName } from '../../components/UserName';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../lib/format';
import { haptic } from '../../lib/max';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';
import { cachedPhoto } from './photoCache';
import { PhotoActions } from './PhotoActions';
import { PhotoEditForm } from './PhotoEditForm';
import { PhotoHistory } from './PhotoHistory';
import { PhotoViewer } from './PhotoViewer';
import { Thumb } from './Thumb';
import { useViewerNav } from './useViewerNav';

/**
 * One photo: the picture as large as the screen allows (a tap opens the full-screen viewer),
 * then owner, description, tags, history; the owner may edit, publish or delete it.
 */
export default function PhotoPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const viewer = useViewerNav(id);
  const [photo, setPhoto] = useState<Photo | null>(() => cachedPhoto(id));
  const [history, setHistory] = useState<HistoryItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // 0: closed; each Edit opens a fresh form (a new key) with the photo's current values.
  const [editing, setEditing] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
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

  if (error && !photo) {
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
      haptic('error');
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  const path = { params: { path: { photo_id: photo.id } } };
  const update = (body: { description?: string; tags?: string[]; is_public?: boolean }) =>
    run(async () => {
      setPhoto(unwrap(await api.PATCH('/api/photos/{photo_id}', { ...path, body })));
      setEditing(0);
    });
  const remove = () =>
    run(async () => {
      unwrap(await api.DELETE('/api/photos/{photo_id}', path));
      haptic('success');
      navigate('/collection');
    });

  return (
    <article className="mh-photo" aria-labelledby="page-title">
      <div className="mh-photo-media">
        <button
          type="button"
          className="mh-photo-open"
          onClick={viewer.open}
          aria-label={t('photo.open')}
        >
          <Thumb photo={photo} size="preview" fill />
          <span className="mh-photo-expand" aria-hidden="true">
            <ExpandIcon />
          </span>
        </button>
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
          {!photo.is_public && (
            <span className="badge text-bg-secondary ms-2 mh-badge-inline">
              <LockIcon className="mh-icon-sm" /> {t('photo.private')}
            </span>
          )}
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
        {error && (
          <div className="alert alert-warning" role="alert">
            {error}
          </div>
        )}
        <PhotoActions
          photo={photo}
          mine={mine}
          signedIn={!!user}
          busy={busy}
          run={run}
          setPhoto={setPhoto}
          update={(body) => void update(body)}
          onEdit={() => setEditing((n) => n + 1)}
          onDelete={() => {
            haptic('warning');
            setConfirmDelete(true);
          }}
        />
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
        {history && <PhotoHistory history={history} />}
      </div>
      {viewer.isOpen && (
        <PhotoViewer
          photo={photo}
          position={viewer.position}
          onPrev={viewer.prev}
          onNext={viewer.next}
          onClose={viewer.close}
        />
      )}
    </article>
  );
}
