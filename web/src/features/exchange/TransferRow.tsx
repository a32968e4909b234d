import { useState } from 'react';
import { Link } from 'react-router-dom';

import { api, errorMessage, type Transfer, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { ExchangeThumb, usePhotoName } from './ExchangePhotos';

/** One photo transfer: the photo and the other person; accept or decline it, or cancel yours. */
export function TransferRow({
  tr,
  incoming,
  onChange,
}: {
  tr: Transfer;
  incoming: boolean;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const photoName = usePhotoName();
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { transfer_id: tr.id } } };
  async function act(kind: 'accept' | 'decline' | 'cancel') {
    setError(null);
    try {
      if (kind === 'accept') unwrap(await api.POST('/api/transfers/{transfer_id}/accept', path));
      if (kind === 'decline') unwrap(await api.POST('/api/transfers/{transfer_id}/decline', path));
      if (kind === 'cancel') unwrap(await api.POST('/api/transfers/{transfer_id}/cancel', path));
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  const [otherId, otherName] = incoming
    ? [tr.from_user_id, tr.from_name]
    : [tr.to_user_id, tr.to_name];
  // Linked only while the viewer owns the photo: to anyone else a private photo's page is a 404.
  const mine = incoming ? tr.status === 'accepted' : tr.status !== 'accepted';
  return (
    <li className="list-group-item d-flex flex-wrap align-items-center gap-2">
      <ExchangeThumb photo={tr.photo} />
      <span className="flex-grow-1 mh-min-w-0">
        <span className="d-block text-truncate fw-medium">
          {mine && tr.photo.thumb ? (
            <Link to={`/photos/${tr.photo.id}`}>{photoName(tr.photo)}</Link>
          ) : (
            photoName(tr.photo)
          )}
        </span>
        <span className="small text-body-secondary">
          {incoming ? t('transfers.from') : t('transfers.to')}:{' '}
          <Link to={`/users/${otherId}`}>{otherName}</Link>{' '}
          <span className="badge text-bg-light">{t(`transfers.status.${tr.status}`)}</span>
        </span>
      </span>
      {tr.status === 'pending' && incoming && (
        <span className="d-flex gap-2 ms-auto">
          <button
            type="button"
            className="btn btn-sm btn-success"
            onClick={() => void act('accept')}
          >
            {t('transfers.accept')}
          </button>
          <button
            type="button"
            className="btn btn-sm btn-outline-danger"
            onClick={() => void act('decline')}
          >
            {t('transfers.decline')}
          </button>
        </span>
      )}
      {tr.status === 'pending' && !incoming && (
        <button
          type="button"
          className="btn btn-sm btn-outline-danger"
          onClick={() => void act('cancel')}
        >
          {t('common.cancel')}
        </button>
      )}
      {error && (
        <span className="text-danger small w-100" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}
