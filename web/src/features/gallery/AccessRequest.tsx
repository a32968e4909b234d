import { useCallback, useEffect, useState } from 'react';

import { api, errorMessage, type ProfileRequest, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../lib/format';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';

/**
 * "Request access" to a private profile, or where my request stands: waiting, or granted until
 * when. Follows the owner's answer live (and refetches it), so an approval shows at once.
 */
export function AccessRequest({ userId }: { userId: string }) {
  const { t, language } = useI18n();
  const { user: me } = useSession();
  const [request, setRequest] = useState<ProfileRequest | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const mine = unwrap(
        await api.GET('/api/profile-requests', { params: { query: { role: 'outgoing' } } }),
      ).items;
      // Newest first: the first one for this profile is where things stand.
      setRequest(mine.find((r) => r.target_id === userId) ?? null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [userId, t]);
  useEffect(() => {
    void load();
  }, [load]);
  useLiveEvents(userChannel(me), (event) => {
    if (typeof event.type === 'string' && event.type.startsWith('profile_request.')) void load();
  });

  async function ask() {
    setError(null);
    try {
      setRequest(
        unwrap(await api.POST('/api/profile-requests', { body: { target_user_id: userId } })),
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (request?.status === 'pending')
    return <span className="badge text-bg-secondary text-wrap">{t('profile.pending')}</span>;
  if (request?.status === 'approved')
    return (
      <span className="badge text-bg-success text-wrap" data-testid="access-granted">
        {t('profile.granted', { date: formatDate(request.expires_at ?? '', language) })}
      </span>
    );
  return (
    <>
      <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => void ask()}>
        {t('profile.requestAccess')}
      </button>
      {error && (
        <span className="text-danger small" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
