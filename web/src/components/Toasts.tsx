import { useCallback, useRef, useState } from 'react';

import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import type { LiveEvent } from '../lib/live';
import { useSession, userChannel } from '../lib/session';
import { useLiveEvents } from '../lib/useLive';

/** Which live events deserve a toast, and its text. */
export function toastFor(event: LiveEvent, myId: string | null): MessageKey | null {
  switch (event.type) {
    case 'trade.claimed':
      return event.by === myId ? 'toast.tradeReceived' : 'toast.tradeClaimed';
    case 'transfer.requested':
      return 'toast.transferRequested';
    case 'transfer.accepted':
      return 'toast.transferAccepted';
    case 'profile_request.received':
      return 'toast.requestReceived';
    case 'profile_request.approved':
      return 'toast.requestApproved';
    case 'profile_request.rejected':
      return 'toast.requestRejected';
    case 'transcription.updated':
      return event.status === 'done'
        ? 'toast.transcriptionDone'
        : event.status === 'failed'
          ? 'toast.transcriptionFailed'
          : null;
    default:
      return null;
  }
}

interface Toast {
  id: number;
  text: string;
}

/** Notifications from the live channel, shown for a few seconds in a polite live region. */
export function Toasts() {
  const { t } = useI18n();
  const { user } = useSession();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback(
    (id: number) => setToasts((all) => all.filter((x) => x.id !== id)),
    [],
  );

  useLiveEvents(userChannel(user), (event) => {
    const key = toastFor(event, user?.id ?? null);
    if (!key) return;
    const id = next.current++;
    setToasts((all) => [...all.slice(-3), { id, text: t(key) }]);
    setTimeout(() => dismiss(id), 6000);
  });

  return (
    <div className="mh-toasts" aria-live="polite" role="status">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast show align-items-center" role="alert">
          <div className="d-flex">
            <div className="toast-body">{toast.text}</div>
            <button
              type="button"
              className="btn-close me-2 m-auto"
              aria-label={t('common.close')}
              onClick={() => dismiss(toast.id)}
            />
          </div>
        </div>
      ))}
    </div>
  );
}
