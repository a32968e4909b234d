import { useState } from 'react';
import { Link } from 'react-router-dom';

import { api, errorMessage, unwrap } from '../../api/client';
import {
  isActive,
  type TranscriptionStatus,
  type TranscriptionSummary,
} from '../../api/transcriptions';
import { ConfirmDelete } from '../../components/ConfirmDelete';
import { useI18n } from '../../i18n/I18nProvider';
import { formatClock } from '../../lib/format';
import { spokenIn } from './spokenIn';
import { JobProgress, shownStatus } from './JobProgress';
import { shownTitle, TitleEditor } from './TitleEditor';

/** One transcription job in the list: status, progress, cancel / retry / delete. */
export function JobRow({
  job,
  onChange,
  onRenamed,
}: {
  job: TranscriptionSummary;
  onChange: () => void;
  onRenamed(summary: TranscriptionSummary): void;
}) {
  const { t, language } = useI18n();
  const spoken = job.status === 'done' ? spokenIn(job, language) : null;
  const name = shownTitle(job) || t('studio.transcript');
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
        <div className="flex-grow-1 mh-min-w-0">
          <TitleEditor job={job} onRenamed={onRenamed}>
            <span className="text-break">
              {job.status === 'done' ? <Link to={`/studio/${job.id}`}>{name}</Link> : name}
              {spoken && <span className="small text-body-secondary"> · {spoken}</span>}
              {typeof job.duration === 'number' && (
                <span className="small text-body-secondary"> · {formatClock(job.duration)}</span>
              )}
            </span>
          </TitleEditor>
        </div>
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
            aria-label={`${t('common.delete')} ${name}`}
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
          question={t('studio.deleteConfirm', { name })}
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
      {job.status === 'failed' && (
        <div className="small text-danger">
          {job.error_code
            ? errorMessage({ code: job.error_code, params: {} })
            : t('studio.jobFailed')}
        </div>
      )}
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
