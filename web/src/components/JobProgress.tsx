import type { Progress, TranscriptionStatus } from '../api/transcriptions';
import { useI18n } from '../i18n/I18nProvider';
import { formatClock } from '../lib/format';

/** Stage, percent and time remaining of a transcription job. */
export function JobProgress({
  status,
  progress,
}: {
  status: TranscriptionStatus;
  progress?: Progress | null;
}) {
  const { t } = useI18n();
  const percent = Math.max(
    0,
    Math.min(100, Math.round(progress?.percent ?? (status === 'done' ? 100 : 0))),
  );
  const stage = progress?.stage
    ? t('studio.stage', { stage: progress.stage })
    : t(`studio.status.${status}`);
  const eta = progress?.eta_seconds;
  return (
    <div className="mh-job-progress">
      <div className="d-flex justify-content-between small">
        <span>{stage}</span>
        <span>
          {status === 'running' && `${percent}%`}
          {status === 'running' &&
            typeof eta === 'number' &&
            eta > 0 &&
            ` · ${t('studio.eta', { time: formatClock(eta) })}`}
        </span>
      </div>
      {(status === 'running' || status === 'queued') && (
        <div
          className="progress"
          role="progressbar"
          aria-label={stage}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div
            className={`progress-bar ${status === 'queued' ? 'progress-bar-striped progress-bar-animated' : ''}`}
            style={{ width: `${status === 'queued' ? 100 : percent}%` }}
          />
        </div>
      )}
    </div>
  );
}
