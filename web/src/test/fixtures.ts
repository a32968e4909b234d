/** Shared test data. */
import type { Segment } from '../api/transcriptions';

export const SEGMENTS: Segment[] = [
  {
    id: 1,
    start: 0.5,
    end: 2.0,
    text: 'Hello there world',
    speaker: 0,
    edited: false,
    words: [
      { word: 'Hello', start: 0.5, end: 0.9 },
      { word: 'there', start: 1.0, end: 1.3 },
      { word: 'world', start: 1.5, end: 2.0 },
    ],
  },
  {
    id: 2,
    start: 3.0,
    end: 4.0,
    text: 'Second line 42',
    speaker: 1,
    edited: false,
    words: [
      { word: 'Second', start: 3.0, end: 3.4 },
      { word: 'line', start: 3.5, end: 3.7 },
      { word: '42', start: null, end: null },
    ],
  },
];
