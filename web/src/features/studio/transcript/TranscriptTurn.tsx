import type { Segment } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { formatClock } from '../../../lib/format';
import type { TimedWord } from './transcript';
import { TranscriptSegment } from './TranscriptSegment';
import type { Turn } from './turns';
import type { useFind } from './useFind';
import type { useSegmentEditing } from './useSegmentEditing';
import type { useSpeakerNames } from './useSpeakerNames';

interface Props {
  turn: Turn;
  segments: Segment[];
  names: ReturnType<typeof useSpeakerNames>;
  currentSegment: number;
  currentWord: TimedWord | null;
  find: ReturnType<typeof useFind>;
  seek(seconds: number): void;
  editor: ReturnType<typeof useSegmentEditing>;
}

/** One speaker turn as a paragraph: the speaker's name once, the time it starts (click to play
 * from there), then its segments' words. */
export function TranscriptTurn({
  turn,
  segments,
  names,
  currentSegment,
  currentWord,
  find,
  seek,
  editor,
}: Props) {
  const { t } = useI18n();
  const color = turn.speaker !== null ? names.colors.get(turn.speaker) : undefined;
  const movable = names.speakerIds.map((id) => ({ id, name: names.nameOf(id) }));
  return (
    <li
      className={`mh-turn ${turn.continued ? 'mh-turn-continued' : ''}`}
      style={color ? { borderInlineStartColor: color } : undefined}
    >
      <div className="mh-segment-head">
        {turn.speaker !== null && !turn.continued && (
          <span className="mh-speaker-name" style={{ color }}>
            {names.nameOf(turn.speaker)}
          </span>
        )}
        <button
          type="button"
          className="btn btn-link btn-sm p-0 font-monospace"
          onClick={() => seek(turn.start)}
          aria-label={t('studio.playFrom', { time: formatClock(turn.start) })}
        >
          {formatClock(turn.start)}
        </button>
      </div>
      <div className="mh-turn-text">
        {turn.segments.map((s) => (
          <TranscriptSegment
            key={segments[s]!.id}
            segment={segments[s]!}
            index={s}
            current={s === currentSegment}
            find={find.marksOf(s)}
            activeWord={currentWord?.segment === s ? currentWord.word : null}
            seek={seek}
            editor={editor}
            speakers={movable}
          />
        ))}
      </div>
    </li>
  );
}
