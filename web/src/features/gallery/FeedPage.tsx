import { useCallback, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';

import { api, unwrap, type Photo } from '../../api/client';
import { PhotoGrid } from './PhotoGrid';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { FEED_PAGE_SIZE, takePrefetchedFeed } from './prefetch';
import { usePaged } from '../../lib/usePaged';
import { useLiveEvents } from '../../lib/useLive';

/** The public feed: everyone's public photos, newest first, with infinite scroll. */
export default function FeedPage() {
  const { t } = useI18n();
  usePageTitle(t('nav.feed'));
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const fetchPage = useCallback(async (cursor: string | null) => {
    const ask = async () =>
      unwrap(
        await api.GET('/api/photos/feed', {
          params: { query: { cursor, limit: FEED_PAGE_SIZE } },
        }),
      );
    const early = cursor === null ? takePrefetchedFeed() : null;
    return early ? early.catch(ask) : ask();
  }, []);
  const list = usePaged<Photo>(fetchPage, 'feed');

  // A photo became public and ready somewhere: put it on top without reloading the page.
  // One became private or was deleted: take it off every open feed at once.
  useLiveEvents('public', (event) => {
    if (typeof event.id !== 'string') return;
    const id = event.id;
    if (event.type === 'photo.unpublished') {
      list.setItems((items) => items.filter((p) => p.id !== id));
      return;
    }
    if (event.type !== 'photo.published') return;
    void api.GET('/api/photos/{photo_id}', { params: { path: { photo_id: id } } }).then((res) => {
      if (!res.data) return;
      const photo = res.data;
      list.setItems((items) => [photo, ...items.filter((p) => p.id !== photo.id)]);
    });
  });

  function search(event: FormEvent) {
    event.preventDefault();
    if (q.trim()) navigate(`/search?q=${encodeURIComponent(q.trim())}`);
  }

  return (
    <section aria-labelledby="page-title">
      <div className="mh-page-head">
        <h1 id="page-title" className="h3 mb-0">
          {t('nav.feed')}
        </h1>
        <form role="search" className="mh-search" onSubmit={search}>
          <label className="visually-hidden" htmlFor="feed-search">
            {t('search.label')}
          </label>
          <input
            id="feed-search"
            type="search"
            className="form-control"
            placeholder={t('search.placeholder')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </form>
      </div>
      <PhotoGrid
        list={list}
        empty={t('feed.empty')}
        emptyAction={
          <>
            <p className="text-body-secondary">{t('feed.emptyHint')}</p>
            <Link to="/upload" className="btn btn-primary">
              {t('feed.uploadFirst')}
            </Link>
          </>
        }
        label={t('feed.gridLabel')}
      />
    </section>
  );
}
