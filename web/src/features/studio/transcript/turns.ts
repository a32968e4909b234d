/** Speaker turns: consecutive segments of one speaker read as one paragraph. */
import type { Segment } from '../../../api/transcriptions';

/** A pause this long inside one speaker's turn starts a new paragraph. */
export const PARAGRAPH_PAUSE_SECONDS = 4;
/** A monologue is split after this many segments, so no paragraph becomes a wall of text. */
export const PARAGRAPH_MAX_SEGMENTS = 8;

export interface Turn {
  speaker: number | null;
  start: number;
  /** Indexes of the turn's segments, in order. */
  segments: number[];
  /** The same speaker as the paragraph before (their name is not repeated). */
  continued: boolean;
}

/** Group segments into paragraphs: a new one when the speaker changes, after a long pause, or
 * when a monologue reaches PARAGRAPH_MAX_SEGMENTS. */
export function speakerTurns(segments: Segment[]): Turn[] {
  const turns: Turn[] = [];
  segments.forEach((segment, s) => {
    const last = turns[turns.length - 1];
    const previous = s > 0 ? segments[s - 1]! : null;
    const sameSpeaker = last !== undefined && last.speaker === segment.speaker;
    if (
      last &&
      previous &&
      sameSpeaker &&
      segment.start - previous.end < PARAGRAPH_PAUSE_SECONDS &&
      last.segments.length < PARAGRAPH_MAX_SEGMENTS
    ) {
      last.segments.push(s);
      return;
    }
    turns.push({
      speaker: segment.speaker,
      start: segment.start,
      segments: [s],
      continued: sameSpeaker,
    });
  });
  return turns;
}
