/** Pure helpers of the transcript page: player ↔ text sync, colours, snippets, search. */
import type { Segment, Speaker } from '../../../api/transcriptions';

export interface TimedWord {
  segment: number;
  word: number;
  start: number;
  end: number;
}

/** Every timed word in playback order (words without timings cannot be synced or seeked). */
export function timeline(segments: Segment[]): TimedWord[] {
  const out: TimedWord[] = [];
  segments.forEach((seg, s) => {
    (seg.words ?? []).forEach((w, i) => {
      if (typeof w.start === 'number' && typeof w.end === 'number') {
        out.push({ segment: s, word: i, start: w.start, end: w.end });
      }
    });
  });
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * The word being spoken at `time` (binary search): the last word that started at or before
 * `time`, as long as it has not ended more than `grace` seconds ago (pauses clear the highlight).
 */
export function activeWord(words: TimedWord[], time: number, grace = 0.25): TimedWord | null {
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.start <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return null;
  const word = words[found]!;
  return time <= word.end + grace ? word : null;
}

/** The segment playing at `time` (for transcripts without word timings). */
export function activeSegment(segments: Segment[], time: number): number {
  return segments.findIndex((s) => s.start <= time && time < s.end);
}

/** Distinct, readable on light and dark backgrounds; the server sends an index into it. */
export const PALETTE = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#4d7c0f',
];

/**
 * A stable colour per speaker id: the server's palette index, or (for a speaker that only
 * appears in segments) the next colour by order of appearance.
 */
export function speakerColors(speakers: Speaker[], segments: Segment[]): Map<number, string> {
  const colors = new Map<number, string>();
  for (const s of speakers) colors.set(s.id, PALETTE[Math.abs(s.color) % PALETTE.length]!);
  let next = speakers.length;
  for (const seg of segments) {
    if (seg.speaker !== null && !colors.has(seg.speaker)) {
      colors.set(seg.speaker, PALETTE[next++ % PALETTE.length]!);
    }
  }
  return colors;
}

export interface SnippetPart {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  '#x27': "'",
};

/** Undoes the server's HTML escaping of snippet text (only the entities it produces). */
export function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => ENTITIES[name]!);
}

/**
 * Splits a search snippet — HTML-escaped text with matches in `<mark>…</mark>` — into plain
 * parts. The parts are rendered by React as text, never as HTML, so whatever the transcript
 * says (even "<script>") shows up literally.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(snippet)) !== null) {
    if (m.index > last)
      parts.push({ text: unescapeHtml(snippet.slice(last, m.index)), mark: false });
    parts.push({ text: unescapeHtml(m[1]!), mark: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: unescapeHtml(snippet.slice(last)), mark: false });
  return parts;
}

/** "audio" or "video", from the server's has_video flag, else the MIME type. */
export function mediaKind(
  hasVideo: boolean | undefined,
  mime: string | null | undefined,
): 'audio' | 'video' {
  if (hasVideo !== undefined) return hasVideo ? 'video' : 'audio';
  return mime?.startsWith('video/') ? 'video' : 'audio';
}
