import { useCallback, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';

import { api, errorMessage, type Photo, unwrap } from '../../api/client';
import { RequireAuth } from '../account';
import { PhotoGrid } from './PhotoGrid';
import { SelectionBar } from './SelectionBar';
import { type BulkAction, useBulkActions } from './useBulkActions';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages';
import { haptic } from '../../lib/max';
import { useSession, userChannel } from '../../lib/session';
import { usePaged } from '../../lib/usePaged';
import { useLiveEvents } from '../../lib/useLive';

type Tab = 'mine' | 'favorites' | 'imported';
const TABS: { id: Tab; label: MessageKey }[] = [
  { id: 'mine', label: 'collection.mine' },
  { id: 'favorites', label: 'collection.favorites' },
  { id: 'imported', label: 'collection.imported' },
];
const PATHS = {
  mine: '/api/photos/mine',
  favorites: '/api/photos/favorites',
  imported: '/api/photos/imported',
} as const;
/** Events after which "my collection" may look different. */
const CHANGES = new Set(['photo.created', 'photo.ready', 'photo.failed', 'collection.changed']);

function Collection() {
  const { t } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find((x) => x.id === params.get('tab'))?.id ?? 'mine') as Tab;
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fetchPage = useCallback(
    async (cursor: string | null) =>
      unwrap(await api.GET(PATHS[tab], { params: { query: { cursor, limit: 30 } } })),
    [tab],
  );
  const list = usePaged<Photo>(fetchPage, tab);
  useLiveEvents(userChannel(user), (event) => {
    if (typeof event.type === 'string' && CHANGES.has(event.type)) list.reload();
  });

  const bulk = useBulkActions((action: BulkAction, ids: string[]) => {
    const changed = new Set(ids);
    list.setItems((items) =>
      action === 'delete'
        ? items.filter((p) => !changed.has(p.id))
        : items.map((p) => (changed.has(p.id) ? { ...p, is_public: action === 'make_public' } : p)),
    );
    // Made private, a photo's file links were revoked: fetch the list's new ones.
    if (action !== 'delete') list.reload();
    setSelected(new Set());
    setSelecting(false);
  });

  function toggle(photo: Photo) {
    haptic('selection');
    setSelected((old) => {
      const next = new Set(old);
      if (next.has(photo.id)) next.delete(photo.id);
      else next.add(photo.id);
      return next;
    });
  }

  async function createTrade() {
    setBusy(true);
    setError(null);
    try {
      const trade = unwrap(
        await api.POST('/api/trades', { body: { art_object_ids: [...selected] } }),
      );
      navigate(`/exchange/trades/${trade.id}`, { state: { trade } });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="page-title">
      <div className="mh-page-head">
        <h1 id="page-title" className="h3 mb-0">
          {t('nav.collection')}
        </h1>
        {tab === 'mine' && (
          <div className="d-flex gap-2">
            <Link to="/upload" className="btn btn-outline-primary btn-sm">
              {t('nav.upload')}
            </Link>
            <button
              type="button"
              className="btn btn-outline-secondary btn-sm"
              aria-pressed={selecting}
              onClick={() => {
                setSelecting(!selecting);
                setSelected(new Set());
              }}
            >
              {selecting ? t('common.cancel') : t('collection.select')}
            </button>
          </div>
        )}
      </div>
      <div className="nav nav-pills mb-3" role="tablist" aria-label={t('nav.collection')}>
        {TABS.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={`nav-link ${tab === id ? 'active' : ''}`}
            onClick={() => {
              setParams(id === 'mine' ? {} : { tab: id });
              setSelecting(false);
            }}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {selecting && (
        <SelectionBar
          count={selected.size}
          total={list.items.length}
          busy={busy || bulk.busy}
          onSelectAll={() => setSelected(new Set(list.items.map((p) => p.id)))}
          onAction={(action) => void bulk.run(action, [...selected])}
          onTrade={createTrade}
        />
      )}
      {(error ?? bulk.error) && (
        <div className="alert alert-danger" role="alert">
          {error ?? bulk.error}
        </div>
      )}
      <PhotoGrid
        list={list}
        selected={selecting ? selected : undefined}
        onToggle={selecting ? toggle : undefined}
        empty={t('collection.empty')}
        label={t(TABS.find((x) => x.id === tab)!.label)}
      />
    </section>
  );
}

export default function CollectionPage() {
  const { t } = useI18n();
  usePageTitle(t('nav.collection'));
  return (
    <RequireAuth>
      <Collection />
    </RequireAuth>
  );
}
