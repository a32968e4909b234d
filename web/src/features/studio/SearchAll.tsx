import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { api, errorMessage, unwrap } from '../../api/client';
import type { SearchHit } from '../../api/transcriptions';
import { useI18n } from '../../i18n/I18nProvider';
import { formatClock } from '../../lib/format';
import { snippetParts } from './transcript/transcript';
import { shownSpeakerName } from './transcript/useSpeakerNames';

/** Search every transcript of mine; each hit names its recording and opens it at that moment. */
export function SearchAll() {
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
              <Link
                to={`/studio/${hit.transcription_id}?t=${hit.start}`}
                className="text-decoration-none"
              >
                <span className="d-block small text-body-secondary text-break">
                  <span className="fw-semibold text-body">{hit.title}</span>
                  {hit.speaker && <> · {shownSpeakerName(hit.speaker, t)}</>}
                </span>
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
