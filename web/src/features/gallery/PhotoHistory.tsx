import type { HistoryItem } from '../../api/client';
import { UserName } from '../../components/UserName';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages';
import { formatDate } from '../../lib/format';

const KIND: Record<HistoryItem['kind'], MessageKey> = {
  created: 'history.created',
  transfer: 'history.transfer',
  trade: 'history.trade',
};

/** A photo's history: created, then every transfer and trade, with who and when. */
export function PhotoHistory({ history }: { history: HistoryItem[] }) {
  const { t, language } = useI18n();
  return (
    <>
      <h2 className="h6 mt-3">{t('photo.history')}</h2>
      <ol className="mh-timeline">
        {history.map((item, i) => (
          <li key={i}>
            <span className="fw-medium">{t(KIND[item.kind])}</span>{' '}
            {item.from_user_id && (
              <>
                <UserName id={item.from_user_id} /> →{' '}
              </>
            )}
            <UserName id={item.to_user_id} />
            <div className="small text-body-secondary">
              <time dateTime={item.created_at}>{formatDate(item.created_at, language)}</time>
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
