import { useMemo } from 'react';

import type { Segment, Speaker } from '../../../api/transcriptions';
import type { Translate } from '../../../i18n/i18n';
import { useI18n } from '../../../i18n/I18nProvider';
import { speakerColors } from './transcript';

/** How a speaker without a name is shown. */
export function speakerLabel(id: number): string {
  return `SPEAKER_${String(id).padStart(2, '0')}`;
}

// The server names new speakers "Speaker 1", "Speaker 2"… (and labels unnamed ones SPEAKER_00):
// those are its defaults, not names a user typed, so they are shown in the UI's language.
const DEFAULT_NAME = /^(?:Speaker (\d+)|SPEAKER_(\d+))$/;

/** A speaker's name as shown: the server's default names in the UI's language, others as typed. */
export function shownSpeakerName(name: string, t: Translate): string {
  const m = DEFAULT_NAME.exec(name);
  if (!m) return name;
  return t('studio.speakerNumber', { n: m[1] ? Number(m[1]) : Number(m[2]) + 1 });
}

/** Each speaker's colour and shown name, and the ids in first-appearance order. */
export function useSpeakerNames(speakers: Speaker[], segments: Segment[]) {
  const { t } = useI18n();
  const colors = useMemo(() => speakerColors(speakers, segments), [speakers, segments]);
  const names = useMemo(() => new Map(speakers.map((s) => [s.id, s.name || s.label])), [speakers]);
  return {
    colors,
    speakerIds: [...colors.keys()],
    nameOf: (id: number) => shownSpeakerName(names.get(id) ?? speakerLabel(id), t),
  };
}
