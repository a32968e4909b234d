import { describe, expect, it } from 'vitest';

import { SEGMENTS } from '../../../test/fixtures';
import {
  activeSegment,
  activeWord,
  mediaKind,
  snippetParts,
  PALETTE,
  speakerColors,
  timeline,
} from './transcript';

describe('player sync', () => {
  const words = timeline(SEGMENTS);

  it('lists only timed words, in order', () => {
    expect(words.map((w) => [w.segment, w.word])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
    ]);
  });

  it.each([
    [0.0, null],
    [0.5, [0, 0]],
    [0.95, [0, 0]], // just after "Hello" ended: still within the grace period
    [1.29, [0, 1]],
    [1.5, [0, 2]],
    [2.5, null], // a pause: nothing highlighted
    [3.55, [1, 1]],
    [99, null],
  ])('at %s s the active word is %j', (time, expected) => {
    const hit = activeWord(words, time);
    expect(hit ? [hit.segment, hit.word] : null).toEqual(expected);
  });

  it('finds the active segment by time', () => {
    expect(activeSegment(SEGMENTS, 0.1)).toBe(-1);
    expect(activeSegment(SEGMENTS, 1.0)).toBe(0);
    expect(activeSegment(SEGMENTS, 3.5)).toBe(1);
  });
});

describe('speakers', () => {
  it('colours speakers by the server’s palette index, and unknown ones by appearance', () => {
    const colors = speakerColors([{ id: 1, label: 'SPEAKER_01', name: '', color: 3 }], SEGMENTS);
    expect(colors.get(1)).toBe(PALETTE[3]);
    expect(colors.get(0)).toBe(PALETTE[1]); // not in the list: next colour after the known ones
    expect(colors.get(0)).not.toBe(colors.get(1));
  });
});

describe('snippetParts', () => {
  it('splits <mark> highlighting into parts and keeps any other markup as plain text', () => {
    expect(snippetParts('say <mark>hello</mark> to <img src=x onerror=alert(1)>')).toEqual([
      { text: 'say ', mark: false },
      { text: 'hello', mark: true },
      { text: ' to <img src=x onerror=alert(1)>', mark: false },
    ]);
    expect(snippetParts('no highlight')).toEqual([{ text: 'no highlight', mark: false }]);
  });

  it('undoes the server’s HTML escaping, so the text shows literally', () => {
    expect(snippetParts('a &lt;b&gt; &amp; <mark>&quot;c&#x27;</mark>')).toEqual([
      { text: 'a <b> & ', mark: false },
      { text: '"c\'', mark: true },
    ]);
  });
});

describe('mediaKind', () => {
  it('tells audio from video', () => {
    expect(mediaKind(true, 'audio/wav')).toBe('video');
    expect(mediaKind(false, 'video/mp4')).toBe('audio');
    expect(mediaKind(undefined, 'video/mp4')).toBe('video');
    expect(mediaKind(undefined, null)).toBe('audio');
  });
});
