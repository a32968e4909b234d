import { describe, expect, it } from 'vitest';

import type { Segment } from '../../../api/transcriptions';
import { SEGMENTS } from '../../../test/fixtures';
import { findInTranscript } from './find';
import { PARAGRAPH_MAX_SEGMENTS, speakerTurns } from './turns';

function seg(id: number, start: number, speaker: number | null, text = 'x'): Segment {
  return { id, start, end: start + 1, text, speaker, edited: false, words: [] };
}

describe('findInTranscript', () => {
  it('finds every occurrence case-insensitively, with the words it covers', () => {
    expect(findInTranscript(SEGMENTS, 'LINE')).toEqual([{ segment: 1, words: [1] }]);
    expect(findInTranscript(SEGMENTS, '  ')).toEqual([]);
    // Across a word boundary: both words are marked.
    expect(findInTranscript(SEGMENTS, 'there wor')).toEqual([{ segment: 0, words: [1, 2] }]);
    // Two occurrences in one segment count twice.
    expect(findInTranscript(SEGMENTS, 'e')).toEqual([
      { segment: 0, words: [0] },
      { segment: 0, words: [1] },
      { segment: 0, words: [1] },
      { segment: 1, words: [0] },
      { segment: 1, words: [1] },
    ]);
  });

  it('searches Russian text and segments without words', () => {
    const plain = [seg(1, 0, 0, 'Привет, мир! Мир прекрасен.')];
    expect(findInTranscript(plain, 'МИР')).toEqual([
      { segment: 0, words: [] },
      { segment: 0, words: [] },
    ]);
  });
});

describe('speakerTurns', () => {
  it('groups consecutive segments of one speaker into a paragraph', () => {
    const turns = speakerTurns([seg(1, 0, 0), seg(2, 1.5, 0), seg(3, 3, 1), seg(4, 4.5, 0)]);
    expect(turns.map((t) => [t.speaker, t.segments, t.start, t.continued])).toEqual([
      [0, [0, 1], 0, false],
      [1, [2], 3, false],
      [0, [3], 4.5, false],
    ]);
  });

  it('starts a new paragraph of the same speaker after a long pause or a long monologue', () => {
    const pause = speakerTurns([seg(1, 0, 0), seg(2, 10, 0)]);
    expect(pause.map((t) => [t.segments, t.continued])).toEqual([
      [[0], false],
      [[1], true],
    ]);
    const long = Array.from({ length: PARAGRAPH_MAX_SEGMENTS + 1 }, (_, i) => seg(i, i * 1.2, 2));
    expect(speakerTurns(long).map((t) => t.segments.length)).toEqual([PARAGRAPH_MAX_SEGMENTS, 1]);
  });

  it('keeps segments without a speaker together', () => {
    expect(speakerTurns([seg(1, 0, null), seg(2, 1, null)])).toHaveLength(1);
  });
});
