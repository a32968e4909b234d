import type { Segment } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { formatClock } from '../../../lib/format';
import type { useSegmentEditing } from './useSegmentEditing';

interface Props {
  segment: Segment;
  /** Position in the transcript (element ids, the active word, find hits). */
  index: number;
  color: string | undefined;
  speakerName: string | null;
  current: boolean;
  hit: boolean;
  /** The word being spoken in this segment, if any. */
  activeWord: number | null;
  seek(seconds: number): void;
  editor: ReturnType<typeof useSegmentEditing>;
}

/** One segment: its time (click to play from there), speaker, words (click to seek) or editor. */
export function TranscriptSegment({
  segment,
  index: s,
  color,
  speakerName,
  current,
  hit,
  activeWord,
  seek,
  editor,
}: Props) {
  const { t } = useI18n();
  return (
    <li
      id={`seg-${s}`}
      className={`mh-segment ${current ? 'mh-current' : ''} ${hit ? 'mh-hit' : ''}`}
      style={color ? { borderInlineStartColor: color } : undefined}
    >
      <div className="mh-segment-head">
        <button
          type="button"
          className="btn btn-link btn-sm p-0 font-monospace"
          onClick={() => seek(segment.start)}
          aria-label={t('studio.playFrom', { time: formatClock(segment.start) })}
        >
          {formatClock(segment.start)}
        </button>
        {speakerName !== null && (
          <span className="mh-speaker-name" style={{ color }}>
            {speakerName}
          </span>
        )}
        {editor.editing !== s && (
          <button
            type="button"
            className="btn btn-link btn-sm p-0 ms-auto"
            onClick={() => editor.start(s, segment.text)}
          >
            {t('common.edit')}
          </button>
        )}
      </div>
      {editor.editing === s ? (
        <form onSubmit={(e) => editor.save(e, segment)}>
          <label htmlFor={`seg-edit-${s}`} className="visually-hidden">
            {t('studio.segmentText')}
          </label>
          <textarea
            id={`seg-edit-${s}`}
            className="form-control form-control-sm mb-1"
            rows={2}
            value={editor.draft}
            autoFocus
            onChange={(e) => editor.setDraft(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-sm me-2">
            {t('common.save')}
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={editor.cancel}>
            {t('common.cancel')}
          </button>
        </form>
      ) : segment.words && segment.words.length > 0 ? (
        <p className="mb-0">
          {segment.words.map((word, w) => {
            const timed = typeof word.start === 'number';
            const on = activeWord === w;
            return (
              <span key={w}>
                <span
                  className={`mh-word ${on ? 'mh-word-active' : ''}`}
                  data-start={timed ? word.start! : undefined}
                  aria-current={on ? 'true' : undefined}
                  onClick={timed ? () => seek(word.start!) : undefined}
                >
                  {word.word}
                </span>{' '}
              </span>
            );
          })}
        </p>
      ) : (
        <p className="mb-0">{segment.text}</p>
      )}
    </li>
  );
}
