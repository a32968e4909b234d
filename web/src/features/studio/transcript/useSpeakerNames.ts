import { useMemo } from 'react';

import type { Segment, Speaker } from '../../../api/transcriptions';
import { speakerColors } from './transcript';

/** How a speaker without a name is shown. */
export function speakerLabel(id: number): string {
  return `SPEAKER_${String(id).padStart(2, '0')}`;
}

/** Each speaker's colour and shown name, and the ids in first-appearance order. */
export function useSpeakerNames(speakers: Speaker[], segments: Segment[]) {
  const colors = useMemo(() => speakerColors(speakers, segments), [speakers, segments]);
  const names = useMemo(() => new Map(speakers.map((s) => [s.id, s.name || s.label])), [speakers]);
  return {
    colors,
    speakerIds: [...colors.keys()],
    nameOf: (id: number) => names.get(id) ?? speakerLabel(id),
  };
}
