import { useEffect, type RefObject } from 'react';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(target.tagName)
  );
}

/** Space plays/pauses and ←/→ jump 5 s, unless the user is typing or holds a modifier. */
export function useTranscriptShortcuts(
  media: RefObject<HTMLMediaElement | null>,
  seek: (seconds: number) => void,
) {
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
  }, [media, seek]);
}
