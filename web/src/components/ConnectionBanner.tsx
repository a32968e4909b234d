import { useI18n } from '../i18n/I18nProvider';
import { useLiveClient } from '../lib/useLive';
import { useLiveTrouble, useReadiness } from './useConnection';

/**
 * Says something only when something is wrong: the server unreachable or degraded, or live
 * updates down for more than a few seconds. A healthy connection shows nothing (issue 19.5).
 * The live state is also on `data-live` for tests.
 */
export function ConnectionBanner({ pollMs, graceMs }: { pollMs?: number; graceMs?: number }) {
  const { t } = useI18n();
  const client = useLiveClient();
  const readiness = useReadiness(pollMs);
  const live = useLiveTrouble(graceMs);

  let message: string | null = null;
  let tone = 'warning';
  if (readiness?.kind === 'unreachable') {
    message = t('conn.unreachable');
    tone = 'danger';
  } else if (readiness?.kind === 'degraded') {
    // The failing checks ("database", "redis") stay untranslated: what an operator searches for.
    message = t('conn.degraded', { checks: readiness.failing.join(', ') || '?' });
  } else if (live.lost) {
    message = t('conn.liveLost');
  }
  return (
    <div className="mh-connection" data-live={live.status} role="status">
      {message && (
        <div className={`alert alert-${tone} mh-connection-banner mb-0`}>
          <span className="flex-grow-1">{message}</span>
          {live.lost && readiness?.kind !== 'unreachable' && (
            <button
              type="button"
              className="btn btn-sm btn-warning"
              onClick={() => client.reconnectNow()}
            >
              {t('conn.retry')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
