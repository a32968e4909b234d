import { useState } from 'react';
import { Link } from 'react-router-dom';

import { api, errorMessage, type Transfer, unwrap } from '../../api/client';
import { UserName } from '../../components/UserName';
import { useI18n } from '../../i18n/I18nProvider';

/** One photo transfer: accept or decline an incoming one, cancel an outgoing one. */
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
  return (
    <li className="list-group-item d-flex flex-wrap align-items-center gap-2">
      <span className="flex-grow-1">
        <Link to={`/photos/${tr.art_object_id}`}>{t('transfers.photo')}</Link> ·{' '}
        <UserName id={incoming ? tr.from_user_id : tr.to_user_id} />{' '}
        <span className="badge text-bg-light">{t(`transfers.status.${tr.status}`)}</span>
      </span>
      {tr.status === 'pending' && incoming && (
        <>
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
        </>
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
