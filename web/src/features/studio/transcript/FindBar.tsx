import { useI18n } from '../../../i18n/I18nProvider';
import type { useFind } from './useFind';

/** The find box above the transcript: Enter goes to the next hit. */
export function FindBar({ find }: { find: ReturnType<typeof useFind> }) {
  const { t } = useI18n();
  const { query, hits, hitIndex } = find;
  return (
    <form
      role="search"
      className="d-flex gap-2 align-items-center my-2"
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
      />
      {query && (
        <span className="small text-nowrap" aria-live="polite">
          {hits.length ? `${hitIndex + 1}/${hits.length}` : t('search.none')}
        </span>
      )}
    </form>
  );
}
