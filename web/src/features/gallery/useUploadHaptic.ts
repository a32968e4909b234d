import { useEffect, useRef } from 'react';

import { haptic } from '../../lib/max';
import type { Item } from './UploadItemRow';

const SETTLED = new Set(['ready', 'failed', 'error', 'duplicate']);

/**
 * Inside MAX, one haptic when a batch of uploads has settled: success if every file is in the
 * collection, error if any was refused or failed. Not one per file: a batch of twenty would buzz
 * twenty times.
 */
export function useUploadHaptic(items: Item[]): void {
  const working = items.some((i) => !SETTLED.has(i.state));
  const wasWorking = useRef(false);
  useEffect(() => {
    if (working) {
      wasWorking.current = true;
      return;
    }
    if (!wasWorking.current || items.length === 0) return;
    wasWorking.current = false;
    haptic(items.some((i) => i.state === 'failed' || i.state === 'error') ? 'error' : 'success');
  }, [working, items]);
}
