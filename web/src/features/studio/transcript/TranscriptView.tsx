import { useMemo, useState } from 'react';

import { errorMessage } from '../../../api/client';
import type { Segment, Speaker, Transcription } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { FindBar } from './FindBar';
import { SpeakersPanel } from './SpeakersPanel';
import { activeSegment, activeWord, mediaKind, timeline } from './transcript';
import { TranscriptTurn } from './TranscriptTurn';
import { speakerTurns } from './turns';
import { useFind } from './useFind';
import { useMediaClock } from './useMediaClock';
import { useSegmentEditing, type SegmentChange } from './useSegmentEditing';
import { useSpeakerNames } from './useSpeakerNames';
import { useTranscriptShortcuts } from './useTranscriptShortcuts';

interface Props {
  transcription: Transcription;
  /** Playable URL of the original (signed URL or object URL). */
  mediaSrc: string | null;
  /** Start playback here (e.g. from a search hit). */
  initialTime?: number;
  /**
   * The player could not load `mediaSrc` (most often: the signed link expired while the page
   * was open). Give a new `mediaSrc` and playback continues at the same position.
   */
  onMediaError?(): void;
  /** Save a segment's new text and/or move it to another (or a new) speaker. */
  onSaveSegment(segment: Segment, change: SegmentChange): Promise<void>;
  onRenameSpeaker(speaker: Speaker, name: string, remember: boolean): Promise<void>;
  onMergeSpeakers(from: number, into: number): Promise<void>;
  /** The voice recognised for this speaker is someone else's. */
  onUnmatchSpeaker(speaker: Speaker): Promise<void>;
}

/**
 * The transcript next to its player, one paragraph per speaker turn: the current word is
 * highlighted while playing, clicking a word seeks there; space plays/pauses and ←/→ jump 5 s
 * (unless the user is typing).
 */
export function TranscriptView({
  transcription,
  mediaSrc,
  initialTime,
  onMediaError,
  onSaveSegment,
  onRenameSpeaker,
  onMergeSpeakers,
  onUnmatchSpeaker,
}: Props) {
  const { t } = useI18n();
  const { segments, speakers } = transcription;
  const { media, time, seek } = useMediaClock(mediaSrc, initialTime);
  useTranscriptShortcuts(media, seek);
  const find = useFind(segments);
  const names = useSpeakerNames(speakers, segments);
  const [error, setError] = useState<string | null>(null);

  async function guard(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  const editor = useSegmentEditing(onSaveSegment, guard);

  const words = useMemo(() => timeline(segments), [segments]);
  const turns = useMemo(() => speakerTurns(segments), [segments]);
  const current = activeWord(words, time);
  const currentSegment = current ? current.segment : activeSegment(segments, time);
  const Player =
    mediaKind(transcription.has_video, transcription.mime) === 'video' ? 'video' : 'audio';

  return (
    <div className="mh-transcript">
      <div className="mh-player">
        {mediaSrc ? (
          <Player
            ref={(el: HTMLMediaElement | null) => {
              media.current = el;
            }}
            src={mediaSrc}
            onError={onMediaError}
            controls
            preload="metadata"
            className="w-100"
            aria-label={t('studio.player')}
            data-testid="player"
          />
        ) : (
          <p className="text-body-secondary small">{t('page.loading')}</p>
        )}
        <p className="small text-body-secondary mb-0">{t('studio.shortcuts')}</p>
      </div>

      <SpeakersPanel
        speakers={speakers}
        names={names}
        onRename={(speaker, name, remember) =>
          guard(() => onRenameSpeaker(speaker, name, remember))
        }
        onMerge={(from, into) => guard(() => onMergeSpeakers(from, into))}
        onUnmatch={(speaker) => guard(() => onUnmatchSpeaker(speaker))}
      />

      <FindBar find={find} />

      {error && (
        <div className="alert alert-danger py-2" role="alert">
          {error}
        </div>
      )}

      <ol className="mh-segments list-unstyled" aria-label={t('studio.transcript')}>
        {turns.map((turn) => (
          <TranscriptTurn
            key={segments[turn.segments[0]!]!.id}
            turn={turn}
            segments={segments}
            names={names}
            currentSegment={currentSegment}
            currentWord={current}
            find={find}
            seek={seek}
            editor={editor}
          />
        ))}
      </ol>
    </div>
  );
}
