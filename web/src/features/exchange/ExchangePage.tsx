import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';

import {
  api,
  errorMessage,
  type ProfileRequest,
  type Trade,
  type Transfer,
  unwrap,
} from '../../api/client';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../lib/format';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';
import { RequireAuth } from '../account';
import { ClaimBox } from './ClaimBox';
import { ExchangeThumb } from './ExchangePhotos';
import { RequestRow } from './RequestRow';
import { TransferRow } from './TransferRow';

interface Lists {
  transfersIn: Transfer[];
  transfersOut: Transfer[];
  requestsIn: ProfileRequest[];
  requestsOut: ProfileRequest[];
  trades: Trade[];
}

function Exchange() {
  const { t, language } = useI18n();
  const { user } = useSession();
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [ti, to, ri, ro, tr] = await Promise.all([
        api.GET('/api/transfers', { params: { query: { role: 'incoming' } } }),
        api.GET('/api/transfers', { params: { query: { role: 'outgoing' } } }),
        api.GET('/api/profile-requests', { params: { query: { role: 'incoming' } } }),
        api.GET('/api/profile-requests', { params: { query: { role: 'outgoing' } } }),
        api.GET('/api/trades'),
      ]);
      setLists({
        transfersIn: unwrap(ti).items,
        transfersOut: unwrap(to).items,
        requestsIn: unwrap(ri).items,
        requestsOut: unwrap(ro).items,
        trades: unwrap(tr).items,
      });
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveEvents(userChannel(user), (event) => {
    if (typeof event.type === 'string' && /^(trade|transfer|profile_request)\./.test(event.type))
      void load();
  });

  const reload = () => void load();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="h3">
        {t('nav.exchange')}
      </h1>
      <ClaimBox />
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}
      {lists && (
        <div className="row g-4">
          <div className="col-lg-6">
            <h2 className="h5">{t('requests.incoming')}</h2>
            <ul className="list-group mb-4">
              {lists.requestsIn.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.requestsIn.map((r) => (
                <RequestRow key={r.id} req={r} incoming onChange={reload} />
              ))}
            </ul>
            <h2 className="h5">{t('requests.outgoing')}</h2>
            <ul className="list-group mb-4">
              {lists.requestsOut.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.requestsOut.map((r) => (
                <RequestRow key={r.id} req={r} incoming={false} onChange={reload} />
              ))}
            </ul>
          </div>
          <div className="col-lg-6">
            <h2 className="h5">{t('transfers.incoming')}</h2>
            <ul className="list-group mb-4">
              {lists.transfersIn.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.transfersIn.map((tr) => (
                <TransferRow key={tr.id} tr={tr} incoming onChange={reload} />
              ))}
            </ul>
            {lists.transfersOut.length > 0 && (
              <>
                <h2 className="h5">{t('transfers.outgoing')}</h2>
                <ul className="list-group mb-4">
                  {lists.transfersOut.map((tr) => (
                    <TransferRow key={tr.id} tr={tr} incoming={false} onChange={reload} />
                  ))}
                </ul>
              </>
            )}
            <h2 className="h5">{t('trade.mine')}</h2>
            <p className="small text-body-secondary">{t('trade.howTo')}</p>
            <ul className="list-group mb-4">
              {lists.trades.length === 0 && (
                <li className="list-group-item text-body-secondary">{t('common.none')}</li>
              )}
              {lists.trades.map((tr) => (
                <li key={tr.id} className="list-group-item d-flex gap-2 align-items-center">
                  <span className="d-flex gap-1" aria-hidden="true">
                    {tr.photos.slice(0, 3).map((p) => (
                      <ExchangeThumb key={p.id} photo={p} size={36} />
                    ))}
                  </span>
                  {/* The date sits under the link: beside it, a phone broke "6 дек. 2026 г., 01:55"
                      into four lines. */}
                  <span className="flex-grow-1">
                    <Link to={`/exchange/trades/${tr.id}`}>
                      {t('trade.items', { n: tr.art_object_ids.length })}
                    </Link>
                    <span className="d-block small text-body-secondary text-nowrap">
                      {formatDate(tr.created_at, language)}
                    </span>
                  </span>
                  <span className="badge text-bg-light">{t(`trade.status.${tr.status}`)}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}

export default function ExchangePage() {
  const { t } = useI18n();
  usePageTitle(t('nav.exchange'));
  return (
    <RequireAuth>
      <Exchange />
    </RequireAuth>
  );
}
