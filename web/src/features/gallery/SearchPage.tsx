import { useCallback, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';

import { api, unwrap, type Photo } from '../../api/client';
import { PhotoGrid } from './PhotoGrid';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { usePaged } from '../../lib/usePaged';

/** Full-text search in descriptions and tags (public photos and your own). */
export default function SearchPage() {
  const { t } = useI18n();
  usePageTitle(t('search.title'));
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [q, setQ] = useState(query);
  const fetchPage = useCallback(
    async () =>
      query
        ? unwrap(
            await api.GET('/api/photos/search', { params: { query: { q: query, limit: 60 } } }),
          )
        : { items: [], next_cursor: null },
    [query],
  );
  const list = usePaged<Photo>(fetchPage, `search:${query}`);

  function submit(event: FormEvent) {
    event.preventDefault();
    setParams(q.trim() ? { q: q.trim() } : {});
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="h3">
        {t('search.title')}
      </h1>
      <form role="search" className="mh-search mb-3 d-flex gap-2" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="search-q">
          {t('search.label')}
        </label>
        <input
          id="search-q"
          type="search"
          className="form-control"
          placeholder={t('search.placeholder')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <button type="submit" className="btn btn-primary">
          {t('search.go')}
        </button>
      </form>
      {query && <PhotoGrid list={list} empty={t('search.none')} label={t('search.results')} />}
    </section>
  );
}
