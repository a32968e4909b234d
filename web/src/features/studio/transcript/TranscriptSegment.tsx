import type { Segment } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { formatClock } from '../../../lib/format';
import { SegmentEditor } from './SegmentEditor';
import type { FindMarks } from './useFind';
import type { useSegmentEditing } from './useSegmentEditing';

interface Props {
  segment: Segment;
  /** Position in the transcript (element ids, the active word, find hits). */
  index: number;
  current: boolean;
  find: FindMarks;
  /** The word being spoken in this segment, if any. */
  activeWord: number | null;
  seek(seconds: number): void;
  editor: ReturnType<typeof useSegmentEditing>;
  speakers: { id: number; name: string }[];
}

/** One segment inside its speaker's paragraph: words (click to seek) and a pencil to edit it;
 * while edited, its editor. */
export function TranscriptSegment({
  segment,
  index: s,
  current,
  find,
  activeWord,
  seek,
  editor,
  speakers,
}: Props) {
  const { t } = useI18n();
  const classes = [
    'mh-segment',
    current && 'mh-current',
    find.hit && 'mh-hit',
    find.current && 'mh-hit-current',
    !segment.words?.length && 'mh-plain',
  ]
    .filter(Boolean)
    .join(' ');
  if (editor.editing === s)
    return (
      <div id={`seg-${s}`} className={`${classes} mh-segment-editing`}>
        <SegmentEditor segment={segment} index={s} editor={editor} speakers={speakers} />
      </div>
    );
  const words = segment.words ?? [];
  return (
    <span id={`seg-${s}`} className={classes} data-segment={segment.id}>
      {words.length > 0
        ? words.map((word, w) => {
            const timed = typeof word.start === 'number';
            const on = activeWord === w;
            const found = find.currentWords.has(w)
              ? 'mh-find-current'
              : find.words.has(w)
                ? 'mh-find'
                : '';
            return (
              <span key={w}>
                <span
                  className={`mh-word ${on ? 'mh-word-active' : ''} ${found}`}
                  data-start={timed ? word.start! : undefined}
                  aria-current={on ? 'true' : undefined}
                  onClick={timed ? () => seek(word.start!) : undefined}
                >
                  {word.word}
                </span>{' '}
              </span>
            );
          })
        : `${segment.text} `}
      <button
        type="button"
        className="mh-seg-edit btn btn-link btn-sm p-0 align-baseline"
        onClick={() => editor.start(s, segment)}
        aria-label={t('studio.editSegment', { time: formatClock(segment.start) })}
        title={t('studio.editSegment', { time: formatClock(segment.start) })}
      >
        ✎
      </button>{' '}
    </span>
  );
}
