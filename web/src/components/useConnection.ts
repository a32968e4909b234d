import { useEffect, useState } from 'react';

import { fetchReadiness, type Readiness } from '../lib/api';
import type { LiveStatus } from '../lib/live';
import { useLiveStatus } from '../lib/useLive';

/** How often readiness is checked while healthy, and while something is wrong. */
export const READY_POLL_MS = 30_000;
export const READY_RETRY_MS = 5_000;
/** A live connection down this long is worth telling the user (reconnects take ~1 s). */
export const LIVE_GRACE_MS = 5_000;

/** Polls GET /api/ready: `null` until the first answer; faster while it is not ok. */
export function useReadiness(pollMs = READY_POLL_MS, retryMs = READY_RETRY_MS) {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  useEffect(() => {
    let active = true;
    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      controller = new AbortController();
      let next: Readiness;
      try {
        next = await fetchReadiness(controller.signal);
      } catch {
        return; // aborted on unmount
      }
      if (!active) return;
      setReadiness(next);
      // The next check starts once this one finished, so requests never pile up.
      timer = setTimeout(check, next.kind === 'ok' ? pollMs : retryMs);
    };
    void check();
    return () => {
      active = false;
      controller?.abort();
      clearTimeout(timer);
    };
  }, [pollMs, retryMs]);
  return readiness;
}

const DOWN: LiveStatus[] = ['closed', 'connecting'];

/** The live status, and whether it has been down (closed or reconnecting) for over `graceMs`. */
export function useLiveTrouble(graceMs = LIVE_GRACE_MS): { status: LiveStatus; lost: boolean } {
  const status = useLiveStatus();
  const down = DOWN.includes(status);
  const [lost, setLost] = useState(false);
  useEffect(() => {
    setLost(false);
    if (!down) return undefined;
    const timer = setTimeout(() => setLost(true), graceMs);
    return () => clearTimeout(timer);
  }, [down, graceMs]);
  return { status, lost: down && lost };
}
