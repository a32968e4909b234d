import type { Progress, TranscriptionStatus } from '../../api/transcriptions';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/messages';
import { formatClock } from '../../lib/format';

/** Worker stages with a translation; an unknown future stage falls back to the status. */
const STAGES = [
  'waiting',
  'downloading',
  'loading_model',
  'decoding',
  'vad',
  'transcribing',
  'aligning',
  'diarizing',
  'saving',
  'done',
] as const;

/**
 * What the job is for the user: a running job whose worker still waits for the engine (another
 * job holds it) has not started, so it reads "Queued", not "Running · waiting".
 */
export function shownStatus(
  status: TranscriptionStatus,
  progress?: Progress | null,
): TranscriptionStatus {
  return status === 'running' && (progress?.stage ?? 'waiting') === 'waiting' ? 'queued' : status;
}

/** The stage's message key, or null for a stage the app does not know. */
export function stageKey(stage: string | null | undefined): MessageKey | null {
  return stage && (STAGES as readonly string[]).includes(stage)
    ? (`studio.stageName.${stage}` as MessageKey)
    : null;
}

/** Below this share of the work the worker's extrapolation is mostly noise (model loading). */
const ETA_MIN_PERCENT = 10;

/**
 * The time left, only once it means something: past the first 10 % and not absurd for the
 * recording (a 3 % extrapolation once promised 13 minutes for an 11 s clip).
 */
export function meaningfulEta(
  percent: number,
  etaSeconds: number | null | undefined,
  mediaDuration?: number | null,
): number | null {
  if (typeof etaSeconds !== 'number' || !(etaSeconds > 0) || percent < ETA_MIN_PERCENT) return null;
  if (typeof mediaDuration === 'number' && mediaDuration > 0) {
    if (etaSeconds > Math.max(60, mediaDuration * 10)) return null;
  }
  return etaSeconds;
}

/** Stage, percent and time remaining of a transcription job. */
export function JobProgress({
  status: rawStatus,
  progress,
  mediaDuration,
}: {
  status: TranscriptionStatus;
  progress?: Progress | null;
  /** Seconds of the recording, when known: bounds a believable ETA. */
  mediaDuration?: number | null;
}) {
  const { t } = useI18n();
  const status = shownStatus(rawStatus, progress);
  const percent = Math.max(
    0,
    Math.min(100, Math.round(progress?.percent ?? (status === 'done' ? 100 : 0))),
  );
  const key = status === 'running' ? stageKey(progress?.stage) : null;
  const stage = key ? t('studio.stage', { stage: t(key) }) : t(`studio.status.${status}`);
  const eta =
    status === 'running' ? meaningfulEta(percent, progress?.eta_seconds, mediaDuration) : null;
  return (
    <div className="mh-job-progress">
      <div className="d-flex justify-content-between small">
        <span>{stage}</span>
        <span>
          {status === 'running' && `${percent}%`}
          {eta !== null && ` · ${t('studio.eta', { time: formatClock(eta) })}`}
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
