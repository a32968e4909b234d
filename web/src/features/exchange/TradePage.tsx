import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';

import { api, errorMessage, type Trade, unwrap } from '../../api/client';
import { RequireAuth } from '../account';
import { QrCode } from '../../components/QrCode';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { formatClock } from '../../lib/format';
import { haptic, isInsideMax } from '../../lib/max';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';
import { ExchangePhotos } from './ExchangePhotos';
import { useCountdown } from './useCountdown';

/** A trade's QR code with a countdown to expiry; turns into "claimed by …" live. */
function TradeView() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { user } = useSession();
  const location = useLocation();
  const [trade, setTrade] = useState<Trade | null>(
    (location.state as { trade?: Trade } | null)?.trade ?? null,
  );
  const [error, setError] = useState<string | null>(null);
  const left = useCountdown(trade?.status === 'open' ? trade.expires_at : null);

  const load = async () => {
    try {
      const found = unwrap(await api.GET('/api/trades')).items.find((x) => x.id === id);
      if (found) setTrade(found);
      else setError(t('trade.notFound'));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    void load();
    // Only the id matters: `load` is recreated every render but reads nothing else.
  }, [id]);
  useLiveEvents(userChannel(user), (event) => {
    if (event.type !== 'trade.claimed' || event.trade_id !== id) return;
    // The owner's phone answers the moment someone accepts the trade.
    haptic('success');
    void load();
  });

  async function cancel() {
    try {
      unwrap(await api.DELETE('/api/trades/{trade_id}', { params: { path: { trade_id: id } } }));
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (!trade) {
    return error ? (
      <div className="alert alert-warning">{error}</div>
    ) : (
      <div className="spinner-border" role="status" />
    );
  }
  const status = trade.status === 'open' && left === 0 ? 'expired' : trade.status;
  return (
    <section className="mh-trade" aria-labelledby="page-title">
      <h1 id="page-title" className="h3">
        {t('trade.title', { n: trade.art_object_ids.length })}
      </h1>
      {status === 'open' ? (
        <>
          <p>{t('trade.scanMe')}</p>
          <QrCode text={trade.qr_payload} label={t('trade.qrLabel')} />
          <p className="mt-3">
            {t('exchange.code')}:{' '}
            <code className="mh-token fs-4" data-testid="trade-token">
              {trade.token}
            </code>
          </p>
          <p aria-live="off">
            {t('trade.expiresIn')}{' '}
            <strong className="font-monospace" role="timer">
              {formatClock(left)}
            </strong>
          </p>
          <button type="button" className="btn btn-outline-danger" onClick={() => void cancel()}>
            {t('trade.cancel')}
          </button>
        </>
      ) : (
        <div
          className={`alert ${status === 'claimed' ? 'alert-success' : 'alert-secondary'}`}
          role="status"
        >
          {t(`trade.status.${status}`)}
          {trade.claimed_by && (
            <>
              {' '}
              — {t('trade.claimedBy')}:{' '}
              <Link to={`/users/${trade.claimed_by}`}>{trade.claimed_by_name}</Link>
            </>
          )}
        </div>
      )}
      <h2 className="h6 mt-4">{t('trade.photos')}</h2>
      <ExchangePhotos
        photos={trade.photos}
        label={t('trade.photos')}
        linked={(status === 'claimed' ? trade.claimed_by : trade.owner_id) === user?.id}
      />
      {error && <div className="alert alert-danger mt-3">{error}</div>}
      {!isInsideMax() && (
        <p className="mt-3">
          <Link to="/exchange">{t('nav.exchange')}</Link>
        </p>
      )}
    </section>
  );
}

export default function TradePage() {
  const { t } = useI18n();
  usePageTitle(t('trade.qrLabel'));
  return (
    <RequireAuth>
      <TradeView />
    </RequireAuth>
  );
}
