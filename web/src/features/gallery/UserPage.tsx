import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';

import { api, errorMessage, type Photo, unwrap, type UserPublic } from '../../api/client';
import { AccessRequest } from './AccessRequest';
import { PhotoGrid } from './PhotoGrid';
import { PhotoPicker } from './PhotoPicker';
import { displayName } from '../../components/UserName';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';
import { usePaged } from '../../lib/usePaged';

/** Another user's profile: their name, contact link, and the photos you may see. */
export default function UserPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { user: me } = useSession();
  const [user, setUser] = useState<UserPublic | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [offering, setOffering] = useState(false);
  const [offer, setOffer] = useState<Set<string>>(new Set());
  usePageTitle(user ? displayName(user) : t('profile.title'));

  useEffect(() => {
    api
      .GET('/api/users/{user_id}', { params: { path: { user_id: id } } })
      .then((r) => setUser(unwrap(r)))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [id]);
  const fetchPage = useCallback(
    async (cursor: string | null) =>
      unwrap(
        await api.GET('/api/users/{user_id}/photos', {
          params: { path: { user_id: id }, query: { cursor, limit: 30 } },
        }),
      ),
    [id],
  );
  const list = usePaged<Photo>(fetchPage, `user:${id}:${me?.id ?? ''}`);

  // Access granted, changed or revoked while looking at the profile: show what is visible now.
  useLiveEvents(userChannel(me), (event) => {
    if (typeof event.type === 'string' && event.type.startsWith('profile_request.')) list.reload();
  });

  async function sendOffer() {
    try {
      // One transfer per photo: each is accepted or declined on its own.
      for (const photoId of offer) {
        unwrap(
          await api.POST('/api/transfers', { body: { art_object_id: photoId, to_user_id: id } }),
        );
      }
      setNote(t('profile.offered', { n: offer.size }));
      setOffering(false);
      setOffer(new Set());
    } catch (e) {
      setNote(errorMessage(e));
    }
  }

  if (error) return <div className="alert alert-warning">{error}</div>;
  if (!user) return <div className="spinner-border" role="status" />;
  return (
    <section aria-labelledby="page-title">
      <div className="mh-page-head">
        <div>
          <h1 id="page-title" className="h3 mb-0">
            {displayName(user)}
          </h1>
          <span className="text-body-secondary">@{user.username}</span>
        </div>
        {me && me.id !== user.id && (
          <div className="d-flex flex-wrap align-items-center gap-2">
            <AccessRequest userId={user.id} />
            <button
              type="button"
              className="btn btn-outline-secondary btn-sm"
              aria-pressed={offering}
              onClick={() => setOffering(!offering)}
            >
              {t('profile.offer')}
            </button>
          </div>
        )}
      </div>
      {user.contact_link && (
        <p>
          <a href={user.contact_link} target="_blank" rel="noopener noreferrer nofollow">
            {t('profile.contact')}
          </a>
        </p>
      )}
      {!user.is_public && <p className="text-body-secondary small">{t('profile.private')}</p>}
      {note && (
        <div className="alert alert-info" role="status">
          {note}
        </div>
      )}
      {offering && (
        <section className="card mb-3" aria-labelledby="offer-title">
          <div className="card-body">
            <h2 id="offer-title" className="h6">
              {t('profile.offerTitle')}
            </h2>
            <PhotoPicker
              selected={offer}
              onToggle={(p) =>
                setOffer((old) => {
                  const next = new Set(old);
                  if (next.has(p.id)) next.delete(p.id);
                  else next.add(p.id);
                  return next;
                })
              }
            />
            <button
              type="button"
              className="btn btn-primary btn-sm"
              disabled={offer.size === 0}
              onClick={() => void sendOffer()}
            >
              {t('profile.sendOffer', { n: offer.size })}
            </button>
          </div>
        </section>
      )}
      <PhotoGrid list={list} empty={t('profile.noPhotos')} label={t('profile.photos')} />
    </section>
  );
}
