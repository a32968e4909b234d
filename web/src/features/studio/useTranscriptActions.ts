import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';

import { api, errorMessage, unwrap } from '../../api/client';
import type { Segment, Speaker, Transcription } from '../../api/transcriptions';
import type { SegmentChange } from './transcript/useSegmentEditing';

type SetTranscription = Dispatch<SetStateAction<Transcription | null>>;

function withSpeaker(old: Transcription | null, saved: Speaker): Transcription | null {
  if (!old) return old;
  const exists = old.speakers.some((s) => s.id === saved.id);
  const speakers = exists
    ? old.speakers.map((s) => (s.id === saved.id ? saved : s))
    : [...old.speakers, saved];
  return { ...old, speakers };
}

/** The transcript page's corrections: segments, speakers (with voices), find speakers again. */
export function useTranscriptActions(
  id: string,
  setTr: SetTranscription,
  reload: () => Promise<void>,
) {
  const [finding, setFinding] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const path = { params: { path: { transcription_id: id } } };

  const saveSegment = async (segment: Segment, change: SegmentChange) => {
    const saved = unwrap(
      await api.PATCH('/api/transcriptions/{transcription_id}/segments/{segment_id}', {
        params: { path: { transcription_id: id, segment_id: segment.id } },
        body: { text: change.text, speaker: change.speaker, new_speaker: change.newSpeaker },
      }),
    );
    // A new speaker joins the speaker list: read the transcript again.
    if (change.newSpeaker !== undefined) return reload();
    setTr((old) =>
      old
        ? {
            ...old,
            segments: old.segments.map((s) => (s.id === segment.id ? { ...s, ...saved } : s)),
          }
        : old,
    );
  };

  const renameSpeaker = async (speaker: Speaker, name: string, remember: boolean) => {
    const saved = unwrap(
      await api.PATCH('/api/transcriptions/{transcription_id}/speakers/{speaker_id}', {
        params: { path: { transcription_id: id, speaker_id: speaker.id } },
        body: { name, remember },
      }),
    );
    setTr((old) => withSpeaker(old, saved));
  };

  const unmatchSpeaker = async (speaker: Speaker) => {
    const saved = unwrap(
      await api.DELETE('/api/transcriptions/{transcription_id}/speakers/{speaker_id}/voice', {
        params: { path: { transcription_id: id, speaker_id: speaker.id } },
      }),
    );
    setTr((old) => withSpeaker(old, saved));
  };

  const mergeSpeakers = async (from: number, into: number) => {
    unwrap(
      await api.POST('/api/transcriptions/{transcription_id}/speakers/merge', {
        ...path,
        body: { from, into },
      }),
    );
    await reload();
  };

  const findSpeakersAgain = useCallback(async () => {
    setFinding(true);
    setActionError(null);
    try {
      unwrap(
        await api.POST('/api/transcriptions/{transcription_id}/diarize', {
          params: { path: { transcription_id: id } },
        }),
      );
      await reload();
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setFinding(false);
    }
  }, [id, reload]);

  return {
    saveSegment,
    renameSpeaker,
    unmatchSpeaker,
    mergeSpeakers,
    findSpeakersAgain,
    finding,
    actionError,
  };
}
