import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';

import { api, apiUrl, downloadFile, errorMessage, unwrap } from '../../api/client';
import { EXPORT_FORMATS, isActive, type Transcription } from '../../api/transcriptions';
import { JobProgress } from './JobProgress';
import { spokenIn } from './spokenIn';
import { shownTitle, TitleEditor } from './TitleEditor';
import { RequireAuth } from '../account';
import { TranscriptView } from './transcript/TranscriptView';
import { TranscriptWarnings } from './transcript/TranscriptWarnings';
import { useTranscriptActions } from './useTranscriptActions';
import { BackLink } from '../../components/BackLink';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/I18nProvider';
import { formatClock } from '../../lib/format';
import { useSession, userChannel } from '../../lib/session';
import { useLiveEvents } from '../../lib/useLive';

const RENEW_MEDIA_MIN_INTERVAL_MS = 60_000;

function Transcript() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t, language } = useI18n();
  const { user } = useSession();
  const [tr, setTr] = useState<Transcription | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = (tr && shownTitle(tr)) || t('studio.transcript');
  usePageTitle(name);
  const start = Number(params.get('t')) || undefined;

  const load = useCallback(async () => {
    try {
      setTr(
        unwrap(
          await api.GET('/api/transcriptions/{transcription_id}', {
            params: { path: { transcription_id: id } },
          }),
        ),
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const actions = useTranscriptActions(id, setTr, load);

  // The media link is signed and expires (SIGNED_URL_TTL_SECONDS); a studio page stays open
  // far longer. When the player fails, fetch a fresh link — at most once a minute, so a file
  // the browser cannot play does not turn into a request loop.
  const renewedAt = useRef(0);
  const renewMedia = useCallback(() => {
    if (Date.now() - renewedAt.current < RENEW_MEDIA_MIN_INTERVAL_MS) return;
    renewedAt.current = Date.now();
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
      <BackLink to="/studio" label={t('studio.title')} />
      <TitleEditor
        job={tr}
        onRenamed={(saved) => setTr((old) => (old ? { ...old, ...saved } : old))}
      >
        <h1 id="page-title" className="h4 text-break">
          {name}
        </h1>
      </TitleEditor>
      <p className="small text-body-secondary">
        {[
          spokenIn(tr, language),
          tr.model,
          typeof tr.duration === 'number' ? formatClock(tr.duration) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {isActive(tr.status) && (
        <JobProgress
          status={tr.status}
          progress={tr.progress}
          mediaDuration={tr.duration ?? tr.media_duration}
        />
      )}
      {tr.status === 'failed' && (
        <div className="alert alert-danger">{tr.error ?? t('studio.status.failed')}</div>
      )}
      {tr.status !== 'failed' && (
        <TranscriptWarnings
          warnings={tr.warnings ?? []}
          busy={actions.finding || isActive(tr.status)}
          onFindSpeakers={() => void actions.findSpeakersAgain()}
        />
      )}
      {actions.actionError && <div className="alert alert-danger py-2">{actions.actionError}</div>}
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
                    `${tr.title || (tr.filename || 'transcript').replace(/\.[^.]+$/, '')}.${format}`,
                  ).catch((e: unknown) => setError(errorMessage(e)))
                }
              >
                {t('studio.exportAs', { format: format.toUpperCase() })}
              </button>
            ))}
          </div>
          {error && <div className="alert alert-danger py-2">{error}</div>}
          <TranscriptView
            transcription={tr}
            mediaSrc={apiUrl(tr.media_url)}
            initialTime={start}
            onMediaError={renewMedia}
            onSaveSegment={actions.saveSegment}
            onRenameSpeaker={actions.renameSpeaker}
            onMergeSpeakers={actions.mergeSpeakers}
            onUnmatchSpeaker={actions.unmatchSpeaker}
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
