import { useEffect, useMemo, useState } from 'react';

import type { Segment } from '../../../api/transcriptions';
import { findInTranscript } from './transcript';

/** Find in the transcript: the matching segment indexes, and the current one scrolled into view. */
export function useFind(segments: Segment[]) {
  const [query, setQuery] = useState('');
  const [hitIndex, setHitIndex] = useState(0);
  const hits = useMemo(() => findInTranscript(segments, query), [segments, query]);

  useEffect(() => {
    const index = hits[hitIndex];
    if (index !== undefined)
      document.getElementById(`seg-${index}`)?.scrollIntoView?.({ block: 'center' });
  }, [hits, hitIndex]);

  return {
    query,
    hits,
    hitIndex,
    /** A new query starts again at its first hit. */
    search(text: string) {
      setQuery(text);
      setHitIndex(0);
    },
    next() {
      setHitIndex((i) => (hits.length ? (i + 1) % hits.length : 0));
    },
  };
}
