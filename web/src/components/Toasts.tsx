import { useCallback, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';

import { useI18n } from '../i18n/I18nProvider';
import { useSession, userChannel } from '../lib/session';
import { useLiveEvents } from '../lib/useLive';
import { toastFor } from './toastFor';

export { toastFor } from './toastFor';

/** How long a notification stays, and how many wait behind the one shown. */
export const TOAST_MS = 8000;
export const TOAST_QUEUE = 5;

interface Toast {
  id: number;
  text: string;
  to?: string;
}

/**
 * Notifications from the live channel. One toast at a time, newest first, in one corner over the
 * header (never over the page's lists); the rest wait behind it ("+2 more") and each leaves after
 * TOAST_MS or when dismissed.
 */
export function Toasts() {
  const { t } = useI18n();
  const { user } = useSession();
  const { pathname } = useLocation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback(
    (id: number) => setToasts((all) => all.filter((x) => x.id !== id)),
    [],
  );

  useLiveEvents(userChannel(user), (event) => {
    const spec = toastFor(event, user?.id ?? null);
    if (!spec) return;
    const id = next.current++;
    const toast = { id, text: t(spec.key, spec.values), to: spec.to };
    setToasts((all) => [toast, ...all].slice(0, TOAST_QUEUE));
    setTimeout(() => dismiss(id), TOAST_MS);
  });

  const [shown] = toasts;
  return (
    <div className="mh-toasts" aria-live="polite" role="region" aria-label={t('toast.region')}>
      {shown && (
        <div key={shown.id} className="toast show" role="status">
          <div className="d-flex align-items-start">
            <div className="toast-body">
              {shown.text}{' '}
              {shown.to && shown.to !== pathname && (
                <Link to={shown.to} onClick={() => dismiss(shown.id)}>
                  {t('toast.open')}
                </Link>
              )}
              {toasts.length > 1 && (
                <span className="badge text-bg-secondary ms-2" data-testid="toast-more">
                  {t('toast.more', { n: toasts.length - 1 })}
                </span>
              )}
            </div>
            <button
              type="button"
              className="btn-close me-2 mt-2"
              aria-label={t('common.close')}
              onClick={() => dismiss(shown.id)}
            />
          </div>
        </div>
      )}
    </div>
  );
}
