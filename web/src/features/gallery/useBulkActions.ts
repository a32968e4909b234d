import { useState } from 'react';

import { api, errorMessage, unwrap } from '../../api/client';
import { haptic } from '../../lib/max';

export type BulkAction = 'delete' | 'make_private' | 'make_public';

/**
 * One request for a whole selection (POST /api/photos/bulk: all of the photos or none), with
 * the busy flag, the error to show and MAX's haptic answer. `onDone` gets the changed ids.
 */
export function useBulkActions(onDone: (action: BulkAction, ids: string[]) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: BulkAction, ids: string[]) {
    setBusy(true);
    setError(null);
    try {
      const result = unwrap(await api.POST('/api/photos/bulk', { body: { ids, action } }));
      haptic('success');
      onDone(action, result.ids);
    } catch (e) {
      haptic('error');
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}
