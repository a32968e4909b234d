import type { Schemas } from '../../../api/client';
import { useI18n } from '../../../i18n/I18nProvider';
import type { MessageKey } from '../../../i18n/messages';

type Warning = Schemas['WarningOut'];

const KNOWN = new Set([
  'no_speech',
  'truncated',
  'diarization_failed',
  'diarization_cancelled',
  'diarization_timeout',
  'diarization_off',
]);

/** Whether "find speakers again" helps: the diarization stage did not finish. */
export function speakersMissing(warnings: Warning[]): boolean {
  return warnings.some((w) => w.code.startsWith('diarization_') && w.code !== 'diarization_off');
}

/** What went wrong with a usable transcript, in words, with "find speakers again" when it helps. */
export function TranscriptWarnings({
  warnings,
  busy,
  onFindSpeakers,
}: {
  warnings: Warning[];
  busy: boolean;
  onFindSpeakers(): void;
}) {
  const { t } = useI18n();
  if (warnings.length === 0) return null;
  const text = (w: Warning) => {
    if (!KNOWN.has(w.code)) return w.code;
    const p = w.params as Record<string, number | string | null>;
    return t(`warning.${w.code}` as MessageKey, {
      decoded: p.decoded_seconds ?? '?',
      declared: p.declared_seconds ?? '?',
      seconds: p.seconds ?? '?',
    });
  };
  return (
    <div className="alert alert-warning py-2" role="status" data-testid="transcript-warnings">
      <ul className="list-unstyled mb-0">
        {warnings.map((w) => (
          <li key={w.code}>{text(w)}</li>
        ))}
      </ul>
      {speakersMissing(warnings) && (
        <button
          type="button"
          className="btn btn-sm btn-warning mt-2"
          disabled={busy}
          onClick={onFindSpeakers}
        >
          {t('studio.findSpeakersAgain')}
        </button>
      )}
    </div>
  );
}
