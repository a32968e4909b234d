import { useState, type FormEvent } from 'react';

import type { Segment } from '../../../api/transcriptions';

/** What saving a segment changes: its text, its speaker, or a new speaker by that name. */
export interface SegmentChange {
  text?: string;
  speaker?: number;
  newSpeaker?: string;
}

/** The speaker picker's value for "a new speaker". */
export const NEW_SPEAKER = 'new';

/** The change the editor's state makes to `segment` (empty when nothing changed). */
export function segmentChange(
  segment: Segment,
  draft: string,
  speaker: string,
  newName: string,
): SegmentChange {
  const change: SegmentChange = {};
  if (draft !== segment.text) change.text = draft;
  if (speaker === NEW_SPEAKER) change.newSpeaker = newName.trim();
  else if (speaker !== '' && Number(speaker) !== segment.speaker) change.speaker = Number(speaker);
  return change;
}

/** Which segment is being edited: its draft text and speaker; saving closes the editor. */
export function useSegmentEditing(
  onSave: (segment: Segment, change: SegmentChange) => Promise<void>,
  guard: (action: () => Promise<void>) => Promise<void>,
) {
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [speaker, setSpeaker] = useState('');
  const [newName, setNewName] = useState('');
  return {
    editing,
    draft,
    setDraft,
    speaker,
    setSpeaker,
    newName,
    setNewName,
    start(index: number, segment: Segment) {
      setEditing(index);
      setDraft(segment.text);
      setSpeaker(segment.speaker === null ? '' : String(segment.speaker));
      setNewName('');
    },
    cancel: () => setEditing(null),
    save(event: FormEvent, segment: Segment) {
      event.preventDefault();
      const change = segmentChange(segment, draft, speaker, newName);
      if (Object.keys(change).length === 0) {
        setEditing(null);
        return;
      }
      void guard(async () => {
        await onSave(segment, change);
        setEditing(null);
      });
    },
  };
}
