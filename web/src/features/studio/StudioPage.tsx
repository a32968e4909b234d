import { useCallback, useEffect } from 'react';
import { Link } from 'react-router-dom';

import { api, unwrap } from '../../api/client';
import { applyLiveUpdate, isActive, type TranscriptionSummary } from '../../api/transcriptions';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession, userChannel } from '../../lib/session';
import { usePaged } from '../../lib/usePaged';
import { useLiveEvents, useLiveStatus } from '../../lib/useLive';
import { RequireAuth } from '../account';
import { DropZone } from './DropZone';
import { JobRow } from './JobRow';
import { SearchAll } from './SearchAll';
import { UploadForm } from './UploadForm';
import { useChosenFiles } from './useChosenFiles';

function Studio() {
  const { t } = useI18n();
  const { user } = useSession();
  const fetchPage = useCallback(
    async (cursor: string | null) =>
      unwrap(await api.GET('/api/transcriptions', { params: { query: { cursor } } })),
    [],
  );
  const list = usePaged<TranscriptionSummary>(fetchPage, 'transcriptions');
  const chosen = useChosenFiles();

  // Progress normally arrives live; with the socket down, poll while something is running.
  const live = useLiveStatus();
  const active = list.items.some((j) => isActive(j.status));
  const { reload } = list;
  useEffect(() => {
    if (live === 'open' || !active) return;
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [live, active, reload]);

  useLiveEvents(userChannel(user), (event) => {
    if (event.type !== 'transcription.updated') return;
    // Applied to the latest list, not this render's: events arriving together (several jobs
    // of one batch) must not undo each other.
    list.setItems((old) => applyLiveUpdate(old, event).items);
    if (applyLiveUpdate(list.items, event).reload) list.reload();
  });

  return (
    <DropZone onFiles={chosen.add}>
      <UploadForm chosen={chosen} onCreated={list.reload} />
      <SearchAll />
      <section aria-labelledby="studio-jobs">
        <h2 id="studio-jobs" className="h5">
          {t('studio.jobs')}
        </h2>
        {list.error && (
          <div className="alert alert-warning" role="alert">
            {list.error}
          </div>
        )}
        <ul className="list-group" aria-label={t('studio.jobs')}>
          {list.items.length === 0 && !list.loading && (
            <li className="list-group-item text-body-secondary">{t('studio.noJobs')}</li>
          )}
          {list.items.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              onChange={list.reload}
              onRenamed={(saved) =>
                list.setItems((items) => items.map((j) => (j.id === saved.id ? saved : j)))
              }
            />
          ))}
        </ul>
        {list.hasMore && list.items.length > 0 && (
          <button
            type="button"
            className="btn btn-outline-secondary btn-sm mt-2"
            onClick={list.loadMore}
          >
            {t('common.more')}
          </button>
        )}
      </section>
    </DropZone>
  );
}

export default function StudioPage() {
  const { t } = useI18n();
  usePageTitle(t('studio.title'));
  return (
    <section aria-labelledby="page-title">
      <div className="d-flex flex-wrap align-items-baseline justify-content-between gap-2">
        <h1 id="page-title" className="h3">
          {t('studio.title')}
        </h1>
        <Link to="/studio/people" className="btn btn-outline-secondary btn-sm">
          {t('studio.people')}
        </Link>
      </div>
      <p className="text-body-secondary">{t('studio.description')}</p>
      <RequireAuth>
        <Studio />
      </RequireAuth>
    </section>
  );
}
