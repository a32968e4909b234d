import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The player's clock: a ref for the media element, the current time (smooth while playing) and
 * `seek`. The position survives a change of `mediaSrc` (a renewed link restarts at 0).
 */
export function useMediaClock(mediaSrc: string | null, initialTime: number | undefined) {
  const media = useRef<HTMLMediaElement | null>(null);
  const [time, setTime] = useState(initialTime ?? 0);
  // Where the user is, kept across a change of `mediaSrc` (a renewed link restarts at 0).
  const position = useRef(initialTime ?? 0);

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

  return { media, time, seek };
}
