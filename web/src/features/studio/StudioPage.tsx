import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { api, API_BASE, auth, errorMessage, unwrap } from '../../api/client';
import {
  applyLiveUpdate,
  isActive,
  type SearchHit,
  type TranscriptionStatus,
  type TranscriptionSummary,
} from '../../api/transcriptions';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { JobProgress, shownStatus } from './JobProgress';
import { RequireAuth } from '../account';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { formatClock } from '../../lib/format';
import { useSession, userChannel } from '../../lib/session';
import { snippetParts } from './transcript/transcript';
import { uploadErrorMessage, uploadWithProgress } from '../../lib/upload';
import { usePaged } from '../../lib/usePaged';
import { useLiveEvents, useLiveStatus } from '../../lib/useLive';

const LANGUAGES = ['', 'en', 'ru', 'de', 'fr', 'es', 'it', 'uk', 'zh', 'ja'];

function UploadForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [language, setLanguage] = useState('');
  const [diarize, setDiarize] = useState(true);
  const [minSpeakers, setMinSpeakers] = useState('');
  const [maxSpeakers, setMaxSpeakers] = useState('');
  const [words, setWords] = useState(true);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new key re-creates the file input: after a submit it must not keep showing the old name.
  const [pickerKey, setPickerKey] = useState(0);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    if (language) form.append('language', language);
    form.append('diarize', String(diarize));
    if (diarize && minSpeakers) form.append('min_speakers', minSpeakers);
    if (diarize && maxSpeakers) form.append('max_speakers', maxSpeakers);
    form.append('word_timestamps', String(words));
    setError(null);
    setProgress(0);
    try {
      const result = await uploadWithProgress(`${API_BASE}/api/transcriptions`, form, {
        auth,
        onProgress: setProgress,
      });
      if (result.status >= 200 && result.status < 300) {
        setFile(null);
        setPickerKey((key) => key + 1);
        onCreated();
      } else {
        setError(
          uploadErrorMessage(result, {
            tooLarge: t('upload.tooLarge'),
            wrongType: t('studio.wrongType'),
            generic: t('upload.error'),
          }),
        );
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setProgress(null);
    }
  }

  return (
    <form className="card mb-4" onSubmit={submit} aria-labelledby="studio-upload">
      <div className="card-body">
        <h2 id="studio-upload" className="h5">
          {t('studio.new')}
        </h2>
        <div className="mb-3">
          <label htmlFor="st-file" className="form-label">
            {t('studio.file')}
          </label>
          <input
            id="st-file"
            key={pickerKey}
            className="form-control"
            type="file"
            accept="audio/*,video/*"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="row g-2 mb-2">
          <div className="col-sm-4">
            <label htmlFor="st-lang" className="form-label">
              {t('studio.language')}
            </label>
            <select
              id="st-lang"
              className="form-select"
              value={language}
              onChange={(e) => setLanguage(e.target.value)}
            >
              {LANGUAGES.map((code) => (
                <option key={code} value={code}>
                  {code ? code : t('studio.autoLanguage')}
                </option>
              ))}
            </select>
          </div>
          <div className="col-sm-4">
            <label htmlFor="st-min" className="form-label">
              {t('studio.minSpeakers')}
            </label>
            <input
              id="st-min"
              className="form-control"
              type="number"
              min={1}
              max={20}
              disabled={!diarize}
              value={minSpeakers}
              onChange={(e) => setMinSpeakers(e.target.value)}
            />
          </div>
          <div className="col-sm-4">
            <label htmlFor="st-max" className="form-label">
              {t('studio.maxSpeakers')}
            </label>
            <input
              id="st-max"
              className="form-control"
              type="number"
              min={1}
              max={20}
              disabled={!diarize}
              value={maxSpeakers}
              onChange={(e) => setMaxSpeakers(e.target.value)}
            />
          </div>
        </div>
        <div className="form-check form-check-inline">
          <input
            id="st-diarize"
            className="form-check-input"
            type="checkbox"
            checked={diarize}
            onChange={(e) => setDiarize(e.target.checked)}
          />
          <label className="form-check-label" htmlFor="st-diarize">
            {t('studio.diarize')}
          </label>
        </div>
        <div className="form-check form-check-inline">
          <input
            id="st-words"
            className="form-check-input"
            type="checkbox"
            checked={words}
            onChange={(e) => setWords(e.target.checked)}
          />
          <label className="form-check-label" htmlFor="st-words">
            {t('studio.words')}
          </label>
        </div>
        {progress !== null && (
          <div
            className="progress my-2"
            role="progressbar"
            aria-label={t('upload.uploading')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <div className="progress-bar" style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
        )}
        {error && (
          <div className="alert alert-danger py-2 my-2" role="alert">
            {error}
          </div>
        )}
        <div className="mt-2">
          <button type="submit" className="btn btn-primary" disabled={!file || progress !== null}>
            {t('studio.transcribe')}
          </button>
        </div>
      </div>
    </form>
  );
}

function JobRow({ job, onChange }: { job: TranscriptionSummary; onChange: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const shown = shownStatus(job.status, job.progress);
  const path = { params: { path: { transcription_id: job.id } } };
  async function act(kind: 'cancel' | 'retry' | 'delete') {
    setError(null);
    try {
      if (kind === 'cancel')
        unwrap(await api.POST('/api/transcriptions/{transcription_id}/cancel', path));
      if (kind === 'retry')
        unwrap(await api.POST('/api/transcriptions/{transcription_id}/retry', path));
      if (kind === 'delete')
        unwrap(await api.DELETE('/api/transcriptions/{transcription_id}', path));
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <li className="list-group-item" data-status={job.status}>
      <div className="d-flex flex-wrap align-items-center gap-2">
        <span className="flex-grow-1 text-truncate">
          {job.status === 'done' ? (
            <Link to={`/studio/${job.id}`}>{job.filename || t('studio.transcript')}</Link>
          ) : (
            job.filename || t('studio.transcript')
          )}
          {typeof job.duration === 'number' && (
            <span className="small text-body-secondary"> · {formatClock(job.duration)}</span>
          )}
        </span>
        <span className={`badge ${badge(shown)}`}>{t(`studio.status.${shown}`)}</span>
        {isActive(job.status) && (
          <button
            type="button"
            className="btn btn-sm btn-outline-secondary"
            onClick={() => void act('cancel')}
          >
            {t('common.cancel')}
          </button>
        )}
        {(job.status === 'failed' || job.status === 'cancelled') && (
          <button
            type="button"
            className="btn btn-sm btn-outline-primary"
            onClick={() => void act('retry')}
          >
            {t('common.retry')}
          </button>
        )}
        {!isActive(job.status) && (
          <button
            type="button"
            className="btn btn-sm btn-outline-danger"
            aria-label={`${t('common.delete')} ${job.filename || t('studio.transcript')}`}
            aria-expanded={confirming}
            onClick={() => setConfirming(true)}
          >
            {t('common.delete')}
          </button>
        )}
      </div>
      {confirming && !isActive(job.status) && (
        <ConfirmDelete
          id={`del-${job.id}`}
          className="mt-2 mb-0 py-2"
          question={t('studio.deleteConfirm', { name: job.filename || t('studio.transcript') })}
          onConfirm={() => void act('delete')}
          onCancel={() => setConfirming(false)}
        />
      )}
      {isActive(job.status) && (
        <JobProgress
          status={job.status}
          progress={job.progress}
          mediaDuration={job.duration ?? job.media_duration}
        />
      )}
      {job.status === 'failed' && job.error && <div className="small text-danger">{job.error}</div>}
      {error && (
        <div className="small text-danger" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}

function badge(status: TranscriptionStatus): string {
  return {
    queued: 'text-bg-secondary',
    running: 'text-bg-info',
    done: 'text-bg-success',
    failed: 'text-bg-danger',
    cancelled: 'text-bg-warning',
  }[status];
}

function SearchAll() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!q.trim()) return;
    try {
      setHits(
        unwrap(await api.GET('/api/transcriptions/search', { params: { query: { q: q.trim() } } }))
          .items,
      );
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <section className="mb-4" aria-labelledby="studio-search">
      <h2 id="studio-search" className="h5">
        {t('studio.searchAll')}
      </h2>
      <form role="search" className="d-flex gap-2" onSubmit={submit}>
        <label htmlFor="st-q" className="visually-hidden">
          {t('studio.searchAll')}
        </label>
        <input
          id="st-q"
          type="search"
          className="form-control"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('studio.searchPlaceholder')}
        />
        <button type="submit" className="btn btn-outline-primary">
          {t('search.go')}
        </button>
      </form>
      {error && <div className="text-danger small mt-2">{error}</div>}
      {hits && (
        <ul className="list-group mt-2" aria-label={t('search.results')}>
          {hits.length === 0 && (
            <li className="list-group-item text-body-secondary">{t('search.none')}</li>
          )}
          {hits.map((hit) => (
            <li key={`${hit.transcription_id}:${hit.segment_id}`} className="list-group-item">
              <Link to={`/studio/${hit.transcription_id}?t=${hit.start}`}>
                <span className="font-monospace small me-2">{formatClock(hit.start)}</span>
                {snippetParts(hit.snippet).map((part, i) =>
                  part.mark ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Studio() {
  const { t } = useI18n();
  const { user } = useSession();
  const fetchPage = useCallback(
    async (cursor: string | null) =>
      unwrap(await api.GET('/api/transcriptions', { params: { query: { cursor } } })),
    [],
  );
  const list = usePaged<TranscriptionSummary>(fetchPage, 'transcriptions');

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
    const { items, reload } = applyLiveUpdate(list.items, event);
    list.setItems(() => items);
    if (reload) list.reload();
  });

  return (
    <>
      <UploadForm onCreated={list.reload} />
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
            <JobRow key={job.id} job={job} onChange={list.reload} />
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
    </>
  );
}

export default function StudioPage() {
  const { t } = useI18n();
  usePageTitle(t('studio.title'));
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="h3">
        {t('studio.title')}
      </h1>
      <p className="text-body-secondary">{t('studio.description')}</p>
      <RequireAuth>
        <Studio />
      </RequireAuth>
    </section>
  );
}
