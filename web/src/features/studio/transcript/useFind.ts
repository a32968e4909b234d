import { useEffect, useMemo, useState } from 'react';

import type { Segment } from '../../../api/transcriptions';
import { findInTranscript } from './find';

/** How one segment shows the find results: the words found, and those of the current hit. */
export interface FindMarks {
  hit: boolean;
  current: boolean;
  words: ReadonlySet<number>;
  currentWords: ReadonlySet<number>;
}

const NONE: FindMarks = { hit: false, current: false, words: new Set(), currentWords: new Set() };

/**
 * Find in the transcript: every occurrence, the current one (next/previous wrap around)
 * scrolled into view, and per segment what to highlight.
 */
export function useFind(segments: Segment[]) {
  const [query, setQuery] = useState('');
  const [hitIndex, setHitIndex] = useState(0);
  const hits = useMemo(() => findInTranscript(segments, query), [segments, query]);
  const index = hits.length ? Math.min(hitIndex, hits.length - 1) : -1;
  const current = index >= 0 ? hits[index]! : null;

  const marks = useMemo(() => {
    const out = new Map<number, { words: Set<number>; currentWords: Set<number> }>();
    hits.forEach((hit, i) => {
      const entry = out.get(hit.segment) ?? { words: new Set(), currentWords: new Set() };
      hit.words.forEach((w) => entry.words.add(w));
      if (i === index) hit.words.forEach((w) => entry.currentWords.add(w));
      out.set(hit.segment, entry);
    });
    return out;
  }, [hits, index]);

  useEffect(() => {
    if (current)
      document.getElementById(`seg-${current.segment}`)?.scrollIntoView?.({ block: 'center' });
  }, [current]);

  const step = (by: number) =>
    setHitIndex((i) =>
      hits.length ? (Math.min(i, hits.length - 1) + by + hits.length) % hits.length : 0,
    );

  return {
    query,
    hits,
    /** Position of the current hit (0-based), -1 when nothing is found. */
    index,
    /** A new query starts again at its first hit. */
    search(text: string) {
      setQuery(text);
      setHitIndex(0);
    },
    next: () => step(1),
    previous: () => step(-1),
    marksOf(segment: number): FindMarks {
      const entry = marks.get(segment);
      if (!entry) return NONE;
      return { hit: true, current: current?.segment === segment, ...entry };
    },
  };
}
