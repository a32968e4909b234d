import { useState } from 'react';
import { Link } from 'react-router-dom';

import { api, errorMessage, type ProfileRequest, unwrap } from '../../api/client';
import { UserName } from '../../components/UserName';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../lib/format';
import { PhotoPicker } from '../gallery';

/** One profile request, with the answers open to me: approve with photos, reject, revoke, withdraw. */
export function RequestRow({
  req,
  incoming,
  onChange,
}: {
  req: ProfileRequest;
  incoming: boolean;
  onChange: () => void;
}) {
  const { t, language } = useI18n();
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<Set<string>>(new Set(req.photo_ids));
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { request_id: req.id } } };

  async function run(call: () => Promise<unknown>) {
    setError(null);
    try {
      await call();
      setChoosing(false);
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  const respond = (approved: boolean) =>
    run(async () =>
      unwrap(
        await api.POST('/api/profile-requests/{request_id}/respond', {
          ...path,
          body: { approved, photo_ids: approved ? [...chosen] : [] },
        }),
      ),
    );
  const setPhotos = () =>
    run(async () =>
      unwrap(
        await api.PUT('/api/profile-requests/{request_id}/photos', {
          ...path,
          body: { photo_ids: [...chosen] },
        }),
      ),
    );
  const revoke = () =>
    run(async () => unwrap(await api.DELETE('/api/profile-requests/{request_id}', path)));

  return (
    <li className="list-group-item">
      <div className="d-flex flex-wrap align-items-center gap-2">
        <span className="flex-grow-1">
          <UserName id={incoming ? req.requester_id : req.target_id} />{' '}
          <span className="badge text-bg-light">{t(`requests.status.${req.status}`)}</span>{' '}
          <span className="small text-body-secondary">{formatDate(req.created_at, language)}</span>
          {req.status === 'approved' && (
            <span className="small text-body-secondary">
              {' '}
              · {t('requests.granted', { n: req.photo_ids.length })}
            </span>
          )}
        </span>
        {incoming && req.status === 'pending' && (
          <>
            <button
              type="button"
              className="btn btn-sm btn-success"
              onClick={() => setChoosing(true)}
            >
              {t('requests.approve')}
            </button>
            <button
              type="button"
              className="btn btn-sm btn-outline-danger"
              onClick={() => void respond(false)}
            >
              {t('requests.reject')}
            </button>
          </>
        )}
        {incoming && req.status === 'approved' && (
          <button
            type="button"
            className="btn btn-sm btn-outline-secondary"
            onClick={() => setChoosing(true)}
          >
            {t('requests.edit')}
          </button>
        )}
        {(req.status === 'approved' || (!incoming && req.status === 'pending')) && (
          <button
            type="button"
            className="btn btn-sm btn-outline-danger"
            onClick={() => void revoke()}
          >
            {incoming ? t('requests.revoke') : t('requests.withdraw')}
          </button>
        )}
        {!incoming && req.status === 'approved' && (
          <Link className="btn btn-sm btn-outline-primary" to={`/users/${req.target_id}`}>
            {t('requests.view')}
          </Link>
        )}
      </div>
      {choosing && (
        <div className="mt-2">
          <p className="small mb-2">{t('requests.choose')}</p>
          <PhotoPicker
            selected={chosen}
            onToggle={(p) =>
              setChosen((old) => {
                const next = new Set(old);
                if (next.has(p.id)) next.delete(p.id);
                else next.add(p.id);
                return next;
              })
            }
          />
          <div className="d-flex gap-2">
            <button
              type="button"
              className="btn btn-sm btn-primary"
              disabled={chosen.size === 0}
              onClick={() => void (req.status === 'pending' ? respond(true) : setPhotos())}
            >
              {t('requests.grant', { n: chosen.size })}
            </button>
            <button
              type="button"
              className="btn btn-sm btn-secondary"
              onClick={() => setChoosing(false)}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <div className="text-danger small mt-1" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}
