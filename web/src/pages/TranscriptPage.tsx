import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';

import { API_BASE, authFetch, downloadFile, unwrap } from '../api/client';
import { EXPORT_FORMATS, isActive, tapi, type Transcription } from '../api/transcriptions';
import { JobProgress } from '../components/JobProgress';
import { RequireAuth } from '../components/LoginForm';
import { TranscriptView } from '../components/TranscriptView';
import { usePageTitle } from '../components/usePageTitle';
import { useI18n } from '../i18n/I18nProvider';
import { formatClock } from '../lib/format';
import { useSession, userChannel } from '../lib/session';
import { useLiveEvents } from '../lib/useLive';

/**
 * The original for the player. <audio src> cannot send an Authorization header, so unless the
 * server hands out a signed `media_url`, the file is fetched with the token into an object URL.
 */
function useMediaSrc(t: Transcription | null): string | null {
  const [src, setSrc] = useState<string | null>(null);
  const ready = t?.status === 'done';
  const signed = t?.media_url ?? null;
  const id = t?.id;
  useEffect(() => {
    if (!ready || !id) return;
    if (signed) {
      setSrc(signed.startsWith('http') ? signed : `${API_BASE}${signed}`);
      return;
    }
    let url: string | null = null;
    let live = true;
    void authFetch(new Request(`${API_BASE}/api/transcriptions/${id}/media`))
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => {
        if (!blob || !live) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [ready, id, signed]);
  return src;
}

function Transcript() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useI18n();
  const { user } = useSession();
  const [tr, setTr] = useState<Transcription | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(tr?.filename ?? t('studio.transcript'));
  const mediaSrc = useMediaSrc(tr);
  const start = Number(params.get('t')) || undefined;
  const path = { params: { path: { id } } };

  const load = useCallback(async () => {
    try {
      setTr(unwrap(await tapi.GET('/api/transcriptions/{id}', { params: { path: { id } } })));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  useLiveEvents(userChannel(user), (event) => {
    if (event.type !== 'transcription.updated' || event.id !== id) return;
    if (event.status === 'done' || event.status === 'failed') void load();
    else
      setTr((old) =>
        old
          ? {
              ...old,
              status: (event.status as Transcription['status']) ?? old.status,
              progress: (event.progress as Transcription['progress']) ?? old.progress,
            }
          : old,
      );
  });

  if (error && !tr) return <div className="alert alert-warning">{error}</div>;
  if (!tr) return <div className="spinner-border" role="status" />;

  return (
    <section aria-labelledby="page-title">
      <p className="mb-1">
        <Link to="/studio">← {t('studio.title')}</Link>
      </p>
      <h1 id="page-title" className="h4 text-break">
        {tr.filename}
      </h1>
      <p className="small text-body-secondary">
        {[tr.language, tr.model, typeof tr.duration === 'number' ? formatClock(tr.duration) : null]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {isActive(tr.status) && <JobProgress status={tr.status} progress={tr.progress} />}
      {tr.status === 'failed' && (
        <div className="alert alert-danger">{tr.error ?? t('studio.status.failed')}</div>
      )}
      {tr.status === 'done' && (
        <>
          <div className="d-flex flex-wrap gap-2 mb-3" role="group" aria-label={t('studio.export')}>
            {EXPORT_FORMATS.map((format) => (
              <button
                key={format}
                type="button"
                className="btn btn-outline-secondary btn-sm"
                onClick={() =>
                  void downloadFile(
                    `/api/transcriptions/${tr.id}/export?format=${format}`,
                    `${tr.filename.replace(/\.[^.]+$/, '')}.${format}`,
                  ).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
                }
              >
                {t('studio.exportAs', { format: format.toUpperCase() })}
              </button>
            ))}
          </div>
          {error && <div className="alert alert-danger py-2">{error}</div>}
          <TranscriptView
            transcription={tr}
            mediaSrc={mediaSrc}
            initialTime={start}
            onSaveSegment={async (segment, text) => {
              const saved = unwrap(
                await tapi.PATCH('/api/transcriptions/{id}/segments/{sid}', {
                  params: { path: { id, sid: String(segment.id) } },
                  body: { text },
                }),
              );
              setTr((old) =>
                old
                  ? {
                      ...old,
                      segments: old.segments.map((s) =>
                        s.id === segment.id ? { ...s, ...saved } : s,
                      ),
                    }
                  : old,
              );
            }}
            onRenameSpeaker={async (speaker, name) => {
              unwrap(
                await tapi.PATCH('/api/transcriptions/{id}/speakers/{speaker_id}', {
                  params: { path: { id, speaker_id: speaker.id } },
                  body: { name },
                }),
              );
              setTr((old) => {
                if (!old) return old;
                const exists = old.speakers.some((s) => s.id === speaker.id);
                const speakers = exists
                  ? old.speakers.map((s) => (s.id === speaker.id ? { ...s, name } : s))
                  : [...old.speakers, { id: speaker.id, name }];
                return { ...old, speakers };
              });
            }}
            onMergeSpeakers={async (from, into) => {
              unwrap(
                await tapi.POST('/api/transcriptions/{id}/speakers/merge', {
                  ...path,
                  body: { from, into },
                }),
              );
              await load();
            }}
          />
        </>
      )}
    </section>
  );
}

export default function TranscriptPage() {
  return (
    <RequireAuth>
      <Transcript />
    </RequireAuth>
  );
}
