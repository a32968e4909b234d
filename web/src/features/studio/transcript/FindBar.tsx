import { useI18n } from '../../../i18n/I18nProvider';
import type { useFind } from './useFind';

/** The find box above the transcript: "3 of 12", Enter / Shift+Enter and ↓/↑ buttons go to the
 * next / previous hit. */
export function FindBar({ find }: { find: ReturnType<typeof useFind> }) {
  const { t } = useI18n();
  const { query, hits, index } = find;
  return (
    <form
      role="search"
      className="mh-findbar d-flex gap-2 align-items-center my-2"
      onSubmit={(e) => {
        e.preventDefault();
        find.next();
      }}
    >
      <label htmlFor="tr-find" className="visually-hidden">
        {t('studio.find')}
      </label>
      <input
        id="tr-find"
        type="search"
        className="form-control form-control-sm"
        placeholder={t('studio.find')}
        value={query}
        onChange={(e) => find.search(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && e.shiftKey) {
            e.preventDefault();
            find.previous();
          }
        }}
      />
      {query.trim() && (
        <span className="small text-nowrap" aria-live="polite" data-testid="find-count">
          {hits.length
            ? t('studio.findCount', { current: index + 1, total: hits.length })
            : t('search.none')}
        </span>
      )}
      <div className="btn-group btn-group-sm" role="group">
        <button
          type="button"
          className="btn btn-outline-secondary"
          disabled={hits.length === 0}
          onClick={find.previous}
          aria-label={t('studio.findPrevious')}
          title={t('studio.findPrevious')}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn btn-outline-secondary"
          disabled={hits.length === 0}
          onClick={find.next}
          aria-label={t('studio.findNext')}
          title={t('studio.findNext')}
        >
          ↓
        </button>
      </div>
    </form>
  );
}
