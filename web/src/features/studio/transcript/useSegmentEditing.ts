import { useState, type FormEvent } from 'react';

import type { Segment } from '../../../api/transcriptions';

/** Which segment is being edited and its draft text; saving closes the editor. */
export function useSegmentEditing(
  onSave: (segment: Segment, text: string) => Promise<void>,
  guard: (action: () => Promise<void>) => Promise<void>,
) {
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  return {
    editing,
    draft,
    setDraft,
    start(index: number, text: string) {
      setEditing(index);
      setDraft(text);
    },
    cancel: () => setEditing(null),
    save(event: FormEvent, segment: Segment) {
      event.preventDefault();
      void guard(async () => {
        await onSave(segment, draft);
        setEditing(null);
      });
    },
  };
}
