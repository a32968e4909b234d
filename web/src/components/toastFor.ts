import type { MessageKey } from '../i18n/messages';
import type { LiveEvent } from '../lib/live';

/** A notification to show: its message, the values it names, and where "Open" leads. */
export interface ToastSpec {
  key: MessageKey;
  values?: Record<string, string>;
  to?: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Which live events deserve a toast, and what it says. Events name who acted (`by_name`,
 * `from_name`) and the photo (`photo_title`); an event without them (an older server) gets the
 * plain message. What the user did themselves gets no toast.
 */
export function toastFor(event: LiveEvent, myId: string | null): ToastSpec | null {
  const by = text(event.by_name);
  const photo = text(event.photo_title);
  const named = (withName: MessageKey, plain: MessageKey, name: string, to?: string) =>
    name ? { key: withName, values: { name, photo }, to } : { key: plain, to };
  switch (event.type) {
    case 'trade.claimed':
      return event.by === myId
        ? named(
            'toast.tradeReceivedFrom',
            'toast.tradeReceived',
            text(event.owner_name),
            '/collection',
          )
        : named(
            'toast.tradeClaimedBy',
            'toast.tradeClaimed',
            by,
            `/exchange/trades/${text(event.trade_id)}`,
          );
    case 'transfer.requested': {
      const from = text(event.from_name);
      if (!from) return { key: 'toast.transferRequested', to: '/exchange' };
      const key = photo ? 'toast.transferRequestedBy' : 'toast.transferRequestedByUntitled';
      return { key, values: { name: from, photo }, to: '/exchange' };
    }
    case 'transfer.accepted':
      if (event.by === myId) return null;
      return named('toast.transferAcceptedBy', 'toast.transferAccepted', photo && by, '/exchange');
    case 'transfer.declined':
      if (event.by === myId || !by || !photo) return null;
      return { key: 'toast.transferDeclinedBy', values: { name: by, photo }, to: '/exchange' };
    case 'profile_request.received':
      return named(
        'toast.requestReceivedFrom',
        'toast.requestReceived',
        text(event.from_name),
        '/exchange',
      );
    case 'profile_request.approved':
      return named(
        'toast.requestApprovedBy',
        'toast.requestApproved',
        by,
        event.by ? `/users/${text(event.by)}` : undefined,
      );
    case 'profile_request.rejected':
      return named('toast.requestRejectedBy', 'toast.requestRejected', by);
    case 'transcription.updated':
      return event.status === 'done'
        ? { key: 'toast.transcriptionDone' }
        : event.status === 'failed'
          ? { key: 'toast.transcriptionFailed' }
          : null;
    default:
      return null;
  }
}
