import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';

import { errorMessage } from '../../../api/client';
import type { Segment, Speaker, Transcription } from '../../../api/transcriptions';
import { useI18n } from '../../../i18n/I18nProvider';
import { formatClock } from '../../../lib/format';
import {
  activeSegment,
  activeWord,
  findInTranscript,
  mediaKind,
  speakerColors,
  timeline,
} from './transcript';

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
  onSaveSegment(segment: Segment, text: string): Promise<void>;
  onRenameSpeaker(speaker: Speaker, name: string): Promise<void>;
  onMergeSpeakers(from: number, into: number): Promise<void>;
}

/** How a speaker without a name is shown. */
function speakerLabel(id: number): string {
  return `SPEAKER_${String(id).padStart(2, '0')}`;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(target.tagName)
  );
}

/**
 * The transcript next to its player: the current word is highlighted while playing, clicking a
 * word seeks there; space plays/pauses and ←/→ jump 5 s (unless the user is typing).
 */
export function TranscriptView({
  transcription,
  mediaSrc,
  initialTime,
  onMediaError,
  onSaveSegment,
  onRenameSpeaker,
  onMergeSpeakers,
}: Props) {
  const { t } = useI18n();
  const media = useRef<HTMLMediaElement | null>(null);
  const [time, setTime] = useState(initialTime ?? 0);
  // Where the user is, kept across a change of `mediaSrc` (a renewed link restarts at 0).
  const position = useRef(initialTime ?? 0);
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const [hitIndex, setHitIndex] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const { segments, speakers } = transcription;

  const words = useMemo(() => timeline(segments), [segments]);
  const colors = useMemo(() => speakerColors(speakers, segments), [speakers, segments]);
  const names = useMemo(() => new Map(speakers.map((s) => [s.id, s.name || s.label])), [speakers]);
  const current = activeWord(words, time);
  const currentSegment = current ? current.segment : activeSegment(segments, time);
  const hits = useMemo(() => findInTranscript(segments, query), [segments, query]);

  const seek = useCallback((seconds: number) => {
    const el = media.current;
    if (!el) return;
    const target = Math.max(
      0,
      Number.isFinite(el.duration) ? Math.min(el.duration, seconds) : seconds,
    );
    el.currentTime = target;
    setTime(target);
  }, []);

  // Smooth highlighting while playing: timeupdate fires only ~4 times a second.
  useEffect(() => {
    const el = media.current;
    if (!el) return;
    let frame = 0;
    const tick = () => {
      position.current = el.currentTime;
      setTime(el.currentTime);
      if (!el.paused) frame = requestAnimationFrame(tick);
    };
    const onPlay = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const onTime = () => {
      position.current = el.currentTime;
      setTime(el.currentTime);
    };
    el.addEventListener('play', onPlay);
    el.addEventListener('timeupdate', onTime);
    el.addEventListener('seeked', onTime);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('play', onPlay);
      el.removeEventListener('timeupdate', onTime);
      el.removeEventListener('seeked', onTime);
    };
  }, [mediaSrc]);

  // A new start time (a link to another moment) moves the position.
  useEffect(() => {
    if (initialTime !== undefined) position.current = initialTime;
  }, [initialTime]);

  // The first source starts at `initialTime`; a renewed one where the user was.
  useEffect(() => {
    if (position.current && media.current) media.current.currentTime = position.current;
  }, [initialTime, mediaSrc]);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const el = media.current;
      if (!el || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (event.key === ' ' || event.code === 'Space') {
        event.preventDefault();
        if (el.paused) void el.play().catch(() => {});
        else el.pause();
      } else if (event.key === 'ArrowLeft') {
        event.preventDefault();
        seek(el.currentTime - 5);
      } else if (event.key === 'ArrowRight') {
        event.preventDefault();
        seek(el.currentTime + 5);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [seek]);

  useEffect(() => {
    const index = hits[hitIndex];
    if (index !== undefined)
      document.getElementById(`seg-${index}`)?.scrollIntoView?.({ block: 'center' });
  }, [hits, hitIndex]);

  async function guard(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  function saveSegment(event: FormEvent, segment: Segment) {
    event.preventDefault();
    void guard(async () => {
      await onSaveSegment(segment, draft);
      setEditing(null);
    });
  }

  const kind = mediaKind(transcription.has_video, transcription.mime);
  const Player = kind === 'video' ? 'video' : 'audio';
  const speakerIds = [...colors.keys()];

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

      {speakerIds.length > 0 && (
        <section className="mh-speakers" aria-labelledby="speakers-title">
          <h2 id="speakers-title" className="h6">
            {t('studio.speakers')}
          </h2>
          <ul className="list-unstyled d-flex flex-wrap gap-2">
            {speakerIds.map((id) => (
              <SpeakerChip
                key={id}
                id={id}
                name={names.get(id) ?? speakerLabel(id)}
                color={colors.get(id)!}
                others={speakerIds
                  .filter((x) => x !== id)
                  .map((x) => ({ id: x, name: names.get(x) ?? speakerLabel(x) }))}
                onRename={(name) =>
                  guard(() =>
                    onRenameSpeaker(
                      speakers.find((s) => s.id === id) ?? {
                        id,
                        label: speakerLabel(id),
                        name: '',
                        color: id,
                      },
                      name,
                    ),
                  )
                }
                onMerge={(into) => guard(() => onMergeSpeakers(id, into))}
              />
            ))}
          </ul>
        </section>
      )}

      <form
        role="search"
        className="d-flex gap-2 align-items-center my-2"
        onSubmit={(e) => {
          e.preventDefault();
          setHitIndex((i) => (hits.length ? (i + 1) % hits.length : 0));
        }}
      >
        <label htmlFor="tr-find" className="visually-hidden">
          {t('studio.find')}
        </label>
        <input
          id="tr-find"
          type="search"
          className="form-control form-control-sm"
          placeholder={t('studio.find')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setHitIndex(0);
          }}
        />
        {query && (
          <span className="small text-nowrap" aria-live="polite">
            {hits.length ? `${hitIndex + 1}/${hits.length}` : t('search.none')}
          </span>
        )}
      </form>

      {error && (
        <div className="alert alert-danger py-2" role="alert">
          {error}
        </div>
      )}

      <ol className="mh-segments list-unstyled" aria-label={t('studio.transcript')}>
        {segments.map((segment, s) => {
          const color = segment.speaker !== null ? colors.get(segment.speaker) : undefined;
          return (
            <li
              key={segment.id}
              id={`seg-${s}`}
              className={`mh-segment ${s === currentSegment ? 'mh-current' : ''} ${hits.includes(s) ? 'mh-hit' : ''}`}
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
                {segment.speaker !== null && (
                  <span className="mh-speaker-name" style={{ color }}>
                    {names.get(segment.speaker) ?? speakerLabel(segment.speaker)}
                  </span>
                )}
                {editing !== s && (
                  <button
                    type="button"
                    className="btn btn-link btn-sm p-0 ms-auto"
                    onClick={() => {
                      setEditing(s);
                      setDraft(segment.text);
                    }}
                  >
                    {t('common.edit')}
                  </button>
                )}
              </div>
              {editing === s ? (
                <form onSubmit={(e) => saveSegment(e, segment)}>
                  <label htmlFor={`seg-edit-${s}`} className="visually-hidden">
                    {t('studio.segmentText')}
                  </label>
                  <textarea
                    id={`seg-edit-${s}`}
                    className="form-control form-control-sm mb-1"
                    rows={2}
                    value={draft}
                    autoFocus
                    onChange={(e) => setDraft(e.target.value)}
                  />
                  <button type="submit" className="btn btn-primary btn-sm me-2">
                    {t('common.save')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    onClick={() => setEditing(null)}
                  >
                    {t('common.cancel')}
                  </button>
                </form>
              ) : segment.words && segment.words.length > 0 ? (
                <p className="mb-0">
                  {segment.words.map((word, w) => {
                    const timed = typeof word.start === 'number';
                    const on = current?.segment === s && current.word === w;
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
        })}
      </ol>
    </div>
  );
}

function SpeakerChip({
  id,
  name,
  color,
  others,
  onRename,
  onMerge,
}: {
  id: number;
  name: string;
  color: string;
  others: { id: number; name: string }[];
  onRename(name: string): Promise<void>;
  onMerge(into: number): Promise<void>;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(name);
  const [into, setInto] = useState(others[0]?.id ?? -1);
  return (
    <li className="mh-speaker" style={{ borderColor: color }}>
      <span className="mh-dot" style={{ background: color }} aria-hidden="true" />
      {!open ? (
        <button
          type="button"
          className="btn btn-link btn-sm p-0"
          onClick={() => setOpen(true)}
          aria-label={t('studio.renameSpeaker', { name })}
        >
          {name}
        </button>
      ) : (
        <form
          className="d-flex flex-wrap gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            void onRename(value.trim()).then(() => setOpen(false));
          }}
        >
          <label htmlFor={`sp-${id}`} className="visually-hidden">
            {t('studio.speakerName')}
          </label>
          <input
            id={`sp-${id}`}
            className="form-control form-control-sm"
            style={{ width: '9rem' }}
            value={value}
            autoFocus
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-sm" disabled={!value.trim()}>
            {t('common.save')}
          </button>
          {others.length > 0 && (
            <>
              <label htmlFor={`mg-${id}`} className="visually-hidden">
                {t('studio.mergeInto')}
              </label>
              <select
                id={`mg-${id}`}
                className="form-select form-select-sm"
                style={{ width: 'auto' }}
                value={into}
                onChange={(e) => setInto(Number(e.target.value))}
              >
                {others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="btn btn-outline-secondary btn-sm"
                onClick={() => void onMerge(into).then(() => setOpen(false))}
              >
                {t('studio.merge')}
              </button>
            </>
          )}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
    </li>
  );
}
