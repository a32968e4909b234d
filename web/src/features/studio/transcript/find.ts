/** Find in a transcript: every occurrence of the query, and the words each one covers. */
import type { Segment } from '../../../api/transcriptions';

export interface FindHit {
  /** Index of the segment the occurrence is in. */
  segment: number;
  /** Indexes of the segment's words it touches (empty for a segment shown as plain text). */
  words: number[];
}

/**
 * Every occurrence of `query` (case-insensitive, spaces trimmed), in reading order. A segment
 * with words is searched as its words joined by spaces — the text that is shown — so each
 * hit can name the words to highlight.
 */
export function findInTranscript(segments: Segment[], query: string): FindHit[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return [];
  const hits: FindHit[] = [];
  segments.forEach((segment, s) => {
    const words = segment.words ?? [];
    const shown = words.length ? words.map((w) => w.word).join(' ') : segment.text;
    const haystack = shown.toLocaleLowerCase();
    // Where each word starts in `shown`, to map a match back to words.
    const starts: number[] = [];
    let at = 0;
    for (const w of words) {
      starts.push(at);
      at += w.word.length + 1;
    }
    for (let from = haystack.indexOf(q); from >= 0; from = haystack.indexOf(q, from + q.length)) {
      const to = from + q.length;
      const covered = words.flatMap((w, i) =>
        starts[i]! < to && starts[i]! + w.word.length > from ? [i] : [],
      );
      hits.push({ segment: s, words: covered });
    }
  });
  return hits;
}
